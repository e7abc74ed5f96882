"""Free Russian deadline text -> Deadline. Pure: no I/O, no clock.

Contract (stable; the rest of the code and the tests use it):

    parse_deadline(text: str, plan_year: int) -> Deadline

Deadline.kind is one of "dates", "ongoing", "on_request", "periodic", "unknown".
Deadline.due_dates is a sorted tuple of datetime.date: empty for on_request, periodic and
unknown; the period end for ongoing. Deadline.explain() is a short Russian description.

How a phrase is read (plan year Y):

* Every explicit deadline in the phrase counts: dates (`01.03.2020`, `1.03.20`, `01.03`,
  `1 марта 2020 г.`), days of a month (`19, 20 и 26 ноября`, `01,08,15.10.16`), months
  (`апрель`, `до конца мая`: the last day), quarters (`IV квартал`, `1 кв. 2021 г.`, `I, III
  кв.`: the quarter end), halves (`2 п/г`: 30.06 or 31.12), years (`2013 г.`: 31.12), school
  years (`2020-2021 уч. год`: 31.05 of the second year, ongoing). A range (`-`, `по`, `с … до …`) counts by its end; `до 28.04.06 до
  05.05.06` is two deadlines, not a range. Times of day (`10:00`, `14.00 - 15.00`, `16.30`)
  and weekdays are noise; so are spaces inside a date (`13. 11. 2021`).
* A missing year is taken from the nearest year written to the right (`ноябрь – декабрь 2021`,
  `Декабрь, 2022`), else it is Y; «года, следующего (идущего) за отчетным» moves it to Y+1.
  A period named after «за» (`за I квартал – до 10 апреля`, `за 9 месяцев 2023 года`) is what
  is reported on, not a deadline.
* A range ends after it starts: an end with no year of its own takes the start's year, and the
  next year when its month comes earlier: `сентябрь – август` is 31.08.Y+1, `28.12 - 10.01`
  10.01.Y+1, `за IV квартал – до 20 января` 20.01.Y+1. A list does not roll over: `Декабрь и
  январь`, `26.12, 06.01` are both in Y (a plan's year is one year; the coordinator sets Y).
* Dates win over words: `сентябрь, далее – постоянно` is 30.09.Y; `ежегодно (апрель, октябрь)`
  is 30.04.Y and 31.10.Y; `ежегодно, подведение итогов 2 полугодие` is 31.12.Y.
* With no explicit deadline, recurring words pin dates in Y: `ежемесячно` (every month end),
  `ежемесячно до 5 числа` (every 5th), `ежеквартально` (every quarter end),
  `ежеквартально, до 20-го числа следующего месяца` (20.04, 20.07, 20.10, 20.01.Y+1),
  `до 11 числа месяца, следующего за отчетным` (11.02 … 11.12, 11.01.Y+1). Those readings are
  kind "dates". Bare `ежегодно` means "some time each year": ongoing to 31.12.Y. Once a period
  is the same as every period: `1 раз в месяц`, `не реже одного раза в квартал`, `раз в
  полгода` pin the period ends; `2 раза в месяц` is frequent work.
* `в течение года`, `круглогодично`, `весь год` are ongoing to 31.12.Y, `в течение учебного
  года` to 31.05.Y, `в течение 2022 - 2024 годов` to 31.12.2024; on-request words
  (`по запросам`, `по плану РУМО`, `по особому плану`, `постоянно`, an outside timetable:
  `в соответствии с расписанием ГИА`, `в сроки, установленные Рособрнадзором`) give on_request
  even beside `в течение года`; `по итогам четверти` is on_request too, unless a recurring word
  pins dates.
  Frequent work (`еженедельно`, `каждый понедельник`) and a weekday of every month
  (`2-я суббота месяца`, `последняя пятница месяца`) are periodic: no date to pin.
* Anything else, a date that does not exist (`31.06.2020`, `30 февраля`), or a span counted
  from a start the phrase does not give (`в течение 3 месяцев`, `в течение месяца`, `не менее
  чем за 30 календарных дней до начала …`) is unknown: a wrong guess would email the wrong
  people.
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from sheets_sync.deadline_words import (
    AFTER_RESULTS_CUES,
    DASHES,
    FOLLOWING_CUES,
    FREQUENT_CUES,
    HALF_YEARLY_CUES,
    LATIN_LOOKALIKES,
    MONTHLY_CUES,
    NEXT_YEAR_CUES,
    ON_REQUEST_CUES,
    ONGOING_CUES,
    QUARTERLY_CUES,
    ROMAN,
    YEARLY_CUES,
    month_number,
    ordinal_number,
)

DeadlineKind = Literal["dates", "ongoing", "on_request", "periodic", "unknown"]

KIND_LABELS: dict[str, str] = {
    "dates": "даты",
    "ongoing": "в течение периода",
    "on_request": "по запросу",
    "periodic": "периодически",
    "unknown": "не распознано",
}

UNDERSTOOD_FORMS = (
    "«до 01.03.2020», «1 марта 2020 г.», «01.03», «с 1 по 20 августа», «апрель», "
    "«ноябрь – декабрь», «19, 20 и 26 ноября», «I квартал», «1 кв. 2021 г.», «2 п/г», "
    "«2020-2021 уч. год», «ежемесячно до 5 числа», «ежеквартально, до 20-го числа следующего "
    "месяца», «Ежегодно (апрель, октябрь)», «в течение года», «по запросу», «еженедельно»"
)


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    kind: DeadlineKind
    due_dates: tuple[date, ...] = ()
    # What kind of period or frequency was read («в течение учебного года», «еженедельно»),
    # or why the phrase was not understood («нет такой даты: 31.06.2020»).
    note: str = ""

    def explain(self) -> str:
        """Return a short Russian description of the reading, for the «Сроки» tab."""
        dates = ", ".join(d.strftime("%d.%m.%Y") for d in self.due_dates)
        if self.kind == "dates":
            n = len(self.due_dates)
            return f"срок: {dates}" if n == 1 else f"{n} {_plural_srok(n)}: {dates}"
        if self.kind == "ongoing":
            return f"{self.note or 'в течение периода'} — до {dates}"
        if self.kind == "on_request":
            return "по запросу — без срока"
        if self.kind == "periodic":
            detail = f" ({self.note})" if self.note else ""
            return f"периодически{detail} — без напоминаний"
        return f"не распознано: {self.note}" if self.note else "не распознано"


def reading_line(deadline: Deadline) -> str:
    """Return one line for the command line: the phrase, its kind and how it was read."""
    text = " ".join(deadline.text.split())
    return f"{text} → {KIND_LABELS[deadline.kind]}: {deadline.explain()}"


def _plural_srok(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "срок"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "срока"
    return "сроков"


# ---------------------------------------------------------------- normalising and tokens

_WORD = re.compile(r"[a-zа-я]+")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[а-я]")
_LETTER_O_IN_NUMBER = re.compile(r"(?<=[\d.])[оo](?=[\d.])")
_HALF_ABBR = re.compile(r"\bп\s*/\s*г\b|\bп\.\s*г\.")
# «13. 11. 2021», «29. 10.16»: a date typed with spaces after its dots.
_SPACED_DATE = re.compile(
    r"(?<![\d.])\b(0?[1-9]|[12]\d|3[01])\.\s*(0?[1-9]|1[0-2])\.\s*(\d{4}|\d{2})(?![\d.:])"
)
# «1 раз в месяц», «не реже одного раза в квартал»: once a period reads as «раз в …».
_ONCE = re.compile(r"\b(?:1|один|одного)\s+раза?\b")
# «2-я суббота месяца», «последняя пятница каждого месяца»: a weekday of every month.
_WEEKDAY_OF_MONTH = re.compile(
    r"(?:\d|перв|втор|трет|четв|последн)\S*\s+"
    r"(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)\S*\s+(?:каждого\s+)?месяц"
)
_TOKEN = re.compile(
    r"(?P<time>\d{1,2}:\d{2})"
    r"|(?P<date>(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?:\.(?P<y>\d{4}|\d{2})(?!\d))?\.?)"
    r"|(?P<num>\d+)(?:-?(?:го|ого|ое|ой|ый|ий|ая|е|я|й)(?![а-я]))?"
    r"|(?P<word>[а-яa-z]+)"
    r"|(?P<punct>[-,;/()])"
)
# «в течение 3 месяцев», «в месячный срок»: counted from a start the phrase does not give.
_RELATIVE_SPAN = re.compile(
    r"течени\w*\s+(?:\d{1,3}|одн\w*|двух|трех|четырех|пяти|десяти)\s*-?\s*(?:х\s+)?"
    r"(?:дн|недел|месяц|лет|час|рабоч|календарн)"
    r"|\w*(?:месячн|недельн|дневн)\w*\s+срок"
    r"|течени\w*\s+(?:одного\s+|одной\s+)?(?:дня|суток|недели|месяца)\b"
    # «не менее чем за 30 календарных дней до начала …», «через 10 дней после …»
    r"|(?:за|через|позднее|позже|ранее)\s+\d{1,3}\s*(?:-?\s*[хи]\s+)?"
    r"(?:календарн\w*\s+|рабоч\w*\s+)?(?:дн|сут|недел|месяц|час)"
)
# «по особому плану», «согласно годовому плану», «по скользящему графику»: an outside plan.
_BY_PLAN = re.compile(r"\b(?:по|согласно)\s+(?:[а-я-]+\s+){0,2}(?:план(?!ир)|график|распис)")
_DAY_OF_MONTH = re.compile(r"(\d{1,2})(?:-?(?:го|е|ое))?\s+числ")


class Token(NamedTuple):
    """One piece of a phrase. kind: D date, N number, Y year, M month, R Roman numeral or
    ordinal word, W word, P punctuation. value: the day, number, year, month or ordinal."""

    kind: str
    value: int
    text: str
    month: int = 0  # dates only
    year: int = 0  # dates only; 0 when not written


def _normalise(text: str) -> str:
    s = text.lower().replace("ё", "е").replace("\u00a0", " ").replace("і", "i")
    s = " ".join(s.translate(DASHES).split())
    if _LATIN.search(s):
        s = _WORD.sub(_fold_latin, s)
    if _LETTER_O_IN_NUMBER.search(s):
        s = _LETTER_O_IN_NUMBER.sub("0", s)
    if "/" in s or "п." in s:
        s = _HALF_ABBR.sub(" полугодие ", s)
    if ". " in s:  # «13. 11. 2021» -> «13.11.2021»
        s = _SPACED_DATE.sub(r"\1.\2.\3", s)
    if "раз" in s:
        s = _ONCE.sub("раз", s)
    return s


def _fold_latin(m: re.Match[str]) -> str:
    """«oктябрь» typed with a Latin «o» -> «октябрь»; pure Latin words (IV) stay."""
    word = m.group()
    return word.translate(LATIN_LOOKALIKES) if _CYRILLIC.search(word) else word


def _tokenise(s: str) -> list[Token]:
    tokens: list[Token] = []
    for m in _TOKEN.finditer(s):
        kind = m.lastgroup
        if kind == "date":
            y = m.group("y")
            year = 0 if y is None else int(y) + (2000 if len(y) == 2 else 0)
            tokens.append(Token("D", int(m.group("d")), m.group(), int(m.group("m")), year))
        elif kind == "num":
            raw = m.group("num")
            n = int(raw)
            tokens.append(Token("Y" if len(raw) == 4 and 1900 <= n <= 2100 else "N", n, raw))
        elif kind == "word":
            w = m.group()
            month = month_number(w)
            if month is not None:
                tokens.append(Token("M", month, w))
            elif w in ROMAN:
                tokens.append(Token("R", ROMAN[w], w))
            else:
                ordinal = ordinal_number(w)
                tokens.append(Token("R", ordinal, w) if ordinal else Token("W", 0, w))
        elif kind == "punct":
            tokens.append(Token("P", 0, m.group()))
    return tokens


# ---------------------------------------------------------------- explicit deadlines


class _BadDate(Exception):
    """A date-like part of the phrase names a day that does not exist."""


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
                    raise _BadDate(text)
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
    barrier = len(tokens)
    from_plan: set[int] = set()
    for item in reversed(items):
        if any(t[2] == ";" for t in tokens[item.last + 1 : barrier]):
            carry = 0
        barrier = item.first
        if item.year:
            if item.unit != "year":  # «Май, ежегодно с 2023 года»: a lone year labels nothing
                carry = item.year
        elif carry:
            item.year = carry
        else:
            item.year = plan_year + shift
            from_plan.add(id(item))
    # A range ends after it starts: an end with no year of its own takes the start's year, and
    # the next one when its month comes earlier («сентябрь – август», «декабрь 2020 – январь»,
    # «за IV квартал – до 20 января»).
    for a, b in itertools.pairwise(items):
        if a.opens_pair and id(b) in from_plan and _end_month(a) and _end_month(b):
            b.year = a.year + (1 if _end_month(a) > _end_month(b) else 0)


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
            return date(y, item.month, item.day)
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
        raise _BadDate(f"{item.day:02d}.{item.month:02d}.{y}") from exc


# ---------------------------------------------------------------- recurring work


def _recurring_dates(s: str, plan_year: int) -> tuple[tuple[date, ...], str] | None:
    """Dates pinned in Y by recurring words, with no explicit deadline in the phrase."""
    day = _day_of_month(s)
    following = any(cue in s for cue in FOLLOWING_CUES)
    quarterly = any(cue in s for cue in QUARTERLY_CUES) or (following and "квартал" in s)
    monthly = any(cue in s for cue in MONTHLY_CUES)
    half_yearly = any(cue in s for cue in HALF_YEARLY_CUES)
    if following and ("отчетным годом" in s or "за отчетным год" in s) and day:
        return (date(plan_year + 1, 1, min(day, 31)),), "ежегодно"
    if quarterly:
        if day:  # the given day of the month after each quarter
            months = [(plan_year, 4), (plan_year, 7), (plan_year, 10), (plan_year + 1, 1)]
            return tuple(_day_in(y, mo, day) for y, mo in months), "ежеквартально"
        return tuple(_month_end(plan_year, mo) for mo in (3, 6, 9, 12)), "ежеквартально"
    if half_yearly:
        return (_month_end(plan_year, 6), _month_end(plan_year, 12)), "раз в полугодие"
    if monthly or day:
        if day and following:
            months = [(plan_year, mo) for mo in range(2, 13)] + [(plan_year + 1, 1)]
            return tuple(_day_in(y, mo, day) for y, mo in months), "ежемесячно"
        if day:
            return tuple(_day_in(plan_year, mo, day) for mo in range(1, 13)), "ежемесячно"
        return tuple(_month_end(plan_year, mo) for mo in range(1, 13)), "ежемесячно"
    return None


def _day_of_month(s: str) -> int:
    """The day in «до 5 числа», «до 20-го числа»; 0 when there is none (or no such day)."""
    m = _DAY_OF_MONTH.search(s)
    day = int(m.group(1)) if m else 0
    return day if 1 <= day <= 31 else 0


def _day_in(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- the reading

_ONGOING_LABELS = {
    "year": "в течение года",
    "school": "в течение учебного года",
    "quarter": "в течение квартала",
    "half": "в течение полугодия",
    "month": "в течение месяца",
}


def parse_deadline(text: str, plan_year: int) -> Deadline:
    """Return how the deadline phrase ``text`` reads in plan year ``plan_year``."""
    s = _normalise(text)
    tokens = _tokenise(s)
    shift = 1 if any(cue in s for cue in NEXT_YEAR_CUES) else 0
    try:
        items = _explicit_items(tokens)
        _mark_dropped(tokens, items)
        kept = [item for item in items if not item.dropped]
        _settle_years(tokens, items, plan_year, shift)
        day_of_month = _day_of_month(s) if kept else 0
        found = sorted({_due_date(item, day_of_month) for item in kept})
    except _BadDate as exc:
        return Deadline(text, "unknown", note=f"нет такой даты: {exc}")

    recurring = any(cue in s for cue in MONTHLY_CUES + QUARTERLY_CUES)
    if found and not (recurring and all(item.unit == "year" for item in kept)):
        if all(item.ongoing for item in kept) and len(found) == 1:
            ranged = any(item.opens_pair for item in items)
            label = "в течение периода" if ranged else _ONGOING_LABELS.get(kept[0].unit, "")
            label = label or "в течение периода"
            return Deadline(text, "ongoing", tuple(found), note=label)
        if all(item.unit == "school" for item in kept) and len(found) == 1:
            return Deadline(text, "ongoing", tuple(found), note="в течение учебного года")
        return Deadline(text, "dates", tuple(found))

    on_request = any(cue in s for cue in ON_REQUEST_CUES) or bool(_BY_PLAN.search(s))
    if not on_request and _WEEKDAY_OF_MONTH.search(s):
        return Deadline(text, "periodic", note="день недели каждого месяца")
    if not on_request:
        pinned = _recurring_dates(s, plan_year)
        if pinned is not None:
            return Deadline(text, "dates", pinned[0], note=pinned[1])
    if on_request:
        return Deadline(text, "on_request")
    for cue, label in FREQUENT_CUES:
        if cue in s:
            return Deadline(text, "periodic", note=label)
    if _RELATIVE_SPAN.search(s):
        return Deadline(text, "unknown", note="срок отсчитывается от неизвестной даты")
    if any(cue in s for cue in ONGOING_CUES):
        if "учебн" in s or " уч " in f" {s} " or "уч." in s:
            return Deadline(text, "ongoing", (date(plan_year, 5, 31),), "в течение учебного года")
        return Deadline(text, "ongoing", (date(plan_year, 12, 31),), "в течение года")
    if any(cue in s for cue in YEARLY_CUES):
        return Deadline(text, "ongoing", (date(plan_year, 12, 31),), "ежегодно")
    if any(cue in s for cue in AFTER_RESULTS_CUES):
        return Deadline(text, "on_request")
    return Deadline(text, "unknown")
