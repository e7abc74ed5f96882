"""A generated tab as worksheet XML: text as inline strings (never a formula), dates as date
serials in ДД.ММ.ГГГГ, each look one shared cell format, long texts wrapped and their rows
made tall enough, columns sized and header rows frozen."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from sheets_sync.inputs.cells import column_letter
from sheets_sync.report.tabs import STYLES, Cell, Style, Tab
from sheets_sync.report.text_width import lines_of, wraps
from sheets_sync.wording import text_of

from .xlsx_styles import Styles

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MAX_CELL_CHARS = 32767  # Excel's limit per cell
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/></sheetPr>'
)
_TAIL = (
    '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
    'footer="0.5"/></worksheet>'
)
# Printed across the page, every column on one page width, as many pages down as it takes.
_LANDSCAPE = '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
# Characters XML 1.0 cannot carry, and text that looks like Excel's escape of one (_x000B_).
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_EPOCHS = {False: date(1899, 12, 30), True: date(1904, 1, 1)}
_HIDDEN = ' hidden="1"'


def text_xml(text: str) -> str:
    """Return text escaped for a <t> element, Excel-style for characters XML cannot hold."""
    if not _SPECIAL.search(text):
        return text  # the common text: nothing to escape
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _UNSAFE.search(text):
        text = _UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text


def plain(value: Any) -> Any:
    """Return a cell value as Excel can hold it: local wall time, at most 32,767 characters."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[: MAX_CELL_CHARS - 7] + " […]"
    return value


def _dated(value: Any, fmt: str) -> tuple[Any, str]:
    """Return a non-text value as Excel holds it, a date or date-time with its format."""
    value = plain(value)
    if isinstance(value, datetime):
        return value, fmt or DATETIME_FORMAT
    if isinstance(value, date):
        return value, fmt or DATE_FORMAT
    return value, fmt


class SheetWriter:
    """Writes rows of generated cells as worksheet XML with the workbook's shared formats."""

    def __init__(self, styles: Styles, *, date1904: bool = False) -> None:
        self.styles = styles
        self.epoch = _EPOCHS[date1904]
        self.letters = [column_letter(c) for c in range(1, 257)]

    def letter(self, col: int) -> str:
        return self.letters[col - 1] if col <= len(self.letters) else column_letter(col)

    def row(
        self,
        r: int,
        cells: Sequence[Cell],
        *,
        wrap: frozenset[int] = frozenset(),
        widths: Sequence[int] = (),
        sized: bool = False,
    ) -> str:
        """Return one <row> (or "" for a row with nothing in it)."""
        parts, lines = self._laid_out(cells, wrap, widths, sized=sized)
        tall = lines > 1
        xf_of, letters, out = self.styles.xf, self.letters, []
        special, wide, epoch = _SPECIAL.search, len(letters), self.epoch
        for c, value, style, fmt, aligned in parts:
            align = aligned or ("top" if tall else "")
            xf = xf_of(style, fmt, align) if (style or fmt or align) else 0
            ref = f"{letters[c - 1]}{r}" if c <= wide else f"{column_letter(c)}{r}"
            kind, s = type(value), f' s="{xf}"' if xf else ""
            if kind is int or kind is date:  # a count or a day: the next most common cells
                number = value if kind is int else (value - epoch).days
                out.append(f'<c r="{ref}"{s}><v>{number}</v></c>')
            elif (
                kind is str
                and value
                and not special(value)
                and "\n" not in value
                and (value[0] + value[-1]).strip() == value[0] + value[-1]
            ):  # a text with nothing to escape or keep: the common cell, written straight
                out.append(f'<c r="{ref}"{s} t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                out.append(self.cell(ref, value, xf))
        body = "".join(out)
        if tall:
            return f'<row r="{r}" ht="{min(15 * lines, 400)}" customHeight="1">{body}</row>'
        return f'<row r="{r}">{body}</row>' if body else ""

    @staticmethod
    def _laid_out(
        cells: Sequence[Cell], wrap: frozenset[int], widths: Sequence[int], *, sized: bool
    ) -> tuple[list[tuple[int, Any, str, str, str]], int]:
        """Return a row's cells to write as (column, value, style, number format, alignment),
        and how many lines its tallest wrapped text takes (1 unless `sized`: no row is made
        taller). A text wraps in its style, with a line break, or in a `wrap` column when it
        is too long for the column (`widths`)."""
        lines = 1
        parts: list[tuple[int, Any, str, str, str]] = []
        for c, cell in enumerate(cells, start=1):
            value: Any = cell.value
            if value is None and not cell.style and not cell.align and not cell.fmt:
                continue  # nothing to write (the most common cell of a sparse tab)
            width = widths[c - 1] if c <= len(widths) else 0
            wrapped = STYLES[cell.style].wrap
            fmt = cell.fmt
            if isinstance(value, str):
                if len(value) > MAX_CELL_CHARS:
                    value = value[: MAX_CELL_CHARS - 7] + " […]"
                wrapped = wrapped or "\n" in value or (c in wrap and wraps(value, width))
            elif type(value) is not int:
                value, fmt = _dated(value, fmt)
            if wrapped and sized:
                lines = max(lines, lines_of(text_of(value), width or 10))
            parts.append((c, value, cell.style, fmt, "wrap" if wrapped else cell.align))
        return parts, lines

    @staticmethod
    def _text(ref: str, s: str, value: str) -> str:
        edges = value[0] + value[-1] if value else ""
        space = ' xml:space="preserve"' if edges.strip() != edges or "\n" in value else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text_xml(value)}</t></is></c>'

    def cell(self, ref: str, value: Any, xf: int) -> str:
        s = f' s="{xf}"' if xf else ""
        if value is None or value == "":
            return f'<c r="{ref}"{s}/>' if xf else ""
        if isinstance(value, str):
            return self._text(ref, s, value)
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        if isinstance(value, float):
            if not math.isfinite(value):
                return self.cell(ref, text_of(value), xf)
            return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
        if isinstance(value, date | time):
            return f'<c r="{ref}"{s}><v>{self.serial(value)}</v></c>'
        return self.cell(ref, text_of(value), xf)

    def serial(self, value: date | time) -> str:
        """Return a date, date-time or time as the workbook's day number."""
        if isinstance(value, time):
            return repr((value.hour * 3600 + value.minute * 60 + value.second) / 86400)
        if isinstance(value, datetime):
            days = (value.date() - self.epoch).days
            seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
            return repr(days + seconds / 86400) if seconds else str(days)
        return str((value - self.epoch).days)

    def sheet(self, tab: Tab, *, sized: bool = True) -> bytes:
        """Return the worksheet XML of a whole generated tab."""
        wrap = frozenset(tab.wrap)
        rows = [
            self.row(r, cells, wrap=wrap, widths=tab.widths, sized=sized)
            for r, cells in enumerate(tab.rows, start=1)
        ]
        last_row = max((r for r, text in enumerate(rows, start=1) if text), default=0)
        last_col = max((len(cells) for cells in tab.rows), default=0)
        return self.document(
            "".join(rows),
            last_row,
            max(last_col, len(tab.widths)),
            tab.widths,
            tab.frozen_rows,
            landscape=tab.landscape,
            hidden=tab.hidden,
        )

    def document(
        self,
        rows: str,
        last_row: int,
        last_col: int,
        widths: Sequence[int],
        frozen: int,
        *,
        landscape: bool = False,
        hidden: Sequence[int] = (),
    ) -> bytes:
        ref = f"A1:{self.letter(last_col)}{last_row}" if last_row and last_col else "A1"
        if frozen:
            top = f"A{frozen + 1}"
            view = (
                f'<pane ySplit="{frozen}" topLeftCell="{top}" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/>'
            )
        else:
            view = '<selection activeCell="A1" sqref="A1"/>'
        cols = "".join(
            f'<col width="{w}" customWidth="1"{_HIDDEN if c in hidden else ""} min="{c}" max="{c}"/>'
            for c, w in enumerate(widths, start=1)
        )
        return "".join(
            (
                _HEAD.replace("<pageSetUpPr/>", '<pageSetUpPr fitToPage="1"/>')
                if landscape
                else _HEAD,
                f'<dimension ref="{ref}"/>',
                f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>',
                '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
                f"<cols>{cols}</cols>" if cols else "",
                "<sheetData>",
                rows,
                _TAIL.replace("</worksheet>", _LANDSCAPE + "</worksheet>") if landscape else _TAIL,
            )
        ).encode()


def header_tab(
    name: str,
    header: Sequence[str],
    widths: Sequence[int] = (),
    hidden: Sequence[int] = (),
    *,
    landscape: bool = False,
) -> Tab:
    """Return a tab holding only a header row (bold, grey, frozen), its columns sized, the
    `hidden` ones out of sight."""
    sizes = tuple(
        widths[c] if c < len(widths) else max(12, len(h) + 4) for c, h in enumerate(header)
    )
    row = tuple(Cell(h, "header") for h in header)
    return Tab(name, (row,), sizes, frozen_rows=1, hidden=tuple(hidden), landscape=landscape)


def staff_tab(name: str, rows: Sequence[Sequence[str]], header_row: int) -> Tab:
    """Return a staff tab as `create_workbook` lays one out: a title row above the header in
    large type, the header bold on grey and frozen, section rows (one cell) bold, long texts
    wrapped, columns sized by the lines (a section's text overflows, it does not widen them)."""

    def lone(values: Sequence[str]) -> bool:
        return sum(1 for v in values if v) == 1 and bool(values[0])

    widths: dict[int, int] = {}
    for r, values in enumerate(rows, start=1):
        if r >= header_row and not (r > header_row and lone(values)):
            for c, value in enumerate(values, start=1):
                widths[c] = max(widths.get(c, 8), min(len(value) + 2, 60))

    def style(r: int, values: Sequence[str]) -> Style:
        if r == header_row:
            return "header"
        if r < header_row:
            return "title" if r == 1 and lone(values) else ""
        return "section" if lone(values) else ""

    cells = tuple(
        tuple(Cell(v or None, style(r, values)) for v in values)
        for r, values in enumerate(rows, start=1)
    )
    sizes = tuple(widths.get(c, 8) for c in range(1, max(widths, default=0) + 1))
    return Tab(name, cells, sizes, frozen_rows=header_row, wrap=tuple(range(2, len(sizes) + 1)))
