"""The batchUpdate requests that make a staff tab hold exactly given rows (the import's write):
the tab added if missing, grown (never shrunk) to fit, unmerged, every cell rewritten, the title
row large, the header row bold on grey and frozen with the rows above it. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sheets_sync.errors import WorkbookError
from sheets_sync.report.tabs import Cell, Row, Style
from sheets_sync.workbook import SheetInfo

from .google_cells import MAX_CELLS, NEW_TAB_COLUMNS, NEW_TAB_ROWS, row_data, width_requests

SPARE_ROWS = 100  # room below a new tab's rows for lines staff add


def _cells(rows: Sequence[Sequence[str]], header_row: int) -> list[Row]:
    out = []
    for r, values in enumerate(rows, start=1):
        style: Style = "header" if r == header_row else "title" if r < header_row else ""
        out.append(tuple(Cell(v or None, style if v or style == "header" else "") for v in values))
    return out


def _widths(rows: Sequence[Sequence[str]], header_row: int) -> list[int]:
    widths: dict[int, int] = {}
    for values in rows[max(header_row - 1, 0) :]:
        for c, value in enumerate(values):
            widths[c] = max(widths.get(c, 8), min(len(value) + 2, 60))
    return [widths.get(c, 8) for c in range(max(widths, default=-1) + 1)]


def put_tab_requests(
    name: str,
    rows: Sequence[Sequence[str]],
    header_row: int,
    sheet_id: int,
    existing: SheetInfo | None,
    sheets: Mapping[str, SheetInfo],
) -> list[dict[str, Any]]:
    """Return the requests that make sheet `sheet_id` (`existing`, or new as `name`) hold
    exactly `rows`; raise WorkbookError if the spreadsheet would outgrow Google's cells."""
    width = max((len(r) for r in rows), default=1)
    n_rows = max(len(rows), header_row + 1)
    if existing is None:
        grid_rows, grid_cols = max(n_rows + SPARE_ROWS, NEW_TAB_ROWS), max(width, NEW_TAB_COLUMNS)
        added = grid_rows * grid_cols
    else:
        grid_rows, grid_cols = max(n_rows, existing.rows), max(width, existing.cols)
        added = grid_rows * grid_cols - existing.rows * existing.cols
    total = sum(i.rows * i.cols for i in sheets.values())
    if total + added > MAX_CELLS:
        raise WorkbookError(
            f"«{name}» would take the spreadsheet past Google's {MAX_CELLS:,} cells: delete "
            "empty rows and columns on other tabs first"
        )
    grid = {"rowCount": grid_rows, "columnCount": grid_cols, "frozenRowCount": header_row}
    whole = {
        "sheetId": sheet_id,
        "startRowIndex": 0,
        "endRowIndex": grid_rows,
        "startColumnIndex": 0,
        "endColumnIndex": grid_cols,
    }
    if existing is None:
        requests: list[dict[str, Any]] = [
            {
                "addSheet": {
                    "properties": {"sheetId": sheet_id, "title": name, "gridProperties": grid}
                }
            }
        ]
    else:
        requests = [
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "gridProperties": grid},
                    "fields": "gridProperties(rowCount,columnCount,frozenRowCount)",
                }
            },
            {"unmergeCells": {"range": whole}},
        ]
    wrap = frozenset(range(1, grid_cols + 1))
    requests.append(
        {
            "updateCells": {
                "range": whole,
                "rows": [row_data(r, grid_cols, wrap) for r in _cells(rows, header_row)],
                "fields": "userEnteredValue,userEnteredFormat",
            }
        }
    )
    requests.extend(width_requests(sheet_id, _widths(rows, header_row)))
    return requests
