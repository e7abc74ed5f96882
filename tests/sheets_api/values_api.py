"""The ``spreadsheets.values`` endpoints (E2-E8 of the spec): get, batchGet, update,
batchUpdate, append, clear and batchClear. Writers get a copy of the spreadsheet to change."""

from __future__ import annotations

from typing import Any

from tests.sheets_api import values_io
from tests.sheets_api.cells import Evaluator, has_value
from tests.sheets_api.errors import ApiError, bad_request
from tests.sheets_api.model import Spreadsheet
from tests.sheets_api.ranges import Target, grid_limit_error, require_in_grid, resolve, writing_box
from tests.sheets_api.sheet_ops import grow_rows, insert_rows

Params = dict[str, Any]


def get(spreadsheet: Spreadsheet, range_text: str, params: Params) -> dict[str, Any]:
    target = resolve(spreadsheet, range_text)
    option, date_option = values_io.render_options(params)
    major = params.get("majorDimension") or "ROWS"
    return values_io.value_range(Evaluator(spreadsheet), target, major, option, date_option)


def batch_get(spreadsheet: Spreadsheet, ranges: list[str], params: Params) -> dict[str, Any]:
    option, date_option = values_io.render_options(params)
    major = params.get("majorDimension") or "ROWS"
    evaluator = Evaluator(spreadsheet)
    targets = [resolve(spreadsheet, text) for text in ranges]
    value_ranges = [
        values_io.value_range(evaluator, t, major, option, date_option) for t in targets
    ]
    result: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if value_ranges:
        result["valueRanges"] = value_ranges
    return result


def _write(
    spreadsheet: Spreadsheet, range_text: str, body: dict[str, Any], option: str, field: str
) -> tuple[Target, list[tuple[int, int]]]:
    rows = values_io.value_rows(body.get("values", []), body.get("majorDimension"), field)
    target = resolve(spreadsheet, range_text, check_grid=False)
    height, width = values_io.size(rows)
    box = writing_box(target, height, width)
    require_in_grid(box)
    written = values_io.write_rows(box.sheet, box.r0, box.c0, rows, option, spreadsheet.locale)
    return box, written


def update(
    spreadsheet: Spreadsheet, range_text: str, params: Params, body: dict[str, Any]
) -> dict[str, Any]:
    option = values_io.input_option(params.get("valueInputOption"))
    box, written = _write(spreadsheet, range_text, body, option, "data.values")
    response = values_io.update_response(spreadsheet.spreadsheet_id, box, written)
    _include_values(spreadsheet, response, box, params, params.get("includeValuesInResponse"))
    return response


def _include_values(
    spreadsheet: Spreadsheet, response: dict[str, Any], box: Target, params: Params, flag: Any
) -> None:
    if values_io.parse_bool(flag, "include_values_in_response"):
        option, date_option = values_io.render_options(params, prefix="response")
        response["updatedData"] = values_io.value_range(
            Evaluator(spreadsheet), box, "ROWS", option, date_option
        )


def batch_update(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    option = values_io.input_option(body.get("valueInputOption"))
    responses: list[dict[str, Any]] = []
    touched: list[tuple[int, int, int]] = []
    for index, item in enumerate(body.get("data") or []):
        try:
            if not isinstance(item, dict) or "range" not in item:
                raise bad_request("Invalid range: missing")
            box, written = _write(spreadsheet, item["range"], item, option, f"data[{index}].values")
        except ApiError as error:
            raise error.prefixed(f"Invalid data[{index}]: ") from None
        touched.extend((box.sheet.sheet_id, r, c) for r, c in written)
        response = values_io.update_response(spreadsheet.spreadsheet_id, box, written)
        _include_values(spreadsheet, response, box, body, body.get("includeValuesInResponse"))
        responses.append(response)
    totals = {
        "totalUpdatedRows": len({(s, r) for s, r, _ in touched}),
        "totalUpdatedColumns": len({(s, c) for s, _, c in touched}),
        "totalUpdatedCells": len(touched),
        "totalUpdatedSheets": len({s for s, _, _ in touched}),
    }
    result: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    result.update({key: count for key, count in totals.items() if count})
    if responses:
        result["responses"] = responses
    return result


def append(
    spreadsheet: Spreadsheet, range_text: str, params: Params, body: dict[str, Any]
) -> dict[str, Any]:
    """Append after the table found in the range (spec §5.6), growing the grid by rows."""
    option = values_io.input_option(params.get("valueInputOption"))
    rows = values_io.value_rows(body.get("values", []), body.get("majorDimension"), "data.values")
    target = resolve(spreadsheet, range_text)
    sheet = target.sheet
    table = find_table(target)
    top, left = (table[1], table[2]) if table else (target.r0, target.c0)
    height, width = values_io.size(rows)
    height, width = max(height, 1), max(width, 1)
    if left + width > sheet.column_count:
        raise grid_limit_error(sheet, top, sheet.column_count)
    insert_option = params.get("insertDataOption") or "OVERWRITE"
    if insert_option == "INSERT_ROWS":
        insert_rows(spreadsheet, sheet, top, height)
    elif insert_option != "OVERWRITE":
        raise bad_request(f"Invalid insertDataOption: {insert_option}")
    elif top + height > sheet.row_count:
        grow_rows(spreadsheet, sheet, top + height - sheet.row_count)
    written = values_io.write_rows(sheet, top, left, rows, option, spreadsheet.locale)
    box = Target(sheet, top, top + height, left, left + width, target.requested)
    updates = values_io.update_response(spreadsheet.spreadsheet_id, box, written)
    _include_values(spreadsheet, updates, box, params, params.get("includeValuesInResponse"))
    result: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if table:
        result["tableRange"] = table[0].echo()
    result["updates"] = updates
    return result


def find_table(target: Target) -> tuple[Target, int, int] | None:
    """The table an append extends: the block of filled cells holding the range's last filled
    cell (row-major), grown through neighbouring filled cells. Returns (table, next row, left)."""
    sheet = target.sheet
    filled = {pos for pos, cell in sheet.cells.items() if has_value(cell)}
    inside = [p for p in filled if target.r0 <= p[0] < target.r1 and target.c0 <= p[1] < target.c1]
    if not inside:
        return None
    block = {max(inside)}
    frontier = list(block)
    while frontier:
        row, col = frontier.pop()
        for near in ((row - 1, col), (row + 1, col), (row, col - 1), (row, col + 1)):
            if near in filled and near not in block:
                block.add(near)
                frontier.append(near)
    r0, r1 = min(r for r, _ in block), max(r for r, _ in block) + 1
    c0, c1 = min(c for _, c in block), max(c for _, c in block) + 1
    return Target(sheet, r0, r1, c0, c1, target.requested), r1, c0


def clear(spreadsheet: Spreadsheet, range_text: str) -> dict[str, Any]:
    target = resolve(spreadsheet, range_text)
    _clear_values(target)
    return {"spreadsheetId": spreadsheet.spreadsheet_id, "clearedRange": target.echo()}


def batch_clear(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    targets = [resolve(spreadsheet, text) for text in body.get("ranges") or []]
    for target in targets:
        _clear_values(target)
    result: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if targets:
        result["clearedRanges"] = [t.echo() for t in targets]
    return result


def _clear_values(target: Target) -> None:
    """Only values go; formats, notes and validation stay (values.clear reference)."""
    cells = target.sheet.cells
    for pos in [
        p for p in cells if target.r0 <= p[0] < target.r1 and target.c0 <= p[1] < target.c1
    ]:
        cells[pos].pop("userEnteredValue", None)
        if not cells[pos]:
            del cells[pos]
