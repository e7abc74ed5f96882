"""A document's lines -> its roadmap: the one reading shared by .docx, .xlsx and tab-separated
text. Pure.

- The header row is found by meaning (`headers.py`) in the first rows of each table; the text
  above it is the title, and a Roman-numbered heading just above it starts the first section.
  A header repeated on each page (in the same table or a new one), a row numbering the columns,
  blank rows and drawn separators are skipped; a table with no header continues the one before
  when it has as many columns (a table split at a page), else it is reported.
- A section is a row that spans the table, a row whose only text is its number or its title, a
  Roman-numbered row with no deadline, or a heading paragraph between tables
  (`inputs/sections.py` decides what a heading is).
- A row whose number cell (or, with no number, its title cell) continues the cell above it (a
  vertically merged cell) belongs to the line above: its own cells are added to that line's.
  Any other merged cell (a deadline or executors spanning several lines) is one cell given to
  each line it spans, and reported once.
Numbering, sections' numerals and deadlines are then checked by `numbering.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import groupby

from sheets_sync.inputs.plan import names_school_year, plan_year_of
from sheets_sync.inputs.sections import is_heading, is_roman_heading, is_separator
from sheets_sync.settings.types import DEFAULT_COLUMNS

from .headers import Header, find_header, is_column_numbers
from .imported import DOCUMENT_FIELDS, ImportedLine, ImportedPlan
from .numbering import finish
from .source import Line, SourceDocument, place

_NUMBER = re.compile(r"^(?:\d+|[IVXLC]+)(?:\.\d+)*\.?$")
_TITLE_WORDS = ("план", "дорожн", "карт", "програм", "график", "комплекс мер", "перечень")


def read_roadmap(
    doc: SourceDocument,
    aliases: Mapping[str, Sequence[str]] = DEFAULT_COLUMNS["roadmap"],
    *,
    fallback_year: int,
) -> ImportedPlan:
    """Return the roadmap in `doc`; `fallback_year` reads the deadlines of a plan whose title
    names no year."""
    walker = _Walker(doc, aliases)
    for table, block in groupby(_plan_lines(doc, aliases), key=lambda line: line.table):
        lines = list(block)
        if table:
            walker.table(lines)
            continue
        for line in lines:
            walker.text(line)
    roadmap = walker.roadmap
    roadmap.fields = tuple(f for f in DOCUMENT_FIELDS if f in walker.fields)
    roadmap.extra = tuple(walker.extra)
    if walker.header is None:
        roadmap.problem(
            doc.name,
            "не найдена таблица плана: нет строки заголовков со столбцами «Мероприятие» и "
            "«Срок» или «Ответственные»",
            "Проверьте, что план — это таблица с заголовками столбцов (например: № п/п, "
            "Наименование мероприятия, Сроки реализации, Ответственные исполнители).",
        )
    _title(roadmap, walker.above)
    finish(roadmap, fallback_year)
    return roadmap


def _plan_lines(doc: SourceDocument, aliases: Mapping[str, Sequence[str]]) -> list[Line]:
    """Return the lines to read: all of a document's, but of a workbook the first sheet with
    a plan header (its other sheets are lists of schools, report tabs and the like)."""
    if doc.kind != "xlsx":
        return list(doc.lines)
    for _, block in groupby(doc.lines, key=lambda line: line.table):
        sheet = list(block)
        if find_header([line.cells for line in sheet], aliases) is not None:
            return sheet
    return []


def _title(roadmap: ImportedPlan, above: list[str]) -> None:
    """Take the title, plan year and school-year flag from the text above the plan's table:
    the first line that names a plan («План мероприятий», «Дорожная карта») and the lines
    that go on from it (in lower case, or in capitals after a title in capitals)."""
    folded = [t.strip("* ").casefold() for t in above]
    start = next((i for i, t in enumerate(folded) if t.startswith(_TITLE_WORDS)), None)
    if start is None:
        start = next(
            (i for i, t in enumerate(folded) if any(w in t for w in _TITLE_WORDS)),
            max(len(above) - 1, 0),
        )
    parts = above[start : start + 1]
    for text in above[start + 1 :]:
        first = text.strip("* ")[:1]
        if not (first.islower() or (first.isupper() and parts[0].strip("* ").isupper())):
            break
        parts.append(text)
    title = " ".join(t.strip("* ") for t in parts)
    roadmap.title = re.sub(r"\s+", " ", title).strip()[:300]
    texts = [roadmap.title, *above]
    roadmap.plan_year = plan_year_of(texts)
    roadmap.school_year = names_school_year(texts)


class _Walker:
    """Reads a document's blocks in order, remembering the header and the last line."""

    def __init__(self, doc: SourceDocument, aliases: Mapping[str, Sequence[str]]) -> None:
        self.doc, self.aliases = doc, aliases
        self.roadmap = ImportedPlan(doc.name)
        self.header: Header | None = None
        self.above: list[str] = []
        self.last: ImportedLine | None = None
        self.section = ""
        self.fields: set[str] = set()
        self.extra: list[str] = []

    def text(self, line: Line) -> None:
        """A paragraph: above the plan, part of its title; below, a section heading or
        something the plan does not need (a note, a signature)."""
        if self.header is None:
            if line.text:
                self.above.append(line.text)
        elif is_heading(line.text):
            self._section(line.text, line)

    # -- tables ------------------------------------------------------------------------------

    def table(self, lines: list[Line]) -> None:
        found = find_header([line.cells for line in lines], self.aliases)
        if found is not None:
            index, header = found
            for line in lines[:index]:
                self.text(line)
            self._use(header, lines[index])
            rows = lines[index + 1 :]
        elif self.header is not None and _width(lines) == self.header.width:
            rows = lines  # the table goes on after a page break, without its header
        else:
            self._no_header(lines)
            return
        for line in rows:
            self.row(line)

    def _use(self, header: Header, line: Line) -> None:
        if self.header is None:
            self.roadmap.header = header.texts
            while self.above and is_roman_heading(self.above[-1]):  # "I. …" over the header
                heading = self.above.pop()
                self._section(heading, line)
        if "number" not in header.fields and header.fields and not header.texts[0]:
            header = Header(("number", *header.fields[1:]), header.texts)  # «№» left blank
        if self.header is None:
            self.roadmap.header_names = tuple(
                f or t for f, t in zip(header.fields, header.texts, strict=True)
            )
        self.header = header
        self.fields.update(f for f in header.fields if f)
        for text, name in zip(header.texts, header.fields, strict=True):
            if not name and text and text not in self.extra:
                self.extra.append(text)
        if "deadline" not in header.fields:
            self.roadmap.problem(
                place(self.doc, line),
                "в таблице нет столбца сроков",
                "Назовите столбец сроков «Сроки реализации», «Срок исполнения» или «Дата "
                "проведения»; без сроков напоминаний не будет.",
                (line.table, line.row, 0),
            )

    def _no_header(self, lines: list[Line]) -> None:
        where = place(self.doc, lines[0])
        if self.header is None:
            self.roadmap.notes.append(f"{where}: not a plan table (no header row); skipped")
            return
        self.roadmap.problem(
            where,
            f"у таблицы нет строки заголовков, а столбцов в ней {_width(lines)}, не "
            f"{self.header.width}, как в плане; таблица не прочитана",
            "Добавьте в таблицу строку заголовков, как у таблицы плана.",
            (lines[0].table, lines[0].row, 0),
        )

    def row(self, line: Line) -> None:
        assert self.header is not None
        cells = [*line.cells, *[""] * (self.header.width - len(line.cells))]
        text = line.text
        if not text or is_separator(text) or is_column_numbers(cells):
            return
        number = self.header.column("number")
        if self.last is None and number is not None and number in line.merged_up:
            return  # the second row of a two-row header, under its merged «№» cell
        again = find_header([cells], self.aliases)
        if again is not None and "number" in again[1].fields:
            self._use(again[1], line)  # the header again, as each page or section repeats it
            return
        cells = cells[: self.header.width]
        heading = self._heading(line, cells)
        if heading:
            self._section(heading, line)
        elif self.last is not None and self._continues(line, cells):
            self._continue(line, cells)
        else:
            self._item(line, cells)

    def _cell(self, cells: Sequence[str], name: str) -> str:
        assert self.header is not None
        col = self.header.column(name)
        return cells[col].strip() if col is not None else ""

    def _heading(self, line: Line, cells: Sequence[str]) -> str:
        """Return the section heading a row is, or ""."""
        assert self.header is not None
        filled = [c.strip() for c in cells if c.strip()]
        number = self._cell(cells, "number")
        if line.spans or (len(filled) == 1 and is_heading(filled[0])):
            return filled[0]
        if len(filled) == 1:
            col = next(i for i, c in enumerate(cells) if c.strip())
            if self.header.fields[col] in ("number", "title") and not _NUMBER.match(number):
                return filled[0]
        if number and is_roman_heading(number) and not self._cell(cells, "deadline"):
            return " ".join(filled)
        return ""

    def _continues(self, line: Line, cells: Sequence[str]) -> bool:
        assert self.header is not None
        number, title = self.header.column("number"), self.header.column("title")
        if number is not None and number in line.merged_up:
            return True
        return title is not None and title in line.merged_up and not self._cell(cells, "number")

    def _continue(self, line: Line, cells: Sequence[str]) -> None:
        """Add a row's own cells to the line above (its number cell spans both)."""
        assert self.last is not None
        for col, text in enumerate(cells):
            name, piece = self._name(col), text.strip()
            if not name or col in line.merged_up or not piece:
                continue
            before = self.last.values.get(name, "")
            if piece not in before.split("\n"):
                self.last.values[name] = f"{before}\n{piece}" if before else piece

    def _item(self, line: Line, cells: Sequence[str]) -> None:
        item = ImportedLine("item", {}, place(self.doc, line), section=self.section)
        item.pos = (line.table, line.row)
        for col, text in enumerate(cells):
            name = self._name(col)
            if name:
                item.values[name] = text.strip()
                item.cells[name] = place(self.doc, line, col + 1)
                item.cols[name] = col + 1
                if col in line.merged_up:
                    item.merged.add(name)
        self.roadmap.lines.append(item)
        self.last = item

    def _name(self, col: int) -> str:
        """Return the field of column `col`, or its header text for a column with no field."""
        assert self.header is not None
        return self.header.fields[col] or self.header.texts[col]

    def _section(self, text: str, line: Line) -> None:
        self.roadmap.lines.append(ImportedLine("section", {"title": text}, place(self.doc, line)))
        self.section = text
        self.last = None


def _width(lines: list[Line]) -> int:
    return max((len(line.cells) for line in lines), default=0)
