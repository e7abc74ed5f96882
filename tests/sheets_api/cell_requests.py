"""batchUpdate requests on cells: updateCells, repeatCell, appendCells, merges, sorting,
copy/cut-paste and data validation."""

from __future__ import annotations

import copy
from operator import itemgetter
from typing import Any

from tests.sheets_api import fieldmask, protojson
from tests.sheets_api.batch_context import BatchContext, Reply, handles, require_fields
from tests.sheets_api.cells import Evaluator, has_value
from tests.sheets_api.errors import bad_request
from tests.sheets_api.model import MAX_CELL_CHARS, Sheet
from tests.sheets_api.ranges import grid_limit_error
from tests.sheets_api.values_io import CELL_TOO_LONG

_WRITABLE = ("userEnteredValue", "userEnteredFormat", "note", "dataValidation", "textFormatRuns")
_VALUE_KINDS = ("stringValue", "numberValue", "boolValue", "formulaValue")


def prepared_cell(source: Any) -> dict[str, Any]:
    """Validate one request CellData and keep its writable fields, colours stored as Sheets does."""
    if not isinstance(source, dict):
        raise bad_request("Invalid CellData")
    cell = {key: source[key] for key in _WRITABLE if key in source}
    value = cell.get("userEnteredValue")
    if value is not None:
        kinds = [k for k in value if k in _VALUE_KINDS]
        if len(kinds) != 1 or len(value) != 1:
            raise bad_request(
                "userEnteredValue must set exactly one of stringValue, numberValue, boolValue, formulaValue."
            )
        text = value.get("stringValue") or value.get("formulaValue")
        if isinstance(text, str) and len(text) > MAX_CELL_CHARS:
            raise bad_request(CELL_TOO_LONG)
    if "userEnteredFormat" in cell:
        cell["userEnteredFormat"] = protojson.store_colors(cell["userEnteredFormat"])
    return cell


def write_cell(
    sheet: Sheet, row: int, col: int, source: dict[str, Any], mask: fieldmask.Mask
) -> None:
    """Apply one CellData under a field mask; masked fields missing from ``source`` are cleared."""
    old = sheet.cells.get((row, col), {})
    # Top-level paths replace whole fields, so a shallow copy will do; nested ones edit inside.
    shallow = all(name != "*" and child is None for name, child in mask.items())
    cell = dict(old) if shallow else copy.deepcopy(old)
    paths = fieldmask.apply_update(cell, source, mask)
    if cell.get("note") == "":
        del cell["note"]
    if cell.get("userEnteredValue") == {}:
        del cell["userEnteredValue"]
    fmt = cell.get("userEnteredFormat")
    if isinstance(fmt, dict) and any(p[0] in ("*", "userEnteredFormat") for p in paths):
        fmt = cell["userEnteredFormat"] = copy.deepcopy(fmt)  # it may be shared with the request
        whole = any(
            p in (("*",), ("userEnteredFormat",), ("userEnteredFormat", "*")) for p in paths
        )
        text_whole = whole or ("userEnteredFormat", "textFormat") in paths
        touched = (
            None if whole else {p[1] for p in paths if p[0] == "userEnteredFormat" and len(p) > 1}
        )
        text_touched = (
            None
            if text_whole
            else {
                p[2] for p in paths if p[:2] == ("userEnteredFormat", "textFormat") and len(p) > 2
            }
        )
        protojson.mirror_color_styles(fmt, touched, text_touched)
    if cell:
        sheet.cells[(row, col)] = cell
    else:
        sheet.cells.pop((row, col), None)


@handles("updateCells")
def update_cells(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    mask = fieldmask.parse(require_fields(payload))
    rows = [
        [prepared_cell(c) for c in (row or {}).get("values") or []]
        for row in payload.get("rows") or []
    ]
    if "range" in payload:
        sheet, r0, r1, c0, c1 = ctx.grid(payload["range"])
        if len(rows) > r1 - r0:
            raise bad_request(
                f"Attempting to write row: {r0 + len(rows) - 1}, beyond the last requested row of: {r1 - 1}"
            )
        widest = max((len(row) for row in rows), default=0)
        if widest > c1 - c0:
            # Recorded text (AMWA-TV/nmos-testing#578): 0-based column indices.
            raise bad_request(
                f"Attempting to write column: {c0 + widest - 1}, beyond the last requested column of: {c1 - 1}"
            )
        if r1 > sheet.row_count or c1 > sheet.column_count:
            raise grid_limit_error(
                sheet, min(r1 - 1, sheet.row_count), min(c1 - 1, sheet.column_count)
            )
        covered = set()
        for i, row in enumerate(rows):
            for j, source in enumerate(row):
                write_cell(sheet, r0 + i, c0 + j, source, mask)
                covered.add((r0 + i, c0 + j))
        # Cells of the range that the rows do not reach are cleared for the masked fields.
        for pos in [
            p for p in sheet.cells if r0 <= p[0] < r1 and c0 <= p[1] < c1 and p not in covered
        ]:
            write_cell(sheet, pos[0], pos[1], {}, mask)
        return None
    start = payload.get("start")
    if not isinstance(start, dict):
        raise bad_request("Either 'range' or 'start' must be set.")
    sheet = ctx.sheet(start.get("sheetId"), noun="grid")
    top, left = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    _fits(sheet, top, left, rows)
    for i, row in enumerate(rows):
        for j, source in enumerate(row):
            write_cell(sheet, top + i, left + j, source, mask)
    return None


def _fits(sheet: Sheet, top: int, left: int, rows: list[list[Any]]) -> None:
    if rows and top + len(rows) > sheet.row_count:
        raise grid_limit_error(sheet, sheet.row_count, left)
    widest = max((len(row) for row in rows), default=0)
    if left + widest > sheet.column_count:
        raise grid_limit_error(sheet, top, sheet.column_count)


@handles("repeatCell")
def repeat_cell(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    mask = fieldmask.parse(require_fields(payload))
    sheet, r0, r1, c0, c1 = ctx.grid(payload.get("range") or {})
    source = prepared_cell(payload.get("cell") or {})
    for row in range(r0, r1):
        for col in range(c0, c1):
            write_cell(sheet, row, col, source, mask)
    return None


@handles("appendCells")
def append_cells(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    mask = fieldmask.parse(require_fields(payload))
    sheet = ctx.sheet(payload.get("sheetId"))
    rows = [
        [prepared_cell(c) for c in (row or {}).get("values") or []]
        for row in payload.get("rows") or []
    ]
    # "Adds new cells after the last row with data in a sheet, inserting new rows into the sheet
    # if necessary" (AppendCellsRequest reference); rows holding only formats or notes do not
    # count as data. Columns are not added: a row wider than the sheet is refused, in the words
    # of OpenRefine/OpenRefine#2760 (0-based column indices).
    top = max((row for (row, _), cell in sheet.cells.items() if has_value(cell)), default=-1) + 1
    widest = max((len(row) for row in rows), default=0)
    if widest > sheet.column_count:
        raise bad_request(
            f"Attempting to write column: {sheet.column_count}, beyond the last requested "
            f"column of: {sheet.column_count - 1}"
        )
    if top + len(rows) > sheet.row_count:
        sheet.grid["rowCount"] = top + len(rows)
    for i, row in enumerate(rows):
        for j, source in enumerate(row):
            write_cell(sheet, top + i, j, source, mask)
    return None


def _intersects(merge: dict[str, Any], r0: int, r1: int, c0: int, c1: int) -> bool:
    return bool(
        merge["startRowIndex"] < r1
        and r0 < merge["endRowIndex"]
        and merge["startColumnIndex"] < c1
        and c0 < merge["endColumnIndex"]
    )


@handles("mergeCells")
def merge_cells(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    sheet, r0, r1, c0, c1 = ctx.grid(payload.get("range") or {})
    kind = payload.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ALL":
        boxes = [(r0, r1, c0, c1)]
    elif kind == "MERGE_COLUMNS":
        boxes = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    elif kind == "MERGE_ROWS":
        boxes = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    else:
        raise bad_request(f"Invalid mergeType: {kind}")
    boxes = [b for b in boxes if (b[1] - b[0]) * (b[3] - b[2]) > 1]
    for merge in list(sheet.merges):
        if not _intersects(merge, r0, r1, c0, c1):
            continue
        inside = r0 <= merge["startRowIndex"] and merge["endRowIndex"] <= r1
        if not inside or not (c0 <= merge["startColumnIndex"] and merge["endColumnIndex"] <= c1):
            # [unverified] wording; Sheets refuses merges that cut through an existing one.
            raise bad_request("You can't merge cells that partially overlap an existing merge.")
        sheet.merges.remove(merge)
    for top, bottom, left, right in boxes:
        sheet.merges.append(
            {"sheetId": sheet.sheet_id, "startRowIndex": top, "endRowIndex": bottom,
             "startColumnIndex": left, "endColumnIndex": right}
        )  # fmt: skip
        # Merging keeps only the top-left value.
        for pos in [p for p in sheet.cells if top <= p[0] < bottom and left <= p[1] < right]:
            if pos != (top, left):
                sheet.cells[pos].pop("userEnteredValue", None)
                if not sheet.cells[pos]:
                    del sheet.cells[pos]
    return None


@handles("unmergeCells")
def unmerge_cells(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    sheet, r0, r1, c0, c1 = ctx.grid(payload.get("range") or {})
    sheet.merges[:] = [m for m in sheet.merges if not _intersects(m, r0, r1, c0, c1)]
    return None


@handles("sortRange")
def sort_range(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    sheet, r0, r1, c0, c1 = ctx.grid(payload.get("range") or {})
    evaluator = Evaluator(ctx.spreadsheet)
    specs = payload.get("sortSpecs") or [{"dimensionIndex": c0}]
    columns = [int(spec.get("dimensionIndex", c0)) for spec in specs]
    keys = {r: [_sort_key(evaluator, sheet, r, col) for col in columns] for r in range(r0, r1)}
    order = list(range(r0, r1))
    # One stable pass per key, last key first; blanks stay last whatever the direction.
    for k in reversed(range(len(specs))):
        filled = [(key, r) for r in order if (key := keys[r][k]) is not None]
        blank = [r for r in order if keys[r][k] is None]
        filled.sort(key=itemgetter(0), reverse=specs[k].get("sortOrder") == "DESCENDING")
        order = [r for _, r in filled] + blank
    moved = {
        r: {c: sheet.cells.pop((r, c)) for c in range(c0, c1) if (r, c) in sheet.cells}
        for r in order
    }
    for offset, source_row in enumerate(order):
        for col, cell in moved[source_row].items():
            sheet.cells[(r0 + offset, col)] = cell
    return None


@handles("deleteDuplicates")
def delete_duplicates(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    """Keep the first of rows whose compared columns hold the same values (letter case and
    formatting ignored); the rows below move up within the range."""
    sheet, r0, r1, c0, c1 = ctx.grid(payload.get("range") or {})
    evaluator = Evaluator(ctx.spreadsheet)
    compared = [
        col
        for spec in payload.get("comparisonColumns") or []
        for col in range(int(spec.get("startIndex", c0)), int(spec.get("endIndex", c1)))
    ] or list(range(c0, c1))
    seen: set[tuple[Any, ...]] = set()
    kept: list[int] = []
    for r in range(r0, r1):
        key = tuple(_sort_key(evaluator, sheet, r, col) for col in compared)
        if key not in seen:
            seen.add(key)
            kept.append(r)
    moved = {
        r: {c: sheet.cells.pop((r, c)) for c in range(c0, c1) if (r, c) in sheet.cells}
        for r in range(r0, r1)
    }
    for offset, source_row in enumerate(kept):
        for col, cell in moved[source_row].items():
            sheet.cells[(r0 + offset, col)] = cell
    return {"deleteDuplicates": {"duplicatesRemovedCount": (r1 - r0) - len(kept)}}


def _sort_key(evaluator: Evaluator, sheet: Sheet, row: int, col: int) -> tuple[int, Any] | None:
    value = evaluator.effective(sheet, row, col)
    if value is None:
        return None
    if "numberValue" in value:
        return (0, value["numberValue"])
    if "stringValue" in value:
        return (1, value["stringValue"].casefold())
    if "boolValue" in value:
        return (2, value["boolValue"])
    return (3, "")


_PASTE_FIELDS = {
    "PASTE_NORMAL": ("userEnteredValue", "userEnteredFormat", "note", "dataValidation"),
    "PASTE_VALUES": ("userEnteredValue",),
    "PASTE_FORMAT": ("userEnteredFormat",),
    "PASTE_NO_BORDERS": ("userEnteredValue", "userEnteredFormat", "note", "dataValidation"),
    "PASTE_FORMULA": ("userEnteredValue",),
    "PASTE_DATA_VALIDATION": ("dataValidation",),
}


def _paste(
    sheet: Sheet, top: int, left: int, block: list[list[dict[str, Any]]], paste_type: str
) -> None:
    fields = _PASTE_FIELDS.get(paste_type)
    if fields is None:
        raise bad_request(f"Invalid pasteType: {paste_type}")
    _fits(sheet, top, left, block)
    mask: fieldmask.Mask = {name: None for name in fields}
    for i, row in enumerate(block):
        for j, cell in enumerate(row):
            write_cell(sheet, top + i, left + j, copy.deepcopy(cell), mask)


def _block(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> list[list[dict[str, Any]]]:
    return [[dict(sheet.cells.get((r, c), {})) for c in range(c0, c1)] for r in range(r0, r1)]


@handles("copyPaste")
def copy_paste(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    src, r0, r1, c0, c1 = ctx.grid(payload.get("source") or {})
    dst, d0, d1, e0, e1 = ctx.grid(payload.get("destination") or {})
    block = _block(src, r0, r1, c0, c1)
    if payload.get("pasteOrientation") == "TRANSPOSE":
        block = [list(col) for col in zip(*block, strict=True)]
    height, width = len(block), len(block[0]) if block else 0
    # A destination that is a multiple of the source repeats it; a smaller one gets it all.
    rows_times = max(1, (d1 - d0) // height) if height and (d1 - d0) % height == 0 else 1
    cols_times = max(1, (e1 - e0) // width) if width and (e1 - e0) % width == 0 else 1
    tiled = [
        [block[i % height][j % width] for j in range(width * cols_times)]
        for i in range(height * rows_times)
    ]
    _paste(dst, d0, e0, tiled, payload.get("pasteType", "PASTE_NORMAL"))
    return None


@handles("cutPaste")
def cut_paste(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    src, r0, r1, c0, c1 = ctx.grid(payload.get("source") or {})
    destination = payload.get("destination") or {}
    dst = ctx.sheet(destination.get("sheetId"), noun="grid")
    block = _block(src, r0, r1, c0, c1)
    for pos in [p for p in src.cells if r0 <= p[0] < r1 and c0 <= p[1] < c1]:
        del src.cells[pos]
    top, left = int(destination.get("rowIndex", 0)), int(destination.get("columnIndex", 0))
    _paste(dst, top, left, block, payload.get("pasteType", "PASTE_NORMAL"))
    return None


@handles("setDataValidation")
def set_data_validation(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    sheet, r0, r1, c0, c1 = ctx.grid(payload.get("range") or {})
    rule = payload.get("rule")
    mask: fieldmask.Mask = {"dataValidation": None}
    source = {"dataValidation": rule} if rule else {}
    for row in range(r0, r1):
        for col in range(c0, c1):
            write_cell(sheet, row, col, source, mask)
    return None
