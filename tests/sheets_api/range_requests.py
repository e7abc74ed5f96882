"""batchUpdate requests on ranges that live beside the cells: named ranges, protected ranges,
basic filters."""

from __future__ import annotations

import copy
from typing import Any

from tests.sheets_api import fieldmask, protojson
from tests.sheets_api.batch_context import BatchContext, Reply, handles, require_fields
from tests.sheets_api.errors import bad_request


def _grid_range(ctx: BatchContext, grid: dict[str, Any]) -> dict[str, Any]:
    """Validate a GridRange and return it as stored (explicit sheetId, indices as given)."""
    sheet, *_ = ctx.grid(grid)
    stored = {"sheetId": sheet.sheet_id}
    for key in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"):
        if key in grid:
            stored[key] = int(grid[key])
    return stored


@handles("addNamedRange")
def add_named_range(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    named = payload.get("namedRange") or {}
    name = named.get("name")
    if not isinstance(name, str) or not name:
        raise bad_request("Named range must have a name.")
    if any(n["name"].casefold() == name.casefold() for n in ctx.spreadsheet.named_ranges):
        raise bad_request(f"Named range with name '{name}' already exists.")
    stored = {
        "namedRangeId": str(named.get("namedRangeId") or ctx.ids.named_range_id()),
        "name": name,
        "range": _grid_range(ctx, named.get("range") or {}),
    }
    ctx.spreadsheet.named_ranges.append(stored)
    return {"addNamedRange": {"namedRange": protojson.order("NamedRange", stored)}}


def _named(ctx: BatchContext, named_range_id: Any) -> dict[str, Any]:
    for named in ctx.spreadsheet.named_ranges:
        if named["namedRangeId"] == str(named_range_id):
            return named
    raise bad_request(f"No named range with id: {named_range_id}")


@handles("deleteNamedRange")
def delete_named_range(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    ctx.spreadsheet.named_ranges.remove(_named(ctx, payload.get("namedRangeId")))
    return None


@handles("updateNamedRange")
def update_named_range(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    source = payload.get("namedRange") or {}
    named = _named(ctx, source.get("namedRangeId"))
    mask = fieldmask.parse(require_fields(payload))
    updated = copy.deepcopy(named)
    fieldmask.apply_update(updated, source, mask)
    updated["namedRangeId"] = named["namedRangeId"]
    if "range" in updated:
        updated["range"] = _grid_range(ctx, updated["range"])
    named.clear()
    named.update(updated)
    return None


@handles("addProtectedRange")
def add_protected_range(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    source = payload.get("protectedRange") or {}
    grid = _grid_range(ctx, source.get("range") or {})
    sheet = ctx.sheet(grid["sheetId"])
    stored: dict[str, Any] = {
        "protectedRangeId": int(source.get("protectedRangeId") or ctx.ids.protected_range_id()),
        "range": grid,
    }
    for key in ("description", "warningOnly", "unprotectedRanges"):
        if source.get(key):
            stored[key] = source[key]
    stored["requestingUserCanEdit"] = True
    # Recorded: the reply shows empty editors, later reads list the owner (the caller) as editor.
    reply = dict(stored, editors={})
    stored["editors"] = {"users": [ctx.principal]}
    sheet.protected_ranges.append(stored)
    return {"addProtectedRange": {"protectedRange": protojson.order("ProtectedRange", reply)}}


@handles("deleteProtectedRange")
def delete_protected_range(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    wanted = int(payload.get("protectedRangeId", -1))
    for sheet in ctx.spreadsheet.sheets:
        for item in sheet.protected_ranges:
            if item["protectedRangeId"] == wanted:
                sheet.protected_ranges.remove(item)
                return None
    raise bad_request(f"No protected range with id: {wanted}")


@handles("setBasicFilter")
def set_basic_filter(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    spec = copy.deepcopy(payload.get("filter") or {})
    sheet, r0, r1, c0, c1 = ctx.grid(spec.get("range") or {})
    # Recorded: an open range is stored with its ends filled in from the grid.
    spec["range"] = {
        "sheetId": sheet.sheet_id,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": c0,
        "endColumnIndex": c1,
    }
    sheet.basic_filter = spec
    return None


@handles("clearBasicFilter")
def clear_basic_filter(ctx: BatchContext, payload: dict[str, Any]) -> Reply:
    ctx.sheet(payload.get("sheetId")).basic_filter = None
    return None
