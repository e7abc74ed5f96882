"""New .xlsx workbooks written with openpyxl: the staff-style workbook of the demo and the
import, and the header tabs of `init`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sheets_sync.report.tabs import STYLES
from sheets_sync.wording import text_of

from .xlsx_book import IDENTITY_PROPERTY
from .xlsx_save import save_atomically

DATE_FORMAT = "DD.MM.YYYY"


def stamp(book: openpyxl.Workbook, identity: str = "") -> None:
    """Give a new workbook its stored identity (a new one unless `identity` is given)."""
    value = identity or str(uuid.uuid4())
    book.custom_doc_props.append(StringProperty(name=IDENTITY_PROPERTY, value=value))


def add_header_sheet(
    book: openpyxl.Workbook,
    name: str,
    header: Sequence[str],
    widths: Sequence[int],
    *,
    landscape: bool = False,
) -> Any:
    """Add a tab whose first row is `header` (bold, grey, frozen, printed on every page), its
    columns sized; `landscape`: printed across the page, every column on one page width."""
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
    ws.print_title_rows = "1:1"
    if landscape:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def create_workbook(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[Sequence[Any]], int]],
    *,
    title: str = "",
    identity: str = "",
) -> None:
    """Write a new staff-style workbook: for each (tab, rows, header_row) the rows as given
    (dates as date cells), the header row bold and grey, text wrapped, columns sized. It gets
    a new id, or `identity` (the same workbook written afresh)."""
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
    stamp(book, identity)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(book.save, path)
