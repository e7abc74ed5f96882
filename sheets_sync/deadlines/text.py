"""The noise of real documents taken out of a deadline phrase, and the phrase cut into tokens.

`normalise` folds case, «ё», Latin look-alikes and dashes, joins dates typed with spaces, drops
calendar notes (`1 сентября (вт.)`, `16.01.2023 (15 января — воскресенье)`) and rewrites named
periods into the dates they stand for (`ко Дню Победы` -> `ко 9 мая`, `летний период` ->
`июнь - август`, `до начала учебного года` -> `до 1 сентября`, `в начале сентября` ->
`10 сентября`). `tokenise` cuts the result into
dates, numbers, years, months, ordinals, words and punctuation. Pure; no dates are decided here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .rewrites import rewrite
from .words import (
    DASHES,
    HOLIDAYS,
    LATIN_LOOKALIKES,
    MONTHS_GENITIVE,
    ROMAN,
    WEEKDAY_NOTE,
    month_number,
    ordinal_number,
)


class Token(NamedTuple):
    """One piece of a phrase. kind: D date, N number, Y year, M month, R Roman numeral or
    ordinal word, W word, P punctuation. value: the day, number, year, month or ordinal."""

    kind: str
    value: int
    text: str
    month: int = 0  # dates only
    year: int = 0  # dates only; 0 when not written


# «ё» as «е», a no-break space as a space, the Ukrainian «і» as «i», every dash as "-": one pass.
_FOLD = {**DASHES, ord("ё"): "е", ord("\u00a0"): " ", ord("і"): "i"}
_WORD = re.compile(r"[a-zа-я]+")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[а-я]")
_LETTER_O_IN_NUMBER = re.compile(r"(?<=[\d.])[оo](?=[\d.])")
_HALF_ABBR = re.compile(r"\bп\s*/\s*г\b|\bп\.\s*г\.")
# «13. 11. 2021», «29. 10.16»: a date typed with spaces after its dots.
_SPACED_DATE = re.compile(
    r"(?<![\d.])\b(0?[1-9]|[12]\d|3[01])\.\s*(0?[1-9]|1[0-2])\.\s*(\d{4}|\d{2})(?![\d.:])"
)
# «1 раз в месяц», «не реже одного раза в квартал»: once a period reads as «раз в …»;
# «2 раза в неделю», «не реже 4-х раз в год»: more than once, as «раза в …» (frequent work).
_ONCE = re.compile(r"\b(?:1|один|одного)\s+раза?\b")
_MANY = re.compile(
    r"\b(?:\d{1,3}(?:\s*-?\s*х)?|два|две|двух|три|трех|четыре|четырех|пять|пяти|шесть|шести)"
    r"\s+раза?\b"
)
# «20 августа--15 января»: a dash typed as two hyphens.
_DOUBLE_DASH = re.compile(r"-{2,}")
_NOTE = re.compile(r"\(([^()]*)\)")
_WEEKDAY = re.compile(WEEKDAY_NOTE)
# «(по понедельникам)», «(каждый вторник)» say how often, not which day a date fell on.
_FREQUENCY = re.compile(r"\bпо\s|кажд")
_LAST_WORD = re.compile(r"([а-я]+)\.?$")
_HOLIDAY = re.compile(
    "|".join(f"(?P<h{i}>{pattern})" for i, (pattern, _, _) in enumerate(HOLIDAYS))
)
# Seasons, as the months they span: «летний период», «в период летних каникул», «летом» (summer
# holidays end on 31 August everywhere); «весной», «осенний период». Autumn, winter and spring
# school holidays have dates of the school's own, so they are left alone.
_SEASONS = (
    (
        re.compile(r"\bлетн\w*\s+(?:[а-я]+\s+)?(?:период\w*|каникул\w*|месяц\w*)|\bлет[оа]м?\b"),
        " июнь - август ",
    ),
    (re.compile(r"\bвесн(?:а|ой|у|е|ы)\b|\bвесенн\w*\s+период\w*"), " март - май "),
    (re.compile(r"\bосен(?:ь|ью|и)\b|\bосенн\w*\s+период\w*"), " сентябрь - ноябрь "),
)
# «до начала учебного года», «к началу 2024/2025 учебного года»: by 1 September;
# «накануне нового учебного года»: the day before it.
_SCHOOL_YEAR_START = re.compile(
    r"\b(до|к|ко|накануне|канун)\s+(?:начал\w*\s+)?(?:нового\s+)?"
    r"(?:(\d{4})\s*[-/]\s*\d{2,4}\s+)?учебного\s+года"
)
_MONTH = r"(?=(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр))"
# Parts of a month, due at the part's end: «в начале сентября» (the first ten days, as the first
# decade), «в середине мая», «не позднее середины декабря» (the second), «первая половина
# октября», «вторая неделя ноября»;
# «до начала сентября» is «до 1 сентября».
_MONTH_PARTS = (
    (re.compile(r"\b(до|к|с)\s+начал[аоу]\s+" + _MONTH), r"\1 1 "),
    (re.compile(r"\b(?:в\s+начале|начало)\s+" + _MONTH), "10 "),
    (re.compile(r"\b(?:в\s+середине|середин[аеыу])\s+" + _MONTH), "20 "),
    (re.compile(r"\b(?:в\s+)?перв\w*\s+половин\w*\s+" + _MONTH), "15 "),
)
_WEEK_OF_MONTH = re.compile(
    r"\b(?:в\s+|на\s+)?(перв|втор|трет|четв|[1-4])\w*(?:\s*-\s*[а-я]{1,2})?\s+недел\w*\s+" + _MONTH
)
_WEEK_NUMBER = {"перв": 1, "втор": 2, "трет": 3, "четв": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# «во II-м полугодии», «I-й квартал»: a Roman numeral with a case ending.
_ROMAN_ENDING = re.compile(r"\b(i{1,3}|iv)\s*-\s*[а-я]{1,3}\b")
# One alternative a token: a time of day (left out), a date (whole, day, month, year), a number
# with its ordinal ending, a word, a punctuation mark; `findall` returns the groups in this order.
_TOKEN = re.compile(
    r"\d{1,2}:\d{2}"
    r"|((\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2})(?!\d))?\.?)"
    r"|(\d+)(?:-?(?:го|ого|ое|ой|ый|ий|ая|е|я|й|м|ом|ем|му)(?![а-я]))?"
    r"|([а-яa-z]+)"
    r"|([-,;/()])"
)


def normalise(text: str) -> str:
    """Return the phrase in lower case with the noise of real documents taken out."""
    return rewrite(_named_days(_cleaned(text)))


def _cleaned(text: str) -> str:
    """Return the phrase folded (case, ё, dashes, Latin look-alikes, «о» for 0), dates typed
    with spaces joined, calendar notes dropped and abbreviations spelt out."""
    s = " ".join(text.lower().translate(_FOLD).split())
    if _LATIN.search(s):
        s = _WORD.sub(_fold_latin, s)
    if _LETTER_O_IN_NUMBER.search(s):
        s = _LETTER_O_IN_NUMBER.sub("0", s)
    if "/" in s or "п." in s:
        s = _HALF_ABBR.sub(" полугодие ", s)
    if ". " in s:  # «13. 11. 2021» -> «13.11.2021»
        s = _SPACED_DATE.sub(r"\1.\2.\3", s)
    if "раз" in s:
        s = _MANY.sub("раза", _ONCE.sub("раз", s))
    if "--" in s:
        s = _DOUBLE_DASH.sub("-", s)
    if "(" in s:
        s = _drop_calendar_notes(s)
    if "i-" in s or "v-" in s or "i -" in s or "v -" in s:
        s = _ROMAN_ENDING.sub(r"\1", s)
    return s


def _named_days(s: str) -> str:
    """Return the phrase with named days and periods written as the dates they stand for
    (holidays, seasons, the start of the school year, parts of a month, weeks)."""
    if "дн" in s:
        s = _HOLIDAY.sub(_holiday_date, s)
    if "лет" in s or "весн" in s or "осен" in s:
        for season, months in _SEASONS:
            s = season.sub(months, s)
    if "учебного года" in s:
        s = _SCHOOL_YEAR_START.sub(lambda m: f"{m[1]} 1 сентября {m[2] or ''}", s)
    if "начал" in s or "середин" in s or "половин" in s:
        for part, day in _MONTH_PARTS:
            s = part.sub(day, s)
    if "недел" in s:
        s = _WEEK_OF_MONTH.sub(lambda m: f"{7 * _WEEK_NUMBER[m[1]]} ", s)
    return s


def _fold_latin(m: re.Match[str]) -> str:
    """«oктябрь» typed with a Latin «o» -> «октябрь»; pure Latin words (IV) stay."""
    word = m.group()
    return word.translate(LATIN_LOOKALIKES) if _CYRILLIC.search(word) else word


def _drop_calendar_notes(s: str) -> str:
    """Drop a note on the date just before it: «(вт.)», «(15 января — воскресенье)»."""

    def note(m: re.Match[str]) -> str:
        inner = m.group(1)
        if not _WEEKDAY.search(inner) or _FREQUENCY.search(inner):
            return m.group()
        before = s[: m.start()].rstrip()
        word = _LAST_WORD.search(before)
        after_date = before[-1:].isdigit() or before.endswith(".")
        if after_date or (word is not None and month_number(word.group(1)) is not None):
            return " "
        return m.group()

    return _NOTE.sub(note, s)


def _holiday_date(m: re.Match[str]) -> str:
    name = m.lastgroup or "h0"
    _, day, month = HOLIDAYS[int(name[1:])]
    return f"{day} {MONTHS_GENITIVE[month - 1]}"


@lru_cache(maxsize=16384)  # phrases differ, their words repeat: «до», «года», «марта» ...
def _word_token(w: str) -> Token:
    month = month_number(w)
    if month is not None:
        return Token("M", month, w)
    if w in ROMAN:
        return Token("R", ROMAN[w], w)
    ordinal = ordinal_number(w)
    return Token("R", ordinal, w) if ordinal else Token("W", 0, w)


_BIG = 10**9


def tokenise(s: str) -> list[Token]:
    """Return the tokens of a normalised phrase; times of day are left out."""
    tokens: list[Token] = []
    append = tokens.append
    for whole, d, m, y, raw, word, punct in _TOKEN.findall(s):
        if word:
            append(_word_token(word))
        elif raw:
            # A run of digits longer than any day, number or year is just a big number; Python
            # refuses to convert runs over 4,300 digits, so it is never converted.
            n = int(raw) if len(raw) <= 9 else _BIG
            append(Token("Y" if len(raw) == 4 and 1900 <= n <= 2100 else "N", n, raw))
        elif punct:
            append(Token("P", 0, punct))
        elif whole:
            year = int(y) + (2000 if len(y) == 2 else 0) if y else 0
            append(Token("D", int(d), whole, int(m), year))
    return tokens
