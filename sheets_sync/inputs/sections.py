"""Section headings of a roadmap ("I. ОБЩИЕ ПОЛОЖЕНИЯ", "II) Основной этап", "1 этап") and the
separator lines between sections. One reading for the roadmap tab, the document importer and
«Сводка». Pure."""

from __future__ import annotations

import re

# A Roman number, then "." or ")" or a space, then a title that starts with a letter; or a Roman
# number alone. "I.1" and "VI.2.5" are item numbers, "CMS-система" is a word: neither matches.
_ROMAN_HEADING = re.compile(
    r"^(?P<roman>[IVXLC]{1,6})(?:(?:\s*[.)]\s*|\s+)(?P<title>[^\W\d_].*)|\s*[.)]?)$", re.DOTALL
)
_STAGE = re.compile(r"^\d{1,2}\s*(?:-?[йя])?\s+этап\b|\b(?:этап|раздел)\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[-–—_=\s|]*$")
_WORD = re.compile(r"[^\W\d_]{4,}")  # an all-capitals heading has a word, not just "VI.2.5"
_PART = re.compile(r"[IVXLC]+(?![^\W\d_])|\d+|[^\W\d_]+")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def split_heading(text: str) -> tuple[str, str]:
    """Return a heading's Roman number and its title ("VII. МЕРОПРИЯТИЯ" -> ("VII",
    "МЕРОПРИЯТИЯ")); ("", text) when it has no Roman number."""
    text = text.strip()
    match = _ROMAN_HEADING.match(text)
    if not match:
        return "", text
    return match.group("roman"), (match.group("title") or "").strip()


def is_roman_heading(text: str) -> bool:
    """Return whether `text` starts with a Roman section number ("II. …", "III) …", "IV")."""
    return bool(_ROMAN_HEADING.match(text.strip()))


def is_heading(text: str) -> bool:
    """Return whether a row's only text is a section heading: a Roman number, all capitals, or
    a stage or part ("1 этап", "Этап 2", "Раздел 3"), but not a numbered item ("3 Разработка
    плана этапа")."""
    text = text.strip()
    if is_roman_heading(text) or (text.isupper() and _WORD.search(text)):
        return True
    match = _STAGE.search(text)
    return match is not None and (match.start() == 0 or not text[:1].isdigit())


def is_separator(text: str) -> bool:
    """Return whether a line is only dashes, rules and spaces (a table's drawn separator)."""
    return bool(_SEPARATOR.match(text))


def number_order(number: str) -> tuple[tuple[int, int | str], ...]:
    """Return an item number as it sorts: by its parts, numbers and Roman numerals as numbers
    (VII.8 < VII.9 < VII.10 < VIII.1; 2.3 < 2.10)."""
    parts: list[tuple[int, int | str]] = []
    for part in _PART.findall(number):
        if part.isdigit():
            parts.append((0, int(part)))
        elif set(part) <= set(_ROMAN):
            parts.append((0, _roman_value(part)))
        else:
            parts.append((1, part.casefold()))
    return tuple(parts)


def _roman_value(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
