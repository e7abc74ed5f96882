"""Where a value came from: a tab grid, its rows and cells, and their A1 labels. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

Grid = list[list[str]]
"""A tab as a person sees it: rows of formatted cell texts (rows may be ragged)."""


def column_letter(col: int) -> str:
    """Return the spreadsheet letters of 1-based column `col` (1 -> A, 27 -> AA)."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_label(row: int, col: int) -> str:
    """Return the A1 label of a 1-based (row, col), e.g. (14, 5) -> "E14"."""
    return f"{column_letter(col)}{row}"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a value came from: a tab and a 1-based row, and a column when it is one cell."""

    tab: str
    row: int
    col: int = 0

    @property
    def cell(self) -> str:
        return cell_label(self.row, self.col) if self.col else f"строка {self.row}"

    def at(self, col: int) -> SourceRef:
        return SourceRef(self.tab, self.row, col)


@dataclass(frozen=True, slots=True)
class CellMark:
    """A date to write into an empty cell of a staff tab: the day a report arrived."""

    ref: SourceRef
    day: date
