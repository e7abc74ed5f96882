"""Test wiring only (fixtures for servers, workbooks and the outbox); no test data lives here."""

from __future__ import annotations

import email
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from sheets_sync.cycle import RunResult, run_cycle
from sheets_sync.mail.delivery import OutboxDelivery
from sheets_sync.settings.load import load_settings
from sheets_sync.settings.types import Settings
from sheets_sync.workbook.xlsx import XlsxWorkbook, cell_text, create_workbook
from sheets_sync.workbook.xlsx_book import Book
from sheets_sync.workbook.xlsx_package import Package
from tests.sheets_api.fixtures import *  # sheets_api, service_account_info, no_egress
from tests.smtp_server import smtp_certificates, smtp_server, smtps_server  # noqa: F401

BASE_CONFIG: dict[str, Any] = {
    "timezone": "Europe/Moscow",
    "workbook": {"backend": "xlsx", "path": "workbook.xlsx"},
    # Reminders began in January (so nothing in these small plans is a go-live backlog), and the
    # coordinators get a weekly summary: every test run mails them as well as the parties.
    "reminders": {
        "escalate_to": ["coordinator@example.org"],
        "start_date": "2020-01-01",
        "weekly_summary": "monday",
    },
    "mail": {"outbox": "outbox", "from": "Координатор <coordinator@example.org>", "submit_url": ""},
    "state": {"dir": "state"},
}


def toml(data: Mapping[str, Any], prefix: str = "") -> str:
    """Return `data` as TOML (strings, numbers, booleans, lists and tables: all tests need)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list | tuple):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return str(v)

    lines = [f"{k} = {value(v)}" for k, v in data.items() if not isinstance(v, Mapping)]
    for k, v in data.items():
        if isinstance(v, Mapping):
            lines.append(f"\n[{prefix}{k}]")
            lines.append(toml(v, f"{prefix}{k}."))
    return "\n".join(lines)


def merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in extra.items():
        out[k] = (
            merged(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) else v
        )
    return out


ROOT_CONFIG = Path(__file__).resolve().parent.parent / "config"


def read_tab(path: Path, name: str) -> list[list[str]]:
    """Return a tab of an .xlsx file as the texts a person sees, trailing blanks trimmed."""
    book = openpyxl.load_workbook(path)
    rows = [[cell_text(c.value, c.number_format) for c in row] for row in book[name].iter_rows()]
    rows = [r[: max((i + 1 for i, v in enumerate(r) if v), default=0)] for r in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


@dataclass
class Project:
    """A folder holding config/settings.toml, a workbook, an outbox and a state folder."""

    root: Path
    plan_year: int = 2020

    @property
    def workbook_path(self) -> Path:
        return self.root / "workbook.xlsx"

    def settings(self, extra: Mapping[str, Any] | None = None) -> Settings:
        config = self.root / "config" / "settings.toml"
        config.parent.mkdir(exist_ok=True)
        data = merged({"plan_year": self.plan_year, **BASE_CONFIG}, extra or {})
        config.write_text(toml(data), encoding="utf-8")
        return load_settings(config, env={})

    def workbook(
        self,
        tabs: Mapping[str, Sequence[Sequence[Any]]],
        header_rows: Mapping[str, int] | None = None,
    ) -> Path:
        """Write the workbook afresh with `tabs`: still the same workbook (its id kept, as a
        save in Excel keeps it) when there is one."""
        header_rows = header_rows or {}
        path = self.workbook_path
        create_workbook(
            path,
            [(name, rows, header_rows.get(name, 1)) for name, rows in tabs.items()],
            identity=Book(Package(path.read_bytes())).identity() if path.exists() else "",
        )
        return path

    def run(
        self,
        today: date,
        *,
        extra: Mapping[str, Any] | None = None,
        dry_run: bool = False,
        now: datetime | None = None,
    ) -> RunResult:
        settings = self.settings(extra)
        now = now or datetime(
            today.year, today.month, today.day, 9, 0, tzinfo=ZoneInfo("Europe/Moscow")
        )
        return run_cycle(
            settings,
            XlsxWorkbook(self.workbook_path, settings.tabs),
            OutboxDelivery(settings.mail.outbox),
            today=today,
            now=now,
            dry_run=dry_run,
        )

    def read_tab(self, name: str) -> list[list[str]]:
        book = openpyxl.load_workbook(self.workbook_path)
        rows = [
            [cell_text(c.value, c.number_format) for c in row] for row in book[name].iter_rows()
        ]
        return [r[: max((i + 1 for i, v in enumerate(r) if v), default=0)] for r in rows]

    def outbox(self) -> list[EmailMessage]:
        folder = self.root / "outbox"
        return (
            [
                email.message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
                for p in sorted(folder.glob("*.eml"))
            ]
            if folder.exists()
            else []
        )


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture(autouse=True)
def _loopback_only(no_egress: list[str]) -> None:
    """Every test: any name lookup or connection beyond 127.0.0.1 fails it."""


@dataclass
class GoogleProject:
    """A config pointing at a spreadsheet in the loopback Sheets API emulator."""

    root: Path
    emulator: Any
    key_info: dict[str, str]

    def spreadsheet(
        self, tabs: Mapping[str, Sequence[Sequence[Any]]], *, shared: bool = True
    ) -> str:
        return str(
            self.emulator.create_spreadsheet(
                "Дорожная карта",
                tabs,
                shared_with=[self.key_info["client_email"]] if shared else [],
                locale="ru_RU",
                time_zone="Europe/Moscow",
            )
        )

    def settings(
        self,
        key: str,
        extra: Mapping[str, Any] | None = None,
        key_info: Mapping[str, str] | None = None,
    ) -> Settings:
        credentials = self.root / "service-account.json"
        credentials.write_text(json.dumps(key_info or self.key_info), encoding="utf-8")
        base = merged(
            {"plan_year": 2020, **BASE_CONFIG},
            {
                "workbook": {
                    "backend": "google",
                    "path": "",
                    "spreadsheet": f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0",
                },
                "google": {
                    "credentials": str(credentials),
                    "api_endpoint": self.emulator.base_url,
                    "timeout_seconds": 5,
                    "retry_seconds": 60,
                },
            },
        )
        del base["workbook"]["path"]
        config = self.root / "config" / "settings.toml"
        config.parent.mkdir(exist_ok=True)
        config.write_text(toml(merged(base, extra or {})), encoding="utf-8")
        return load_settings(config, env={})


@pytest.fixture
def google(tmp_path: Path, sheets_api: Any, service_account_info: dict[str, str]) -> GoogleProject:
    return GoogleProject(tmp_path, sheets_api, service_account_info)
