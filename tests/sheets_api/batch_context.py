"""What a ``spreadsheets.batchUpdate`` sub-request handler sees, and the handler registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.sheets_api.errors import bad_request
from tests.sheets_api.model import IdSource, Sheet, Spreadsheet
from tests.sheets_api.ranges import grid_range


@dataclass
class BatchContext:
    """The working copy a batch is applied to, plus who asked and where new ids come from."""

    spreadsheet: Spreadsheet
    ids: IdSource
    principal: str

    def sheet(self, sheet_id: Any, *, noun: str = "sheet") -> Sheet:
        """Return the sheet with ``sheet_id`` (0 when omitted, as proto3 reads it)."""
        found = self.spreadsheet.sheet_by_id(int(sheet_id or 0))
        if found is None:
            raise bad_request(f"No {noun} with id: {int(sheet_id or 0)}")
        return found

    def grid(self, grid: dict[str, Any]) -> tuple[Sheet, int, int, int, int]:
        """Resolve a GridRange (open ends run to the grid's edge); returns (sheet, r0, r1, c0, c1)."""
        if not isinstance(grid, dict):
            raise bad_request("Invalid range")
        sheet = self.sheet(grid.get("sheetId"), noun="grid")
        r0, r1, c0, c1 = grid_range(sheet, grid)
        if r0 < 0 or c0 < 0 or r1 < r0 or c1 < c0:
            raise bad_request("Invalid range: start index must not exceed end index")
        return sheet, r0, r1, c0, c1


Reply = dict[str, Any] | None
Handler = Callable[[BatchContext, dict[str, Any]], Reply]
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register a handler for one request kind, e.g. ``@handles("addSheet")``."""

    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def require_fields(payload: dict[str, Any]) -> str:
    fields = payload.get("fields")
    if not fields:
        # [unverified] wording.
        raise bad_request("At least one field must be specified in 'fields'.")
    return str(fields)
