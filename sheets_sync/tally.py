"""Obligations counted the way a coordinator asks: every obligation with a due date falls in
exactly one bucket, so the totals add up the same in the command line and every tab. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sheets_sync.obligations import DONE_STATES, Obligation, State


@dataclass(frozen=True, slots=True)
class Tally:
    on_time: int = 0  # done by the due date
    late: int = 0  # done after it
    overdue: int = 0
    due_soon: int = 0
    later: int = 0
    not_required: int = 0  # «н/т»: the school owes nothing
    unclear: int = 0  # a due date, but its mark cannot be read
    no_date: int = 0  # on request, on an event, periodic
    unreadable: int = 0  # the deadline itself cannot be read

    @property
    def dated(self) -> int:
        """Obligations with a due date: the sum of the buckets above no_date."""
        return (
            self.on_time
            + self.late
            + self.overdue
            + self.due_soon
            + self.later
            + self.not_required
            + self.unclear
        )

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def required(self) -> int:
        """Obligations with a date that are owed (not «н/т»)."""
        return self.dated - self.not_required

    @property
    def share_done(self) -> float | None:
        """Return the part of what is owed that is done (0..1), or None when nothing is owed."""
        return self.done / self.required if self.required else None


_BUCKET = {
    State.DONE: "on_time",
    State.DONE_LATE: "late",
    State.OVERDUE: "overdue",
    State.DUE_SOON: "due_soon",
    State.UPCOMING: "later",
    State.NOT_REQUIRED: "not_required",
    State.NO_DATE: "no_date",
}


def tally(obligations: Iterable[Obligation]) -> Tally:
    """Return how many obligations are in each bucket."""
    counts = dict.fromkeys(Tally.__dataclass_fields__, 0)
    for ob in obligations:
        if ob.state == State.UNCLEAR:
            counts["unclear" if ob.due else "unreadable"] += 1
        else:
            counts[_BUCKET[ob.state]] += 1
    return Tally(**counts)


def come_due(obligations: Iterable[Obligation], today: date) -> list[Obligation]:
    """Return the owed obligations whose date has come on `today`: past it, or due today and
    done (an item due today and not yet done is not late). Each is done or overdue, so a row
    of them adds up; what was handed in early counts once its date comes."""
    return [
        o
        for o in obligations
        if o.due is not None
        and o.state != State.NOT_REQUIRED
        and (o.due < today or (o.due == today and o.state in DONE_STATES))
    ]
