"""A1 notation: parsing request ranges and echoing them the way Google does.

Echo rules come from the cassettes (spec §5.3): the sheet title is quoted unless it is a plain
ASCII word that cannot be mistaken for a cell, a one-cell box is written without ``:``, open ends
are filled in from the grid, and reversed corners are normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})?\$?([0-9]+)?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z0-9_]+$")
_CELL_LIKE_TITLE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
_R1C1_LIKE_TITLE = re.compile(r"^[Rr][0-9]*[Cc][0-9]*$")


def column_letters(index: int) -> str:
    """Return the column label for a 0-based column index (0 -> "A", 26 -> "AA")."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Return the 0-based index of a column label ("A" -> 0)."""
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def quote_title(title: str) -> str:
    """Return the sheet title as Google echoes it in ranges.

    Recorded: ``Sheet1`` bare; ``'D3'``, ``'🌵 test_values_get 1'`` and titles with spaces quoted.
    Non-ASCII titles are quoted (``'Лист1'!A1:Z1000`` appears in public code asserting on real
    responses). Titles starting with a digit or looking like R1C1 are quoted too [unverified].
    """
    needs_quotes = (
        not _PLAIN_TITLE.match(title)
        or _CELL_LIKE_TITLE.match(title)
        or _R1C1_LIKE_TITLE.match(title)
        or title[:1].isdigit()
    )
    if needs_quotes:
        return "'" + title.replace("'", "''") + "'"
    return title


@dataclass(frozen=True)
class Bounds:
    """Half-open row/column bounds; ``None`` ends are open (run to the grid's edge)."""

    r0: int
    r1: int | None
    c0: int
    c1: int | None

    @property
    def single_cell(self) -> bool:
        return self.r1 == self.r0 + 1 and self.c1 == self.c0 + 1


WHOLE_SHEET = Bounds(0, None, 0, None)


def parse_cells(text: str) -> Bounds | None:
    """Parse ``A1``, ``A1:B2``, ``A:B``, ``2:3``, ``A1:B``, ``A2:2``; ``None`` if not A1 notation."""
    start, colon, end = text.partition(":")
    first = _parse_corner(start)
    if first is None or first == (None, None):
        return None
    if not colon:
        col, row = first
        if col is not None and row is not None:
            return Bounds(row, row + 1, col, col + 1)
        if col is not None:
            return Bounds(0, None, col, col + 1)
        assert row is not None
        return Bounds(row, row + 1, 0, None)
    second = _parse_corner(end)
    if second is None or second == (None, None):
        return None
    (c_start, r_start), (c_end, r_end) = first, second
    if r_start is not None and r_end is not None and r_start > r_end:
        r_start, r_end = r_end, r_start
    if c_start is not None and c_end is not None and c_start > c_end:
        c_start, c_end = c_end, c_start
    return Bounds(
        r_start or 0,
        None if r_end is None else r_end + 1,
        c_start or 0,
        None if c_end is None else c_end + 1,
    )


def _parse_corner(text: str) -> tuple[int | None, int | None] | None:
    match = _CELL.match(text)
    if not match:
        return None
    letters, digits = match.groups()
    if digits is not None and int(digits) == 0:
        return None
    col = column_index(letters) if letters else None
    row = int(digits) - 1 if digits else None
    return col, row


def split_sheet(text: str) -> tuple[str | None, str | None, bool]:
    """Split ``'Title'!A1`` into (title, cells, quoted); ``None`` parts are absent.

    An unquoted text without ``!`` comes back as (text, None, False): the caller decides whether
    it names a sheet, a named range or cells on the first sheet.
    """
    if text.startswith("'"):
        title, index = _read_quoted(text)
        if title is None:
            return None, None, True
        rest = text[index:]
        if not rest:
            return title, None, True
        if rest.startswith("!") and len(rest) > 1:
            return title, rest[1:], True
        return None, None, True
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells or None, False
    return text, None, False


def _read_quoted(text: str) -> tuple[str | None, int]:
    out = []
    index = 1
    while index < len(text):
        char = text[index]
        if char == "'":
            if text[index + 1 : index + 2] == "'":
                out.append("'")
                index += 2
                continue
            return "".join(out), index + 1
        out.append(char)
        index += 1
    return None, index


def cell_label(row: int, col: int) -> str:
    """Return ``B3`` for row 2, column 1 (both 0-based)."""
    return f"{column_letters(col)}{row + 1}"


def echo(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """Return a resolved box as Google echoes it, e.g. ``Sheet1!A1:Z1000`` or ``'D3'!B2``."""
    start = cell_label(r0, c0)
    if r1 - r0 <= 1 and c1 - c0 <= 1:
        return f"{quote_title(title)}!{start}"
    return f"{quote_title(title)}!{start}:{cell_label(r1 - 1, c1 - 1)}"
