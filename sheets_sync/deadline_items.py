"""Explicit deadlines in a tokenised phrase: dates, days of a month, months, quarters, halves,
decades, years and school years, with ranges, reported periods and missing years settled.

`read_explicit` is the one entry point; the rules it follows are written in the docstring of
`sheets_sync.deadlines`. Pure.
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sheets_sync.deadline_text import Token
from sheets_sync.deadline_words import EVE_WORDS


class BadDate(Exception):
    """A date-like part of the phrase names a day that does not exist."""


class Explicit(NamedTuple):
    """The explicit deadlines of a phrase: their due dates and how they were written."""

    dates: tuple[date, ...]
    units: tuple[str, ...]  # of the deadlines kept: day, month, quarter, half, year, school, …
    ongoing: bool  # every kept deadline was written «в течение …»
    ranged: bool  # some deadline is the end of a range


def read_explicit(tokens: list[Token], plan_year: int, shift: int, day_of_month: int) -> Explicit:
    """Return the explicit deadlines of the tokens; raise BadDate for a day that does not exist.

    shift is 1 when the phrase puts its dates in the year after Y («года, следующего за
    отчетным»); day_of_month pins month deadlines to a day («до 5 числа»).
    """
    items = _explicit_items(tokens)
    _mark_dropped(tokens, items)
    kept = [item for item in items if not item.dropped]
    _settle_years(tokens, items, plan_year, shift)
    dates = tuple(sorted({_due_date(item, day_of_month) for item in kept}))
    return Explicit(
        dates,
        tuple(item.unit for item in kept),
        bool(kept) and all(item.ongoing for item in kept),
        any(item.opens_pair for item in items),
    )


@dataclass(slots=True)
class _Item:
    """One explicit deadline found in the phrase, before its year is settled."""

    unit: str  # day, month, decade, quarter, half, year, school
    first: int  # token index where it starts
    last: int  # token index where it ends
    month: int = 0
    day: int = 0
    number: int = 0  # quarter, half or decade number
    year: int = 0  # 0: not written
    ongoing: bool = False
    dropped: bool = False  # a range start, a start point or a reported period
    opens_pair: bool = False  # a range start or a reported period: the next item follows it
    eve: bool = False  # «накануне 9 мая»: due the day before


_CONNECTORS = {",", "и", "-", "по", "до", "или", "/"}
_YEAR_WORDS = {"г", "год", "года", "году", "гг", "годы", "годов", "годах"}
_RANGE_WORDS = {"-", "по", "до"}
_DEADLINE_WORDS = {"до", "к"}


def _is_quarter_word(w: str) -> bool:
    return w.startswith("кв")


def _is_half_word(w: str) -> bool:
    return w.startswith("полугод")


def _mark_chains(tokens: list[Token]) -> tuple[list[bool], list[int]]:
    """Mark day numbers that belong to a month to their right, and numbers of a period.

    A day is a number followed by a month, or by a connector and another day
    (`19, 20 и 26 ноября`, `с 1 по 20 августа`). A period number is a Roman, Arabic or
    ordinal 1–4 before «квартал»/«полугодие», or before a connector and another one.
    Returns (is_day, period_code) with period_code 1 quarter, 2 half, 3 decade, else 0.
    """
    n = len(tokens)
    is_day = [False] * n
    period = [0] * n
    for i in range(n - 1, -1, -1):
        kind, value = tokens[i].kind, tokens[i].value
        if kind == "N" or kind == "R":
            nxt = tokens[i + 1] if i + 1 < n else None
            if nxt is None:
                continue
            if kind == "N" and value <= 99:
                after = tokens[i + 2] if i + 2 < n else None
                chained = nxt[2] in _CONNECTORS and after is not None and is_day[i + 2]
                # «01, 08, 15.10.16»: days before a dated day share its month and year.
                dated = nxt[2] in (",", "и") and after is not None and after.kind == "D"
                dated = dated and after is not None and 1 <= after.month <= 12
                is_day[i] = nxt[0] == "M" or chained or dated
            if 1 <= value <= 4:
                w = nxt[2]
                if nxt[0] == "W" and _is_quarter_word(w):
                    period[i] = 1
                elif nxt[0] == "W" and _is_half_word(w) and value <= 2:
                    period[i] = 2
                elif nxt[0] == "W" and w.startswith("декад") and value <= 3:
                    period[i] = 3
                elif w in _CONNECTORS and i + 2 < n and period[i + 2] in (1, 2):
                    period[i] = period[i + 2]
    return is_day, period


def _explicit_items(tokens: list[Token]) -> list[_Item]:
    is_day, period = _mark_chains(tokens)
    items: list[_Item] = []
    n = len(tokens)
    ongoing_next = False
    i = 0
    while i < n:
        kind, value, text = tokens[i][:3]
        item: _Item | None = None
        if kind == "W" and (text.startswith("теч") or text == "протяжении"):
            ongoing_next = True
        elif kind == "P" and text in ",;()":
            ongoing_next = False
        elif kind == "D":
            d, m, y = value, tokens[i].month, tokens[i].year
            if not 1 <= m <= 12:
                if y:
                    raise BadDate(text)
                i += 1
                continue  # «10.00»: a time of day, not a date
            item = _Item("day", i, i, month=m, day=d, year=y)
        elif kind == "N" and is_day[i]:
            j = i + 1
            while tokens[j][0] not in ("M", "D"):
                j += 1
            target = tokens[j]
            if target.kind == "D":
                item = _Item("day", i, i, month=target.month, day=value, year=target.year)
            else:
                item = _Item("day", i, i, month=target.value, day=value)
            if tokens[i + 1][0] == "M":
                item.last = i + 1
        elif kind == "M":
            if not (i > 0 and tokens[i - 1][0] == "N" and is_day[i - 1]):
                item = _Item("month", i, i, month=value)
        elif period[i]:
            unit = ("quarter", "half", "decade")[period[i] - 1]
            item = _Item(unit, i, i, number=value)
            nxt = tokens[i + 1]
            if nxt[2] not in _CONNECTORS:
                item.last = i + 1
                if unit == "decade":
                    if i + 2 < n and tokens[i + 2][0] == "M":
                        item.month = tokens[i + 2].value
                        item.last = i + 2
                    else:
                        item = None
        elif kind == "Y":
            item = _year_item(tokens, i, items)
        elif kind == "W" and text.startswith("кон") and text[:4] in ("коне", "конц"):
            item = _year_end_item(tokens, i)
        if item is not None:
            item.eve = item.unit == "day" and i > 0 and tokens[i - 1][2] in EVE_WORDS
            item.ongoing = ongoing_next
            ongoing_next = False
            if item.unit != "attached":
                items.append(item)
            i = item.last
        i += 1
    return items


def _year_item(tokens: list[Token], i: int, items: list[_Item]) -> _Item:
    """A written year: it belongs to the deadline just before it, or stands on its own."""
    year = tokens[i].value
    nxt = tokens[i + 1] if i + 1 < len(tokens) else Token("P", 0, "")
    # «2020-2021 уч. год», «2025/2026 учебный год»: a school year, due at its end.
    if nxt[2] in ("-", "/") and i + 2 < len(tokens) and tokens[i + 2][0] == "Y":
        after = tokens[i + 3][2] if i + 3 < len(tokens) else ""
        if after.startswith("уч"):
            return _Item("school", i, i + 3, year=tokens[i + 2].value)
    after = nxt[2]
    if after.startswith("уч") and i > 0 and tokens[i - 1][2] != "-":
        return _Item("school", i, i + 1, year=year + 1)
    last = items[-1] if items else None
    gap = 2 if i > 1 and tokens[i - 1][2] == "," else 1  # «Декабрь, 2022»
    if last is not None and not last.year and last.last == i - gap and last.unit != "year":
        last.year = year
        last.last = i
        return _Item("attached", i, i)
    return _Item("year", i, i, year=year)


def _year_end_item(tokens: list[Token], i: int) -> _Item | None:
    """«до конца года», «к концу учебного года» with no year written."""
    j = i + 1
    school = False
    while j < len(tokens) and tokens[j][2] in ("текущего", "этого", "календарного", "учебного"):
        school = school or tokens[j][2] == "учебного"
        j += 1
    if j < len(tokens) and tokens[j][2] in ("года", "год"):
        return _Item("school_end" if school else "year", i, j)
    return None


def _mark_dropped(tokens: list[Token], items: list[_Item]) -> None:
    """Drop range starts, open start points («с 2023 года») and reported periods («за 2 п/г»)."""
    for k, item in enumerate(items):
        before = tokens[item.first - 1][2] if item.first > 0 else ""
        if before == "за" or _after_months_reported(tokens, item.first):
            item.dropped = item.opens_pair = True
            continue
        nxt = items[k + 1] if k + 1 < len(items) else None
        if nxt is not None:
            between = [t[2] for t in tokens[item.last + 1 : nxt.first] if t[2] not in _YEAR_WORDS]
            joined = len(between) == 1 and between[0] in _RANGE_WORDS
            # «До 28.04.06 До 05.05.06» is two deadlines, not a range.
            if joined and between[0] == "до" and before in _DEADLINE_WORDS:
                joined = False
            if joined or (not between and item.unit == nxt.unit == "year"):
                item.dropped = item.opens_pair = True
                nxt.ongoing = nxt.ongoing or item.ongoing  # «в течение 2022 - 2024 годов»
                continue
        if before in ("с", "со", "начиная") and len(items) > 1:
            item.dropped = True


def _after_months_reported(tokens: list[Token], first: int) -> bool:
    """«за 9 месяцев 2023 года»: the year names a reported span, not a deadline."""
    if first < 3 or not tokens[first - 1][2].startswith("месяц"):
        return False
    return tokens[first - 2][0] == "N" and tokens[first - 3][2] == "за"


def _settle_years(tokens: list[Token], items: list[_Item], plan_year: int, shift: int) -> None:
    """Give each item without a written year the nearest year to its right, else Y (+shift)."""
    carry = 0
    right: _Item | None = None  # the item the carried year was last given to
    barrier = len(tokens)
    from_plan: set[int] = set()
    for item in reversed(items):
        if any(t[2] == ";" for t in tokens[item.last + 1 : barrier]):
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
            item.year = plan_year + shift
            from_plan.add(id(item))
    # A range ends after it starts: an end with no year of its own takes the start's year, and
    # the next one when its month comes earlier («сентябрь – август», «декабрь 2020 – январь»,
    # «за IV квартал – до 20 января»).
    for a, b in itertools.pairwise(items):
        if a.opens_pair and id(b) in from_plan and _end_month(a) and _end_month(b):
            b.year = a.year + (1 if _end_month(a) > _end_month(b) else 0)


def _wraps(tokens: list[Token], left: _Item, right: _Item) -> bool:
    """Whether two items of a list («,», «и») run across New Year: a later month, then earlier."""
    between = {t[2] for t in tokens[left.last + 1 : right.first]}
    months = _end_month(left), _end_month(right)
    return bool(between & {",", "и"}) and months[1] > 0 and months[0] > months[1]


def _end_month(item: _Item) -> int:
    """The month a dated item ends in; 0 for a year or a school year."""
    if item.unit == "quarter":
        return 3 * item.number
    if item.unit == "half":
        return 6 * item.number
    return item.month if item.unit in ("day", "month", "decade") else 0


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _due_date(item: _Item, day_of_month: int) -> date:
    y = item.year
    try:
        if item.unit == "day":
            due = date(y, item.month, item.day)
            return due - timedelta(days=1) if item.eve else due
        if item.unit == "month":
            if day_of_month:
                return date(y, item.month, min(day_of_month, calendar.monthrange(y, item.month)[1]))
            return _month_end(y, item.month)
        if item.unit == "decade":
            return (
                date(y, item.month, 10 * item.number)
                if item.number < 3
                else _month_end(y, item.month)
            )
        if item.unit == "quarter":
            return _month_end(y, 3 * item.number)
        if item.unit == "half":
            return _month_end(y, 6 * item.number)
        if item.unit in ("school", "school_end"):
            return date(y, 5, 31)
        return date(y, 12, 31)
    except ValueError as exc:
        raise BadDate(f"{item.day:02d}.{item.month:02d}.{y}") from exc
