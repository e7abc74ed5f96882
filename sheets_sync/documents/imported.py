"""A roadmap read out of a document: its title and plan year, its sections and lines in order,
and what could not be placed, each with its place in the document. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The fields a roadmap document's columns can hold, in the order a roadmap tab shows them.
DOCUMENT_FIELDS = ("number", "title", "content", "result", "deadline", "owners", "note")


@dataclass(slots=True)
class ImportedLine:
    """A section heading (its text in `values["title"]`) or a roadmap line: its fields and the
    texts of columns with no known field (by their header), with where each cell was."""

    kind: Literal["section", "item"]
    values: dict[str, str]
    place: str  # the row
    cells: dict[str, str] = field(default_factory=dict)  # field -> the cell's place
    pos: tuple[int, int] = (0, 0)  # (table, row), to list problems in the document's order
    cols: dict[str, int] = field(default_factory=dict)  # field -> its 1-based column
    merged: set[str] = field(default_factory=set)  # fields whose cell spans from the row above
    section: str = ""
    group: bool = False  # a group heading over its sub-items (1 over 1.1, 1.2): no deadline

    def value(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something the importer cannot place: where, what, and how to fix it (in Russian)."""

    place: str
    what: str
    fix: str
    order: tuple[int, int, int] = field(default=(0, 0, 0), compare=False)

    def __str__(self) -> str:
        return f"{self.place}: {self.what}. {self.fix}"


@dataclass(slots=True)
class ImportedPlan:
    """The roadmap of a document: `fields` its columns have (in `DOCUMENT_FIELDS` order),
    `extra` the headers of its other columns, `header` its first header row as written."""

    source: str
    title: str = ""
    plan_year: int | None = None
    school_year: bool = False
    checked_year: int = 0  # the year its deadlines were read as of (plan_year, else guessed)
    header: tuple[str, ...] = ()
    header_names: tuple[str, ...] = ()  # per column of `header`: its field, or its text
    fields: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    lines: list[ImportedLine] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[ImportedLine]:
        return [line for line in self.lines if line.kind == "item"]

    @property
    def sections(self) -> list[str]:
        return [line.value("title") for line in self.lines if line.kind == "section"]

    def problem(
        self, place: str, what: str, fix: str, order: tuple[int, int, int] = (0, 0, 0)
    ) -> None:
        self.problems.append(ImportProblem(place, what, fix, order))

    def line_problem(self, line: ImportedLine, name: str, what: str, fix: str) -> None:
        """Add a problem with a line's cell of field `name` (or the line, with no such cell)."""
        order = (*line.pos, line.cols.get(name, 0))
        self.problem(line.cells.get(name, line.place), what, fix, order)
