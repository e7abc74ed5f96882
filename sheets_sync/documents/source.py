"""A roadmap document as read, before any meaning is given to it: its paragraphs and table rows
in reading order, each with its place in the document. Every reader (.docx, .xlsx, tab-separated
text) produces this; `documents/roadmap.py` alone decides what the lines mean. Pure data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sheets_sync.inputs.cells import column_letter

Kind = Literal["docx", "xlsx", "text"]


@dataclass(frozen=True, slots=True)
class Line:
    """A paragraph outside any table (`table` 0, one cell) or a row of a table.

    A cell that continues the cell above it (a vertically merged cell) keeps the text of the
    merged cell and its column is in `merged_up`; a cell spanning several columns has its text
    in its first column only, and a row that is one cell across the whole table `spans`."""

    cells: tuple[str, ...]
    table: int = 0  # 1-based table (or sheet) number; 0: a paragraph
    row: int = 0  # 1-based row in its table, or the paragraph's (line's) number
    merged_up: frozenset[int] = frozenset()  # 0-based columns continuing the cell above
    spans: bool = False

    @property
    def filled(self) -> list[str]:
        """Return the texts of the cells that hold any."""
        return [c for c in self.cells if c.strip()]

    @property
    def text(self) -> str:
        return " ".join(c.strip() for c in self.cells if c.strip())


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A document's lines in reading order; `tables` names each table for messages (the
    sheet names of a workbook)."""

    name: str
    kind: Kind
    lines: tuple[Line, ...]
    tables: tuple[str, ...] = ()


def place(doc: SourceDocument, line: Line, col: int = 0) -> str:
    """Return where `line` (and its 1-based column `col`) is, as staff would look for it:
    «таблица 2, строка 5, столбец 3», «лист «План», ячейка C5», «строка 12, столбец 3»."""
    if doc.kind == "xlsx" and line.table:
        sheet = doc.tables[line.table - 1] if line.table <= len(doc.tables) else str(line.table)
        where = f"лист «{sheet}», "
        return where + (f"ячейка {column_letter(col)}{line.row}" if col else f"строка {line.row}")
    if doc.kind == "docx":
        if not line.table:
            return f"абзац {line.row}"
        where = f"таблица {line.table}, строка {line.row}"
    else:
        where = f"строка {line.row}"
    return f"{where}, столбец {col}" if col else where


_HYPHENATED = re.compile(r"[^\W\d_]-$")
_SENTENCE_END = ".;:!?"
_FILLED_LINE = 20  # characters: a shorter line was ended on purpose


def join_broken(before: str, after: str) -> str:
    """Join two pieces of one cell (lines of a copied cell, paragraphs of a Word cell): a word
    hyphenated across them is joined ("плану-" + "графику)"); a long line whose sentence goes
    on in lower case on the next (a line broken by hand to fit the column) continues after a
    space; anything else (a list item, a second deadline, short lines such as «сентябрь» /
    «январь») starts a new line."""
    before, after = before.rstrip(), after.strip()
    if not before or not after:
        return before or after
    if after[:1].islower():
        if _HYPHENATED.search(before):
            return before + after
        last_line = before.rsplit("\n", 1)[-1]
        if before[-1] not in _SENTENCE_END and len(last_line) >= _FILLED_LINE:
            return f"{before} {after}"
    return f"{before}\n{after}"


def join_all(pieces: Iterable[str]) -> str:
    """Return the pieces of one cell joined by `join_broken`, blank pieces left out."""
    text = ""
    for piece in pieces:
        text = join_broken(text, piece)
    return text
