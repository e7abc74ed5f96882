"""The hub's sources: from the settings (`[[hub.sources]]`) and from the staff tab «Источники»
of the summary workbook, merged. Pure.

A source in both lists (the same spreadsheet key, or the same .xlsx file) is one source: the
tab's row wins, and a cell left empty in it takes the settings' value. A row that names neither
a Google spreadsheet nor an .xlsx file, or a source named twice in the tab, is a problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from sheets_sync.inputs.cells import Grid, SourceRef
from sheets_sync.inputs.people import NO, YES
from sheets_sync.inputs.problems import Problems
from sheets_sync.inputs.table import find_table
from sheets_sync.report.tabs import Cell, Tab
from sheets_sync.settings.hub import HubSource, table_kind
from sheets_sync.settings.types import REQUIRED_COLUMNS

GOOGLE_URL = "https://docs.google.com/spreadsheets/d/{key}/edit"
# «Таблица (URL или путь)» takes a spreadsheet's whole address (about 80 characters) in two lines.
SOURCES_WIDTHS = (50, 32, 24, 11, 11)


@dataclass(frozen=True, slots=True)
class Source:
    """One source workbook: where it is, what to call it, its municipality, and whether the hub
    runs its cycle (reminders, generated tabs) or only reads it."""

    identity: str  # "google:<key>" or "xlsx:<absolute path>": the same file is the same source
    kind: Literal["google", "xlsx"]
    location: str  # the spreadsheet's key, or the file's path
    name: str = ""
    municipality: str = ""
    active: bool = True
    read_only: bool = False
    ref: SourceRef | None = None  # its «Таблица» cell in «Источники», when listed there

    @property
    def link(self) -> str:
        """Return where staff open it: the spreadsheet's address, or the file's path."""
        return GOOGLE_URL.format(key=self.location) if self.kind == "google" else self.location


@dataclass(frozen=True, slots=True)
class TabRow:
    """A row of «Источники»: None or "" where the cell is empty."""

    source: Source
    active: bool | None
    read_only: bool | None


def make_source(table: str, root: Path) -> Source | None:
    """Return the source a «Таблица» names (URL, key, or an .xlsx path from `root`), or None."""
    kind, value = table_kind(table)
    if kind == "google":
        return Source(f"google:{value}", "google", value)
    if kind == "xlsx":
        path = Path(value) if Path(value).is_absolute() else root / value
        path = path.resolve()
        return Source(f"xlsx:{path}", "xlsx", str(path))
    return None


def from_settings(entries: Sequence[HubSource], root: Path) -> list[Source]:
    """Return the sources `[[hub.sources]]` names (already checked by the settings loader)."""
    result: dict[str, Source] = {}
    for entry in entries:
        source = make_source(entry.table, root)
        if source is not None and source.identity not in result:
            result[source.identity] = replace(
                source,
                name=entry.name,
                municipality=entry.municipality,
                active=entry.active,
                read_only=entry.read_only,
            )
    return list(result.values())


def _flag(text: str, ref: SourceRef, header: str, problems: Problems) -> bool | None:
    value = text.strip().casefold()
    if not value:
        return None
    if value in YES | NO:
        return value in YES
    problems.at(
        ref, f"«{text}» в столбце «{header}»", "Напишите «да» или «нет» (пусто — как в настройках)."
    )
    return None


def from_tab(
    tab: str, grid: Grid, columns: Mapping[str, Sequence[str]], root: Path, problems: Problems
) -> list[TabRow]:
    """Return the rows of «Источники», each a problem when it cannot be a source."""
    table = find_table(tab, grid, columns, REQUIRED_COLUMNS["sources"], problems)
    if not table.header_row or not table.has("table"):
        return []
    rows: list[TabRow] = []
    seen: dict[str, SourceRef] = {}
    for ref, cells in table.rows():
        text = table.value(cells, "table")
        cell = ref.at(table.columns["table"])
        if not text:
            if any(c.strip() for c in cells):
                problems.at(
                    cell,
                    "строка без таблицы",
                    "Вставьте адрес таблицы Google или путь к файлу .xlsx.",
                )
            continue
        source = make_source(text, root)
        if source is None:
            problems.at(
                cell,
                f"«{text}» — не адрес таблицы Google и не файл .xlsx",
                "Скопируйте адрес таблицы из браузера (https://docs.google.com/spreadsheets/d/…) "
                "или впишите путь к файлу .xlsx на сервере.",
            )
            continue
        if source.identity in seen:
            problems.at(
                cell,
                f"эта таблица уже указана в {seen[source.identity].cell}",
                "Удалите повторную строку: таблица читается один раз.",
            )
            continue
        seen[source.identity] = cell
        flags = {
            key: _flag(
                table.value(cells, key), ref.at(table.columns[key]), columns[key][0], problems
            )
            for key in ("active", "read_only")
            if table.has(key)
        }
        named = replace(
            source,
            name=table.value(cells, "name"),
            municipality=table.value(cells, "municipality"),
            ref=cell,
        )
        rows.append(TabRow(named, flags.get("active"), flags.get("read_only")))
    return rows


def merge(configured: Sequence[Source], rows: Sequence[TabRow]) -> list[Source]:
    """Return the settings' sources then the tab's new ones; a source in both is the tab's row,
    its empty cells filled from the settings."""
    by_identity = {s.identity: s for s in configured}
    for row in rows:
        base = by_identity.get(row.source.identity)
        tab = row.source
        by_identity[tab.identity] = replace(
            tab,
            name=tab.name or (base.name if base else ""),
            municipality=tab.municipality or (base.municipality if base else ""),
            active=_pick(row.active, base.active if base else True),
            read_only=_pick(row.read_only, base.read_only if base else False),
        )
    return list(by_identity.values())


def _pick(cell: bool | None, fallback: bool) -> bool:
    return fallback if cell is None else cell


def sources_header(columns: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Return the header row of a new «Источники» tab."""
    return tuple(columns[f][0] for f in ("table", "name", "municipality", "active", "read_only"))


def sources_tab(name: str, columns: Mapping[str, Sequence[str]]) -> Tab:
    """Return a new «Источники» tab as the hub makes it: its header row alone (bold, grey,
    frozen), its columns sized, printed landscape with every column on one page width."""
    header = tuple(Cell(h, "header") for h in sources_header(columns))
    return Tab(name, (header,), SOURCES_WIDTHS, frozen_rows=1, landscape=True)
