"""Phrases with no explicit deadline, read by their cue words: recurring dates pinned in Y,
periodic work, on-request work, ongoing work, and spans that start at an unknown moment.

`read_cues` is the entry point; the order of its checks is the precedence of the rules written
in the docstring of `sheets_sync.deadlines`. Pure.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal, NamedTuple

from .periods import after_period_end, before_period_end, day_of_quarter_month
from .words import (
    AFTER_RESULTS_CUES,
    EVENT_CUES,
    FOLLOWING_CUES,
    FREQUENT_CUES,
    HALF_YEARLY_CUES,
    MONTHLY_CUES,
    ON_REQUEST_CUES,
    ONGOING_CUES,
    QUARTERLY_CUES,
    YEARLY_CUES,
)

DeadlineKind = Literal["dates", "ongoing", "on_request", "periodic", "event", "unknown"]


class Reading(NamedTuple):
    """A kind, its due dates and a short Russian note, before it is tied to its phrase."""

    kind: DeadlineKind
    due_dates: tuple[date, ...] = ()
    note: str = ""


# «2-я суббота месяца», «последняя пятница каждого месяца»: a weekday of every month.
_WEEKDAY_OF_MONTH = re.compile(
    r"(?:\d|перв|втор|трет|четв|последн)\S{0,12}\s+"
    r"(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресен[ьи])\S*\s+(?:каждого\s+)?месяц"
)
# «в течение 3 месяцев», «в месячный срок»: counted from a start the phrase does not give.
_RELATIVE_SPAN = re.compile(
    r"течени\w*\s+(?:\d{1,3}|одн\w*|двух|трех|четырех|пяти|десяти)\s*-?\s*(?:х\s+)?"
    r"(?:дн|недел|месяц|лет|час|рабоч|календарн)"
    r"|(?:месячн|недельн|дневн)[а-я]{0,12}\s+срок"
    r"|течени\w*\s+(?:одного\s+|одной\s+)?(?:дня|суток|недели|месяца)\b"
    # «не менее чем за 30 календарных дней до начала …», «через 10 дней после …»
    r"|(?:за|через|позднее|позже|ранее)\s+\d{1,3}\s*(?:-?\s*[хи]\s+)?"
    r"(?:календарн\w*\s+|рабоч\w*\s+)?(?:дн|сут|недел|месяц|час)"
)
# «не позднее чем за день до экзамена», «через неделю после утверждения»: from a named event.
_SPAN_FROM_EVENT = re.compile(
    r"\b(?:за|через)\s+(?:\d{1,3}\s*-?\s*[а-я]{0,2}\s+|[а-я]+\s+)?(?:календарн[а-я]*\s+|рабоч[а-я]*\s+)?"
    r"(?:дн|день|сут|недел|месяц|час)[а-я]*\s+(?:до|после|с|со|от)\b"
)
# «в течение квартала», «в течение 1 четверти»: a period the phrase does not date (which
# quarter?), or a school term whose dates only the school's calendar gives.
_UNDATED_PERIOD = re.compile(
    r"течени\w*\s+(?:(?:всей|всего|[\divx]+(?:-?[а-я]{1,3})?|перв\w*|втор\w*|трет\w*|четв\w*"
    r"|последн\w*)\s+)?(?:квартал|полугоди|четверт|триместр|семестр)"
)
# «по особому плану», «согласно годовому плану», «по скользящему графику»: an outside plan.
_BY_PLAN = re.compile(r"\b(?:по|согласно)\s+(?:[а-я-]+\s+){0,2}(?:план(?!ир)|график|распис)")


def _any_of(*cue_lists: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of the cues in a phrase: `search` is `any(cue in s …)`, faster."""
    return re.compile("|".join(re.escape(cue) for cues in cue_lists for cue in cues))


_ON_REQUEST = _any_of(ON_REQUEST_CUES)
_EVENT = _any_of(EVENT_CUES)
_ONGOING = _any_of(ONGOING_CUES)
_YEARLY = _any_of(YEARLY_CUES)
_AFTER_RESULTS = _any_of(AFTER_RESULTS_CUES)
_RECURRING = _any_of(MONTHLY_CUES, QUARTERLY_CUES)
_MONTHLY = _any_of(MONTHLY_CUES)
_QUARTERLY = _any_of(QUARTERLY_CUES)
_HALF_YEARLY = _any_of(HALF_YEARLY_CUES)
_FOLLOWING = _any_of(FOLLOWING_CUES)
_DAY_OF_MONTH = re.compile(r"(\d{1,2})(?:-?(?:го|е|ое))?\s+числ")
# «до 6-го рабочего дня месяца, следующего за отчетным»: a working day counted in each month;
# «не позднее 15 рабочих дней, следующих за отчетным кварталом»: the 15th of the month after.
_WORKING_DAY_OF_MONTH = re.compile(
    r"(\d{1,2})\s*-?\s*(?:го|й|ый|ого)?\s+рабоч[а-я]*\s+(?:дн|день)[а-я]*\s*,?\s*"
    r"(?:(?:каждого\s+)?месяц|следующих\s+за\s+отчетн)"
)
# «до 20-го числа месяца, предшествующего очередному кварталу»: the last month of each quarter.
_BEFORE_QUARTER = re.compile(r"месяц[а-я]*,?\s+предшествующ[а-я]*\s+(?:[а-я]+\s+)?квартал")
WorkingDay = Callable[[date], bool]


def read_cues(
    s: str, plan_year: int, school_year: bool = False, working: WorkingDay | None = None
) -> Reading:
    """Return the reading of a normalised phrase that holds no explicit deadline.

    With school_year, dates pinned in January to August of Y fall in Y+1 (the school year
    Y/Y+1), each computed in its own year: February has the length of that year's February.
    ``working`` decides which days a working day counted in a month («6-й рабочий день») may be."""
    on_request = _ON_REQUEST.search(s) is not None or _BY_PLAN.search(s) is not None
    if on_request:
        return Reading("on_request")
    if _WEEKDAY_OF_MONTH.search(s):
        return Reading("periodic", note="день недели каждого месяца")
    spring = plan_year if school_year else 0
    reported = (
        after_period_end(s, plan_year, spring)
        or before_period_end(s, plan_year, spring)
        or day_of_quarter_month(s, plan_year, spring)
    )
    if reported is not None:
        return Reading("dates", reported[0], reported[1])
    pinned = _recurring_dates(s, plan_year, school_year, working)
    if pinned is not None:  # «до 15 числа …, а при приеме на работу — …»: the dates stay
        return pinned
    if _EVENT.search(s):
        return Reading("event", note="срок наступает по событию")
    for cue, label in FREQUENT_CUES:
        if cue in s:
            return Reading("periodic", note=label)
    return _undated_reading(s, plan_year)


def _undated_reading(s: str, plan_year: int) -> Reading:
    """Return the reading of a phrase with neither dates nor recurring rules: an event, a
    period worked through, on request after results, or unknown."""
    if _RELATIVE_SPAN.search(s) or _SPAN_FROM_EVENT.search(s):
        return Reading("event", note="срок отсчитывается от события")
    if _UNDATED_PERIOD.search(s):
        return Reading("unknown", note="сроки периода не названы")
    if _ONGOING.search(s):
        if "учебн" in s or " уч " in f" {s} " or "уч." in s:
            return Reading("ongoing", (date(plan_year, 5, 31),), "в течение учебного года")
        return Reading("ongoing", (date(plan_year, 12, 31),), "в течение года")
    if _YEARLY.search(s):
        return Reading("ongoing", (date(plan_year, 12, 31),), "ежегодно")
    if _AFTER_RESULTS.search(s):
        return Reading("on_request")
    return Reading("unknown")


def is_recurring(s: str) -> bool:
    """Return whether the phrase names monthly or quarterly work («ежемесячно», «ежеквартально»)."""
    return _RECURRING.search(s) is not None


def names_rules(s: str) -> bool:
    """Return whether the phrase names recurring work or a month after a reporting period."""
    return _RECURRING.search(s) is not None or _FOLLOWING.search(s) is not None


def day_of_month(s: str) -> int:
    """The day in «до 5 числа», «до 20-го числа»; 0 when there is none (or no such day)."""
    m = _DAY_OF_MONTH.search(s) if "числ" in s else None
    day = int(m.group(1)) if m else 0
    return day if 1 <= day <= 31 else 0


def _recurring_dates(
    s: str, plan_year: int, school_year: bool, working: WorkingDay | None = None
) -> Reading | None:
    """Dates pinned in Y by recurring words, with no explicit deadline in the phrase; a working
    day counted in a month («до 6-го рабочего дня месяца, следующего за отчетным») is that day of
    each month's working days."""
    nth = _working_day_number(s)
    reading = _pinned_by_cues(s, plan_year, school_year, nth or day_of_month(s))
    if nth and reading is not None:
        return reading._replace(due_dates=_working_days(reading.due_dates, nth, working))
    return reading


def _pinned_by_cues(s: str, plan_year: int, school_year: bool, day: int) -> Reading | None:
    """The recurring words' dates: `day` of each month they name (0: the period's end)."""
    following = _FOLLOWING.search(s) is not None
    quarterly = _QUARTERLY.search(s) is not None or (following and "квартал" in s)
    monthly = _MONTHLY.search(s) is not None
    half_yearly = _HALF_YEARLY.search(s) is not None
    y = plan_year
    spring = plan_year if school_year else 0  # the year whose January to August move on
    if following and ("отчетным годом" in s or "за отчетным год" in s) and day:
        return Reading("dates", (date(y + 1, 1, min(day, 31)),), "ежегодно")
    if quarterly:
        if day and "предшеств" in s and _BEFORE_QUARTER.search(s):
            return _pinned([(y, 3), (y, 6), (y, 9), (y, 12)], day, "ежеквартально", spring)
        if day:  # the given day of the month after each quarter
            return _pinned([(y, 4), (y, 7), (y, 10), (y + 1, 1)], day, "ежеквартально", spring)
        return _pinned([(y, 3), (y, 6), (y, 9), (y, 12)], 31, "ежеквартально", spring)
    if half_yearly:
        return _pinned([(y, 6), (y, 12)], 31, "раз в полугодие", spring)
    if day and following:
        return _pinned([(y, mo) for mo in range(2, 13)] + [(y + 1, 1)], day, "ежемесячно", spring)
    if monthly or day:
        return _pinned([(y, mo) for mo in range(1, 13)], day or 31, "ежемесячно", spring)
    return None


def _working_day_number(s: str) -> int:
    """The N in «до N-го рабочего дня месяца»; 0 when there is none."""
    m = _WORKING_DAY_OF_MONTH.search(s) if "рабоч" in s else None
    n = int(m.group(1)) if m else 0
    return n if 1 <= n <= 23 else 0


def _working_days(
    pinned: tuple[date, ...], nth: int, working: WorkingDay | None
) -> tuple[date, ...]:
    """The nth working day of each pinned date's month (the last one when a month has fewer)."""
    if working is None:
        from .dates import russian_working_day

        working = russian_working_day()
    due = []
    for day in pinned:
        d, count, last = date(day.year, day.month, 1), 0, None
        while d.month == day.month and count < nth:
            if working(d):
                count, last = count + 1, d
            d += timedelta(days=1)
        due.append(last or day)
    return tuple(sorted(due))


def _pinned(months: list[tuple[int, int]], day: int, note: str, spring: int = 0) -> Reading:
    """The given day of each month (31: the month's last day), as a recurring reading; months
    January to August of the year `spring` (a school year's first year) fall a year later."""
    due = (_day_in(y + (y == spring and m < 9), m, day) for y, m in months)
    return Reading("dates", tuple(sorted(due)), note)


def _day_in(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
