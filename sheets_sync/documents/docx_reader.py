"""A Word document (.docx, python-docx) -> the lines of a `SourceDocument`.

Body paragraphs and the rows of every table come in reading order. A cell's paragraphs are one
cell (`join_broken`). A cell spanning several columns has its text in its first column only; a
row that is one cell across the table `spans`. A vertically merged cell appears in each row it
spans (python-docx repeats it); the rows below the first mark its column as `merged_up`, so the
roadmap reading can treat it as the one cell it is. A number cell whose number Word draws from
an automatic list (empty text, a numbered paragraph) gets that number counted as Word counts
it: one counter per list and level, "1", "1.1", "1.2", "2" (a list's own start value and
format are not read). Nested tables, text boxes, headers and footers are not read.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from sheets_sync.errors import SheetsSyncError

from .source import Line, SourceDocument, join_all

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _ListCounter:
    """Counts numbered paragraphs as Word numbers them: per list, per level."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = defaultdict(list)

    def number(self, paragraph: Paragraph) -> str:
        """Return the automatic number of `paragraph`, or "" if it has none."""
        num = paragraph._p.find(f"{_W}pPr/{_W}numPr")
        list_id = num.find(f"{_W}numId") if num is not None else None
        if num is None or list_id is None:
            return ""
        ilvl = num.find(f"{_W}ilvl")
        level = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        counts = self.counts[list_id.get(f"{_W}val", "")]
        del counts[level + 1 :]
        while len(counts) <= level:
            counts.append(0)
        counts[level] += 1
        return ".".join(str(c) for c in counts[: level + 1])


def read_docx(source: Path | bytes) -> SourceDocument:
    """Return the paragraphs and table rows of a .docx file (or its bytes)."""
    name = source.name if isinstance(source, Path) else "document.docx"
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SheetsSyncError(
            f"{name} is not a readable Word document ({exc.__class__.__name__}): open it in "
            "Word or LibreOffice and save it as Word Document (.docx)"
        ) from exc
    except OSError as exc:
        raise SheetsSyncError(f"cannot read {name}: {exc.strerror}") from exc
    counter = _ListCounter()
    lines: list[Line] = []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs += 1
            counter.number(block)
            if block.text.strip():
                lines.append(Line((block.text.strip(),), 0, paragraphs))
        else:
            tables += 1
            lines.extend(_table_lines(block, tables, counter))
    return SourceDocument(name, "docx", tuple(lines))


def _table_lines(table: Table, number: int, counter: _ListCounter) -> list[Line]:
    lines: list[Line] = []
    texts: dict[Any, str] = {}  # a cell's element -> its text, each cell read once
    above: list[Any] = []
    for r, row in enumerate(table.rows, start=1):
        elements: list[Any] = [None] * row.grid_cols_before
        elements += [cell._tc for cell in row.cells]
        elements += [None] * row.grid_cols_after
        cells: list[str] = []
        merged: set[int] = set()
        for col, tc in enumerate(elements):
            if tc is None or (col and elements[col - 1] is tc):
                cells.append("")  # no cell here, or the rest of a cell spanning columns
                continue
            if col < len(above) and above[col] is tc:
                merged.add(col)
            if tc not in texts:
                texts[tc] = _cell_text(tc, counter)
            cells.append(texts[tc])
        real = [tc for tc in elements if tc is not None]
        spans = len(real) > 1 and all(tc is real[0] for tc in real)
        lines.append(Line(tuple(cells), number, r, frozenset(merged), spans))
        above = elements
    return lines


def _cell_text(tc: Any, counter: _ListCounter) -> str:
    """Return a cell's text: its paragraphs and the lines of each joined; an empty numbered
    paragraph gives its automatic number."""
    pieces: list[str] = []
    for p in tc.iterchildren(f"{_W}p"):
        paragraph = Paragraph(p, None)  # type: ignore[arg-type]
        auto = counter.number(paragraph)
        text = paragraph.text.replace("\t", " ").strip()
        pieces.extend(text.split("\n") if text else [auto])
    return join_all(pieces)
