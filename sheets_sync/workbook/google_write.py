"""A Google write as request bodies: each request serialised once (compact UTF-8 JSON), a tab's
cells in blocks of rows (updateCells each), and the requests packed in order into as few
batchUpdate bodies as stay under Google's 10 MB per request. Pure.

The journal's rows are appended (appendCells adds them below whatever is there, so two writers
never overwrite each other's rows), then `deleteDuplicates` removes any row that is an exact
copy of one above it, in the same batchUpdate: a write applied twice (a retry after a timeout
when Google had applied the first attempt, or two runs journaling the same email) leaves each
row once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sheets_sync.inputs.cells import CellMark
from sheets_sync.report.journal import HEADER, KEYS_COLUMN, WIDTHS, WRAP
from sheets_sync.report.tabs import Cell, Row, Tab

from .google_cells import (
    cell_data,
    grid_size,
    header_requests,
    row_data,
    tab_head,
    width_requests,
)

# Google refuses a request body over 10 MiB ("Request payload size exceeds the limit: 10485760
# bytes"); staying under 10,000,000 bytes keeps every request under 10 MB however counted,
# with room for the URL and headers.
MAX_REQUEST_BYTES = 9_900_000
# A tab's rows go in blocks of a tenth of that: the bodies, packed in order, each end at most a
# block short of the limit, so a split write takes the fewest requests or one more.
BLOCKS = 10
_PREFIX, _SUFFIX = b'{"requests":[', b"]}"


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def pack(units: Iterable[Sequence[bytes]], limit: int = MAX_REQUEST_BYTES) -> list[bytes]:
    """Return batchUpdate bodies holding the requests of `units` in order, as few as stay
    within `limit` bytes each. A unit's requests share a body whenever they fit in one (a
    request larger than `limit` gets a body of its own)."""
    bodies: list[bytes] = []
    current: list[bytes] = []
    size = len(_PREFIX) + len(_SUFFIX)

    def flush() -> None:
        nonlocal current, size
        if current:
            bodies.append(_PREFIX + b",".join(current) + _SUFFIX)
        current, size = [], len(_PREFIX) + len(_SUFFIX)

    for unit in units:
        need = sum(len(r) + 1 for r in unit)
        if current and size + need > limit:
            flush()
        for request in unit:
            if current and size + len(request) + 1 > limit:
                flush()
            current.append(request)
            size += len(request) + 1
    flush()
    return bodies


def _blocks(encoded: Sequence[bytes], budget: int) -> list[tuple[int, int]]:
    """Return [start, end) blocks of consecutive rows whose encodings stay within `budget`."""
    blocks: list[tuple[int, int]] = []
    start = 0
    while start < len(encoded) or not blocks:
        end, size = start, 0
        while end < len(encoded) and (end == start or size + len(encoded[end]) < budget):
            size += len(encoded[end]) + 1
            end += 1
        blocks.append((start, end))
        start = end
    return blocks


def tab_parts(tab: Tab, sheet_id: int, exists: bool, limit: int = MAX_REQUEST_BYTES) -> list[bytes]:
    """Return the requests that make sheet `sheet_id` hold exactly `tab`: its size and colour,
    then its cells in row blocks that each fit in `limit`, then its column widths. The blocks
    together cover the whole (resized) grid, so anything not in the tab is cleared."""
    rows, cols = grid_size(tab)
    parts = [dumps(r) for r in tab_head(tab, sheet_id, exists)]
    wrap = frozenset(tab.wrap)
    encoded = [dumps(row_data(r, cols, wrap, tab.widths)) for r in tab.rows]
    blocks = _blocks(encoded, limit // BLOCKS)
    for start, end in blocks:
        grid = {
            "sheetId": sheet_id,
            "startRowIndex": start,
            "endRowIndex": rows if end >= len(encoded) else end,
            "startColumnIndex": 0,
            "endColumnIndex": cols,
        }
        parts.append(
            b'{"updateCells":{"range":'
            + dumps(grid)
            + b',"rows":['
            + b",".join(encoded[start:end])
            + b'],"fields":"userEnteredValue,userEnteredFormat"}}'
        )
    parts += [dumps(r) for r in width_requests(sheet_id, tab.widths)]
    parts += [dumps(hidden_column(sheet_id, c - 1)) for c in tab.hidden]
    return parts


def journal_parts(
    sheet_id: int,
    name: str,
    exists: bool,
    rows: Sequence[Row],
    drop: int,
    limit: int = MAX_REQUEST_BYTES,
) -> list[list[bytes]]:
    """Return the units of requests that add the journal tab if missing (the keys column
    hidden), remove its first `drop` data rows, and append `rows`, each block of them with the
    removal of duplicated rows in the same unit."""
    requests: list[dict[str, Any]] = []
    if not exists:
        requests += header_requests(sheet_id, name, HEADER, exists=False, color=True, widths=WIDTHS)
        requests.append(hidden_column(sheet_id, KEYS_COLUMN - 1))
    if drop:
        requests.append(
            {
                "deleteDimension": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "ROWS",
                        "startIndex": 1,
                        "endIndex": 1 + drop,
                    }
                }
            }
        )
    units = [[dumps(r)] for r in requests]
    if not rows:
        return units
    encoded = [dumps(row_data(r, 0, frozenset(WRAP), WIDTHS)) for r in rows]
    dedupe = dumps({"deleteDuplicates": {"range": {"sheetId": sheet_id, "startRowIndex": 1}}})
    for start, end in _blocks(encoded, limit // BLOCKS):
        append = (
            b'{"appendCells":{"sheetId":'
            + str(sheet_id).encode()
            + b',"rows":['
            + b",".join(encoded[start:end])
            + b'],"fields":"userEnteredValue,userEnteredFormat"}}'
        )
        units.append([append, dedupe])
    return units


def hidden_column(sheet_id: int, index: int) -> dict[str, Any]:
    return {
        "updateDimensionProperties": {
            "range": {
                "sheetId": sheet_id,
                "dimension": "COLUMNS",
                "startIndex": index,
                "endIndex": index + 1,
            },
            "properties": {"hiddenByUser": True},
            "fields": "hiddenByUser",
        }
    }


def mark_requests(marks: Sequence[CellMark], sheet_ids: Mapping[str, int]) -> list[bytes]:
    """Return the requests that write each date of `marks` into its staff cell, as a date, in
    that cell alone (tabs no longer there are skipped)."""
    requests = []
    for mark in marks:
        sheet_id = sheet_ids.get(mark.ref.tab)
        if sheet_id is None:
            continue
        grid = {
            "sheetId": sheet_id,
            "startRowIndex": mark.ref.row - 1,
            "endRowIndex": mark.ref.row,
            "startColumnIndex": mark.ref.col - 1,
            "endColumnIndex": mark.ref.col,
        }
        cell = cell_data(Cell(mark.day))
        requests.append(
            dumps(
                {
                    "updateCells": {
                        "range": grid,
                        "rows": [{"values": [cell]}],
                        "fields": "userEnteredValue,userEnteredFormat.numberFormat",
                    }
                }
            )
        )
    return requests
