"""Roadmap documents -> roadmap rows. For now: tab-separated text as copied out of a Word table
(the `seeds/` files): a title, section headings, a header row repeated per section, separator
lines, numbered items, group rows, and cells broken over several lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sheets_sync.inputs.sections import is_heading, is_roman_heading, is_separator, split_heading

_HEADER_WORDS = ("мероприят", "срок", "ответствен", "исполнител")


@dataclass(slots=True)
class ImportedRoadmap:
    """A roadmap as rows: `header`, then rows that are either a section heading (one cell) or
    an item or group row aligned with the header."""

    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _is_header(cells: list[str]) -> bool:
    text = " ".join(cells).casefold()
    return "№" in text and sum(w in text for w in _HEADER_WORDS) >= 2


def _join(before: str, after: str) -> str:
    """Join two pieces of one cell broken over lines ("плану-" + "графику)" -> "плану-графику)")."""
    before, after = before.rstrip(), after.strip()
    if not before or not after:
        return before or after
    if before.endswith("-") and after[:1].islower():
        return before + after
    return f"{before} {after}"


def read_tab_separated(text: str) -> ImportedRoadmap:
    """Return the roadmap in tab-separated `text` (sections, numbering, broken cells joined)."""
    title_lines: list[str] = []
    headings: list[str] = []
    roadmap: ImportedRoadmap | None = None
    last_item: list[str] | None = None
    for raw in text.splitlines():
        line = raw.rstrip("\r\n")
        if not line.strip() or is_separator(line.replace("\t", " ")):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if roadmap is None:
            if "\t" in line and _is_header(cells):
                title = " ".join(t.strip("* ") for t in title_lines)
                roadmap = ImportedRoadmap(re.sub(r"\s+", " ", title).strip(), cells)
                roadmap.rows.extend([h] for h in headings)
            elif is_roman_heading(line):
                headings.append(line.strip())  # a section heading above the first header
            else:
                title_lines.append(line.strip())
            continue
        last_item = _add_line(roadmap, line, cells, last_item)
    if roadmap is None:
        raise ValueError(
            "no header row found (a line with № and columns such as "
            "«Наименование мероприятия», «Сроки реализации»)"
        )
    _number_items(roadmap)
    return roadmap


def _add_line(
    roadmap: ImportedRoadmap, line: str, cells: list[str], last_item: list[str] | None
) -> list[str] | None:
    """Add a line below the header to `roadmap`: a heading, a new row, or the continuation of
    the last row (a cell broken over lines). Return the row later lines may continue."""
    if _is_header(cells):
        return last_item  # the header, repeated before each section
    filled = [c for c in cells if c]
    width = len(roadmap.header)
    if len(filled) == 1 and cells[0] == filled[0] and is_heading(filled[0]):
        roadmap.rows.append([filled[0]])
        return None
    if cells[0] == "" and last_item is not None and "\t" in line:
        # A row broken over lines: the continuation has an empty number cell.
        for i, piece in enumerate(cells[:width]):
            if piece:
                last_item[i] = _join(last_item[i], piece)
        return last_item
    if "\t" not in line and last_item is not None:
        last_item[-1] = _join(last_item[-1], line)
        return last_item
    row = (cells + [""] * width)[:width]
    roadmap.rows.append(row)
    return row


def _number_items(roadmap: ImportedRoadmap) -> None:
    """Normalise item numbers ("1." -> "1"); when numbering restarts in each section, prefix it
    with the section's Roman numeral ("VII" + "8" -> "VII.8") so every number is unique."""
    section = ""
    numbered: list[tuple[str, list[str]]] = []
    for row in roadmap.rows:
        if len(row) == 1:
            section = split_heading(row[0])[0]
            continue
        row[0] = row[0].strip().rstrip(".")
        if row[0]:
            numbered.append((section, row))
    numbers = [row[0] for _, row in numbered]
    if len(numbers) != len(set(numbers)):
        for sec, row in numbered:
            if sec and not row[0].startswith(sec + "."):
                row[0] = f"{sec}.{row[0]}"
