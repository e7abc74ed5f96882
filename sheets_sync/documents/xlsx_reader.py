"""An Excel workbook (.xlsx, openpyxl) -> the lines of a `SourceDocument`: each sheet a table,
its rows as a person sees them (`cell_text`). A merged range keeps its text in its top-left
cell; the cells below it are marked `merged_up`, and a range across the whole used width of a
row `spans` it. The roadmap reading takes the first sheet with a plan header (a workbook of
this service holds generated tabs too, which are not plans)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.errors import SheetsSyncError
from sheets_sync.workbook.xlsx import cell_text

from .source import Line, SourceDocument


def read_xlsx(source: Path | bytes, sheet: str | None = None) -> SourceDocument:
    """Return the rows of every sheet of a workbook (or of `sheet` alone), a table each."""
    name = source.name if isinstance(source, Path) else "workbook.xlsx"
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SheetsSyncError(
            f"{name} is not a readable .xlsx workbook ({exc.__class__.__name__}): open it in "
            "Excel or LibreOffice and save it as Excel Workbook (.xlsx)"
        ) from exc
    except OSError as exc:
        raise SheetsSyncError(f"cannot read {name}: {exc.strerror}") from exc
    sheets = [ws for ws in book.worksheets if sheet is None or ws.title == sheet]
    if not sheets:
        raise SheetsSyncError(f"{name} has no sheet «{sheet}»: it has {', '.join(book.sheetnames)}")
    lines: list[Line] = []
    for number, ws in enumerate(sheets, start=1):
        lines.extend(_sheet_lines(ws, number))
    return SourceDocument(name, "xlsx", tuple(lines), tuple(ws.title for ws in sheets))


def _sheet_lines(ws: Worksheet, number: int) -> list[Line]:
    grid = [
        [cell_text(c.value, c.number_format or "General") for c in row]
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row)
    ]
    for row in grid:
        while row and not row[-1].strip():
            row.pop()
    width = max((len(r) for r in grid), default=0)
    below: dict[int, dict[int, str]] = {}  # row -> {column: the text of the merged cell above}
    spanning: set[int] = set()
    hidden: set[int] = set()  # rows inside a merged heading row (shown once, at its top)
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1] if merged.min_row <= len(grid) else []
        text = top[merged.min_col - 1] if merged.min_col <= len(top) else ""
        for r in range(merged.min_row + 1, merged.max_row + 1):
            cols = below.setdefault(r, {})
            for c in range(merged.min_col - 1, merged.max_col):
                cols[c] = text if c == merged.min_col - 1 else ""
        if merged.min_col == 1 and merged.max_col >= max(width, 2):
            spanning.add(merged.min_row)
            hidden.update(range(merged.min_row + 1, merged.max_row + 1))
    lines = []
    for r, cells in enumerate(grid, start=1):
        continued = below.get(r, {})
        row = [*cells, *[""] * (max(continued, default=-1) + 1 - len(cells))]
        for col, text in continued.items():
            row[col] = text  # a merged cell's text, seen from each row it spans
        if r in hidden or not any(c.strip() for c in row):
            continue
        lines.append(Line(tuple(row), number, r, frozenset(continued), r in spanning))
    return lines
