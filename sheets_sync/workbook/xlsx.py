"""A local .xlsx workbook through openpyxl: the embedded default backend.

Reading takes the texts a person sees (dates as ДД.ММ.ГГГГ, cached formula results). Writing
loads the whole workbook, replaces only the generated tabs, appends to the journal, and saves
atomically: a temporary file in the same folder, fsync, then rename over the original. If the
file changed on disk since it was read (someone saved it meanwhile), nothing is written and
WorkbookChanged is raised so the cycle reads again and recomputes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

try:
    import fcntl
except ImportError:  # Windows: no lock; the look before the rename still catches most saves
    fcntl = None  # type: ignore[assignment]

import openpyxl
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.errors import WorkbookChanged, WorkbookError
from sheets_sync.inputs.cells import Grid
from sheets_sync.report.journal import HEADER as JOURNAL_HEADER
from sheets_sync.report.journal import KEYS_COLUMN
from sheets_sync.report.journal import WIDTHS as JOURNAL_WIDTHS
from sheets_sync.report.tabs import STYLES, Row, Tab
from sheets_sync.settings.types import TabNames
from sheets_sync.wording import text_of
from sheets_sync.workbook import Snapshot, input_tabs

logger = logging.getLogger(__name__)

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"


def cell_text(value: Any, number_format: str = "General") -> str:
    """Return a cell's value as the text a person sees in the sheet (a date-time shows its time
    only when the cell's format does)."""
    fmt = number_format.lower()
    return text_of(value, time_shown="h" in fmt or "ss" in fmt)


class XlsxWorkbook:
    """The workbook backend for a local .xlsx file."""

    def __init__(self, path: Path, names: TabNames) -> None:
        self.path = path
        self.names = names
        self.label = str(path)
        self._styles: dict[str, tuple[PatternFill | None, Font | None]] = {}

    # -- reading ----------------------------------------------------------------------------

    def _load_bytes(self) -> tuple[bytes, str]:
        if not self.path.is_file():
            raise WorkbookError(
                f"there is no workbook at {self.path}: fix `workbook.path` in the config, or "
                "create one with `python run.py init`"
            )
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise WorkbookError(f"cannot read {self.path}: {exc.strerror}") from exc
        return data, _version(self.path, data)

    def read(
        self, journal_from: int = 1, journal_width: int = 0, journal_mark: str = ""
    ) -> Snapshot:
        data, version = self._load_bytes()
        book = _open(data, self.path, read_only=True, data_only=True)
        mark = ""
        try:
            wanted = set(input_tabs(self.names))
            tabs: dict[str, Grid] = {}
            for ws in book.worksheets:
                if ws.title == self.names.journal:
                    mark = _mark(ws)
                    if not mark or mark != journal_mark:
                        tabs[ws.title] = _journal_grid(ws, journal_from)
                elif ws.title in wanted:
                    tabs[ws.title] = _grid(ws)
            title = book.properties.title or self.path.stem
            return Snapshot(
                title=title,
                tabs=tabs,
                version=version,
                url="",
                all_tabs=tuple(book.sheetnames),
                journal_from=journal_from,
                journal_mark=mark,
            )
        finally:
            book.close()

    # -- writing ----------------------------------------------------------------------------

    def write(
        self,
        snapshot: Snapshot,
        tabs: Sequence[Tab],
        journal: Sequence[Row],
        *,
        drop_journal_rows: int = 0,
    ) -> None:
        data, version = self._load_bytes()
        if version != snapshot.version:
            raise WorkbookChanged(f"{self.path} was saved by someone else after it was read")
        _refuse_lossy(data, self.path)
        # The generated tabs are replaced whole: don't spend time parsing last run's copies.
        book = _open(
            _blank_sheets(data, {t.name for t in tabs}), self.path, read_only=False, data_only=False
        )
        for tab in tabs:
            self._replace(book, tab)
        self._append_journal(book, journal, drop_journal_rows)
        self._save(book, snapshot.version)

    def _replace(self, book: openpyxl.Workbook, tab: Tab) -> None:
        if tab.name in book.sheetnames:
            index = book.sheetnames.index(tab.name)
            book.remove(book[tab.name])
            ws = book.create_sheet(tab.name, index)
        else:
            ws = book.create_sheet(tab.name)
        wrap = set(tab.wrap)
        for r, cells in enumerate(tab.rows, start=1):
            ws.append([_value(c.value) for c in cells])
            lines = 1
            for c, cell in enumerate(cells, start=1):
                if cell.style or _needs_care(cell.value):
                    self._style(ws.cell(r, c), cell.style, cell.value)
                wrapped = STYLES[cell.style].wrap or "\n" in str(cell.value or "")
                if c in wrap and isinstance(cell.value, str) and len(cell.value) > 40:
                    ws.cell(r, c).alignment = _WRAP
                    wrapped = True
                if wrapped:
                    width = tab.widths[c - 1] if c <= len(tab.widths) else 10
                    lines = max(lines, _lines(text_of(cell.value), width))
            if lines > 1:  # Excel and LibreOffice don't grow rows that a file leaves unsized
                ws.row_dimensions[r].height = min(15 * lines, 400)
                for c in range(1, len(cells) + 1):
                    if not ws.cell(r, c).alignment.wrap_text:
                        ws.cell(r, c).alignment = _TOP
        for i, width in enumerate(tab.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if tab.frozen_rows:
            ws.freeze_panes = ws.cell(tab.frozen_rows + 1, 1)

    def _append_journal(
        self, book: openpyxl.Workbook, journal: Sequence[Row], drop: int = 0
    ) -> None:
        name = self.names.journal
        if name not in book.sheetnames:
            self._add_header_sheet(book, name, JOURNAL_HEADER, JOURNAL_WIDTHS)
        ws = book[name]
        if drop:
            ws.delete_rows(2, drop)  # archived by the caller
        start = _last_row(ws) + 1
        for offset, cells in enumerate(journal):
            for c, cell in enumerate(cells, start=1):
                target = ws.cell(start + offset, c, _value(cell.value))
                if cell.style or _needs_care(cell.value):
                    self._style(target, cell.style, cell.value)

    def _add_header_sheet(
        self, book: openpyxl.Workbook, name: str, header: Sequence[str], widths: Sequence[int]
    ) -> None:
        """Add a tab whose first row is `header` (bold, grey, frozen), its columns sized."""
        ws = book.create_sheet(name)
        ws.append(list(header))
        for c in range(1, len(header) + 1):
            self._style(ws.cell(1, c), "header", None)
            width = widths[c - 1] if c <= len(widths) else max(12, len(header[c - 1]) + 4)
            ws.column_dimensions[get_column_letter(c)].width = width
        if name == self.names.journal:  # the reminder keys: for the program, out of sight
            ws.column_dimensions[get_column_letter(KEYS_COLUMN)].hidden = True
        ws.freeze_panes = "A2"

    def _style(self, cell: XlCell, style: str, value: Any) -> None:
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # staff text stays text: never a formula
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        if isinstance(value, str) and "\n" in value:
            cell.alignment = _WRAP
        if not style:
            return
        if style not in self._styles:
            spec = STYLES[style]
            fill = PatternFill("solid", fgColor=spec.fill) if spec.fill else None
            font = (
                Font(bold=spec.bold, color=spec.color or None, size=spec.size or None)
                if spec.bold or spec.color or spec.size
                else None
            )
            self._styles[style] = (fill, font)
        fill, font = self._styles[style]
        if fill:
            cell.fill = fill
        if font:
            cell.font = font
        if STYLES[style].wrap:
            cell.alignment = _WRAP

    def _save(self, book: openpyxl.Workbook, version: str | None) -> None:
        save_atomically(book, self.path, version)

    # -- setting up -------------------------------------------------------------------------

    def init(self, headers: dict[str, tuple[str, ...]]) -> list[str]:
        if self.path.exists():
            data, version = self._load_bytes()
            _refuse_lossy(data, self.path)
            book = _open(data, self.path, read_only=False, data_only=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            book, version = openpyxl.Workbook(), ""
            book.remove(book.active)
        added = []
        for name, header in headers.items():
            if name in book.sheetnames:
                continue
            widths = JOURNAL_WIDTHS if name == self.names.journal else ()
            self._add_header_sheet(book, name, header, widths)
            added.append(name)
        if added:
            self._save(book, version or None)
        return added

    def extend(
        self,
        snapshot: Snapshot,
        tab: str,
        header_row: int,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
    ) -> None:
        data, version = self._load_bytes()
        if version != snapshot.version:
            raise WorkbookChanged(f"{self.path} was saved by someone else after it was read")
        _refuse_lossy(data, self.path)
        book = _open(data, self.path, read_only=False, data_only=False)
        ws = book[tab]
        grid = snapshot.tabs.get(tab, [])
        width = max((len(r) for r in grid[:header_row]), default=0)
        for offset, header in enumerate(headers, start=1):
            cell = ws.cell(header_row, width + offset, header)
            self._style(cell, "header", header)
            ws.column_dimensions[get_column_letter(width + offset)].width = max(14, len(header) + 2)
        start = max(len(grid), header_row) + 1
        for r, values in enumerate(rows):
            for c, value in enumerate(values, start=1):
                if value:
                    self._style(ws.cell(start + r, c, value), "", value)
        self._save(book, version)


_WRAP = Alignment(wrap_text=True, vertical="top")


_TOP = Alignment(vertical="top")


def _lines(text: str, width: int) -> int:
    """Return about how many lines `text` takes in a column `width` characters wide (capitals
    are wider than the average character a column width counts)."""
    usable = max(width - 2, 4)
    lines = 0
    for part in text.split("\n"):
        size = len(part) + 0.3 * sum(1 for ch in part if ch.isupper())
        lines += max(1, -(-int(size) // usable))
    return lines


def _needs_care(value: Any) -> bool:
    """Return whether a cell value needs more than its value: a date format, wrapping, or to be
    kept as text though it starts with "="."""
    if isinstance(value, str):
        return value.startswith("=") or "\n" in value
    return isinstance(value, date)


def _version(path: Path, data: bytes) -> str:
    st = path.stat()
    return f"{st.st_mtime_ns}:{st.st_size}:{hashlib.sha256(data).hexdigest()}"


def _open(data: bytes, path: Path, *, read_only: bool, data_only: bool) -> openpyxl.Workbook:
    try:
        return openpyxl.load_workbook(
            io.BytesIO(data),
            read_only=read_only,
            data_only=data_only,
            rich_text=not read_only,
            keep_vba=path.suffix.lower() == ".xlsm",
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise WorkbookError(
            f"{path} is not a readable .xlsx workbook ({exc.__class__.__name__}): open it in "
            "Excel or LibreOffice and save it as Excel Workbook (.xlsx)"
        ) from exc


def save_atomically(book: openpyxl.Workbook, path: Path, version: str | None = None) -> None:
    """Save `book` over `path` all or nothing: a temporary file beside it, fsync, rename. With
    `version`, refuse (WorkbookChanged) if the file on disk is no longer that version."""
    # A name of its own: two runs saving at once must not write into the same file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.sheets-sync.tmp")
    try:
        with open(tmp, "wb") as fh:
            book.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _replace_unless_changed(tmp, path, version)
        _fsync_dir(path.parent)
    except OSError as exc:
        raise WorkbookError(
            f"cannot save {path}: {exc.strerror}. If the file is open in Excel, close it and "
            "run again"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("Saved %s", path)


def _replace_unless_changed(tmp: Path, path: Path, version: str | None) -> None:
    """Rename `tmp` over `path` unless `path` is no longer `version` (a save by someone else
    since our read wins). For sheets_sync runs the look and the rename are one step: each holds
    an OS lock on the workbook file meanwhile (the file itself: nothing is left beside it; a
    run that waited finds the file replaced, and its look fails)."""
    if version is None or not path.exists():
        os.replace(tmp, path)
        return
    with open(path, "rb") as held:
        if fcntl is not None:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        if _version(path, path.read_bytes()) != version:
            raise WorkbookChanged(f"{path} was saved by someone else while writing")
        os.replace(tmp, path)


_EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _blank_sheets(data: bytes, names: set[str]) -> bytes:
    """Return the workbook bytes with the sheets named `names` emptied (they are rewritten)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
        parts = set()
        for sheet in book.findall("m:sheets/m:sheet", _NS):
            if sheet.get("name") in names:
                target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
                parts.add(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
        if not parts:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in z.infolist():
                copy.writestr(item, _EMPTY_SHEET if item.filename in parts else z.read(item))
        return out.getvalue()


def _refuse_lossy(data: bytes, path: Path) -> None:
    """Refuse to rewrite a workbook whose drawings openpyxl would silently drop."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/drawings/") and name.endswith(".xml"):
                text = z.read(name)
                if b"<xdr:sp>" in text or b"<xdr:sp " in text or b"<xdr:grpSp" in text:
                    raise WorkbookError(
                        f"{path} holds shapes or text boxes ({name}) that would be lost when "
                        "the summary tabs are saved: move them to another file, or use Google "
                        'Sheets (workbook.backend = "google")'
                    )


def _journal_grid(ws: Worksheet, start: int) -> Grid:
    """Return the journal's header row and its data rows from `start` on: the rows before are
    skipped in the sheet's XML without being parsed (a year of rows costs nothing then)."""
    if start <= 1:
        return _grid(ws)
    source = _tail(ws, start) or ws
    header = [
        cell_text(c.value, getattr(c, "number_format", "General") or "General")
        for row in source.iter_rows(max_row=1)
        for c in row
    ]
    grid: Grid = [header]
    for row in source.iter_rows(min_row=start + 1):
        grid.append(
            [cell_text(c.value, getattr(c, "number_format", "General") or "General") for c in row]
        )
    while len(grid) > 1 and not any(grid[-1]):
        grid.pop()
    for r in grid:
        while r and not r[-1]:
            r.pop()
    return grid


def _mark(ws: Any) -> str:
    """Return the journal sheet's CRC-32 and sizes from the package's directory (nothing is
    inflated): the same sheet gives the same mark, so an unchanged journal is not read."""
    try:
        info = ws.parent._archive.getinfo(ws._worksheet_path)
    except (AttributeError, KeyError):
        return ""
    return f"{info.CRC:08x}:{info.file_size}:{info.compress_size}"


class _Rows(ReadOnlyWorksheet):  # type: ignore[misc]
    """A read-only sheet over given XML: the header row and the rows from some row on."""

    def __init__(self, ws: Any, xml: bytes) -> None:
        self._xml = xml
        super().__init__(ws.parent, ws.title, ws._worksheet_path, ws._shared_strings)

    def _get_source(self) -> io.BytesIO:
        return io.BytesIO(self._xml)


def _tail(ws: Any, start: int) -> Any:
    """Return the journal sheet cut to its header row and its rows from data row `start` on,
    found in the sheet's XML by their `r` attribute, or None when they cannot be (the caller
    then parses the whole sheet)."""
    try:
        xml = ws.parent._archive.read(ws._worksheet_path)
    except (AttributeError, KeyError, OSError):
        return None
    first = xml.find(b'<row r="1"')
    begin = xml.find(b'<row r="%d"' % (start + 1))
    end = xml.rfind(b"</sheetData>")
    root = xml.find(b">", xml.find(b"<worksheet"))
    if min(first, begin, end, root) < 0 or not root < first < begin < end:
        return None
    close = xml.find(b">", first)
    header_end = close + 1 if xml[close - 1 : close] == b"/" else xml.find(b"</row>", first) + 6
    return _Rows(
        ws,
        xml[: root + 1]
        + b"<sheetData>"
        + xml[first:header_end]
        + xml[begin:end]
        + b"</sheetData></worksheet>",
    )


def _grid(ws: Worksheet) -> Grid:
    grid: Grid = []
    for row in ws.iter_rows():
        grid.append(
            [cell_text(c.value, getattr(c, "number_format", "General") or "General") for c in row]
        )
    while grid and not any(grid[-1]):
        grid.pop()
    for r in grid:
        while r and not r[-1]:
            r.pop()
    return grid


def _value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: local wall time
    if isinstance(value, str) and len(value) > 32767:
        return value[:32760] + " […]"  # Excel's limit per cell
    return value


def _last_row(ws: Worksheet) -> int:
    for r in range(ws.max_row, 0, -1):
        if any(ws.cell(r, c).value not in (None, "") for c in range(1, ws.max_column + 1)):
            return r
    return 0


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on Windows; the rename is still atomic
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(book, path)
