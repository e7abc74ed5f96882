"""Deadlines anchored to reporting periods: a number of days after each period ends («в течение
10 дней после окончания квартала», «ежеквартально не позже 20-ти дней с окончания отчетного
периода») or before it ends («не позднее чем за 20 дней до истечения текущего квартала»), and a
day of a given month of each quarter («до 15-го числа третьего месяца квартала»). Pure.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from .words import MONTHLY_CUES, QUARTERLY_CUES

_AFTER_END = re.compile(
    r"(\d{1,3})\s*-?\s*(?:ти|х|и|ми|го|ти\s+)?\s*(?:календарн[а-я]*\s+)?(?:дн|день)[а-я]*\s*"
    r"(?:(?:после|с|со|от)\s+(?:дня\s+)?(?:окончани|завершени)[а-я]*\s+|,?\s*следующ[а-я]*\s+за\s+)"
    r"(?:отчетн[а-я]*\s+)?(квартал|месяц|полугоди|период)"
)
# «за 20 дней до истечения текущего квартала», «за 2 недели до наступления календарного года»
# (the year that comes begins when the current one ends).
_BEFORE_END = re.compile(
    r"\bза\s+(\d{1,3})\s*-?\s*(?:ть|ти|х|и|ми)?\s*(?:календарн[а-я]*\s+)?(дн|день|недел)[а-я]*\s+"
    r"до\s+(?:дня\s+)?(?:истечени|окончани|завершени|наступлени)[а-я]*\s+"
    r"(?:текущего\s+|каждого\s+|отчетного\s+|нового\s+|календарного\s+|следующего\s+)?"
    r"(квартал|месяц|полугоди|год)"
)
_QUARTER_MONTH = re.compile(
    r"(\d{1,2})\s*-?[а-я]{0,3}\s+числ[а-я]*\s+(перв|втор|трет|последн)[а-я]*\s+месяц[а-я]*\s+"
    r"(?:каждого\s+)?(?:отчетного\s+)?квартал"
)
_PERIOD_MONTHS = {"квартал": 3, "месяц": 1, "полугоди": 6, "год": 12}
_MONTH_OF_QUARTER = {"перв": 1, "втор": 2, "трет": 3, "последн": 3}

Pinned = tuple[tuple[date, ...], str]


def after_period_end(s: str, plan_year: int, spring: int = 0) -> Pinned | None:
    """«в течение 10 дней после окончания квартала»: each period of Y ends, the days follow."""
    m = _AFTER_END.search(s) if "оконч" in s or "заверш" in s or "следующ" in s else None
    if m is None:
        return None
    days, period = int(m.group(1)), m.group(2)
    if period == "период":  # the reporting period is the one the recurring word names
        if any(cue in s for cue in QUARTERLY_CUES):
            period = "квартал"
        elif any(cue in s for cue in MONTHLY_CUES):
            period = "месяц"
        else:
            return None
    step = _PERIOD_MONTHS[period]
    ends = [_month_end(plan_year, month) for month in range(step, 13, step)]
    due = [_in_school_year(end + timedelta(days=days), plan_year, spring) for end in ends]
    return tuple(sorted(due)), _NOTES[step]


def before_period_end(s: str, plan_year: int, spring: int = 0) -> Pinned | None:
    """«не позднее чем за 20 дней до истечения текущего квартала»: the days before each period of
    Y ends."""
    m = _BEFORE_END.search(s) if "за " in s and " до " in s else None
    if m is None:
        return None
    days = int(m.group(1)) * (7 if m.group(2) == "недел" else 1)
    step = _PERIOD_MONTHS[m.group(3)]
    ends = [_month_end(plan_year, month) for month in range(step, 13, step)]
    due = [_in_school_year(end - timedelta(days=days), plan_year, spring) for end in ends]
    return tuple(sorted(due)), _NOTES[step]


def day_of_quarter_month(s: str, plan_year: int, spring: int = 0) -> Pinned | None:
    """«до 15-го числа третьего месяца квартала»: that day of that month of every quarter."""
    m = _QUARTER_MONTH.search(s) if "квартал" in s else None
    if m is None or not 1 <= int(m.group(1)) <= 31:
        return None
    day, offset = int(m.group(1)), _MONTH_OF_QUARTER[m.group(2)]
    due = []
    for month in range(offset, 13, 3):
        year = plan_year + 1 if plan_year == spring and month < 9 else plan_year
        due.append(date(year, month, min(day, calendar.monthrange(year, month)[1])))
    return tuple(sorted(due)), "ежеквартально"


_NOTES = {1: "ежемесячно", 3: "ежеквартально", 6: "раз в полугодие", 12: "ежегодно"}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _in_school_year(day: date, plan_year: int, spring: int) -> date:
    """A date of January to August of the plan year moves to the next one in a school-year plan."""
    if plan_year != spring or day.year != plan_year or day.month >= 9:
        return day
    year = day.year + 1
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))
