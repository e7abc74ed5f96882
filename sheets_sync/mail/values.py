"""What the email templates are given: each reminder as a plain mapping (its own date, what is
due by it, the note, where to submit, when the next reminder comes), and the coordinators'
sections kept to a screenful. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from sheets_sync.inputs.sections import number_order
from sheets_sync.mail.message import one_line
from sheets_sync.reminders import Reminder
from sheets_sync.settings.types import ReminderPolicy
from sheets_sync.stages import StageKind, escalation_on, next_reminder_on
from sheets_sync.wording import shorten

SCREENFUL = 15  # lines of a list in an email before «и ещё N — в таблице»
TITLE = 400  # characters of an item's title shown in an email (a long one is still whole)
TITLE_BESIDE = 160  # ... when what is due by the date is said too (the title is context)


def submit_link(template: str, spreadsheet_url: str, item: str, party: str) -> str:
    """Return where to submit an item: `template` with {spreadsheet_url}, {item} and {school}
    filled in, the item and the school URL-encoded so neither can change the link."""
    if not template:
        return ""
    return template.format(
        spreadsheet_url=spreadsheet_url, item=quote(item, safe=""), school=quote(party, safe="")
    )


def item_values(
    reminder: Reminder,
    policy: ReminderPolicy,
    is_working_day: Callable[[date], bool],
    link: str,
    *,
    plan_over: bool = False,
) -> dict[str, Any]:
    """Return one reminder as the templates read it; once the plan's year is over
    (`plan_over`), no next reminder is promised past the item's escalation."""
    ob = reminder.obligation
    nxt = next_reminder_on(ob, reminder.stage, policy)
    today = ob.due + timedelta(days=ob.days_late) if ob.due and ob.days_late else None
    if nxt and today and reminder.stage.kind is StageKind.OVERDUE:  # repeats keep their gap
        nxt = max(nxt, today + timedelta(days=policy.repeat_overdue_every_days))
    escalate = escalation_on(ob, policy)
    if plan_over and escalate is not None and nxt is not None and escalate <= nxt:
        nxt = None  # the coordinators have it by then, and only they chase it
    escalated = escalate is not None and today is not None and escalate <= today
    return {
        "number": ob.item.key,
        "title": shorten(ob.item.title, TITLE_BESIDE if ob.what else TITLE),
        "what": one_line(ob.what),
        "note": one_line(ob.item.note),
        "section": ob.item.section,
        "due": ob.due,
        "days_late": ob.days_late,
        "days_left": ob.days_left,
        "stage": reminder.stage,
        "stage_label": reminder.stage.label,
        "overdue": ob.days_late > 0,
        "party": one_line(ob.party.name),
        "municipality": one_line(ob.party.municipality),
        "contact": one_line(ob.party.contact),
        "unreachable": ob.party.cannot_reach,
        "reminded": reminder.reminded,
        "url": link,
        "next_on": _working(nxt, is_working_day),
        "escalate_on": _working(escalate, is_working_day)
        if escalate and not escalated and reminder.stage.kind is StageKind.OVERDUE
        else None,
        "escalated": escalated and reminder.stage.kind is StageKind.OVERDUE,
    }


def _working(day: date | None, is_working_day: Callable[[date], bool]) -> date | None:
    """Return the first working day on or after `day` (reminders go out on working days)."""
    if day is None:
        return None
    for _ in range(31):
        if is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def coordinator_values(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Return the coordinators' sections: escalations worst first, the backlog by item, their
    own reminders, and the weekly summary, each cut to a screenful with how many are left."""
    by_kind: dict[StageKind, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_kind[item["stage"].kind].append(item)
    escalated = sorted(by_kind[StageKind.ESCALATION], key=lambda i: -i["days_late"])
    summary = by_kind[StageKind.SUMMARY]
    late = [i for i in summary if i["overdue"]]
    own = by_kind[StageKind.BEFORE] + by_kind[StageKind.OVERDUE]
    return {
        "escalated": escalated[:SCREENFUL],
        "escalated_more": max(len(escalated) - SCREENFUL, 0),
        "escalated_count": len(escalated),
        "escalated_parties": len({i["party"] for i in escalated}),
        "backlog": _backlog(by_kind[StageKind.BACKLOG]),
        "backlog_count": len(by_kind[StageKind.BACKLOG]),
        "own": sorted(own, key=lambda i: (i["due"], number_order(i["number"]))),
        "late": late,
        "late_groups": _worst_first(late),
        "late_groups_more": max(len({i["party"] for i in late}) - SCREENFUL, 0),
        "soon": _soon(summary),
        "soon_count": len(summary) - len(late),
        "sections": _by_section(late),
        "municipalities": _by_municipality(late),
        **_unreachable(summary),
    }


def _unreachable(summary: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the parties of the summary that mail cannot reach, with why (a screenful)."""
    found = sorted(
        {
            (i["party"], i["unreachable"].removeprefix("письма не уходят: "))
            for i in summary
            if i["unreachable"]
        }
    )
    return {
        "unreachable": found[:SCREENFUL],
        "unreachable_more": max(len(found) - SCREENFUL, 0),
    }


def _worst_first(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Return overdue items grouped by party: the most items first, then the longest late;
    a screenful of parties."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item["party"], []).append(item)
    worst = sorted(
        groups.items(), key=lambda kv: (-len(kv[1]), -max(i["days_late"] for i in kv[1]), kv[0])
    )
    return dict(worst[:SCREENFUL])


def _backlog(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the backlog by item and date: how many parties still owe it, and a few names."""
    owed: dict[tuple[date, str], list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        owed[(item["due"], item["number"])].append(item)
    rows = [
        {**group[0], "parties": sorted(i["party"] for i in group)}
        for _, group in sorted(owed.items(), key=lambda kv: (kv[0][0], number_order(kv[0][1])))
    ]
    return rows[:SCREENFUL]


def _soon(summary: list[dict[str, Any]]) -> list[dict[str, Any]]:
    soon: dict[tuple[Any, str], dict[str, Any]] = {}
    for item in summary:
        if not item["overdue"]:
            entry = soon.setdefault((item["due"], item["number"]), {**item, "parties": []})
            entry["parties"].append(item["party"])
    return [soon[k] for k in sorted(soon, key=lambda k: (k[0], number_order(k[1])))][:SCREENFUL]


def _by_municipality(late: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Return how many obligations are overdue in each municipality, the most first (none
    when they are all in one, or no party names one)."""
    counts: dict[str, int] = defaultdict(int)
    for item in late:
        counts[item["municipality"] or "(не указан)"] += 1
    if len(counts) < 2:  # one municipality (a municipal coordinator's summary), or none named
        return []
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:SCREENFUL]


def _by_section(late: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Return how many obligations are overdue in each section, the most first."""
    counts: dict[str, int] = defaultdict(int)
    for item in late:
        counts[item["section"] or "(без раздела)"] += 1
    return sorted(counts.items(), key=lambda kv: -kv[1])
