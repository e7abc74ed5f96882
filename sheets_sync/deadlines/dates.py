"""Explicit deadlines dated: each found item gets its year (written, carried from the right,
rolled over in a range, or Y) and its due date.

`read_explicit` is the one entry point; the rules it follows are written in the docstring of
`sheets_sync.deadlines`. Pure.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from .items import BadDate, FarYear, Item, find_items
from .rewrites import WEEKDAY_DAY
from .text import Token

WorkingDay = Callable[[date], bool]

# A written year this far from the plan year is a typo («До 10.09.1020» in a 2020 plan), not a
# deadline: a year before the plan's previous one, more than ten years after it, or before 2000.
# Multi-year programmes reach seven years ahead («2020 г.» in a 2013 plan).
PAST_YEARS = 1
FUTURE_YEARS = 10


class Explicit(NamedTuple):
    """The explicit deadlines of a phrase: their due dates and how they were written."""

    dates: tuple[date, ...]
    units: tuple[str, ...]  # of the deadlines kept: day, month, quarter, half, year, school, …
    ongoing: bool  # every kept deadline was written «в течение …»
    ranged: bool  # some deadline is the end of a range


def read_explicit(
    tokens: list[Token],
    plan_year: int,
    shift: int,
    day_of_month: int,
    school_year: bool = False,
    working: WorkingDay | None = None,
) -> Explicit:
    """Return the explicit deadlines of the tokens; raise BadDate for a day that does not exist.

    shift is 1 when the phrase puts its dates in the year after Y («года, следующего за
    отчетным»); day_of_month pins month deadlines to a day («до 5 числа»); school_year reads
    the plan as the school year Y/Y+1 (January to August fall in Y+1).
    """
    items = find_items(tokens)
    kept = [item for item in items if not item.dropped]
    if school_year and not any(t.kind == "Y" or t.year for t in tokens):
        # In a school-year plan a bare half is a half of the school year: «I полугодие» is
        # September to December, «II полугодие» January to May.
        for item in items:
            if item.unit == "half":
                item.unit = "school_half"
    _settle_years(tokens, items, plan_year, shift, school_year)
    low, high = max(plan_year - PAST_YEARS, 2000), plan_year + FUTURE_YEARS
    due: set[date] = set()
    units: list[str] = []
    ongoing = bool(kept)
    for item in kept:
        if not low <= item.year <= high:
            raise FarYear(item.year)
    for item in kept:  # one loop, not four generators: this runs for every phrase
        due.add(_due_date(item, day_of_month, working))
        units.append(item.unit)
        ongoing = ongoing and item.ongoing
    ranged = False
    for item in items:
        if item.opens_pair:
            ranged = True
            break
    return Explicit(tuple(sorted(due)), tuple(units), ongoing, ranged)


def _settle_years(
    tokens: list[Token], items: list[Item], plan_year: int, shift: int, school_year: bool = False
) -> None:
    """Give each item without a written year the nearest year to its right, else Y (+shift);
    in a school-year plan, Y for September to December and Y+1 for January to August."""
    carry = 0
    right: Item | None = None  # the item the carried year was last given to
    barrier = len(tokens)
    from_plan: set[int] = set()
    clauses = any(t[2] == ";" for t in tokens)  # most phrases have one clause: no slices then
    for item in reversed(items):
        if clauses and any(t[2] == ";" for t in tokens[item.last + 1 : barrier]):
            carry = 0
        barrier = item.first
        if item.year:
            if item.unit != "year":  # «Май, ежегодно с 2023 года»: a lone year labels nothing
                carry, right = item.year, item
        elif carry:
            # A list in time order that crosses New Year takes the year written at its end for
            # its last months only: «1 декабря, 2 февраля и 4 мая 2022 года» is December 2021.
            if right is not None and _wraps(tokens, item, right):
                carry -= 1
            item.year = carry
            right = item
        else:
            # «за IV квартал … до 15 января года, следующего за годом …»: the period reported on
            # is in the plan year; only its deadline moves to the next one.
            moved = 0 if item.reported else shift
            item.year = plan_year + moved + (1 if school_year and _in_spring(item) else 0)
            from_plan.add(id(item))
    # A range ends after it starts: an end with no year of its own takes the start's year, and
    # the next one when its month comes earlier («сентябрь – август», «декабрь 2020 – январь»,
    # «за IV квартал – до 20 января»).
    for a, b in itertools.pairwise(items):
        if a.opens_pair and id(b) in from_plan and _end_month(a) and _end_month(b):
            earlier = 1 if _end_month(a) > _end_month(b) else 0
            if school_year and id(a) in from_plan and not 0 < _end_month(a) < 8:
                # The end places a range in the school year: «август – сентябрь» is the
                # August before the September, not the August at the school year's end.
                a.year = b.year - earlier
            elif school_year and id(a) in from_plan:
                # A range from January to July runs in the school year's second year, into the
                # autumn after it: «28.06 - 05.09» is the summer holidays.
                b.year = a.year + earlier
            else:
                b.year = a.year + earlier


def _in_spring(item: Item) -> bool:
    """Whether an item falls in the second calendar year of a school year (January to August),
    including the school year's own end («в течение учебного года», «2 полугодие уч. года»)."""
    if item.unit in ("school", "school_end"):
        return True
    month = _end_month(item)
    return 0 < month < 9


def _wraps(tokens: list[Token], left: Item, right: Item) -> bool:
    """Whether two items of a list («,», «и») run across New Year: a later month, then earlier."""
    between = {t[2] for t in tokens[left.last + 1 : right.first]}
    months = _end_month(left), _end_month(right)
    return bool(between & {",", "и"}) and months[1] > 0 and months[0] > months[1]


def _end_month(item: Item) -> int:
    """The month a dated item ends in; 0 for a year or a school year."""
    if item.unit == "quarter":
        return 3 * item.number
    if item.unit == "half":
        return 6 * item.number
    if item.unit == "school_half":
        return 12 if item.number == 1 else 5
    return item.month if item.unit in ("day", "month", "decade") else 0


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=1)
def russian_working_day() -> WorkingDay:
    """The Russian production calendar's working days; the holidays package loads on first use."""
    from sheets_sync.workdays import WorkCalendar

    return WorkCalendar().is_working_day


def weekday_in_month(
    year: int, month: int, code: int, working: WorkingDay | None = None
) -> date | None:
    """The weekday a code names in a month (see rewrites.WEEKDAY_DAY), or None when the month has no
    such day; «рабочий» counts only the working days `working` allows."""
    nth, weekday, only_working = (code - WEEKDAY_DAY) // 100, (code // 10) % 10, code % 10
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if calendar.weekday(year, month, d) == weekday
    ]
    if only_working:
        is_working = working or russian_working_day()
        days = [d for d in days if is_working(d)]
    if nth == 9:
        return days[-1] if days else None
    return days[nth - 1] if nth <= len(days) else None


def _due_date(item: Item, day_of_month: int, working: WorkingDay | None = None) -> date:
    try:
        return _item_date(item, item.year, day_of_month, working)
    except (ValueError, OverflowError) as exc:
        if item.day >= WEEKDAY_DAY:
            nth, weekday = (item.day - WEEKDAY_DAY) // 100, (item.day // 10) % 10
            raise BadDate(
                f"{nth}-й {_WEEKDAY_NAMES[weekday]} {item.month:02d}.{item.year}"
            ) from exc
        raise BadDate(f"{item.day:02d}.{item.month:02d}.{item.year}") from exc


def _item_date(item: Item, y: int, day_of_month: int, working: WorkingDay | None) -> date:
    """Return the day `item` is due in year `y`; raise ValueError when there is no such day."""
    if item.unit == "day":
        if item.day >= WEEKDAY_DAY:
            found = weekday_in_month(y, item.month, item.day, working)
            if found is None:
                raise ValueError("no such weekday")
            return found
        due = date(y, item.month, item.day)
        return due - timedelta(days=1) if item.eve else due
    if item.unit == "month":
        if day_of_month:
            return date(y, item.month, min(day_of_month, calendar.monthrange(y, item.month)[1]))
        return _month_end(y, item.month)
    if item.unit == "decade":
        return (
            date(y, item.month, 10 * item.number) if item.number < 3 else _month_end(y, item.month)
        )
    return _period_end(item, y)


def _period_end(item: Item, y: int) -> date:
    """Return the end of a quarter, half, school half, school year or year."""
    if item.unit == "quarter":
        return _month_end(y, 3 * item.number)
    if item.unit == "half":
        return _month_end(y, 6 * item.number)
    if item.unit == "school_half":
        return date(y, 12, 31) if item.number == 1 else date(y, 5, 31)
    if item.unit in ("school", "school_end"):
        return date(y, 5, 31)
    return date(y, 12, 31)


_WEEKDAY_NAMES = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
