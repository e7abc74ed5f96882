"""What a deadline cell says is due by each of its dates, when it says so.

«До 09.05.2020 и с 01.06. - 31.12.2020 План мероприятий представить до 01.03.2020» names what is
due by 01.03.2020 («План мероприятий представить»); its other dates are for the item as a
whole. The words between two dates (or before the first) that are not deadline words belong
to the date that follows them. Pure.
"""

from __future__ import annotations

import re
from datetime import date

from .reading import parse_deadline

_DATE = re.compile(
    r"\d{1,2}\.\d{1,2}(?:\.\d{2,4})?\.?"
    r"|\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября"
    r"|ноября|декабря)(?:\s+\d{4}\s*(?:г\.|года|г)?)?",
    re.IGNORECASE,
)
_FILLER = frozenset(
    [
        "до",
        "с",
        "со",
        "по",
        "и",
        "а",
        "в",
        "во",
        "к",
        "ко",
        "на",
        "не",
        "позднее",
        "позже",
        "ранее",
        "срок",
        "сроки",
        "срока",
        "года",
        "год",
        "году",
        "г",
        "гг",
        "течение",
        "также",
        "или",
        "либо",
        "далее",
        "затем",
        "ежегодно",
        "ежемесячно",
        "ежеквартально",
        "еженедельно",
        "числа",
        "месяца",
        "квартала",
        "полугодия",
        "раз",
        "начала",
        "конца",
        "середины",
        "включительно",
        "года",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def what_is_due(text: str, plan_year: int, *, school_year: bool = False) -> dict[date, str]:
    """Return, for each due date the cell names what is due by, that part of the text."""
    found: dict[date, str] = {}
    start = 0
    for match in _DATE.finditer(text):
        segment = text[start : match.start()]
        start = match.end()
        meaningful = [w for w in _WORD.findall(segment) if w.casefold() not in _FILLER]
        if not any(len(w) >= 4 for w in meaningful):
            continue
        dates = parse_deadline(match.group(0), plan_year, school_year=school_year).due_dates
        if len(dates) == 1:
            found.setdefault(dates[0], _phrase(segment, meaningful[0]))
    return found


def _phrase(segment: str, first: str) -> str:
    """Return the segment from its first meaningful word, deadline words at its end trimmed
    ("План мероприятий представить до" -> "План мероприятий представить")."""
    words = segment[segment.find(first) :].split()
    while words and words[-1].casefold().strip(".,;:—–-") in _FILLER | {""}:
        words.pop()
    return " ".join(words).strip(" ,;:—–-(")
