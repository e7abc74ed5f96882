"""Structural changes to a sheet: growing, inserting and deleting rows or columns, with the
cells and every range that refers to them shifted along; and the workbook size limits."""

from __future__ import annotations

from typing import Any

from tests.sheets_api.errors import bad_request
from tests.sheets_api.model import MAX_CELLS, MAX_COLUMNS, Sheet, Spreadsheet

_KEYS = {
    "ROWS": ("startRowIndex", "endRowIndex"),
    "COLUMNS": ("startColumnIndex", "endColumnIndex"),
}


def check_limits(spreadsheet: Spreadsheet) -> None:
    """Reject a workbook above 10,000,000 cells or a sheet wider than column ZZZ."""
    if spreadsheet.total_cells() > MAX_CELLS:
        # Verbatim in real 400s (UoaWDCC/uasc-web#833, spec §4.3).
        raise bad_request(
            f"This action would increase the number of cells in the workbook above the limit of {MAX_CELLS} cells."
        )
    for sheet in spreadsheet.sheets:
        if sheet.column_count > MAX_COLUMNS:
            # [unverified] wording; the 18,278-column (ZZZ) limit itself is commonly cited.
            raise bad_request(
                f"This action would increase the number of columns in sheet {sheet.title} above the limit of {MAX_COLUMNS}."
            )


def grow_rows(spreadsheet: Spreadsheet, sheet: Sheet, count: int) -> None:
    sheet.grid["rowCount"] = sheet.row_count + count
    check_limits(spreadsheet)


def insert_rows(spreadsheet: Spreadsheet, sheet: Sheet, at: int, count: int) -> None:
    insert_dimension(spreadsheet, sheet, "ROWS", at, at + count)


def insert_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int
) -> None:
    count = end - start
    axis = 0 if dimension == "ROWS" else 1
    sheet.cells = {_moved(pos, axis, start, count): cell for pos, cell in sheet.cells.items()}
    overrides = sheet.rows if dimension == "ROWS" else sheet.columns
    moved = {(i + count if i >= start else i): props for i, props in overrides.items()}
    overrides.clear()
    overrides.update(moved)
    key = "rowCount" if dimension == "ROWS" else "columnCount"
    sheet.grid[key] = int(sheet.grid[key]) + count
    _shift_ranges(spreadsheet, sheet, dimension, start, count)
    check_limits(spreadsheet)


def delete_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int
) -> None:
    count = end - start
    axis = 0 if dimension == "ROWS" else 1
    kept = {}
    for pos, cell in sheet.cells.items():
        if start <= pos[axis] < end:
            continue
        kept[_moved(pos, axis, end, -count)] = cell
    sheet.cells = kept
    overrides = sheet.rows if dimension == "ROWS" else sheet.columns
    moved = {
        (i - count if i >= end else i): p for i, p in overrides.items() if not start <= i < end
    }
    overrides.clear()
    overrides.update(moved)
    key = "rowCount" if dimension == "ROWS" else "columnCount"
    sheet.grid[key] = int(sheet.grid[key]) - count
    _shift_ranges(spreadsheet, sheet, dimension, end, -count, removed=(start, end))


def resize(spreadsheet: Spreadsheet, sheet: Sheet, rows: int, columns: int) -> None:
    """Set the grid size; cells outside the new grid are dropped."""
    if rows < sheet.row_count:
        delete_dimension(spreadsheet, sheet, "ROWS", rows, sheet.row_count)
    if columns < sheet.column_count:
        delete_dimension(spreadsheet, sheet, "COLUMNS", columns, sheet.column_count)
    sheet.grid["rowCount"], sheet.grid["columnCount"] = rows, columns
    check_limits(spreadsheet)


def _moved(pos: tuple[int, int], axis: int, at: int, delta: int) -> tuple[int, int]:
    if pos[axis] < at:
        return pos
    return (pos[0] + delta, pos[1]) if axis == 0 else (pos[0], pos[1] + delta)


def _shift_ranges(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    dimension: str,
    at: int,
    delta: int,
    removed: tuple[int, int] | None = None,
) -> None:
    ranges: list[dict[str, Any]] = list(sheet.merges)
    ranges += [p["range"] for p in sheet.protected_ranges if "range" in p]
    if sheet.basic_filter and "range" in sheet.basic_filter:
        ranges.append(sheet.basic_filter["range"])
    ranges += [
        n["range"]
        for n in spreadsheet.named_ranges
        if int(n.get("range", {}).get("sheetId", 0)) == sheet.sheet_id
    ]
    start_key, end_key = _KEYS[dimension]
    for grid in ranges:
        for key in (start_key, end_key):
            if key not in grid:
                continue
            index = int(grid[key])
            if removed is None:
                # A range that ends exactly where rows are inserted does not grow.
                if index > at or (index == at and key == start_key):
                    index += delta
            elif index >= removed[1]:
                index += delta
            elif index > removed[0]:
                index = removed[0]
            grid[key] = index
    # A merge squeezed to nothing by a deletion disappears.
    sheet.merges[:] = [m for m in sheet.merges if m.get(start_key, 0) < m.get(end_key, 1)]
