"""Workbook backends behind one small interface: `xlsx` (openpyxl) and `google` (gspread).

A backend reads every input tab (and the journal, from a given row) in one pass as the texts a
person sees, and writes the generated tabs it is given plus the new journal rows. It never
writes a cell of a staff tab. How atomic a write is depends on the backend: an .xlsx file is
replaced whole or not at all; a Google write is one batchUpdate, or, past Google's 10 MB per
request, as few batchUpdates as stay under it, each applied whole and in order (the
journal rows first), so a failure part-way leaves the journal complete and a generated tab
short until the next cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sheets_sync.inputs.cells import CellMark, Grid
from sheets_sync.report.tabs import Row, Tab
from sheets_sync.settings.types import Settings, TabNames


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """A tab's id and grid size (what a Google write needs to address it)."""

    sheet_id: int
    rows: int
    cols: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The input tabs as read, and a token to detect a change before writing."""

    title: str
    tabs: dict[str, Grid]
    version: str
    url: str = ""
    all_tabs: tuple[str, ...] = field(default=())
    sheets: dict[str, SheetInfo] = field(default_factory=dict)
    # A stable identity of the workbook, the same wherever it is kept: the spreadsheet's key,
    # or an id stored inside the .xlsx file. "" when the backend has none yet.
    identity: str = ""
    # Formula cells that hold no computed value (a file written by a program that does not
    # calculate): tab -> their A1 refs. They read as empty; the inputs report each tab's in
    # «Проблемы» with the fix (open and save the file in Excel or LibreOffice). Google always
    # computes, so its backend leaves this empty.
    uncalculated: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The journal's first data row in tabs[journal][1:] (1: the whole tab was read; n: data
    # rows 1 .. n-1, the tab's rows 2 .. n, were skipped). tabs[journal][0] is the header.
    journal_from: int = 1
    # A fingerprint of the journal as stored ("" when the backend has none): when the caller
    # passes the one it saw last and nothing changed, the journal is not read (tabs lack it).
    journal_mark: str = ""


class Workbook(Protocol):
    label: str

    def read(
        self, journal_from: int = 1, journal_width: int = 0, journal_mark: str = ""
    ) -> Snapshot:
        """Return every input tab and the journal, in one read: the journal's header row and
        its data rows from `journal_from` on (the caller knows the rows before it), at least
        `journal_width` columns of them. A backend may read more (snapshot.journal_from). If
        the journal's fingerprint is still `journal_mark`, the journal is not read at all."""
        ...

    def write(
        self,
        snapshot: Snapshot,
        tabs: Sequence[Tab],
        journal: Sequence[Row],
        *,
        drop_journal_rows: int = 0,
        marks: Sequence[CellMark] = (),
    ) -> None:
        """Replace the tabs given (other generated tabs stay as they are), remove the first
        `drop_journal_rows` data rows of the journal (archived by the caller), append
        `journal` rows, each journal row at most once however often the write is retried, and
        write each date of `marks` into its staff cell if that cell is still empty.

        Raises WorkbookChanged if the workbook changed since `snapshot` was read in a way the
        write cannot stand: an .xlsx file saved by someone else (the write would overwrite it),
        a generated tab added to a spreadsheet by another run (Google's write touches only
        generated tabs, so what people type meanwhile is never overwritten)."""
        ...

    def init(self, headers: dict[str, tuple[str, ...]]) -> list[str]:
        """Add each missing input tab with its header row; return the tabs added."""
        ...

    def extend(
        self,
        snapshot: Snapshot,
        tab: str,
        header_row: int,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
    ) -> None:
        """Append `headers` right of `tab`'s header row and `rows` below its last row; move
        and rewrite nothing."""
        ...

    def put_tab(
        self, snapshot: Snapshot, name: str, rows: Sequence[Sequence[str]], header_row: int
    ) -> None:
        """Make the staff tab `name` hold exactly `rows` (the import's one write to a staff
        tab), adding it if missing: row `header_row` is the header, the rows down to it stay
        in view. Every other tab stays as it is."""
        ...


def input_tabs(names: TabNames) -> tuple[str, ...]:
    """Return the tabs a cycle reads: the staff tabs and the journal."""
    return (*names.inputs, names.journal)


def open_workbook(settings: Settings) -> Workbook:
    """Return the configured workbook backend."""
    if settings.workbook.backend == "google":
        from .google import GoogleWorkbook  # imported lazily: gspread is slow to import

        return GoogleWorkbook(settings)
    from .xlsx import XlsxWorkbook

    assert settings.workbook.path is not None
    return XlsxWorkbook(settings.workbook.path, settings.tabs)
