"""Load and validate `config/*.toml` into frozen, typed settings.

Every problem is collected and reported at once by key path, with the fix. Secrets (the SMTP
password, Google credentials) come only from the environment, never from the TOML file.
Relative paths are resolved from the project folder: the folder that holds `config/` when the
file lives in a folder named `config`, else the file's own folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheets_sync.errors import ConfigError

from .credentials import google_credentials
from .hub import check_summary, read_hub, uses_google
from .inbox import read_inbox
from .mail import read_mail
from .reader import Reader
from .service import read_service
from .types import (
    DEFAULT_COLUMNS,
    DEFAULT_SCHOOL_NAMES,
    WEEKDAYS,
    CalendarSettings,
    GoogleSettings,
    ReminderPolicy,
    Settings,
    TabNames,
    WorkbookSettings,
    is_email,
)

DEFAULT_CONFIG = Path("config/settings.toml")
CONFIG_ENV = "SHEETS_SYNC_CONFIG"


def project_root(config_path: Path) -> Path:
    """Return the folder relative paths in `config_path` are resolved from."""
    folder = config_path.resolve().parent
    return folder.parent if folder.name == "config" else folder


def load_settings(
    path: Path | None = None, env: Mapping[str, str] | None = None, *, root: Path | None = None
) -> Settings:
    """Return the validated settings in `path` (default: $SHEETS_SYNC_CONFIG or
    config/settings.toml); relative paths resolve from `root` (default: the project folder)."""
    env = os.environ if env is None else env
    path = path or Path(env.get(CONFIG_ENV) or DEFAULT_CONFIG)
    if not path.is_file():
        raise ConfigError(
            [
                (
                    f"no configuration file at {path}: copy config/settings.example.toml there, "
                    "or pass --config PATH"
                )
            ],
            str(path),
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError(["the file is not UTF-8 text: save it as UTF-8"], str(path)) from None
    return parse_settings(data, path, env, root=root)


def parse_settings(
    data: Mapping[str, Any], path: Path, env: Mapping[str, str], *, root: Path | None = None
) -> Settings:
    """Return settings from parsed TOML `data`; raise ConfigError listing every problem."""
    problems: list[str] = []
    r = Reader(data, problems)
    parts = _read_sections(r, root or project_root(path), env)
    r.report_unknown()
    if problems:
        raise ConfigError(problems, str(path))
    return Settings(source=path, **parts)


def known_keys() -> frozenset[str]:
    """Return every key the settings file may hold (`columns.roadmap.deadline`, `mail.from`)."""
    r = Reader({}, [])
    _read_sections(r, Path("."), {})
    return frozenset(r.asked)


def _read_sections(r: Reader, root: Path, env: Mapping[str, str]) -> dict[str, Any]:
    """Return the Settings fields read from every section, adding problems to `r`; relative
    paths resolve from `root`."""

    def resolve(p: str) -> Path:
        return Path(p) if Path(p).is_absolute() else root / p

    plan_year = r.get("plan_year", int, 0) or None
    if plan_year is not None and not 2000 <= plan_year <= 2100:
        r.problems.append(
            f"`plan_year` = {plan_year} is not a plausible year: write e.g. 2025, "
            "or remove the key to take it from the roadmap's title"
        )
    timezone = r.get("timezone", str, "Europe/Moscow")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.problems.append(
            f'`timezone` = "{timezone}" is not a known time zone: write e.g. '
            '"Europe/Moscow" or "Asia/Yekaterinburg"'
        )
    hub = read_hub(r, resolve)
    if hub is not None and "workbook" not in r.data:
        workbook = hub.workbook  # a hub-only file: `serve` and `hub` lock and name the summary
    else:
        workbook = _workbook(r, resolve)
        check_summary(r.problems, hub, workbook)
    inbox = read_inbox(r, resolve, env)
    tabs = _tabs(r)
    return {
        "workbook": workbook,
        "plan_year": plan_year,
        "school_year": r.get("school_year", bool, None),
        "timezone": timezone,
        "google": _google(r, resolve, env, needed=workbook.backend == "google" or uses_google(hub)),
        "tabs": tabs if inbox else replace(tabs, inbox=""),
        "columns": _columns(r),
        "school_names": r.strings("schools.names", DEFAULT_SCHOOL_NAMES),
        "reminders": _reminders(r),
        "calendar": _calendar(r),
        "mail": read_mail(r, resolve, env),
        "state_dir": resolve(r.get("state.dir", str, "state")),
        "inbox": inbox,
        "service": read_service(r),
        "hub": hub,
    }


def _workbook(r: Reader, resolve: Callable[[str], Path]) -> WorkbookSettings:
    backend = r.get("workbook.backend", str, "xlsx")
    if backend not in ("xlsx", "google"):
        r.problems.append(
            f'`workbook.backend` = "{backend}": write "xlsx" (a local file) '
            'or "google" (Google Sheets)'
        )
        backend = "xlsx"
    path = r.get("workbook.path", str, "")
    spreadsheet = r.get("workbook.spreadsheet", str, "")
    if backend == "xlsx" and not path:
        r.problems.append(
            '`workbook.path` is missing: name the .xlsx file, e.g. path = "data/roadmap.xlsx"'
        )
    if backend == "xlsx" and path and not path.lower().endswith((".xlsx", ".xlsm")):
        r.problems.append(
            f'`workbook.path` = "{path}" is not an .xlsx file: save the workbook '
            "as Excel Workbook (.xlsx)"
        )
    if backend == "google" and not spreadsheet:
        r.problems.append(
            "`workbook.spreadsheet` is missing: paste the spreadsheet's URL "
            "(https://docs.google.com/spreadsheets/d/...) or its key"
        )
    return WorkbookSettings(
        backend=backend,  # type: ignore[arg-type]
        path=resolve(path) if path else None,
        spreadsheet=spreadsheet or None,
    )


def _google(
    r: Reader, resolve: Callable[[str], Path], env: Mapping[str, str], *, needed: bool
) -> GoogleSettings:
    configured = r.get("google.credentials", str, "")
    endpoint = r.get("google.api_endpoint", str, "") or None
    if endpoint and not endpoint.startswith(("http://", "https://")):
        r.problems.append(
            f'`google.api_endpoint` = "{endpoint}" must be a URL such as '
            '"http://127.0.0.1:8765", or be removed to talk to Google'
        )
    timeout = float(r.get("google.timeout_seconds", (int, float), 30.0))
    retry = float(r.get("google.retry_seconds", (int, float), 120.0))
    if timeout <= 0 or retry < 0:
        r.problems.append(
            "`google.timeout_seconds` must be above 0 and `google.retry_seconds` 0 or more"
        )
    credentials_path, info, problem = google_credentials(
        env, resolve(configured) if configured else None, needed=needed
    )
    if problem:
        r.problems.append(problem)
    return GoogleSettings(
        credentials=credentials_path,
        credentials_info=info,
        api_endpoint=endpoint,
        timeout_seconds=timeout,
        retry_seconds=retry,
    )


def _tabs(r: Reader) -> TabNames:
    defaults = TabNames()
    names = {
        k: r.get(f"tabs.{k}", str, getattr(defaults, k)).strip()
        for k in TabNames.__dataclass_fields__
    }
    seen: dict[str, str] = {}
    for key, name in names.items():
        if not name:
            r.problems.append(f"`tabs.{key}` is empty: name the tab, or remove the key")
        elif name.casefold() in seen:
            r.problems.append(
                f'`tabs.{key}` and `tabs.{seen[name.casefold()]}` are both "{name}":'
                " every tab needs its own name"
            )
        seen[name.casefold()] = key
    return TabNames(**names)


def _columns(r: Reader) -> dict[str, dict[str, tuple[str, ...]]]:
    columns = {tab: dict(fields) for tab, fields in DEFAULT_COLUMNS.items()}
    for tab, fields in columns.items():
        for name in list(fields):
            extra = r.strings(f"columns.{tab}.{name}", ())
            # Configured headers come first, the defaults stay as aliases.
            fields[name] = tuple(dict.fromkeys(extra + fields[name]))
    return columns


def _reminders(r: Reader) -> ReminderPolicy:
    d = ReminderPolicy()
    before = r.get("reminders.before_due_days", list, list(d.before_due_days))
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 365 for n in before):
        r.problems.append(
            "`reminders.before_due_days` must be a list of days between 0 and 365, e.g. [7, 1]"
        )
        before = list(d.before_due_days)
    policy = ReminderPolicy(
        before_due_days=tuple(sorted(set(before), reverse=True)),
        overdue=r.get("reminders.overdue", bool, d.overdue),
        repeat_overdue_every_days=r.get(
            "reminders.repeat_overdue_every_days", int, d.repeat_overdue_every_days
        ),
        escalate_after_days=r.get("reminders.escalate_after_days", int, d.escalate_after_days),
        escalate_to=r.strings("reminders.escalate_to", d.escalate_to),
        escalate_region_after_days=r.get(
            "reminders.escalate_region_after_days", int, d.escalate_region_after_days
        ),
        due_soon_days=r.get("reminders.due_soon_days", int, d.due_soon_days),
        working_days_only=r.get("reminders.working_days_only", bool, d.working_days_only),
        max_emails_per_run=r.get("reminders.max_emails_per_run", int, d.max_emails_per_run),
        weekly_summary=r.get("reminders.weekly_summary", str, "").strip().lower(),
        start_date=_day(r, "reminders.start_date"),
    )
    if policy.weekly_summary and policy.weekly_summary not in WEEKDAYS:
        r.problems.append(
            f'`reminders.weekly_summary` = "{policy.weekly_summary}": write a '
            'weekday such as "monday", or "" for no weekly summary'
        )
    days = ("repeat_overdue_every_days", "escalate_after_days", "escalate_region_after_days")
    for key in (*days, "due_soon_days"):
        if getattr(policy, key) < 0:
            r.problems.append(f"`reminders.{key}` must be 0 (off) or more days")
    if policy.max_emails_per_run < 1:
        r.problems.append("`reminders.max_emails_per_run` must be at least 1")
    for address in policy.escalate_to:
        if not is_email(address):
            r.problems.append(f'`reminders.escalate_to`: "{address}" is not an email address')
    return policy


def _day(r: Reader, key: str) -> date | None:
    """Return a day written as a TOML date (2025-09-01) or a string ("2025-09-01")."""
    value = r.get(key, (date, str), None)
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        r.problems.append(f'`{key}` = "{value}" must be a date like 2025-09-01')
        return None


def _calendar(r: Reader) -> CalendarSettings:
    cal = CalendarSettings(
        country=r.get("calendar.country", str, "RU"),
        extra_holidays=r.strings("calendar.extra_holidays", ()),
        extra_workdays=r.strings("calendar.extra_workdays", ()),
    )
    for key in ("extra_holidays", "extra_workdays"):
        for day in getattr(cal, key):
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                r.problems.append(f'`calendar.{key}`: "{day}" must be a date like "2025-12-31"')
    return cal
