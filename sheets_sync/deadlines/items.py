"""The explicit deadlines in a tokenised phrase, found but not yet dated: dates, days of a
month, months, decades, quarters, halves (calendar and school), years and school years, with
range starts, start points and reported periods marked as dropped.

`find_items` is the entry point; `dates` settles their years and due dates. Pure.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .chains import CONNECTORS as _CONNECTORS
from .chains import mark_chains
from .text import Token
from .words import EVE_WORDS


class BadDate(Exception):
    """A date-like part of the phrase names a day that does not exist."""


class FarYear(Exception):
    """A deadline's year lies too far from the plan year to be anything but a typo."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


@dataclass(slots=True)
class Item:
    """One explicit deadline found in the phrase, before its year is settled."""

    unit: str  # day, month, decade, quarter, half, school_half, year, school, school_end
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
    spread: bool = False  # a copy of the date before it in another year («2021-2023 годов»)
    reported: bool = False  # a period named after «за»: what is reported on, in the plan year


_YEAR_WORDS = {"г", "год", "года", "году", "гг", "годы", "годов", "годах"}
_RANGE_WORDS = {"-", "по", "до"}
_DEADLINE_WORDS = {"до", "к"}


def find_items(tokens: list[Token]) -> list[Item]:
    """Return the explicit deadlines of the tokens, with the dropped ones marked."""
    items = _spread_over_years(tokens, _explicit_items(tokens))
    _mark_dropped(tokens, items)
    return items


_PLURAL_YEAR_WORDS = {"годов", "годы", "гг", "годах"}


def _spread_over_years(tokens: list[Token], items: list[Item]) -> list[Item]:
    """«до 5 марта 2021-2023 годов»: the date is due in each year of the span."""
    if len(items) < 2:
        return items
    out: list[Item] = []
    for item in items:
        last = out[-1] if out else None
        after = tokens[item.last + 1][2] if item.last + 1 < len(tokens) else ""
        if (
            last is not None
            and item.unit == "year"
            and last.unit in ("day", "month")
            and last.year
            and 0 < item.year - last.year <= 10
            and [t[2] for t in tokens[last.last + 1 : item.first]] == ["-"]
            and after in _PLURAL_YEAR_WORDS
        ):
            for year in range(last.year + 1, item.year + 1):
                copy = Item(last.unit, item.first, item.last, last.month, last.day, year=year)
                copy.spread = True
                out.append(copy)
            continue
        out.append(item)
    return out


def _explicit_items(tokens: list[Token]) -> list[Item]:
    is_day, period = mark_chains(tokens)
    items: list[Item] = []
    ongoing_next = False
    i = 0
    n = len(tokens)
    while i < n:
        kind, _, text = tokens[i][:3]
        if kind == "W":
            if text.startswith("теч") or text == "протяжении":
                ongoing_next = True  # «в течение …»: the next item is a period worked through
            if not text.startswith("кон"):  # no other word starts a deadline
                i += 1
                continue
        elif kind == "P":  # nor does a punctuation mark
            if text in ",;()":
                ongoing_next = False
            i += 1
            continue
        elif (kind == "N" and not is_day[i] or kind == "R") and not period[i]:
            i += 1
            continue
        item = _item_at(tokens, i, is_day, period, items)
        if item is not None:
            item.eve = item.unit == "day" and i > 0 and tokens[i - 1][2] in EVE_WORDS
            item.ongoing = ongoing_next
            ongoing_next = False
            if item.unit != "attached":
                items.append(item)
            i = item.last
        i += 1
    _chain_school_halves(tokens, items)
    return items


def _item_at(
    tokens: list[Token], i: int, is_day: list[bool], period: list[int], items: list[Item]
) -> Item | None:
    """Return the explicit deadline that starts at token `i`, if one does."""
    kind, value, text = tokens[i][:3]
    if (
        kind == "W"
        and (text.startswith("теч") or text == "протяжении")
        or (kind == "P" and text in ",;()")
    ):
        return None
    if kind == "D":
        return _date_item(tokens[i], i)
    if kind == "N" and is_day[i]:
        return _day_item(tokens, i)
    if kind == "M":
        after_day = i > 0 and tokens[i - 1][0] == "N" and is_day[i - 1]
        return None if after_day else Item("month", i, i, month=value)
    if period[i]:
        return _period_item(tokens, i, period[i])
    if kind == "Y":
        return _year_item(tokens, i, items)
    if kind == "W" and text.startswith("кон") and text[:4] in ("коне", "конц"):
        return _year_end_item(tokens, i)
    return None


def _date_item(token: Token, i: int) -> Item | None:
    """Return a written date as an item; None for «10.00», a time of day."""
    if not 1 <= token.month <= 12:
        if token.year:
            raise BadDate(token.text)
        return None
    return Item("day", i, i, month=token.month, day=token.value, year=token.year)


def _day_item(tokens: list[Token], i: int) -> Item:
    """Return a day number whose month (or date) follows: «19, 20 и 26 ноября», «01,08.10.16»."""
    j = i + 1
    while tokens[j][0] not in ("M", "D"):
        j += 1
    target = tokens[j]
    if target.kind == "D":
        item = Item("day", i, i, month=target.month, day=tokens[i].value, year=target.year)
    else:
        item = Item("day", i, i, month=target.value, day=tokens[i].value)
    if tokens[i + 1][0] == "M":
        item.last = i + 1
    return item


def _period_item(tokens: list[Token], i: int, which: int) -> Item | None:
    """Return a quarter, half or decade ("IV квартал", "2 п/г", "2-я декада мая")."""
    unit = ("quarter", "half", "decade")[which - 1]
    item = Item(unit, i, i, number=tokens[i].value)
    if tokens[i + 1][2] in _CONNECTORS:
        return item
    item.last = i + 1
    if unit == "half":
        _school_half(tokens, item)
    if unit == "decade":
        if i + 2 < len(tokens) and tokens[i + 2][0] == "M":
            item.month = tokens[i + 2].value
            item.last = i + 2
        else:
            return None
    return item


def _chain_school_halves(tokens: list[Token], items: list[Item]) -> None:
    """«I и II полугодие учебного года»: halves chained before a school half are school halves."""
    for left, right in itertools.pairwise(reversed(items)):
        between = {t[2] for t in tokens[right.last + 1 : left.first]}
        if left.unit == "school_half" and right.unit == "half" and between <= _CONNECTORS:
            right.unit = "school_half"
            if left.year:  # the year the school year ends in, less one for the first half
                end = left.year + (1 if left.number == 1 else 0)
                right.year = end - (1 if right.number == 1 else 0)


def _school_half(tokens: list[Token], item: Item) -> None:
    """«1 полугодие 2024/2025 учебного года» ends on 31.12.2024, «2 полугодие учебного года» on
    31.05: a half of a school year runs September–December or January–May."""
    rest = [t[2] for t in tokens[item.last + 1 : item.last + 6]]
    years = [t for t in tokens[item.last + 1 : item.last + 4] if t[0] == "Y"]
    if len(years) == 2 and rest[1] in ("-", "/") and rest[3:4] and rest[3].startswith("уч"):
        item.year = years[1].value - (1 if item.number == 1 else 0)
        item.last += 4
    elif rest[:1] and rest[0].startswith("уч"):
        item.last += 1
    else:
        return
    item.unit = "school_half"
    if item.last + 1 < len(tokens) and tokens[item.last + 1][2] in _YEAR_WORDS:
        item.last += 1


def _year_item(tokens: list[Token], i: int, items: list[Item]) -> Item:
    """A written year: it belongs to the deadline just before it, or stands on its own."""
    year = tokens[i].value
    nxt = tokens[i + 1] if i + 1 < len(tokens) else Token("P", 0, "")
    # «2020-2021 уч. год», «2025/2026 учебный год»: a school year, due at its end.
    if nxt[2] in ("-", "/") and i + 2 < len(tokens) and tokens[i + 2][0] == "Y":
        after = tokens[i + 3][2] if i + 3 < len(tokens) else ""
        if after.startswith("уч"):
            return Item("school", i, i + 3, year=tokens[i + 2].value)
    after = nxt[2]
    if after.startswith("уч") and i > 0 and tokens[i - 1][2] != "-":
        return Item("school", i, i + 1, year=year + 1)
    last = items[-1] if items else None
    gap = 2 if i > 1 and tokens[i - 1][2] == "," else 1  # «Декабрь, 2022»
    if last is not None and not last.year and last.last == i - gap and last.unit != "year":
        last.year = year
        last.last = i
        return Item("attached", i, i)
    return Item("year", i, i, year=year)


def _year_end_item(tokens: list[Token], i: int) -> Item | None:
    """«до конца года», «к концу учебного года» with no year written."""
    j = i + 1
    school = False
    while j < len(tokens) and tokens[j][2] in ("текущего", "этого", "календарного", "учебного"):
        school = school or tokens[j][2] == "учебного"
        j += 1
    if j < len(tokens) and tokens[j][2] in ("года", "год"):
        return Item("school_end" if school else "year", i, j)
    return None


def _mark_dropped(tokens: list[Token], items: list[Item]) -> None:
    """Drop range starts, open start points («с 2023 года») and reported periods («за 2 п/г»)."""
    for k, item in enumerate(items):
        before = tokens[item.first - 1][2] if item.first > 0 else ""
        if before == "за" or _after_months_reported(tokens, item.first):
            item.dropped = item.opens_pair = item.reported = True
            continue
        nxt = items[k + 1] if k + 1 < len(items) else None
        if nxt is not None:
            between = [t[2] for t in tokens[item.last + 1 : nxt.first] if t[2] not in _YEAR_WORDS]
            joined = len(between) == 1 and between[0] in _RANGE_WORDS
            # «До 28.04.06 До 05.05.06» is two deadlines, not a range.
            if joined and between[0] == "до" and before in _DEADLINE_WORDS:
                joined = False
            if nxt.spread:
                joined = False
            if joined or (not between and item.unit == nxt.unit == "year"):
                item.dropped = item.opens_pair = True
                nxt.ongoing = nxt.ongoing or item.ongoing  # «в течение 2022 - 2024 годов»
                continue
        # «с 14.03», «не ранее 11 июля и не позднее 21 июля»: a start, when a deadline follows.
        if before in ("с", "со", "начиная", "ранее") and len(items) > 1:
            item.dropped = True


def _after_months_reported(tokens: list[Token], first: int) -> bool:
    """«за 9 месяцев 2023 года»: the year names a reported span, not a deadline."""
    if first < 3 or not tokens[first - 1][2].startswith("месяц"):
        return False
    return tokens[first - 2][0] == "N" and tokens[first - 3][2] == "за"
