"""Rendering a spreadsheet as ``spreadsheets.get`` returns it, grid data included."""

from __future__ import annotations

from typing import Any

from tests.sheets_api import fieldmask, protojson
from tests.sheets_api.a1 import WHOLE_SHEET
from tests.sheets_api.cells import Evaluator, has_content
from tests.sheets_api.model import COLUMN_PIXELS, ROW_PIXELS, Sheet, Spreadsheet
from tests.sheets_api.ranges import Target


def spreadsheet_url(spreadsheet_id: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"


def spreadsheet_json(
    spreadsheet: Spreadsheet,
    *,
    include_grid: bool = False,
    targets: list[Target] | None = None,
    mask: fieldmask.Mask | None = None,
) -> dict[str, Any]:
    """Return the Spreadsheet resource; ``targets`` limit the sheets and grid data to ranges."""
    evaluator = Evaluator(spreadsheet)
    cell_mask = fieldmask.subtree(mask, "sheets", "data", "rowData", "values")
    sheets = []
    for sheet in spreadsheet.ordered_sheets():
        boxes = [t for t in targets if t.sheet is sheet] if targets is not None else None
        if boxes is not None and not boxes:
            continue
        body: dict[str, Any] = {"properties": sheet.properties}
        if include_grid:
            if boxes is None:
                boxes = [Target(sheet, 0, sheet.row_count, 0, sheet.column_count, WHOLE_SHEET)]
            body["data"] = [grid_data(evaluator, t, mask, cell_mask) for t in boxes]
        _sheet_objects(sheet, body)
        sheets.append(body)
    resource: dict[str, Any] = {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "properties": spreadsheet.properties,
        "sheets": sheets,
    }
    if spreadsheet.named_ranges:
        resource["namedRanges"] = spreadsheet.named_ranges
    resource["spreadsheetUrl"] = spreadsheet_url(spreadsheet.spreadsheet_id)
    ordered = protojson.ordered("Spreadsheet", resource)
    if mask is None:
        return ordered
    projected: dict[str, Any] = fieldmask.project(ordered, mask)
    return projected


def _sheet_objects(sheet: Sheet, body: dict[str, Any]) -> None:
    if sheet.merges:
        body["merges"] = sheet.merges
    if sheet.protected_ranges:
        body["protectedRanges"] = sheet.protected_ranges
    if sheet.basic_filter:
        body["basicFilter"] = sheet.basic_filter
    if sheet.row_groups:
        body["rowGroups"] = sheet.row_groups
    if sheet.column_groups:
        body["columnGroups"] = sheet.column_groups


def grid_data(
    evaluator: Evaluator,
    target: Target,
    mask: fieldmask.Mask | None,
    cell_mask: fieldmask.Mask | None,
) -> dict[str, Any]:
    """Return GridData for a box: rows and cells up to the last one with content, as Google
    trims them (empty cells inside as ``{}``, empty rows as ``{}``), plus dimension metadata."""
    sheet = target.sheet
    default_format = evaluator.spreadsheet.properties.get("defaultFormat", {})
    # Trimming follows each cell's full content (a formatted blank cell still counts); the mask
    # is applied afterwards, so such a cell reads back as {} under a formattedValue mask.
    fields = None if cell_mask is None or "*" in cell_mask else set(cell_mask)
    by_row: dict[int, dict[int, dict[str, Any]]] = {}
    for (row, col), stored in sheet.cells.items():
        inside = target.r0 <= row < target.r1 and target.c0 <= col < target.c1
        if inside and has_content(stored):
            cell = evaluator.cell_data(sheet, row, col, default_format, fields)
            by_row.setdefault(row, {})[col] = cell
    data: dict[str, Any] = {}
    if target.r0:
        data["startRow"] = target.r0
    if target.c0:
        data["startColumn"] = target.c0
    if by_row:
        rows: list[dict[str, Any]] = []
        for row in range(target.r0, max(by_row) + 1):
            cells = by_row.get(row)
            if not cells:
                rows.append({})
                continue
            rows.append(
                {"values": [cells.get(col, {}) for col in range(target.c0, max(cells) + 1)]}
            )
        data["rowData"] = rows
    if fieldmask.selects(mask, "sheets", "data", "rowMetadata"):
        data["rowMetadata"] = [
            _dimension(sheet.rows, r, ROW_PIXELS) for r in range(target.r0, target.r1)
        ]
    if fieldmask.selects(mask, "sheets", "data", "columnMetadata"):
        data["columnMetadata"] = [
            _dimension(sheet.columns, c, COLUMN_PIXELS) for c in range(target.c0, target.c1)
        ]
    return data


def _dimension(overrides: dict[int, dict[str, Any]], index: int, pixels: int) -> dict[str, Any]:
    props = {"pixelSize": pixels, **overrides.get(index, {})}
    return protojson.ordered("DimensionProperties", props)
