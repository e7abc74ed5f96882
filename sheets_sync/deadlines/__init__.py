"""Free Russian deadline text -> Deadline (a kind and its due dates). Pure: no I/O, no clock.

    parse_deadline(text, plan_year, *, school_year=False, working_day=None) -> Deadline

Deadline.kind is one of "dates", "ongoing", "on_request", "periodic", "event", "unknown".
Deadline.due_dates is a sorted tuple of dates: empty for on_request, periodic, event and unknown;
the
period end for ongoing. Deadline.explain() is a short Russian description for «Сроки».
The rules, with an example of each, are in docs/deadlines.md.
"""

from .cues import DeadlineKind
from .reading import (
    GUARD_NOTE,
    KIND_LABELS,
    UNDERSTOOD_FORMS,
    Deadline,
    parse_deadline,
    reading_line,
)

__all__ = [
    "GUARD_NOTE",
    "KIND_LABELS",
    "UNDERSTOOD_FORMS",
    "Deadline",
    "DeadlineKind",
    "parse_deadline",
    "reading_line",
]
