"""Tab-separated text, as copied out of a Word table (the seeds in `demo/data/`) -> the lines of
a `SourceDocument`. Pure.

Copying a table out of Word breaks long cells over lines: a line whose number cell is empty
continues the row above, cell by cell, and a line with no tab continues the row's last cell
(`join_broken` joins the pieces). Lines with tabs are rows of one table; the others are
paragraphs (the title, section headings between the tables of each section).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sheets_sync.inputs.sections import is_heading, is_separator
from sheets_sync.settings.types import DEFAULT_COLUMNS

from .headers import find_header
from .roadmap import read_roadmap
from .source import Line, SourceDocument, join_broken


def text_document(
    text: str,
    name: str = "text",
    aliases: Mapping[str, Sequence[str]] = DEFAULT_COLUMNS["roadmap"],
) -> SourceDocument:
    """Return the paragraphs and table rows of tab-separated `text`, broken cells joined."""
    rows: list[tuple[int, list[str] | str]] = []  # (line number, cells or a paragraph)
    last: list[str] | None = None  # the row later lines may continue
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or is_separator(line.replace("\t", " ")):
            continue
        if "\t" not in line:
            if last is not None and not is_heading(line):
                last[-1] = join_broken(last[-1], line)
            else:
                rows.append((number, line.strip()))
                last = None
            continue
        cells = [c.strip() for c in line.split("\t")]
        if last is not None and not cells[0]:
            for i, piece in enumerate(cells[: len(last)]):
                last[i] = join_broken(last[i], piece)
            continue
        rows.append((number, cells))
        filled = [c for c in cells if c]
        heading = len(filled) == 1 and filled[0] == cells[0] and is_heading(cells[0])
        if heading:
            last = None
        elif find_header([cells], aliases) is None:
            last = cells
    lines = tuple(
        Line((value,), 0, n) if isinstance(value, str) else Line(tuple(value), 1, n)
        for n, value in rows
    )
    return SourceDocument(name, "text", lines)


@dataclass(slots=True)
class ImportedRoadmap:
    """A roadmap as rows aligned with its first header: a section heading is one cell."""

    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def read_tab_separated(text: str, *, fallback_year: int = 2020) -> ImportedRoadmap:
    """Return the roadmap in tab-separated `text` as rows under its header as written
    (numbers normalised and made unique, sections as one cell): what the demo builds from."""
    roadmap = read_roadmap(text_document(text), fallback_year=fallback_year)
    if not roadmap.header:
        raise ValueError(
            "no header row found (a line with № and columns such as "
            "«Наименование мероприятия», «Сроки реализации»)"
        )
    result = ImportedRoadmap(roadmap.title, list(roadmap.header))
    for line in roadmap.lines:
        if line.kind == "section":
            result.rows.append([line.value("title")])
        else:
            result.rows.append([line.value(name) for name in roadmap.header_names])
    return result
