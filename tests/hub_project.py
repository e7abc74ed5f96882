"""A hub on disk for the tests: a settings file with [hub] and its sources, source workbooks made
from the small staff workbook of sample_workbook.py, and a paced clock that never sleeps."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sheets_sync.hub.runner import HubRunner
from sheets_sync.settings.load import load_settings
from sheets_sync.settings.types import Settings
from tests.conftest import toml
from tests.sample_workbook import ROADMAP, SUBMISSIONS, TODAY, make

BASE = {
    "plan_year": 2020,
    "timezone": "Europe/Moscow",
    "reminders": {
        "escalate_to": ["coordinator@example.org"],
        "start_date": "2020-01-01",
    },
    "mail": {"outbox": "outbox", "from": "Координатор <coordinator@example.org>", "submit_url": ""},
    "state": {"dir": "state"},
}
# Every report of school 01 is in: only СОИРО's two dates stay overdue.
ALL_IN = [
    SUBMISSIONS[0],
    ["01", "Школа № 1", date(2020, 2, 20), "сдано", date(2020, 9, 1)],
    ["02", "Школа № 2", date(2020, 3, 1), "н/т", date(2020, 9, 1)],
]


class FakePace:
    """The hub's pacing clock: `sleep` moves time on at once and records the wait."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def source_table(entry: Mapping[str, Any]) -> str:
    return "\n[[hub.sources]]\n" + toml(entry)


@dataclass
class Hub:
    """A folder with config/settings.toml for a hub, and the workbooks it names."""

    root: Path
    hub: dict[str, Any] = field(default_factory=lambda: {"path": "summary.xlsx"})
    sources: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    pace: FakePace = field(default_factory=FakePace)

    @property
    def summary(self) -> Path:
        return self.root / "summary.xlsx"

    def workbook(self, name: str, submissions: Sequence[Sequence[Any]] = SUBMISSIONS) -> Path:
        """Make the sample staff workbook at `name` (under the root); return its path."""
        from tests.conftest import Project

        folder = self.root / Path(name).parent
        folder.mkdir(parents=True, exist_ok=True)
        project = Project(folder)
        path = make(project, ROADMAP, submissions=submissions)
        return path.rename(self.root / name)

    def settings(self) -> Settings:
        config = self.root / "config" / "settings.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        data = {**BASE, **self.extra, "hub": self.hub}
        text = toml(data) + "".join(source_table(s) for s in self.sources)
        config.write_text(text, encoding="utf-8")
        return load_settings(config, env={})

    def run(self, today: date = TODAY, *, send: bool = True, hour: int = 9) -> Any:
        now = datetime(
            today.year, today.month, today.day, hour, 0, tzinfo=ZoneInfo("Europe/Moscow")
        )
        return HubRunner(self.settings(), clock=self.pace).run(now, send)


def key_file(root: Path, info: Mapping[str, str]) -> Path:
    path = root / "service-account.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path
