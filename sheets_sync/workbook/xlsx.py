"""A local .xlsx workbook: the embedded default backend.

Reading takes the texts a person sees (dates as ДД.ММ.ГГГГ, cached formula results, a value
merged over several rows on each of them) through openpyxl. Writing never loads the workbook
into openpyxl: it edits the package, writing the generated sheets afresh, appending the journal
rows to the journal sheet and adding their cell formats to styles.xml; every other part (the
staff tabs, their pictures, charts, comments, dropdowns, defined names) is copied as stored,
byte for byte. The save is atomic: a temporary file in the same folder, fsync, then a rename
over the original. If the file changed on disk since it was read (someone saved it meanwhile),
nothing is written and WorkbookChanged is raised so the cycle reads again and recomputes.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sheets_sync.errors import WorkbookChanged, WorkbookError
from sheets_sync.inputs.cells import Grid
from sheets_sync.report.journal import HEADER as JOURNAL_HEADER
from sheets_sync.report.journal import WIDTHS as JOURNAL_WIDTHS
from sheets_sync.report.tabs import STYLES, Row, Tab
from sheets_sync.settings.types import TabNames
from sheets_sync.wording import text_of
from sheets_sync.workbook import Snapshot, input_tabs

from .merges import spread_merges
from .xlsx_book import IDENTITY_PROPERTY
from .xlsx_read import (
    cell_text,
    grid_of,
    open_for_reading,
    read_bytes,
    remove_stale_temp,
    sheet_extras,
    temp_path,
    version_of,
)
from .xlsx_sheet import staff_tab
from .xlsx_write import Edit

__all__ = ["XlsxWorkbook", "cell_text", "create_workbook", "save_atomically"]

logger = logging.getLogger(__name__)

DATE_FORMAT = "DD.MM.YYYY"


class XlsxWorkbook:
    """The workbook backend for a local .xlsx file."""

    def __init__(
        self,
        path: Path,
        names: TabNames,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.names = names
        self.label = str(path)
        self.sleep, self.clock = sleep, clock

    # -- reading ----------------------------------------------------------------------------

    def read(self) -> Snapshot:
        remove_stale_temp(self.path, self.clock())
        opened = open_for_reading(self.path, self.sleep)
        book = opened.cells
        try:
            wanted = set(input_tabs(self.names))
            tabs: dict[str, Grid] = {}
            uncalculated: dict[str, tuple[str, ...]] = {}
            for ws in book.worksheets:
                if ws.title not in wanted:
                    continue
                grid = grid_of(ws)
                sheet = opened.book.sheet(ws.title)
                if ws.title != self.names.journal and sheet and opened.package.has(sheet.part):
                    extras = sheet_extras(opened.package.read(sheet.part))
                    grid = spread_merges(grid, extras.merges)
                    if extras.uncalculated:
                        uncalculated[ws.title] = extras.uncalculated
                tabs[ws.title] = grid
            title = book.properties.title or self.path.stem
            return Snapshot(
                title=title,
                tabs=tabs,
                version=opened.version,
                url="",
                all_tabs=tuple(book.sheetnames),
                identity=opened.book.identity(),
                uncalculated=uncalculated,
            )
        finally:
            book.close()

    # -- writing ----------------------------------------------------------------------------

    def _edit(self, version: str | None) -> Edit:
        data, found = read_bytes(self.path)
        if version is not None and found != version:
            raise WorkbookChanged(f"{self.path} was saved by someone else after it was read")
        try:
            return Edit(data, found, self.path)
        except WorkbookError:
            raise
        except Exception as exc:
            raise WorkbookError(
                f"{self.path} is not a readable .xlsx workbook ({exc.__class__.__name__}): "
                "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)"
            ) from exc

    def write(self, snapshot: Snapshot, tabs: Sequence[Tab], journal: Sequence[Row]) -> None:
        edit = self._edit(snapshot.version)
        edit.check([t.name for t in tabs], self.names.journal)
        for tab in tabs:
            edit.replace(tab)
        edit.append_journal(self.names.journal, JOURNAL_HEADER, JOURNAL_WIDTHS, journal)
        edit.book.ensure_identity()
        save_atomically(edit.save, self.path, edit.version)

    # -- setting up -------------------------------------------------------------------------

    def init(self, headers: dict[str, tuple[str, ...]]) -> list[str]:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            book = openpyxl.Workbook()
            book.remove(book.active)
            for name, header in headers.items():
                widths = JOURNAL_WIDTHS if name == self.names.journal else ()
                _add_header_sheet(book, name, header, widths)
            _stamp(book)
            save_atomically(book.save, self.path)
            return list(headers)
        edit = self._edit(None)
        missing = [n for n in headers if edit.book.sheet(n) is None]
        edit.check(missing, "")
        for name in missing:
            widths = JOURNAL_WIDTHS if name == self.names.journal else ()
            edit.add_header_sheet(name, headers[name], widths)
        if missing or not edit.book.identity():
            edit.book.ensure_identity()
            save_atomically(edit.save, self.path, edit.version)
        return missing

    def extend(
        self,
        snapshot: Snapshot,
        tab: str,
        header_row: int,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
    ) -> None:
        edit = self._edit(snapshot.version)
        grid = snapshot.tabs.get(tab, [])
        width = max((len(r) for r in grid[:header_row]), default=0)
        start = max(len(grid), header_row) + 1
        edit.extend(tab, header_row, width, headers, start, rows)
        edit.book.ensure_identity()
        save_atomically(edit.save, self.path, edit.version)

    def put_tab(
        self, snapshot: Snapshot, name: str, rows: Sequence[Sequence[str]], header_row: int
    ) -> None:
        """Rewrite (or add) the staff tab `name` by editing the package, as a write does: the
        other sheets' parts are copied byte for byte. Saved atomically."""
        edit = self._edit(snapshot.version)
        edit.check([name], "")
        edit.replace(staff_tab(name, rows, header_row))
        edit.book.ensure_identity()
        save_atomically(edit.save, self.path, edit.version)


def save_atomically(
    write: Callable[[BinaryIO], None], path: Path, version: str | None = None
) -> None:
    """Save over `path` all or nothing: `write` fills a temporary file beside it, fsync, rename.
    With `version`, refuse (WorkbookChanged) if the file on disk is no longer that version."""
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        # The last look before the rename: a save by someone else since our read wins.
        if version is not None and version_of(path, path.read_bytes()) != version:
            raise WorkbookChanged(f"{path} was saved by someone else while writing")
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        raise WorkbookError(
            f"cannot save {path}: {exc.strerror}. If the file is open in Excel, close it and "
            "run again"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("Saved %s", path)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on Windows; the rename is still atomic
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stamp(book: openpyxl.Workbook) -> None:
    """Give a new workbook its stored identity."""
    import uuid

    book.custom_doc_props.append(StringProperty(name=IDENTITY_PROPERTY, value=str(uuid.uuid4())))


def _add_header_sheet(
    book: openpyxl.Workbook, name: str, header: Sequence[str], widths: Sequence[int]
) -> None:
    """Add a tab whose first row is `header` (bold, grey, frozen), its columns sized."""
    ws = book.create_sheet(name)
    ws.append(list(header))
    spec = STYLES["header"]
    for c in range(1, len(header) + 1):
        cell = ws.cell(1, c)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=spec.fill)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = widths[c - 1] if c <= len(widths) else max(12, len(header[c - 1]) + 4)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"


def create_workbook(
    path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Any]], int]], *, title: str = ""
) -> None:
    """Write a new staff-style workbook: for each (tab, rows, header_row) the rows as given
    (dates as date cells), the header row bold and grey, text wrapped, columns sized."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    if title:
        book.properties.title = title
    header_fill = PatternFill("solid", fgColor=STYLES["header"].fill)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, rows, header_row in sheets:
        ws = book.create_sheet(name)
        widths: dict[int, int] = {}
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                if r == header_row:
                    cell.font, cell.fill = Font(bold=True), header_fill
                cell.alignment = wrap
                if r >= header_row:
                    widths[c] = max(widths.get(c, 8), min(len(text_of(value)) + 2, 60))
        for c, width in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = width
        if header_row and rows and len(rows[0]) == 1 and header_row > 1:
            ws.cell(1, 1).font = Font(bold=True, size=13)
            ws.cell(1, 1).alignment = Alignment(wrap_text=False)
        if header_row:
            ws.freeze_panes = ws.cell(header_row + 1, 1)
    _stamp(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(book.save, path)
