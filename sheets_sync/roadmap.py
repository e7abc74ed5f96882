"""Input tab grids -> roadmap items (and, through people and submissions, every record). Pure.

Bad cells never stop the reading: each becomes a Problem naming the tab, the cell and the fix.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from .deadlines import UNDERSTOOD_FORMS, Deadline, parse_deadline
from .marks import MARK_HINT, read_dates, read_mark
from .people import NO, YES, name_key, name_words, read_executors, read_schools
from .records import Executor, Grid, Problem, Records, RoadmapItem, SourceRef
from .settings import REQUIRED_COLUMNS, Settings
from .submissions import read_submissions
from .table import Table, find_table, header_key

_ROMAN_HEADING = re.compile(r"^(?P<roman>[IVXLC]{1,6})\s*[.)]?(?:\s+\S|$)")
_YEAR_IN_TITLE = re.compile(
    r"(?:на|в)\s+(20\d\d)\s*(?:[-–/]\s*20\d\d\s*)?(?:г|год|уч)", re.IGNORECASE
)
_ANY_YEAR = re.compile(r"\b(20\d\d)\b")
_SCHOOL_YEAR_IN_TITLE = re.compile(r"20\d\d\s*[-–—/]\s*(?:20)?\d\d\s*(?:уч|учебн)", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[-–—_=\s|]*$")


def read_records(
    tabs: Mapping[str, Grid], settings: Settings, *, title: str = "", fallback_year: int
) -> Records:
    """Return the records held by the input `tabs`; `fallback_year` is used when no plan year is
    configured or written in the roadmap's title."""
    names = settings.tabs
    problems: list[Problem] = []
    roadmap = find_table(
        names.roadmap,
        tabs.get(names.roadmap, []),
        settings.columns["roadmap"],
        REQUIRED_COLUMNS["roadmap"],
        problems,
    )
    plan_year = settings.plan_year or _plan_year(roadmap, title) or fallback_year
    school_year = (
        settings.school_year
        if settings.school_year is not None
        else _names_school_year(roadmap, title)
    )
    executors = read_executors(tabs, settings, problems)
    schools = read_schools(tabs, settings, problems)
    items, sections = _items(roadmap, settings, plan_year, school_year, executors, problems)
    submissions, columns, readable = read_submissions(tabs, settings, items, schools, problems)
    return Records(
        title=_plan_title(roadmap) or title or names.roadmap,
        plan_year=plan_year,
        school_year=school_year,
        items=tuple(items),
        schools=tuple(schools),
        executors=tuple(executors),
        submissions=submissions,
        submission_columns=frozenset(columns),
        problems=tuple(problems),
        submissions_readable=readable,
        sections=tuple(sections),
    )


def _plan_title(table: Table) -> str:
    """Return the roadmap's own title: the text above its header row ("План мероприятий ...")."""
    above = [
        " ".join(c.strip() for c in row if c.strip())
        for row in table.grid[: max(table.header_row - 1, 0)]
    ]
    return re.sub(r"\s+", " ", " ".join(t for t in above if t)).strip(" *")[:300]


def _plan_year(table: Table, title: str) -> int | None:
    """Return the year a roadmap's title names ("... на 2020 год"), if any."""
    above = [" ".join(row) for row in table.grid[: max(table.header_row - 1, 0)]]
    for text in (*above, title):
        match = _YEAR_IN_TITLE.search(text)
        if match:
            return int(match.group(1))
    for text in (*above, title):
        years = _ANY_YEAR.findall(text)
        if years:
            return int(years[0])
    return None


def _names_school_year(table: Table, title: str) -> bool:
    """Return whether the title makes the plan one for a school year ("на 2023-2024 учебный
    год", "2025/2026 уч. г."): then its months run from September to August."""
    above = [" ".join(row) for row in table.grid[: max(table.header_row - 1, 0)]]
    return any(_SCHOOL_YEAR_IN_TITLE.search(text) for text in (*above, title))


def split_owners(text: str) -> list[str]:
    """Return the parties named in an `Ответственные` cell ("СОИРО, ШИБЦ ОО", "1. Директор 2. Зав")."""
    text = re.sub(r"(?:^|(?<=\s))\d{1,2}[.)]\s+(?=\D)", "\n", text)
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "(«":
            depth += 1
        elif ch in ")»":
            depth = max(depth - 1, 0)
        if ch in ",;\n" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip(" .-–—\t") for p in parts if p.strip(" .-–—\t")]


def _names_schools(part: str, school_names: Sequence[str]) -> bool:
    key = name_words(part)
    words = set(key.split())
    for marker in school_names:
        m = name_words(marker)
        if key == m or key.startswith(m + " ") or (" " not in m and m in words):
            return True
    return "школ" in key and not key.startswith(("директор", "зав"))


def _section_heading(cells: list[str], table: Table) -> str | None:
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) != 1:
        number = table.value(cells, "number")
        if number and _ROMAN_HEADING.match(number) and not table.value(cells, "deadline"):
            return " ".join(filled)
        return None
    text = filled[0]
    if _ROMAN_HEADING.match(text) or (text.isupper() and len(text) > 3):
        return text
    if re.search(r"\b(этап|раздел)\b", text, re.IGNORECASE) and not re.match(r"^\d", text):
        return text
    return None


def _is_header_again(cells: list[str], table: Table) -> bool:
    keys = [header_key(c) for c in cells if c.strip()]
    return bool(keys) and keys == [header_key(h) for h in table.headers if h.strip()][: len(keys)]


def _items(
    table: Table,
    settings: Settings,
    plan_year: int,
    school_year: bool,
    executors: list[Executor],
    problems: list[Problem],
) -> tuple[list[RoadmapItem], list[str]]:
    tab = table.tab
    if not table.header_row or not table.has("deadline"):
        return [], []
    lookup: dict[str, str] = {}
    for ex in executors:
        for alias in (ex.name, *ex.synonyms):
            lookup.setdefault(name_key(alias), ex.name)
    rows: list[tuple[SourceRef, list[str], str]] = []
    section, sections = "", []
    for ref, cells in table.rows():
        if not any(c.strip() for c in cells) or _SEPARATOR.match("".join(cells)):
            continue
        if _is_header_again(cells, table):
            continue
        heading = _section_heading(cells, table)
        if heading:
            section = heading
            sections.append(section)
            continue
        rows.append((ref, cells, section))
    numbers: dict[str, set[str]] = defaultdict(set)
    for _ref, cells, sec in rows:
        numbers[_number(table.value(cells, "number"))].add(sec)
    prefix_sections = any(len(secs) > 1 for n, secs in numbers.items() if n)

    items: list[RoadmapItem] = []
    unknown: dict[str, list[SourceRef]] = defaultdict(list)
    seen_rows: dict[tuple[str, ...], SourceRef] = {}
    seen_keys: dict[str, SourceRef] = {}
    for index, (ref, cells, sec) in enumerate(rows):
        col = table.columns
        content = tuple(c.strip() for c in cells)
        if content in seen_rows:
            problems.append(
                Problem(
                    tab,
                    ref.cell,
                    f"строка повторяет строку {seen_rows[content].row}",
                    "Удалите повторную строку; она не читается.",
                )
            )
            continue
        seen_rows[content] = ref
        number = _number(table.value(cells, "number"))
        title = table.value(cells, "title")
        deadline_text = table.value(cells, "deadline")
        owners_text = table.value(cells, "owners")
        override = table.value(cells, "deadline_date")
        if not deadline_text and not owners_text and not override:
            nxt = rows[index + 1][1] if index + 1 < len(rows) else []
            if number and nxt and _number(table.value(nxt, "number")).startswith(number + "."):
                continue  # a group heading ("1 Подготовка ...") over its sub-items 1.1, 1.2
        key = f"{_roman(sec)}.{number}" if prefix_sections and number and _roman(sec) else number
        if not number:
            key = f"стр{ref.row}"
            problems.append(
                Problem(
                    tab,
                    ref.at(col["number"]).cell if "number" in col else ref.cell,
                    f"у мероприятия «{_short(title)}» нет номера",
                    "Впишите номер (например, 2.3): по нему связываются отметки "
                    "о сдаче и напоминания.",
                )
            )
        if key in seen_keys:
            problems.append(
                Problem(
                    tab,
                    ref.at(col.get("number", 1)).cell,
                    f"номер {key} уже есть в {seen_keys[key].cell}",
                    "Дайте мероприятию свой номер (например, добавьте .1).",
                )
            )
            key = f"{key}#стр{ref.row}"
        seen_keys[key] = ref.at(col.get("number", 1))
        deadline_ref = ref.at(col["deadline"])
        deadline, overridden = _deadline(
            deadline_text, override, plan_year, school_year, table, ref, problems
        )
        names, school_named = [], False
        for part in split_owners(owners_text):
            if _names_schools(part, settings.school_names):
                school_named = True
            elif name_key(part) in lookup:
                names.append(lookup[name_key(part)])
            else:
                unknown[part].append(ref.at(col["owners"]))
        if not owners_text:
            problems.append(
                Problem(
                    tab,
                    ref.at(col["owners"]).cell,
                    f"у мероприятия {key} не указаны ответственные",
                    "Впишите исполнителей (как в листе «Ответственные») или школы.",
                )
            )
        school_report = _school_report(table, cells, ref, school_named, problems)
        done_ref = ref.at(col["done"]) if "done" in col else None
        done = read_mark(table.value(cells, "done"))
        if done.kind == "unclear" and done_ref:
            problems.append(
                Problem(tab, done_ref.cell, f"не удалось прочитать «{done.text}»", MARK_HINT)
            )
        items.append(
            RoadmapItem(
                key=key,
                number=number,
                section=sec,
                title=title or f"(без названия, {ref.cell})",
                deadline=deadline,
                owners_text=owners_text,
                executors=tuple(dict.fromkeys(names)),
                school_report=school_report,
                ref=ref,
                deadline_ref=deadline_ref,
                deadline_overridden=overridden,
                content=table.value(cells, "content"),
                done=done,
                done_ref=done_ref,
                note=table.value(cells, "note"),
            )
        )
    for name, refs in unknown.items():
        where = ", ".join(r.cell for r in refs[:5]) + (" …" if len(refs) > 5 else "")
        problems.append(
            Problem(
                tab,
                refs[0].cell,
                f"исполнитель «{name}» не найден в листе «{settings.tabs.executors}» (ячейки {where})",
                f"Добавьте в лист «{settings.tabs.executors}» строку «{name}» с адресом, или впишите "
                "это написание в «Синонимы» нужного исполнителя.",
            )
        )
    return items, list(dict.fromkeys(sections))


def _deadline(
    text: str,
    override: str,
    plan_year: int,
    school_year: bool,
    table: Table,
    ref: SourceRef,
    problems: list[Problem],
) -> tuple[Deadline, bool]:
    tab, col = table.tab, table.columns
    if override:
        dates = read_dates(override)
        if dates:
            return Deadline(override, "dates", dates), True
        problems.append(
            Problem(
                tab,
                ref.at(col["deadline_date"]).cell,
                f"«{override}» в «Срок (дата)» — не дата",
                "Впишите дату или даты через «;», например: 01.03.2020; 01.06.2020. "
                "Пока читается текст столбца «Срок».",
            )
        )
    if not text:
        problems.append(
            Problem(
                tab,
                ref.at(col["deadline"]).cell,
                "срок не указан",
                f"Впишите срок. Понятные формы: {UNDERSTOOD_FORMS}.",
            )
        )
        return Deadline("", "unknown"), False
    deadline = parse_deadline(text, plan_year, school_year=school_year)
    if deadline.kind == "unknown":
        problems.append(
            Problem(
                tab,
                ref.at(col["deadline"]).cell,
                f"не удалось прочитать срок «{_short(text, 80)}»"
                + (f" ({deadline.note})" if deadline.note else "")
                + "; напоминаний нет",
                f"Перепишите срок, например: {UNDERSTOOD_FORMS}; или впишите дату в "
                "столбец «Срок (дата)».",
            )
        )
    return deadline, False


def _school_report(
    table: Table, cells: list[str], ref: SourceRef, school_named: bool, problems: list[Problem]
) -> bool:
    text = table.value(cells, "school_report").casefold()
    if not text:
        return school_named
    if text in YES:
        return True
    if text in NO:
        return False
    problems.append(
        Problem(
            table.tab,
            ref.at(table.columns["school_report"]).cell,
            f"«{text}» в столбце «Отчёт школ»",
            "Напишите «да» или «нет»; пусто — да, если среди ответственных названы школы.",
        )
    )
    return school_named


def _number(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(".")


def _roman(section: str) -> str:
    match = _ROMAN_HEADING.match(section.strip())
    return match.group("roman") if match else ""


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
