"""Field masks checked against the schema: the ``fields`` of update requests and the ``fields``
query parameter of reads. A misspelt mask parses as JSON (it is a string), so schema.py cannot
see it; Google refuses it once it reads the mask.

Wordings: for a read, 400 ``Request contains an invalid argument.`` with a BadRequest detail
``Error expanding 'fields' parameter. Cannot find matching fields for path '<path>'.`` (measured
on Sheets by brekkylab/backlot, errors/google.py ``bad_field_mask``). For an update request,
``Invalid requests[i].<kind>: Invalid field: <name>`` follows the same front end's Docs refusal
quoted in public code (``Invalid requests[0].updateParagraphStyle: Invalid field: ...``)
[unverified for Sheets].
"""

from __future__ import annotations

from typing import Any

from tests.sheets_api import fieldmask
from tests.sheets_api.discovery import Discovery
from tests.sheets_api.errors import ApiError

# The message an update request's `fields` mask is rooted at (the reference says so for each:
# "The fields of CellData that should be updated", "The fields that should be updated", ...).
MASK_ROOTS = {
    "appendCells": "CellData",
    "repeatCell": "CellData",
    "updateCells": "CellData",
    "updateBanding": "BandedRange",
    "updateDataSource": "DataSource",
    "updateDeveloperMetadata": "DeveloperMetadata",
    "updateDimensionGroup": "DimensionGroup",
    "updateDimensionProperties": "DimensionProperties",
    "updateEmbeddedObjectBorder": "EmbeddedObjectBorder",
    "updateEmbeddedObjectPosition": "EmbeddedObjectPosition",
    "updateFilterView": "FilterView",
    "updateNamedRange": "NamedRange",
    "updateProtectedRange": "ProtectedRange",
    "updateSheetProperties": "SheetProperties",
    "updateSlicerSpec": "SlicerSpec",
    "updateSpreadsheetProperties": "SpreadsheetProperties",
    "updateTable": "Table",
}


def unknown_paths(api: Discovery, root: str, mask: fieldmask.Mask, prefix: str = "") -> list[str]:
    """The paths of ``mask`` that name no field of message ``root`` (``*`` names them all)."""
    found: list[str] = []
    properties = api.schemas[root].get("properties", {})
    aliases = api.aliases(root)
    for name, sub in mask.items():
        path = f"{prefix}{name}"
        if name == "*":
            continue
        if name not in aliases:
            found.append(path)
            continue
        if sub is None:
            continue
        spec = properties[aliases[name]]
        child = spec.get("$ref") or spec.get("items", {}).get("$ref")
        if child is None:
            if spec.get("type") not in ("any", "object"):
                found.extend(f"{path}.{leaf}" for leaf in sub)
            continue
        found.extend(unknown_paths(api, child, sub, f"{path}."))
    return found


def update_mask_problem(api: Discovery, kind: str, payload: dict[str, Any]) -> str | None:
    """Why Google refuses the ``fields`` mask of one batchUpdate request, or None."""
    root, text = MASK_ROOTS.get(kind), payload.get("fields")
    if root is None or not isinstance(text, str) or not text:
        return None
    try:
        bad = unknown_paths(api, root, fieldmask.parse(text))
    except ApiError as error:  # a mask that does not even parse
        return error.message
    return f"Invalid field: {bad[0]}" if bad else None


def check_update_masks(api: Discovery, body: Any) -> list[str]:
    """The refusals of every ``fields`` mask in a batchUpdate body, prefixed as Google does."""
    problems = []
    for index, request in enumerate((body or {}).get("requests") or []):
        if isinstance(request, dict) and request:
            kind, payload = next(iter(request.items()))
            problem = update_mask_problem(api, kind, payload or {})
            if problem:
                problems.append(f"Invalid requests[{index}].{kind}: {problem}")
    return problems


def read_mask_refusal(api: Discovery, response: str | None, text: str) -> ApiError | None:
    """Google's 400 for a ``fields`` query parameter naming nothing in the ``response`` message."""
    if response is None or not text or api.name != "sheets":
        return None
    try:
        bad = unknown_paths(api, response, fieldmask.parse(text))
    except ApiError:
        return None  # malformed: the read's own parse refuses it
    if not bad:
        return None
    violations = [
        {
            "field": path,
            "description": "Error expanding 'fields' parameter. Cannot find matching fields "
            f"for path '{path}'.",
        }
        for path in bad
    ]
    details = [
        {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations}
    ]
    return ApiError(400, "Request contains an invalid argument.", details=details)
