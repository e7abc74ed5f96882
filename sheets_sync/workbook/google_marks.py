"""The dates replies bring, checked once more just before they are written to Google Sheets.

The API has no conditional write: a value staff typed into a cell between the cycle's read and
its write would be replaced by the date. So the write first reads back exactly the cells it is
about to fill (one spreadsheets.get) and leaves out those that hold anything now, narrowing the
window from the whole cycle (minutes, with the sending) to one request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sheets_sync.inputs.cells import CellMark, column_letter

from .google_cells import quote_title

MARK_FIELDS = "sheets(properties.title,data(startRow,startColumn,rowData.values.userEnteredValue))"


def mark_ranges(marks: Sequence[CellMark]) -> list[str]:
    """Return each mark's cell as an A1 range ('Сдача отчётов'!F7)."""
    return [f"{quote_title(m.ref.tab)}!{column_letter(m.ref.col)}{m.ref.row}" for m in marks]


def filled_cells(response: Mapping[str, Any]) -> set[tuple[str, int, int]]:
    """Return the (tab, row, column) of every cell holding anything in a spreadsheets.get
    answer with grid data (rows and columns 1-based)."""
    filled = set()
    for sheet in response.get("sheets", []):
        title = sheet.get("properties", {}).get("title", "")
        for data in sheet.get("data", []):
            top, left = data.get("startRow", 0), data.get("startColumn", 0)
            for r, row in enumerate(data.get("rowData", []), start=top + 1):
                for c, value in enumerate(row.get("values", []), start=left + 1):
                    if value.get("userEnteredValue"):
                        filled.add((title, r, c))
    return filled


def still_empty(marks: Sequence[CellMark], filled: set[tuple[str, int, int]]) -> list[CellMark]:
    """Return the marks whose cells are not in `filled`."""
    return [m for m in marks if (m.ref.tab, m.ref.row, m.ref.col) not in filled]
