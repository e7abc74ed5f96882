"""The hub's summary workbook, in either backend: one staff tab read («Источники»), the hub's
generated tabs written, nothing else touched. No journal: the hub sends nothing itself."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sheets_sync.inputs.cells import Grid
from sheets_sync.report.tabs import Tab
from sheets_sync.settings.types import Settings, TabNames

from . import SheetInfo
from .xlsx import XlsxWorkbook, save_atomically
from .xlsx_read import grid_of, open_for_reading, read_bytes


@dataclass(frozen=True, slots=True)
class TabsRead:
    """The staff tab as read (None when the workbook has no such tab), and what a write needs:
    the sheets (Google) or the file's version (.xlsx)."""

    grid: Grid | None
    sheets: dict[str, SheetInfo] = field(default_factory=dict)
    url: str = ""
    version: str = ""


class SummaryBook(Protocol):
    label: str

    def read_tab(self, name: str, marks: Sequence[str]) -> TabsRead:
        """Return the staff tab `name`; `marks` are the tabs a later write replaces."""
        ...

    def write_tabs(self, read: TabsRead, tabs: Sequence[Tab], staff: Tab | None) -> None:
        """Replace `tabs`, adding the staff tab `staff` (its header row, its columns' widths,
        its page setup) if it is missing."""
        ...


class XlsxSummary(XlsxWorkbook):
    """The summary as a local .xlsx file, made with its staff tab when it does not exist."""

    def read_tab(self, name: str, marks: Sequence[str]) -> TabsRead:
        if not self.path.exists():
            return TabsRead(None)
        opened = open_for_reading(self.path, self.sleep)
        try:
            sheet = opened.cells[name] if name in opened.cells.sheetnames else None
            grid = grid_of(sheet) if sheet is not None else None
        finally:
            opened.cells.close()
        return TabsRead(grid, version=opened.version)

    def write_tabs(self, read: TabsRead, tabs: Sequence[Tab], staff: Tab | None) -> None:
        fresh = not read.version and not self.path.exists()
        if fresh:  # a first run makes the file
            self.init({staff.name: header_of(staff)} if staff else {})
            read = TabsRead(None, version=read_bytes(self.path)[1])
        edit = self._edit(read.version)
        edit.check([t.name for t in tabs] + ([staff.name] if staff else []), "")
        if staff is not None and (fresh or edit.book.sheet(staff.name) is None):
            edit.replace(staff)  # a new tab: only its header row, nothing of staff's yet
        for tab in tabs:
            edit.replace(tab)
        edit.book.ensure_identity()
        save_atomically(edit.save, self.path, edit.version)


def header_of(tab: Tab) -> tuple[str, ...]:
    """Return the texts of a tab's first row."""
    return tuple(str(c.value or "") for c in tab.rows[0]) if tab.rows else ()


def open_summary(settings: Settings) -> SummaryBook:
    """Return the hub's summary workbook (`settings.hub.workbook`)."""
    assert settings.hub is not None
    book = settings.hub.workbook
    if book.backend == "google":
        from dataclasses import replace

        from .hub_google import HubGoogleWorkbook  # gspread is slow to import

        return HubGoogleWorkbook(replace(settings, workbook=book))
    assert book.path is not None
    return XlsxSummary(book.path, TabNames(), sleep=time.sleep)
