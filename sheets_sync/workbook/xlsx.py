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
import time
from collections.abc import Callable, Sequence
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no lock; the look before the rename still catches most saves
    fcntl = None  # type: ignore[assignment]

import openpyxl
from openpyxl.utils import get_column_letter

from sheets_sync.errors import WorkbookChanged, WorkbookError
from sheets_sync.inputs.cells import CellMark, Grid
from sheets_sync.report.journal import HEADER as JOURNAL_HEADER
from sheets_sync.report.journal import KEYS_COLUMN
from sheets_sync.report.journal import WIDTHS as JOURNAL_WIDTHS
from sheets_sync.report.journal import WRAP as JOURNAL_WRAP
from sheets_sync.report.tabs import Row, Tab
from sheets_sync.settings.types import TabNames
from sheets_sync.workbook import Snapshot, input_tabs

from .merges import spread_merges
from .xlsx_create import add_header_sheet, create_workbook, stamp
from .xlsx_journal import journal_grid
from .xlsx_journal import journal_mark as part_mark
from .xlsx_read import (
    Opened,
    cell_text,
    grid_of,
    open_for_reading,
    read_bytes,
    remove_stale_temp,
    sheet_extras,
)
from .xlsx_save import save_atomically
from .xlsx_sheet import staff_tab
from .xlsx_write import Edit

__all__ = ["XlsxWorkbook", "cell_text", "create_workbook", "save_atomically"]

logger = logging.getLogger(__name__)


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

    def read(
        self, journal_from: int = 1, journal_width: int = 0, journal_mark: str = ""
    ) -> Snapshot:
        """Read the input tabs; the journal from data row `journal_from` on, and not at all
        when its part is still `journal_mark` (`journal_width` is for backends that ask for a
        range: a sheet here is read to its end)."""
        remove_stale_temp(self.path, self.clock())
        opened = open_for_reading(self.path, self.sleep)
        book = opened.cells
        try:
            return self._snapshot(opened, journal_from, journal_mark)
        except (IndexError, KeyError, ValueError) as exc:  # a package openpyxl cannot walk
            raise WorkbookError(
                f"{self.path} is damaged ({exc.__class__.__name__}: {exc}): open it in Excel or "
                "LibreOffice and save it again as Excel Workbook (.xlsx)"
            ) from exc
        finally:
            book.close()

    def _snapshot(self, opened: Opened, journal_from: int, journal_mark: str) -> Snapshot:
        book = opened.cells
        for listed in opened.book.sheets:
            if listed.name in input_tabs(self.names) and not opened.package.has(listed.part):
                raise WorkbookError(
                    f"{self.path} is damaged: the tab «{listed.name}» is listed but has no sheet "
                    "inside. Open the file in Excel or LibreOffice and save it again, or restore "
                    "a copy"
                )
        wanted = set(input_tabs(self.names))
        tabs: dict[str, Grid] = {}
        uncalculated: dict[str, tuple[str, ...]] = {}
        mark = ""
        for ws in book.worksheets:
            if ws.title not in wanted:
                continue
            sheet = opened.book.sheet(ws.title)
            if ws.title == self.names.journal:
                mark = part_mark(opened.package, sheet.part) if sheet else ""
                if not mark or mark != journal_mark:
                    tabs[ws.title] = journal_grid(ws, journal_from)
                continue
            grid = grid_of(ws)
            if sheet and opened.package.has(sheet.part):
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
            journal_from=journal_from,
            journal_mark=mark,
        )

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

    def write(
        self,
        snapshot: Snapshot,
        tabs: Sequence[Tab],
        journal: Sequence[Row],
        *,
        drop_journal_rows: int = 0,
        marks: Sequence[CellMark] = (),
    ) -> None:
        edit = self._edit(snapshot.version)
        edit.check([t.name for t in tabs], self.names.journal)
        edit.put_dates(marks)
        for tab in tabs:
            edit.replace(tab)
        edit.append_journal(
            self.names.journal,
            JOURNAL_HEADER,
            JOURNAL_WIDTHS,
            journal,
            hidden=(KEYS_COLUMN,),
            wrap=JOURNAL_WRAP,
            drop=drop_journal_rows,
        )
        edit.book.ensure_identity()
        save_atomically(edit.save, self.path, edit.version)

    # -- setting up -------------------------------------------------------------------------

    def init(self, headers: dict[str, tuple[str, ...]]) -> list[str]:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            book = openpyxl.Workbook()
            book.remove(book.active)
            for name, header in headers.items():
                journal = name == self.names.journal
                widths = JOURNAL_WIDTHS if journal else ()
                ws = add_header_sheet(book, name, header, widths, landscape=journal)
                if journal:  # the reminder keys: for the program
                    ws.column_dimensions[get_column_letter(KEYS_COLUMN)].hidden = True
            stamp(book)
            save_atomically(book.save, self.path)
            return list(headers)
        edit = self._edit(None)
        missing = [n for n in headers if edit.book.sheet(n) is None]
        edit.check(missing, "")
        for name in missing:
            journal = name == self.names.journal
            edit.add_header_sheet(
                name,
                headers[name],
                JOURNAL_WIDTHS if journal else (),
                (KEYS_COLUMN,) if journal else (),
                landscape=journal,
            )
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
        edit.replace(staff_tab(name, rows, header_row), print_titles=False)  # staff's own
        edit.book.ensure_identity()
        save_atomically(edit.save, self.path, edit.version)
