"""The generated tabs as plain data, with the styles both workbook backends render. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

CellValue = str | int | float | date | datetime | None
Style = Literal["", "title", "header", "overdue", "done", "soon", "muted", "bad", "section"]


@dataclass(frozen=True, slots=True)
class StyleSpec:
    fill: str = ""  # RRGGBB
    bold: bool = False
    color: str = ""  # RRGGBB text colour
    size: int = 0  # font size, 0 = default
    wrap: bool = False


# Red, green and amber are the light variants of Google Sheets' palette, readable in print.
STYLES: dict[str, StyleSpec] = {
    "": StyleSpec(),
    "title": StyleSpec(bold=True, size=14),
    "header": StyleSpec(fill="D9D9D9", bold=True, wrap=True),
    "section": StyleSpec(bold=True, fill="EFEFEF"),
    "overdue": StyleSpec(fill="F4CCCC"),
    "done": StyleSpec(fill="D9EAD3"),
    "soon": StyleSpec(fill="FFE599"),
    "bad": StyleSpec(fill="F4CCCC", bold=True),
    "muted": StyleSpec(color="666666"),
}


Align = Literal["", "center", "right"]
PERCENT = "0%"  # a number format: 0.5 shows as 50%


@dataclass(frozen=True, slots=True)
class Cell:
    value: CellValue = None
    style: Style = ""
    # Counts are centred in tables, so a number never runs into the text or number beside it
    # («1» next to item «5» read «15» when both hugged the same border).
    align: Align = ""
    fmt: str = ""  # a number format such as PERCENT; "" for the value's own


Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Tab:
    """A generated tab, rewritten whole each run (the journal is appended to instead)."""

    name: str
    rows: tuple[Row, ...]
    widths: tuple[int, ...] = ()  # column widths, in characters
    frozen_rows: int = 0
    wrap: tuple[int, ...] = ()  # 1-based columns whose long texts wrap onto more lines
    landscape: bool = False  # printed across the page, all its columns on one page width
    hidden: tuple[int, ...] = ()  # 1-based columns kept out of sight (data for the program)

    def values(self) -> list[list[CellValue]]:
        return [[c.value for c in row] for row in self.rows]


def row(*values: CellValue, style: Style = "") -> Row:
    """Return a row of cells sharing one style."""
    return tuple(Cell(v, style) for v in values)
