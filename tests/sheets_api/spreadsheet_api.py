"""``spreadsheets.get``, ``spreadsheets.create`` and ``spreadsheets.batchUpdate`` (E1, E9, E10)."""

from __future__ import annotations

from typing import Any

from tests.sheets_api import (
    cell_requests,
    fieldmask,
    protojson,
    range_requests,
    sheet_ops,
    sheet_requests,
)
from tests.sheets_api.batch_context import HANDLERS, BatchContext
from tests.sheets_api.errors import ApiError, bad_request, invalid_json_value, unknown_field
from tests.sheets_api.model import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    IdSource,
    Spreadsheet,
    new_sheet,
    new_spreadsheet,
)
from tests.sheets_api.ranges import resolve
from tests.sheets_api.render import spreadsheet_json
from tests.sheets_api.values_io import parse_bool

# The handler modules register themselves on import.
_REGISTERED = (cell_requests, range_requests, sheet_requests)

# Every request kind of Sheets v4, so a kind the emulator lacks fails loudly instead of looking
# like a typo (which Google answers with "Unknown name").
KNOWN_KINDS = frozenset(
    (
        "updateSpreadsheetProperties", "updateSheetProperties", "updateDimensionProperties",
        "updateNamedRange", "repeatCell", "addNamedRange", "deleteNamedRange", "addSheet",
        "deleteSheet", "autoFill", "cutPaste", "copyPaste", "mergeCells", "unmergeCells",
        "updateBorders", "updateCells", "addFilterView", "appendCells", "clearBasicFilter",
        "deleteDimension", "deleteEmbeddedObject", "deleteFilterView", "duplicateFilterView",
        "duplicateSheet", "findReplace", "insertDimension", "insertRange", "moveDimension",
        "updateEmbeddedObjectPosition", "pasteData", "textToColumns", "updateFilterView",
        "deleteRange", "appendDimension", "addConditionalFormatRule", "updateConditionalFormatRule",
        "deleteConditionalFormatRule", "sortRange", "setDataValidation", "setBasicFilter",
        "addProtectedRange", "updateProtectedRange", "deleteProtectedRange", "autoResizeDimensions",
        "addChart", "updateChartSpec", "updateBanding", "addBanding", "deleteBanding",
        "createDeveloperMetadata", "updateDeveloperMetadata", "deleteDeveloperMetadata",
        "randomizeRange", "addDimensionGroup", "deleteDimensionGroup", "updateDimensionGroup",
        "trimWhitespace", "deleteDuplicates", "updateEmbeddedObjectBorder", "addSlicer",
        "updateSlicerSpec", "addDataSource", "updateDataSource", "deleteDataSource",
        "refreshDataSource", "cancelDataSourceRefresh", "addTable", "updateTable", "deleteTable",
    )
)  # fmt: skip


def get(spreadsheet: Spreadsheet, params: dict[str, list[str]]) -> dict[str, Any]:
    """spreadsheets.get: ``includeGridData``, repeated ``ranges`` and a ``fields`` mask."""
    fields = next(reversed(params.get("fields") or [""]))
    mask = fieldmask.parse(fields) if fields else None
    include = parse_bool((params.get("includeGridData") or ["false"])[-1], "include_grid_data")
    if mask is not None:
        # "This parameter is ignored if a field mask was set in the request": the mask decides.
        include = fieldmask.selects(mask, "sheets", "data")
    ranges = params.get("ranges") or []
    targets = [resolve(spreadsheet, text) for text in ranges] if ranges else None
    return spreadsheet_json(spreadsheet, include_grid=include, targets=targets, mask=mask)


def batch_update(
    spreadsheet: Spreadsheet, body: dict[str, Any], ids: IdSource, principal: str
) -> tuple[Spreadsheet, dict[str, Any]]:
    """Apply all sub-requests to a copy; return it with the response. Any error applies nothing."""
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise bad_request("Must specify at least one request.")
    working = spreadsheet.clone()
    ctx = BatchContext(working, ids, principal)
    replies = []
    for index, request in enumerate(requests):
        if not isinstance(request, dict) or not request:
            raise bad_request(f"Invalid requests[{index}]: No request set.")
        kind, payload = next(iter(request.items()))
        handler = HANDLERS.get(kind)
        if handler is None:
            if kind in KNOWN_KINDS:
                raise bad_request(
                    f"Invalid requests[{index}].{kind}: not supported by the loopback emulator."
                )
            raise unknown_field(kind, f"requests[{index}]")
        if not isinstance(payload, dict | None):
            raise invalid_json_value(f"requests[{index}].{kind}", payload, "a request message")
        try:
            reply = handler(ctx, protojson.strip_nulls(payload or {}))
        except ApiError as error:
            raise error.prefixed(f"Invalid requests[{index}].{kind}: ") from None
        except (TypeError, ValueError) as error:
            # A field of the wrong type (say "rowCount": "many"): Google rejects it while parsing.
            raise bad_request(
                f"Invalid requests[{index}].{kind}: invalid value ({error})"
            ) from None
        replies.append(reply or {})
    sheet_ops.check_limits(working)
    response: dict[str, Any] = {"spreadsheetId": working.spreadsheet_id, "replies": replies}
    if parse_bool(body.get("includeSpreadsheetInResponse"), "include_spreadsheet_in_response"):
        ranges = body.get("responseRanges") or []
        include = parse_bool(body.get("responseIncludeGridData"), "response_include_grid_data")
        targets = [resolve(working, text) for text in ranges] if ranges else None
        response["updatedSpreadsheet"] = spreadsheet_json(
            working, include_grid=include, targets=targets
        )
    return working, response


def create(body: dict[str, Any], spreadsheet_id: str, ids: IdSource) -> Spreadsheet:
    """spreadsheets.create: properties (title, locale, timeZone) and optional sheets with data."""
    body = protojson.strip_nulls(body)
    props = body.get("properties") or {}
    spreadsheet = new_spreadsheet(
        spreadsheet_id,
        props.get("title") or "Untitled spreadsheet",
        locale=props.get("locale") or "en_US",
        time_zone=props.get("timeZone") or "Etc/GMT",
    )
    if "autoRecalc" in props:
        spreadsheet.properties["autoRecalc"] = props["autoRecalc"]
    sheets = body.get("sheets") or []
    if sheets:
        spreadsheet.sheets.clear()
    for position, item in enumerate(sheets):
        sheet_props = item.get("properties") or {}
        taken = {s.sheet_id for s in spreadsheet.sheets}
        # [unverified] Google numbers a lone default sheet 0; the first given sheet gets 0 here too.
        default_id = 0 if position == 0 else ids.sheet_id(taken)
        grid = sheet_props.get("gridProperties") or {}
        sheet = new_sheet(
            int(sheet_props.get("sheetId", default_id)),
            sheet_props.get("title") or f"Sheet{position + 1}",
            position,
            int(grid.get("rowCount", DEFAULT_ROWS)),
            int(grid.get("columnCount", DEFAULT_COLUMNS)),
        )
        sheet.grid.update({k: v for k, v in grid.items() if k not in ("rowCount", "columnCount")})
        for key in ("hidden", "tabColorStyle", "tabColor"):
            if key in sheet_props:
                sheet.properties[key] = protojson.store_colors(sheet_props[key], key)
        for grid_data in item.get("data") or []:
            _seed_grid_data(sheet, grid_data)
        spreadsheet.sheets.append(sheet)
    titles = [s.title.casefold() for s in spreadsheet.sheets]
    if len(set(titles)) != len(titles):
        raise bad_request("Sheet names must be unique.")
    sheet_ops.check_limits(spreadsheet)
    return spreadsheet


def _seed_grid_data(sheet: Any, grid_data: dict[str, Any]) -> None:
    top, left = int(grid_data.get("startRow", 0)), int(grid_data.get("startColumn", 0))
    mask: fieldmask.Mask = {"userEnteredValue": None, "userEnteredFormat": None, "note": None}
    for i, row in enumerate(grid_data.get("rowData") or []):
        for j, cell in enumerate(row.get("values") or []):
            if cell:
                cell_requests.write_cell(
                    sheet, top + i, left + j, cell_requests.prepared_cell(cell), mask
                )
