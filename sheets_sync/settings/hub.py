"""The [hub] section: one summary workbook over many source workbooks (`python run.py hub`), the
sources it names (`[[hub.sources]]`), its tabs and how fast it may ask Google."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .reader import Reader
from .types import WorkbookSettings

_KEY_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_KEY = re.compile(r"^[A-Za-z0-9_-]{10,}$")
SOURCE_KEYS = ("table", "name", "municipality", "active", "read_only")


@dataclass(frozen=True, slots=True)
class HubTabNames:
    """The hub's tabs in its summary workbook: «Источники» is staff's, the rest generated."""

    sources: str = "Источники"
    summary: str = "Сводка по источникам"
    overdue: str = "Просрочено (все)"
    municipalities: str = "Муниципалитеты"
    problems: str = "Проблемы"

    @property
    def generated(self) -> tuple[str, ...]:
        return (self.summary, self.overdue, self.municipalities, self.problems)


@dataclass(frozen=True, slots=True)
class HubSource:
    """A source workbook as `[[hub.sources]]` names it."""

    table: str  # a Google Sheets URL or key, or an .xlsx path
    name: str = ""
    municipality: str = ""
    active: bool = True
    read_only: bool = False  # the hub reads it only: no reminders, no tabs written


@dataclass(frozen=True, slots=True)
class HubSettings:
    """`[hub]`: one summary workbook over many source workbooks."""

    workbook: WorkbookSettings
    sources: tuple[HubSource, ...] = ()
    tabs: HubTabNames = HubTabNames()
    # Google allows 60 read and 60 write requests a minute per user: the hub paces its own
    # under these rates, at most `burst` at once (so at most rate + burst in any minute).
    reads_per_minute: int = 45
    writes_per_minute: int = 45
    burst: int = 10
    due_within_days: int = 14  # «Сводка по источникам»: what falls due this soon


def table_kind(text: str) -> tuple[Literal["google", "xlsx", ""], str]:
    """Return what a «Таблица» names: ("google", key) for a Google Sheets URL or key,
    ("xlsx", path) for an .xlsx file, ("", text) for neither."""
    text = text.strip()
    match = _KEY_IN_URL.search(text)
    if match:
        return "google", match.group(1)
    if text.lower().endswith((".xlsx", ".xlsm")):
        return "xlsx", text
    if _KEY.match(text):
        return "google", text
    return "", text


def read_hub(r: Reader, resolve: Callable[[str], Path]) -> HubSettings | None:
    """Return [hub], or None when it names no summary workbook (nothing else is read then)."""
    d = HubSettings(WorkbookSettings())
    spreadsheet = r.get("hub.spreadsheet", str, "").strip()
    path = r.get("hub.path", str, "").strip()
    backend = r.get("hub.backend", str, "google" if spreadsheet else "xlsx")
    settings = HubSettings(
        WorkbookSettings(),
        sources=_sources(r, resolve),
        tabs=_tabs(r),
        reads_per_minute=r.get("hub.reads_per_minute", int, d.reads_per_minute),
        writes_per_minute=r.get("hub.writes_per_minute", int, d.writes_per_minute),
        burst=r.get("hub.burst", int, d.burst),
        due_within_days=r.get("hub.due_within_days", int, d.due_within_days),
    )
    hub = r.data.get("hub")
    if not isinstance(hub, Mapping) or not (
        {"backend", "spreadsheet", "path", "sources"} & set(hub)
    ):
        return None
    for key in ("reads_per_minute", "writes_per_minute", "burst"):
        if getattr(settings, key) < 1:
            r.problems.append(f"`hub.{key}` must be 1 or more")
    if settings.due_within_days < 0:
        r.problems.append("`hub.due_within_days` must be 0 or more days")
    workbook = _summary_workbook(r, backend, spreadsheet, path, resolve)
    return HubSettings(
        workbook,
        settings.sources,
        settings.tabs,
        settings.reads_per_minute,
        settings.writes_per_minute,
        settings.burst,
        settings.due_within_days,
    )


def _summary_workbook(
    r: Reader, backend: str, spreadsheet: str, path: str, resolve: Callable[[str], Path]
) -> WorkbookSettings:
    if backend not in ("xlsx", "google"):
        r.problems.append(
            f'`hub.backend` = "{backend}": write "google" (a Google spreadsheet) or "xlsx"'
        )
        backend = "xlsx"
    if backend == "google" and not spreadsheet:
        r.problems.append(
            "`hub.spreadsheet` is missing: paste the summary spreadsheet's URL "
            "(https://docs.google.com/spreadsheets/d/...) or its key"
        )
    if backend == "xlsx" and not path.lower().endswith((".xlsx", ".xlsm")):
        r.problems.append(
            f'`hub.path` = "{path}" is not an .xlsx file: name the summary workbook, e.g. '
            'path = "data/region-summary.xlsx" (or give `hub.spreadsheet`)'
        )
    return WorkbookSettings(
        backend=backend,  # type: ignore[arg-type]
        path=resolve(path) if backend == "xlsx" and path else None,
        spreadsheet=spreadsheet or None,
    )


def _tabs(r: Reader) -> HubTabNames:
    defaults = HubTabNames()
    names = {
        k: r.get(f"hub.tabs.{k}", str, getattr(defaults, k)).strip()
        for k in HubTabNames.__dataclass_fields__
    }
    seen: dict[str, str] = {}
    for key, name in names.items():
        if not name:
            r.problems.append(f"`hub.tabs.{key}` is empty: name the tab, or remove the key")
        elif name.casefold() in seen:
            r.problems.append(
                f'`hub.tabs.{key}` and `hub.tabs.{seen[name.casefold()]}` are both "{name}":'
                " every tab needs its own name"
            )
        seen[name.casefold()] = key
    return HubTabNames(**names)


def _sources(r: Reader, resolve: Callable[[str], Path]) -> tuple[HubSource, ...]:
    raw = r.get("hub.sources", list, [], "one [[hub.sources]] table per source")
    result = []
    for number, entry in enumerate(raw, start=1):
        where = f"`hub.sources` #{number}"
        if not isinstance(entry, Mapping):
            r.problems.append(f'{where} must be a table: table = "...", name = "..."')
            continue
        source = _source(entry, where, r.problems, resolve)
        if source is not None:
            result.append(source)
    return tuple(result)


def _source(
    entry: Mapping[str, Any], where: str, problems: list[str], resolve: Callable[[str], Path]
) -> HubSource | None:
    for key in entry:
        if key not in SOURCE_KEYS:
            problems.append(
                f"{where}: unknown key `{key}`; a source takes {', '.join(SOURCE_KEYS)}"
            )
    types = {"table": str, "name": str, "municipality": str, "active": bool, "read_only": bool}
    for key, type_ in types.items():
        if key in entry and not isinstance(entry[key], type_):
            wanted = "a string" if type_ is str else "true or false"
            problems.append(f"{where}: `{key}` must be {wanted}")
            return None
    table = str(entry.get("table", "")).strip()
    kind, value = table_kind(table)
    if not kind:
        problems.append(
            f'{where}: `table` = "{table}" is neither a Google Sheets URL or key nor an .xlsx '
            "path: paste the spreadsheet's address, or name the .xlsx file"
        )
        return None
    return HubSource(
        table=str(resolve(value)) if kind == "xlsx" else table,
        name=str(entry.get("name", "")).strip(),
        municipality=str(entry.get("municipality", "")).strip(),
        active=bool(entry.get("active", True)),
        read_only=bool(entry.get("read_only", False)),
    )


def uses_google(hub: HubSettings | None) -> bool:
    """Return whether the hub talks to Google as configured (its summary or a source)."""
    if hub is None:
        return False
    return hub.workbook.backend == "google" or any(
        table_kind(s.table)[0] == "google" for s in hub.sources
    )


def check_summary(problems: list[str], hub: HubSettings | None, workbook: WorkbookSettings) -> None:
    """Refuse a summary that is the `[workbook]` roadmap itself: the hub's «Проблемы» would
    replace the roadmap's own."""
    if hub is None or hub.workbook.backend != workbook.backend:
        return
    if workbook.backend == "google":
        same = table_kind(hub.workbook.spreadsheet or "") == table_kind(workbook.spreadsheet or "")
    else:
        same = hub.workbook.path is not None and hub.workbook.path == workbook.path
    if same:
        problems.append(
            "`hub` names the `workbook` roadmap as its summary: give the hub a workbook of its "
            "own (list the roadmap among `hub.sources` to include it)"
        )
