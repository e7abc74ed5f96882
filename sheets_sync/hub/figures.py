"""What the hub shows of one source: its obligations counted (`tally.py`, so totals add up) and
its overdue ones listed, as of a day; kept in the hub's state as JSON. Pure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sheets_sync.inputs.sections import number_order
from sheets_sync.obligations import Obligation, State
from sheets_sync.tally import Tally, tally


@dataclass(frozen=True, slots=True)
class OverdueLine:
    """One overdue obligation of a source: a row of «Просрочено (все)»."""

    number: str
    title: str
    party: str
    contact: str
    due: date
    days_late: int
    where: str  # the cell to mark, «Сдача отчётов», D5


@dataclass(frozen=True, slots=True)
class Figures:
    """A source as of `day`: its plan's title, the counts, and its overdue obligations."""

    day: date
    title: str
    counts: Tally
    worst: int  # the most days any obligation is overdue
    due_within: int  # open obligations due within the hub's `due_within_days`
    problems: int  # rows of the source's own «Проблемы»
    overdue: tuple[OverdueLine, ...]
    # Why no roadmap line could be read, and the fix ("" when some were): a broken header, a
    # tab missing. The hub lists it in its «Проблемы».
    unreadable: str = ""
    unreadable_fix: str = ""


def figures_of(
    title: str,
    obligations: Sequence[Obligation],
    problems: int,
    today: date,
    due_within_days: int,
    unreadable: tuple[str, str] = ("", ""),
) -> Figures:
    """Return the figures of a source's obligations on `today`."""
    late = sorted(
        (o for o in obligations if o.state == State.OVERDUE),
        key=lambda o: (-o.days_late, number_order(o.item.key), o.party.name),
    )
    soon = sum(
        1
        for o in obligations
        if o.state in (State.DUE_SOON, State.UPCOMING) and 0 <= o.days_left <= due_within_days
    )
    lines = tuple(
        OverdueLine(
            o.item.key,
            f"{o.what} (из п. {o.item.key}: {o.item.title})" if o.what else o.item.title,
            o.party.name,
            o.party.cannot_reach or o.party.contact,
            o.due or today,
            o.days_late,
            f"«{o.mark_ref.tab}», {o.mark_ref.cell}" if o.mark_ref else "",
        )
        for o in late
    )
    worst = max((o.days_late for o in late), default=0)
    return Figures(today, title, tally(obligations), worst, soon, problems, lines, *unreadable)


def to_json(figures: Figures) -> str:
    data = asdict(figures)
    data["day"] = figures.day.isoformat()
    for line in data["overdue"]:
        line["due"] = line["due"].isoformat()
    return json.dumps(data, ensure_ascii=False)


def from_json(text: str) -> Figures | None:
    """Return figures stored by `to_json`, or None when they cannot be read (an old format)."""
    try:
        data: dict[str, Any] = json.loads(text)
        lines = tuple(
            OverdueLine(**{**line, "due": date.fromisoformat(line["due"])})
            for line in data["overdue"]
        )
        return Figures(
            date.fromisoformat(data["day"]),
            str(data["title"]),
            Tally(**data["counts"]),
            int(data["worst"]),
            int(data["due_within"]),
            int(data["problems"]),
            lines,
            str(data.get("unreadable", "")),
            str(data.get("unreadable_fix", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None
