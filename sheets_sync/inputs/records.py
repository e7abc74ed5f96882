"""The records a roadmap workbook holds, each with the cell it came from. Pure data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sheets_sync.deadlines import Deadline

Grid = list[list[str]]
"""A tab as a person sees it: rows of formatted cell texts (rows may be ragged)."""


def column_letter(col: int) -> str:
    """Return the spreadsheet letters of 1-based column `col` (1 -> A, 27 -> AA)."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_label(row: int, col: int) -> str:
    """Return the A1 label of a 1-based (row, col), e.g. (14, 5) -> "E14"."""
    return f"{column_letter(col)}{row}"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a value came from: a tab and a 1-based row, and a column when it is one cell."""

    tab: str
    row: int
    col: int = 0

    @property
    def cell(self) -> str:
        return cell_label(self.row, self.col) if self.col else f"строка {self.row}"

    def at(self, col: int) -> SourceRef:
        return SourceRef(self.tab, self.row, col)


@dataclass(frozen=True, slots=True)
class Problem:
    """A data problem for «Проблемы»: which tab and cell, what is wrong, how to fix it."""

    tab: str
    cell: str
    what: str
    fix: str

    @classmethod
    def at(cls, ref: SourceRef | None, tab: str, what: str, fix: str) -> Problem:
        return cls(tab if ref is None else ref.tab, "" if ref is None else ref.cell, what, fix)


MarkKind = Literal["empty", "done", "not_required", "not_done", "unclear"]


@dataclass(frozen=True, slots=True)
class Mark:
    """A cell that records completion: a date a report arrived, a mark, н/т, or nothing."""

    kind: MarkKind
    dates: tuple[date, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class RoadmapItem:
    key: str
    number: str
    section: str
    title: str
    deadline: Deadline
    owners_text: str
    executors: tuple[str, ...]
    school_report: bool
    ref: SourceRef
    deadline_ref: SourceRef
    deadline_overridden: bool = False
    content: str = ""
    done: Mark = Mark("empty")
    done_ref: SourceRef | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class School:
    code: str
    name: str
    emails: tuple[str, ...]
    ref: SourceRef
    contact: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class Executor:
    name: str
    emails: tuple[str, ...]
    ref: SourceRef
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Submission:
    """One cell of «Сдача отчётов»: what `school` recorded for item `item` due on `due`."""

    school: str
    item: str
    due: date
    mark: Mark
    ref: SourceRef


@dataclass(frozen=True, slots=True)
class Records:
    title: str
    plan_year: int
    items: tuple[RoadmapItem, ...]
    schools: tuple[School, ...]
    executors: tuple[Executor, ...]
    submissions: Mapping[tuple[str, str, date], Submission]
    submission_columns: frozenset[tuple[str, date]]
    problems: tuple[Problem, ...]
    # False when «Сдача отчётов» is missing or unreadable: school states are then unknown, and
    # nobody is reminded of school reports (a broken column must not mail every school).
    submissions_readable: bool = True
    school_year: bool = False  # the plan runs September plan_year to August plan_year + 1
    sections: tuple[str, ...] = field(default=())
