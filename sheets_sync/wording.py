"""Russian wording shared by the tabs, the emails and the command line: numbers that agree with
their nouns, dates as ДД.ММ.ГГГГ, and any cell value as the text a person sees. Pure."""

from __future__ import annotations

import re
from datetime import date, datetime, time

Forms = tuple[str, str, str]
"""A noun's forms after 1, 2 and 5: («день», «дня», «дней»)."""

DAYS: Forms = ("день", "дня", "дней")
LETTERS: Forms = ("письмо", "письма", "писем")
REMINDERS: Forms = ("напоминание", "напоминания", "напоминаний")
DEADLINES: Forms = ("срок", "срока", "сроков")
ITEMS: Forms = ("пункт", "пункта", "пунктов")
NO_DATE = "без срока"


def plural(n: int, forms: Forms) -> str:
    """Return the form of a noun that agrees with `n`: 1 день, 2 дня, 5 дней, 11 дней, 21 день."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def count(n: int, forms: Forms) -> str:
    """Return `n` with the noun that agrees with it: «3 дня», «5 писем»."""
    return f"{n} {plural(n, forms)}"


def ru_date(value: date | None) -> str:
    """Return a date as ДД.ММ.ГГГГ (a date-time too: its day), or «без срока» for None."""
    return value.strftime("%d.%m.%Y") if value else NO_DATE


def ru_datetime(value: datetime) -> str:
    """Return a moment as ДД.ММ.ГГГГ ЧЧ:ММ."""
    return value.strftime("%d.%m.%Y %H:%M")


def text_of(value: object, *, time_shown: bool = True) -> str:
    """Return a cell value as a person reads it in the sheet: dates as ДД.ММ.ГГГГ (with the time
    when there is one and `time_shown`), whole floats without «.0», checkboxes as ИСТИНА/ЛОЖЬ."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ИСТИНА" if value else "ЛОЖЬ"
    if isinstance(value, datetime):
        return ru_datetime(value) if time_shown and value.time() != time(0) else ru_date(value)
    if isinstance(value, date):
        return ru_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_PATRONYMIC = re.compile(
    r"\b([А-ЯЁ][а-яё]+)\s+([А-ЯЁ][а-яё]+(?:вна|вич|ична|ич|инична|кызы|оглы))\b"
)


def name_and_patronymic(contact: str) -> str:
    """Return how to address a contact person by name, «Ирина Петровна», when the contact
    gives a first name and a patronymic («Иванова Ирина Петровна, зав. ШИБЦ»); else ""."""
    match = _PATRONYMIC.search(contact)
    return f"{match.group(1)} {match.group(2)}" if match else ""


def shorten(text: str, limit: int) -> str:
    """Return `text` on one line, cut to at most `limit` characters with «…» when longer: at
    the end of a word (a word is cut only when it alone is longer than half the limit)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


def item_label(number: str) -> str:
    """Return an item number as a reader takes it for one: «п. 2» for a bare number (alone,
    «2» reads as a count), «VII.8» and «1.3» as they are."""
    return f"п. {number}" if number.isdigit() else number


def inner_quotes(text: str) -> str:
    """Return `text` fit to stand inside «ёлочки»: its own «» become „лапки“."""
    return text.replace("«", "„").replace("»", "“")
