"""The «Выполнение» cell of the year-end report, in Russian: for each executor, each due date
and what was done by it; for a school report, each due date with how many schools did it (on
time, late), which did not, which were exempt (н/т). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sheets_sync.inputs.records import RoadmapItem
from sheets_sync.obligations import DONE_STATES, Obligation, State
from sheets_sync.wording import DAYS, count, ru_date

MAX_NAMED = 12  # schools named as not done; past that, "и ещё N"


def _late(days: int) -> str:
    return f"с опозданием на {count(days, DAYS)}"


def executor_phrase(ob: Obligation) -> str:
    """Return what one executor's obligation came to: «до 01.03.2020: выполнено 26.02.2020,
    в срок»."""
    due = f"до {ru_date(ob.due)}: " if ob.due else ""
    done_on = ru_date(ob.done_on) if ob.done_on else "(без даты)"
    return (
        due
        + {
            State.DONE: f"выполнено {done_on}, в срок"
            if ob.done_on
            else "выполнено (отметка без даты)",
            State.DONE_LATE: f"выполнено {done_on}, {_late(ob.days_late)}",
            State.OVERDUE: f"не выполнено (просрочено на {count(ob.days_late, DAYS)})",
            State.NOT_REQUIRED: "не требуется",
            State.DUE_SOON: "срок не наступил",
            State.UPCOMING: "срок не наступил",
            State.UNCLEAR: "отметка о выполнении не читается",
            State.NO_DATE: "без срока",
        }[ob.state]
    )


def _undated(item: RoadmapItem) -> str:
    """Return what a line without dates shows: its mark in «Выполнено», if any."""
    mark = item.done
    if mark.kind == "done":
        return (
            "отмечено: выполнено " + ", ".join(ru_date(d) for d in mark.dates)
            if mark.dates
            else "отмечено: выполнено"
        )
    if mark.kind == "not_required":
        return "отмечено: не требуется"
    return "отметки о выполнении нет"


def schools_phrase(due: date, obs: Sequence[Obligation], as_of: date) -> str:
    """Return how the schools did a report due on `due`: «до 01.03.2020: выполнили 25 из 28
    (89 %): в срок 21, с опозданием 4; не выполнили 3: ОО-05, …; н/т 1; сдано 15.02–10.03.2020»."""
    states = [o.state for o in obs]
    exempt = states.count(State.NOT_REQUIRED)
    on_time, late = states.count(State.DONE), states.count(State.DONE_LATE)
    done, required = on_time + late, len(obs) - exempt
    share = f" ({round(100 * done / required)} %)" if required else ""
    text = f"до {ru_date(due)}: выполнили {done} из {required}{share}"
    if late:
        text += f": в срок {on_time}, с опозданием {late}"
    if due >= as_of:
        text += "; срок не истёк"
    missing = sorted(o.party.key for o in obs if o.state == State.OVERDUE)
    if missing:
        named = ", ".join(missing[:MAX_NAMED])
        more = f" и ещё {len(missing) - MAX_NAMED}" if len(missing) > MAX_NAMED else ""
        text += f"; не выполнили {len(missing)}: {named}{more}"
    if exempt:
        text += f"; н/т {exempt}"
    unclear = states.count(State.UNCLEAR)
    if unclear:
        text += f"; отметка не читается у {unclear}"
    dates = sorted(o.done_on for o in obs if o.state in DONE_STATES and o.done_on)
    if dates:
        span = (
            ru_date(dates[0])
            if dates[0] == dates[-1]
            else f"{ru_date(dates[0])}–{ru_date(dates[-1])}"
        )
        text += f"; сдано {span}"
    return text


def item_progress(
    item: RoadmapItem, obs: Sequence[Obligation], as_of: date, schools: int
) -> tuple[str, ...]:
    """Return the «Выполнение» lines of one roadmap line."""
    lines = []
    executors: dict[str, list[Obligation]] = {}
    by_due: dict[date, list[Obligation]] = {}
    for ob in obs:
        if ob.party.kind == "executor":
            executors.setdefault(ob.party.name, []).append(ob)
        elif ob.due is not None:
            by_due.setdefault(ob.due, []).append(ob)
    for name, own in executors.items():
        phrases = [executor_phrase(o) for o in own]
        if own[0].due is None:
            phrases = [_undated(item)]
        prefix = f"{name}: " if len(executors) > 1 or by_due else ""
        lines.append(prefix + "; ".join(phrases))
    if by_due:
        lines.append(f"Школы ({schools}):")
        lines += [schools_phrase(due, by_due[due], as_of) for due in sorted(by_due)]
    if not lines:  # no executor of the plan is in «Ответственные», and no school report
        lines.append(_undated(item))
    return tuple(lines)
