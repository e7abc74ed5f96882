"""The records a roadmap workbook holds, each with the cell it came from. Pure data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sheets_sync.deadlines import Deadline

from .cells import SourceRef
from .problems import Problem

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
    bad_emails: tuple[str, ...] = ()  # what the Email cell holds that is not an address
    email_ref: SourceRef | None = None  # the Email cell, to fix
    municipality: str = ""  # «Муниципалитет»: the roll-up and whose coordinator escalates
    former_codes: tuple[str, ...] = ()  # «Прежний код»: reminders sent under them count
    bounced: tuple[str, ...] = ()  # its addresses whose emails came back: not sent to for now


@dataclass(frozen=True, slots=True)
class Executor:
    name: str
    emails: tuple[str, ...]
    ref: SourceRef
    synonyms: tuple[str, ...] = ()
    bad_emails: tuple[str, ...] = ()
    email_ref: SourceRef | None = None
    # The coordinating body («Роль»: координатор): it collects the schools' reports, so it is
    # never a late party for them; its own tasks are still reminded.
    coordinator: bool = False
    # «Муниципалитет»: a coordinator's is the municipality it answers for (escalations of its
    # schools go to it first); "" for the region's.
    municipality: str = ""
    bounced: tuple[str, ...] = ()  # its addresses whose emails came back: not sent to for now


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
    # The problems that leave an input tab unreadable as a table (a header row or a required
    # column missing): nothing is sent, and only these are in «Проблемы», until they are fixed.
    unreadable: tuple[Problem, ...] = ()
    sections: tuple[str, ...] = field(default=())
    # Where plan_year came from: the settings, the roadmap's title, or today's year.
    plan_year_from: Literal["settings", "title", "today"] = "today"
