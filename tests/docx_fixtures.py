"""Word documents made in the tests from their text (python-docx): paragraphs, and tables with
merged section rows, header rows repeated on each page, cells of several paragraphs, vertically
merged cells and automatically numbered cells."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

UP = object()  # a cell merged with the cell above it (a vertical merge)
AUTO = object()  # a cell numbered by a Word list (its text is empty)


@dataclass
class Table:
    """A table: `header` (marked to repeat on each page), then rows: a str is a section row
    merged across the table; a list is a row of cells, each a str (its paragraphs split on
    "\\n\\n"), UP or AUTO; `repeat_header_before` puts the header row again (as a copy made by
    hand) before these row indexes."""

    header: Sequence[str]
    rows: Sequence[str | Sequence[Any]]
    repeat_header_before: Sequence[int] = field(default_factory=tuple)
    column_numbers: bool = False  # a row "1 | 2 | 3 …" under the header


def _repeat_on_each_page(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _numbered(paragraph: Any, level: int = 0, list_id: int = 1) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), str(list_id))
    num.append(ilvl)
    num.append(num_id)
    p_pr.append(num)


def _fill(cell: Any, value: Any) -> None:
    if value is AUTO:
        _numbered(cell.paragraphs[0])
        return
    parts = str(value).split("\n\n")
    cell.text = parts[0]
    for part in parts[1:]:
        cell.add_paragraph(part)


def _rows(spec: Table) -> list[Any]:
    """Return every row of a table: the header (and the column numbers), then the rows with
    the header repeated where asked."""
    rows: list[Any] = [list(spec.header)]
    if spec.column_numbers:
        rows.append([str(i) for i in range(1, len(spec.header) + 1)])
    for index, row in enumerate(spec.rows):
        if index in spec.repeat_header_before:
            rows.append(list(spec.header))
        rows.append(row)
    return rows


def _merge_down(table: Any, rows: list[Any]) -> None:
    """Merge each UP cell with the cells above it, once the texts are in."""
    for r, row in enumerate(rows):
        if isinstance(row, str):
            continue
        for c, value in enumerate(row):
            if value is UP:
                top = r - 1
                while rows[top][c] is UP:
                    top -= 1
                table.cell(top, c).merge(table.cell(r, c))


def _add_table(document: Any, spec: Table) -> None:
    width = len(spec.header)
    rows = _rows(spec)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    _repeat_on_each_page(table.rows[0])
    for r, row in enumerate(rows):
        if isinstance(row, str):
            table.cell(r, 0).merge(table.cell(r, width - 1)).text = row
            continue
        for c, value in enumerate(row):
            if value is not UP:
                _fill(table.cell(r, c), value)
    _merge_down(table, rows)


def make_docx(*blocks: str | Table) -> bytes:
    """Return a .docx with `blocks` in order: a str is a paragraph, a Table a table."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, Table):
            _add_table(document, block)
        else:
            document.add_paragraph(block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
