"""Merged cells as people see them, for both backends. Pure.

A deadline or an executors cell merged over two rows reads, to a person, as belonging to both
rows; a section heading merged across the table's columns reads as one heading. So a merge that
spans several rows gives its value to each row it covers (in its first column), and a merge
across columns only keeps its value in its first cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sheets_sync.inputs.cells import Grid


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged range, 0-based and half-open like Google's GridRange: rows top..bottom-1,
    columns left..right-1."""

    top: int
    left: int
    bottom: int
    right: int


def merge_from_a1(ref: str) -> Merge | None:
    """Return the merge of an A1 range such as "B5:C7" (None if it is not one)."""
    first, _, last = ref.strip().upper().partition(":")
    a, b = _cell(first), _cell(last or first)
    if a is None or b is None:
        return None
    return Merge(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]) + 1, max(a[1], b[1]) + 1)


def _cell(ref: str) -> tuple[int, int] | None:
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    if not letters.isalpha() or not letters.isascii() or not digits:
        return None
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def spread_merges(grid: Grid, merges: Iterable[Merge]) -> Grid:
    """Return `grid` with each merge over several rows showing its value on every row it covers
    (in its first column), within the rows the grid has; `grid` itself is not changed."""
    out = grid
    copied: set[int] = set()
    for m in merges:
        if m.bottom - m.top < 2 or m.top >= len(grid) or m.left >= len(grid[m.top]):
            continue
        value = grid[m.top][m.left]
        if not value:
            continue
        if out is grid:
            out = list(grid)
        for r in range(m.top + 1, min(m.bottom, len(grid))):
            if r not in copied:
                out[r] = list(out[r])
                copied.add(r)
            row = out[r]
            if len(row) <= m.left:
                row.extend([""] * (m.left + 1 - len(row)))
            if not row[m.left]:
                row[m.left] = value
    return out
