"""Read a completion cell: the date a report arrived, a mark (сдано, да, +, ✓), н/т, or nothing.

Pure. Used for «Сдача отчётов» cells and the roadmap's `Выполнено` column.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .records import Mark

DONE_WORDS = frozenset(
    {
        "сдано",
        "сдан",
        "сдана",
        "да",
        "+",
        "✓",
        "✔",
        "☑",
        "v",
        "есть",
        "выполнено",
        "выполнен",
        "выполнена",
        "получено",
        "получен",
        "представлено",
        "представлен",
        "ok",
        "ок",
        "готово",
        "истина",  # a checkbox, as a Russian-locale sheet shows it
        "true",
    }
)
NOT_REQUIRED_WORDS = frozenset(
    {
        "н/т",
        "н\\т",
        "нт",
        "н/т.",
        "не требуется",
        "не треб",
        "освобождена",
        "освобождены",
        "не участвует",
    }
)
NOT_DONE_WORDS = frozenset(
    {"нет", "-", "—", "–", "не сдано", "не сдан", "не выполнено", "0", "ложь", "false"}
)

_DATE = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b")

MARK_HINT = (
    "Впишите дату получения (например, 28.02.2020), отметку «сдано» (или да, +, ✓), "
    "«н/т», если школе не требуется, или оставьте пустым."
)


def _word(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold().replace("ё", "е")).strip().rstrip(".!")


@lru_cache(maxsize=4096)  # a submission table repeats the same few texts thousands of times
def read_mark(text: str) -> Mark:
    """Return what a completion cell says; Mark("unclear") when it cannot be read."""
    raw = text.strip()
    if not raw:
        return Mark("empty")
    word = _word(raw)
    if word in DONE_WORDS or raw in DONE_WORDS:
        return Mark("done", (), raw)
    if word in NOT_REQUIRED_WORDS:
        return Mark("not_required", (), raw)
    if word in NOT_DONE_WORDS:
        return Mark("not_done", (), raw)
    dates = read_dates(raw)
    if dates is None:
        return Mark("unclear", (), raw)
    return Mark("done", dates, raw)


def read_dates(text: str) -> tuple[date, ...] | None:
    """Return every date in `text` if dates (and separators, marks) are all it holds."""
    rest = _TIME.sub(" ", text)
    found: list[date] = []
    for pattern, order in ((_DATE, "dmy"), (_ISO, "ymd")):
        for match in pattern.finditer(rest):
            parts = [int(g) for g in match.groups()]
            d, m, y = parts if order == "dmy" else (parts[2], parts[1], parts[0])
            if y < 100:
                y += 2000
            try:
                found.append(date(y, m, d))
            except ValueError:
                return None
        rest = pattern.sub(" ", rest)
    leftover = _word(re.sub(r"[;,\s]+", " ", rest))
    if not found or (leftover and leftover not in DONE_WORDS and leftover not in {"г", "г."}):
        return None
    return tuple(sorted(found))
