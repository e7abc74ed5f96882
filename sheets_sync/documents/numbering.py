"""A read roadmap made ready for the roadmap tab: sections with numerals the tab's reader knows,
numbers kept and made unique, group rows told from lines, and every line checked (a title, a
deadline that reads). Pure.

- Numbers are kept as written, without a trailing dot ("1." -> "1"). When they restart in each
  section, each gets its section's Roman numeral ("VII" + "8" -> "VII.8"), as the roadmap tab's
  reader keys them. A document with no number column gets 1, 2, 3 … in order (a note says so).
- A section heading the roadmap tab would not read as one (a merged row in ordinary letters:
  «Организационные мероприятия», «1. Организационное обеспечение») is written with a Roman
  numeral: the document's own number turned Roman, else the section's place (a note says so).
- A line with a number N and no deadline or executors, followed by N.1, is a group heading.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from sheets_sync.deadlines import UNDERSTOOD_FORMS, parse_deadline
from sheets_sync.inputs.sections import is_heading, split_heading

from .imported import ImportedLine, ImportedPlan

_YEAR = re.compile(r"\b(20\d\d)\b")
_ARABIC_SECTION = re.compile(r"^(\d{1,2})\s*[.)]?\s+(?=[^\W\d_])")
_ROMANS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    """Return `n` in Roman numerals (4 -> "IV")."""
    out = ""
    for value, letters in _ROMANS:
        while n >= value:
            out, n = out + letters, n - value
    return out


def finish(roadmap: ImportedPlan, fallback_year: int) -> None:
    """Number the sections and lines of `roadmap` and check every line, in place."""
    while roadmap.lines and roadmap.lines[-1].kind == "section":  # a heading under the plan
        dropped = roadmap.lines.pop()  # («СОГЛАСОВАНО», a signature) heads no lines
        roadmap.notes.append(
            f"«{dropped.value('title')}» ({dropped.place}) heads no lines: left out"
        )
    if "number" not in roadmap.fields and roadmap.items:
        for n, item in enumerate(roadmap.items, start=1):
            item.values["number"] = str(n)
        roadmap.notes.append("the plan has no number column: its lines are numbered 1, 2, 3 …")
    for item in roadmap.items:
        item.values["number"] = re.sub(r"\s+", "", item.value("number")).rstrip(".")
    restart = _numbers_restart(roadmap.items)
    _name_sections(roadmap, force=restart)
    if restart:
        for item in roadmap.items:
            numeral = split_heading(item.section)[0]
            number = item.value("number")
            if numeral and number and not number.startswith(numeral + "."):
                item.values["number"] = f"{numeral}.{number}"
    _mark_groups(roadmap.items)
    year = roadmap.plan_year or _year_in_deadlines(roadmap.items) or fallback_year
    roadmap.checked_year = year
    if roadmap.plan_year is None and roadmap.items:
        roadmap.notes.append(
            f"the title names no plan year: deadlines are checked as of {year}; a workbook "
            f"reads them as of its `plan_year` setting (set plan_year = {year} if that is "
            "the plan's year) or of the current year"
        )
    seen: dict[str, ImportedLine] = {}
    for item in roadmap.items:
        _check(roadmap, item, seen, year)
    roadmap.problems.sort(key=lambda p: p.order)


def _year_in_deadlines(items: list[ImportedLine]) -> int | None:
    """Return the year the deadline cells write most often (and the earliest of a tie)."""
    years = Counter(y for item in items for y in _YEAR.findall(item.value("deadline")))
    if not years:
        return None
    top = max(years.values())
    return min(int(y) for y, n in years.items() if n == top)


def _numbers_restart(items: list[ImportedLine]) -> bool:
    """Return whether one number is used in two sections (numbering restarts per section)."""
    sections: dict[str, set[str]] = {}
    for item in items:
        if item.value("number"):
            sections.setdefault(item.value("number"), set()).add(item.section)
    return any(len(s) > 1 for s in sections.values())


def _name_sections(roadmap: ImportedPlan, *, force: bool) -> None:
    """Give a Roman numeral to each section the roadmap tab would not read as a heading (and
    to every section without one when numbers restart, so that they can carry it)."""
    renamed: dict[str, str] = {}
    position = 0
    for line in roadmap.lines:
        if line.kind != "section":
            continue
        position += 1
        text = line.value("title")
        if split_heading(text)[0] or (is_heading(text) and not force):
            continue
        arabic = None if is_heading(text) else _ARABIC_SECTION.match(text)
        if arabic:
            new = f"{roman(int(arabic.group(1)))}. {text[arabic.end() :]}"
        else:
            new = f"{roman(position)}. {text}"
        line.values["title"] = new
        renamed[text] = new
        roadmap.notes.append(f"section «{text}» written as «{new}» ({line.place})")
    for item in roadmap.items:
        item.section = renamed.get(item.section, item.section)


def _mark_groups(items: list[ImportedLine]) -> None:
    for item, following in pairwise(items):
        number = item.value("number")
        bare = not (item.value("deadline") or item.value("owners"))
        if bare and number and following.value("number").startswith(number + "."):
            item.group = True


def _check(
    roadmap: ImportedPlan, item: ImportedLine, seen: dict[str, ImportedLine], year: int
) -> None:
    """Report what the line lacks: a title, a number of its own, a deadline that reads."""
    number, title = item.value("number"), item.value("title")
    if not title:
        roadmap.line_problem(
            item,
            "title",
            "у строки нет названия мероприятия",
            "Впишите мероприятие или удалите строку (если это продолжение строки выше, "
            "объедините ячейки или перенесите текст в неё).",
        )
    if not number:
        roadmap.line_problem(
            item,
            "number",
            f"у мероприятия «{_short(title)}» нет номера",
            "Впишите номер (например, 2.3): по нему связываются отметки о сдаче и напоминания.",
        )
    elif number in seen:
        roadmap.line_problem(
            item,
            "number",
            f"номер {number} уже есть ({seen[number].place})",
            "Дайте мероприятию свой номер (например, добавьте .1).",
        )
    else:
        seen[number] = item
    if not item.group and "deadline" in item.values and "deadline" not in item.merged:
        _check_deadline(roadmap, item, year)


def _check_deadline(roadmap: ImportedPlan, item: ImportedLine, year: int) -> None:
    text = item.value("deadline")
    if not text:
        roadmap.line_problem(
            item, "deadline", "срок не указан", f"Впишите срок. Понятные формы: {UNDERSTOOD_FORMS}."
        )
        return
    deadline = parse_deadline(text, year, school_year=roadmap.school_year)
    if deadline.kind == "unknown":
        roadmap.line_problem(
            item,
            "deadline",
            f"не удалось прочитать срок «{_short(text, 80)}»",
            f"Перепишите срок, например: {UNDERSTOOD_FORMS}.",
        )


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
