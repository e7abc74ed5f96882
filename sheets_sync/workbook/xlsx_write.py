"""One write to an .xlsx package: generated sheets replaced, journal rows appended, header tabs
added, `sync` columns and rows put in; all else carried over as stored."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from sheets_sync.errors import WorkbookError
from sheets_sync.inputs.cells import CellMark
from sheets_sync.report.tabs import Row, Tab

from .xlsx_book import Book
from .xlsx_package import DOC_REL, Package
from .xlsx_rows import SheetEdit
from .xlsx_sheet import DATE_FORMAT, SheetWriter, header_tab
from .xlsx_styles import STYLES_TYPE, Styles

STYLES_REL = f"{DOC_REL}/styles"
LEVEL = 6  # deflate level of the sheets written
JOURNAL_LEVEL = 1  # the journal grows to tens of megabytes: deflate it fast (3x, 1.2x larger)
_KINDS = {
    "chartsheet": "a chart sheet",
    "dialogsheet": "a dialog sheet",
    "macrosheet": "a macro sheet",
}


class Edit:
    """The package of one .xlsx file being changed, and the version of the file it came from."""

    def __init__(self, data: bytes, version: str, path: Path) -> None:
        self.path = path
        self.version = version
        self.package = Package(data)
        self.book = Book(self.package)
        rel = next((r for r in self.package.rels(self.book.part) if r.type == STYLES_REL), None)
        self.styles_part = rel.target if rel and self.package.has(rel.target) else ""
        self.styles = Styles(self.package.read(self.styles_part) if self.styles_part else None)
        self.writer = SheetWriter(self.styles, date1904=self.book.date1904)

    def check(self, names: Sequence[str], journal: str) -> None:
        """Refuse, before anything is written, a write that would lose a staff tab: a chart
        sheet under a generated tab's name, or a tab whose name differs only in case."""
        for name in [*names, journal] if journal else names:
            sheet = self.book.sheet(name)
            if sheet is not None and sheet.kind != "worksheet":
                what = _KINDS.get(sheet.kind, f"a {sheet.kind or 'broken'} sheet")
                raise WorkbookError(
                    f"nothing was written: the tab «{name}» in {self.path} is {what}, and the "
                    "service would replace it with its own table. Rename that tab (or name "
                    "another one for the service in the [tabs] settings) and run again"
                )
            twin = self.book.same_name(name) if sheet is None else None
            if twin is not None:
                raise WorkbookError(
                    f"nothing was written: {self.path} has a tab «{twin.name}», and Excel does "
                    f"not allow a second tab «{name}» that differs only in case. Rename «"
                    f"{twin.name}» and run again"
                )

    def _sheet_part(self, name: str) -> str:
        sheet = self.book.sheet(name)
        if sheet is None:
            return self.book.add_sheet(name)
        if not self.package.has(sheet.part):
            raise WorkbookError(f"{self.path} is damaged: the tab «{name}» has no sheet inside")
        return sheet.part

    def replace(self, tab: Tab, *, print_titles: bool = True) -> None:
        """Write a generated tab afresh (what its old sheet pointed to goes with it), its
        frozen header printed on every page."""
        sheet = self.book.sheet(tab.name)
        if sheet is not None:
            self.book.clear_attachments(sheet)
        self.package.write(self._sheet_part(tab.name), self.writer.sheet(tab), level=LEVEL)
        if tab.frozen_rows and print_titles:
            self.book.set_print_titles(tab.name, tab.frozen_rows)

    def add_header_sheet(
        self,
        name: str,
        header: Sequence[str],
        widths: Sequence[int],
        hidden: Sequence[int] = (),
        *,
        landscape: bool = False,
    ) -> None:
        """Add a tab whose first row is `header` (bold, grey, frozen), its columns sized."""
        part = self._sheet_part(name)
        tab = header_tab(name, header, widths, hidden, landscape=landscape)
        self.package.write(part, self.writer.sheet(tab, sized=False))
        self.book.set_print_titles(name, 1)

    def append_journal(
        self,
        name: str,
        header: Sequence[str],
        widths: Sequence[int],
        rows: Sequence[Row],
        *,
        hidden: Sequence[int] = (),
        wrap: Sequence[int] = (),
        drop: int = 0,
    ) -> None:
        """Append `rows` after the journal's last filled row (adding the tab if it is new, its
        `hidden` columns out of sight), after removing its first `drop` data rows (moved
        elsewhere by the caller); the `wrap` columns' long texts wrap and their rows are made
        tall enough for `widths`. With nothing to do, the journal's part is left as stored."""
        if self.book.sheet(name) is None:
            self.add_header_sheet(name, header, widths, hidden, landscape=True)
        elif not rows and not drop:
            return
        part = self._sheet_part(name)
        edit = SheetEdit(self.package.read(part), name)
        if drop:
            edit.drop_rows(2, drop)
        last, cut = edit.last_filled_row()
        wrapped = frozenset(wrap)
        xml = "".join(
            self.writer.row(last + i, cells, wrap=wrapped, widths=widths, sized=True)
            for i, cells in enumerate(rows, start=1)
        )
        width = max((len(r) for r in rows), default=0)
        edit.append(xml, cut, last + len(rows), width)
        self.package.write(part, edit.xml, level=JOURNAL_LEVEL)

    def put_dates(self, marks: Sequence[CellMark]) -> None:
        """Write each date into its cell, when the cell is still empty (one that holds anything
        is left as it is)."""
        by_tab: dict[str, dict[int, dict[int, str]]] = {}
        xf = self.styles.xf("", DATE_FORMAT)
        for mark in marks:
            ref = f"{self.writer.letter(mark.ref.col)}{mark.ref.row}"
            cell = self.writer.cell(ref, mark.day, xf)
            by_tab.setdefault(mark.ref.tab, {}).setdefault(mark.ref.row, {})[mark.ref.col] = cell
        for tab, cells in by_tab.items():
            sheet = self.book.sheet(tab)
            if sheet is None or sheet.kind != "worksheet" or not self.package.has(sheet.part):
                continue  # the tab is gone: «Входящие» still suggests the mark
            edit = SheetEdit(self.package.read(sheet.part), tab)
            edit.put_cells(cells, keep_filled=True)
            self.package.write(sheet.part, edit.xml)

    def extend(
        self,
        tab: str,
        header_row: int,
        width: int,
        headers: Sequence[str],
        start: int,
        rows: Sequence[Sequence[str]],
    ) -> None:
        """Put `headers` right of column `width` in `header_row`, and `rows` from row `start`
        on; nothing else in the tab changes."""
        sheet = self.book.sheet(tab)
        if sheet is None or sheet.kind != "worksheet" or not self.package.has(sheet.part):
            raise WorkbookError(f"{self.path} has no tab «{tab}» to add to")
        edit = SheetEdit(self.package.read(sheet.part), tab)
        cells: dict[int, dict[int, str]] = {}
        header_xf = self.styles.xf("header", "", "wrap")
        for offset, header in enumerate(headers, start=1):
            ref = f"{self.writer.letter(width + offset)}{header_row}"
            cells.setdefault(header_row, {})[width + offset] = self.writer.cell(
                ref, header, header_xf
            )
        for r, values in enumerate(rows, start=start):
            for c, value in enumerate(values, start=1):
                if value:
                    xf = self.styles.xf("", "", "wrap") if "\n" in value else 0
                    cells.setdefault(r, {})[c] = self.writer.cell(
                        f"{self.writer.letter(c)}{r}", value, xf
                    )
        if cells:
            edit.put_cells(cells)
        edit.set_widths({width + i: max(14, len(h) + 2) for i, h in enumerate(headers, start=1)})
        self.package.write(sheet.part, edit.xml)

    def save(self, out: BinaryIO) -> None:
        """Write the changed package to `out`."""
        if self.styles.changed:
            if not self.styles_part:
                self.styles_part = "xl/styles.xml"
                self.package.set_override(self.styles_part, STYLES_TYPE)
                self.package.add_rel(self.book.part, STYLES_REL, self.styles_part)
            self.package.write(self.styles_part, self.styles.text)
        self.package.save(out)
