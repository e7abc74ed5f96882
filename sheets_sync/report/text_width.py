"""How wide a text prints, in the characters a column's width is measured in, so that columns
are sized and long texts wrapped before Excel or LibreOffice would break a word. Pure.

The sizes follow DejaVu Sans, which LibreOffice prints in where the workbook's Calibri is not
installed: its letters are wider than Calibri's (Excel has room to spare then), and a bold
header is about a tenth wider again. Within half a character for the tabs' words."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from .tabs import Tab

_NARROW = frozenset(" ,.:;!'|()[]-/iljIJftr")
_WIDE = frozenset("шщжфюыШЩЖФЮЫМmwMW%№@")
_BROAD = frozenset("дмДЦЪ")
WRAP_AFTER = 40  # characters: a longer text in a wrapped column wraps whatever its column
DEFAULT_WIDTH = 8  # a column the tab gives no width keeps the sheet's default
# What a word needs besides its letters not to touch the next column: the cell's inner margins,
# and a little room (LibreOffice breaks a word that misses by a tenth of a character).
MARGIN = 1.0
_SLACK = 0.5  # how far off the sizes here may be


def _char(ch: str) -> float:
    if ch in _NARROW:
        return 0.65
    if ch in _WIDE:
        return 1.7
    return 1.3 if ch.isupper() or ch in _BROAD else 1.05


_WIDEST, _NARROWEST = 1.7, 0.65  # of _char's sizes


@lru_cache(maxsize=1 << 16)  # a tab repeats its names, titles and dates many times
def text_width(text: str, *, bold: bool = False) -> float:
    """Return about how many characters of column width `text` takes on one line."""
    size = sum(map(_char, text))
    return size if bold else 0.9 * size


def fits(text: str, width: int, *, bold: bool = False) -> bool:
    """Whether `text` prints on one line in a column `width` characters wide."""
    scale = 1.0 if bold else 0.9
    if len(text) * _WIDEST * scale + MARGIN <= width:  # fits however wide its letters
        return True
    if len(text) * _NARROWEST * scale + MARGIN > width:  # cannot, however narrow
        return False
    return round(text_width(text, bold=bold) + MARGIN, 6) <= width  # no float noise


def wraps(text: str, width: int) -> bool:
    """Whether a text in one of a tab's `wrap` columns is long enough to wrap: longer than
    WRAP_AFTER characters, or too wide for its column (`width` characters; 0: not known)."""
    return len(text) > WRAP_AFTER or (width > 0 and not fits(text, width))


def lines_of(text: str, width: int) -> int:
    """Return about how many lines `text` takes in a column `width` characters wide, wrapped
    at spaces as Excel and LibreOffice wrap it (a word wider than the column breaks inside)."""
    usable = max(width - MARGIN, 3.0)
    space = text_width(" ")
    lines = 0
    for part in text.split("\n"):
        if len(part) * _WIDEST * 0.9 <= usable:  # one line however wide its letters
            lines += 1
            continue
        line, count = 0.0, 1
        for word in part.split():
            size = text_width(word)
            if line and line + space + size > usable:
                count, line = count + 1, 0.0
            line += (space if line else 0.0) + size
            while line > usable:  # a word longer than the column breaks inside it
                count, line = count + 1, line - usable
        lines += count
    return lines


def header_lines(text: str, width: int) -> list[str]:
    """Return the lines a bold header is meant to print in: as many words a line as fit with
    MARGIN to spare (a word too wide for the column on a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and fits(joined, width, bold=True):
            lines[-1] = joined
        else:
            lines.append(word)
    return lines


def _crowded(text: str, width: int) -> Iterator[str]:
    """Yield what of a header may print against the column's edge: a word too wide for it
    (broken inside), or a line with the next word that may still fit, with nothing to spare."""
    lines = header_lines(text, width)
    for i, line in enumerate(lines):
        if not fits(line, width, bold=True):
            yield line
        elif i + 1 < len(lines):
            joined = f"{line} {lines[i + 1].split()[0]}"
            if text_width(joined, bold=True) <= width + _SLACK:
                yield joined


def crowded_headers(tab: Tab) -> Iterator[tuple[int, str, int]]:
    """Yield (column, text, width) for each header cell (styled «header») of the tab that may
    print against its column's edge: run into the next column or break inside a word."""
    for cells in tab.rows:
        for c, cell in enumerate(cells, start=1):
            if cell.style != "header" or not isinstance(cell.value, str) or c in tab.hidden:
                continue
            width = tab.widths[c - 1] if c <= len(tab.widths) else DEFAULT_WIDTH
            yield from ((c, text, width) for text in _crowded(cell.value, width))
