"""The emulator's state: spreadsheets, their sheets and cells, and the ids it hands out.

A cell is stored as the user-entered part of Google's ``CellData`` (``userEnteredValue``,
``userEnteredFormat``, ``note``, ``dataValidation``) so field masks of ``updateCells`` apply to
it directly; effective and formatted values are computed when a response is rendered.
"""

from __future__ import annotations

import copy
import random
import string
from collections import deque
from dataclasses import dataclass, field
from typing import Any

# Copied verbatim from a real metadata response (SpreadsheetTest.test_properties #1).
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}


def _theme_color(kind: str, **rgb: float) -> dict[str, Any]:
    return {"colorType": kind, "color": {"rgbColor": rgb}}


SPREADSHEET_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        _theme_color("TEXT"),
        _theme_color("BACKGROUND", red=1, green=1, blue=1),
        _theme_color("ACCENT1", red=0.25882354, green=0.52156866, blue=0.95686275),
        _theme_color("ACCENT2", red=0.91764706, green=0.2627451, blue=0.20784314),
        _theme_color("ACCENT3", red=0.9843137, green=0.7372549, blue=0.015686275),
        _theme_color("ACCENT4", red=0.20392157, green=0.65882355, blue=0.3254902),
        _theme_color("ACCENT5", red=1, green=0.42745098, blue=0.003921569),
        _theme_color("ACCENT6", red=0.27450982, green=0.7411765, blue=0.7764706),
        _theme_color("LINK", red=0.06666667, green=0.33333334, blue=0.8),
    ],
}

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
ROW_PIXELS = 21
COLUMN_PIXELS = 100
MAX_CELLS = 10_000_000
MAX_COLUMNS = 18_278
MAX_CELL_CHARS = 50_000


@dataclass
class Sheet:
    """One tab: its SheetProperties JSON, cells and the sheet-level objects."""

    properties: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    row_groups: list[dict[str, Any]] = field(default_factory=list)
    column_groups: list[dict[str, Any]] = field(default_factory=list)
    # DimensionProperties overrides by index, e.g. {"pixelSize": 250} or {"hiddenByUser": True}.
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    columns: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid(self) -> dict[str, Any]:
        grid: dict[str, Any] = self.properties["gridProperties"]
        return grid

    @property
    def row_count(self) -> int:
        return int(self.grid.get("rowCount", 0))

    @property
    def column_count(self) -> int:
        return int(self.grid.get("columnCount", 0))


@dataclass
class Spreadsheet:
    """A spreadsheet, who may use it, and its Drive bookkeeping."""

    spreadsheet_id: str
    properties: dict[str, Any]
    sheets: list[Sheet] = field(default_factory=list)
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    # None means anyone with a valid token may use it.
    shared_with: set[str] | None = None
    created_time: str = ""
    modified_time: str = ""
    # Drive's modifiedByMeTime: each account's last change (an edit over the API, or as staff).
    modified_by: dict[str, str] = field(default_factory=dict)

    @property
    def locale(self) -> str:
        return str(self.properties.get("locale", "en_US"))

    @property
    def title(self) -> str:
        return str(self.properties.get("title", ""))

    def ordered_sheets(self) -> list[Sheet]:
        return sorted(self.sheets, key=lambda s: int(s.properties.get("index", 0)))

    def renumber(self) -> None:
        """Make the sheets' ``index`` values 0..n-1 in their current order."""
        for position, sheet in enumerate(self.ordered_sheets()):
            sheet.properties["index"] = position

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        exact = next((s for s in self.sheets if s.title == title), None)
        if exact is not None:
            return exact
        # Sheet names are unique case-insensitively, so a case-insensitive match is unambiguous.
        folded = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == folded), None)

    def total_cells(self) -> int:
        return sum(s.row_count * s.column_count for s in self.sheets)

    def clone(self) -> Spreadsheet:
        """Return a copy to apply a change to, copy-on-write.

        Cells are copied one level deep only: writers replace a cell's values and formats
        instead of editing them in place, so the nested objects can be shared safely.
        """
        memo: dict[int, Any] = {}
        for sheet in self.sheets:
            memo[id(sheet.cells)] = {pos: dict(cell) for pos, cell in sheet.cells.items()}
        return copy.deepcopy(self, memo)

    def touch(self, now: str, by: str | None = None) -> None:
        self.modified_time = now
        if by:
            self.modified_by[by] = now


def new_sheet(sheet_id: int, title: str, index: int, rows: int, columns: int) -> Sheet:
    properties = {
        "sheetId": sheet_id,
        "title": title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": rows, "columnCount": columns},
    }
    return Sheet(properties=properties)


def new_spreadsheet(
    spreadsheet_id: str, title: str, *, locale: str = "en_US", time_zone: str = "Etc/GMT"
) -> Spreadsheet:
    """Return a spreadsheet as Google creates it: one 1000×26 ``Sheet1`` with sheetId 0."""
    properties = {
        "title": title,
        "locale": locale,
        "autoRecalc": "ON_CHANGE",
        "timeZone": time_zone,
        "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
        "spreadsheetTheme": copy.deepcopy(SPREADSHEET_THEME),
    }
    spreadsheet = Spreadsheet(spreadsheet_id=spreadsheet_id, properties=properties)
    spreadsheet.sheets.append(new_sheet(0, "Sheet1", 0, DEFAULT_ROWS, DEFAULT_COLUMNS))
    return spreadsheet


class IdSource:
    """Hands out ids: queued ones first (for replaying recordings), then seeded random ones."""

    KINDS = ("spreadsheets", "sheets", "namedRanges", "protectedRanges")

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)
        self._queues: dict[str, deque[Any]] = {kind: deque() for kind in self.KINDS}

    def queue(self, kind: str, ids: list[Any]) -> None:
        if kind not in self._queues:
            raise ValueError(f"unknown id kind {kind!r}; use one of {', '.join(self.KINDS)}")
        self._queues[kind].extend(ids)

    def _take(self, kind: str) -> Any | None:
        queue = self._queues[kind]
        return queue.popleft() if queue else None

    def spreadsheet_id(self) -> str:
        queued = self._take("spreadsheets")
        if queued is not None:
            return str(queued)
        alphabet = string.ascii_letters + string.digits + "-_"
        return "1" + "".join(self._random.choice(alphabet) for _ in range(43))

    def sheet_id(self, taken: set[int]) -> int:
        queued = self._take("sheets")
        if queued is not None:
            return int(queued)
        while True:
            candidate = self._random.randint(1, 2**31 - 1)
            if candidate not in taken:
                return candidate

    def named_range_id(self) -> str:
        queued = self._take("namedRanges")
        return str(queued) if queued is not None else str(self._random.randint(1, 2**31 - 1))

    def protected_range_id(self) -> int:
        queued = self._take("protectedRanges")
        return int(queued) if queued is not None else self._random.randint(1, 2**31 - 1)
