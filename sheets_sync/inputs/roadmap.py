"""«Дорожная карта» -> roadmap items, each with its section, deadline, parties and cells. Pure.

Bad cells never stop the reading: each becomes a Problem naming the tab, the cell and the fix.
A required column that is missing was reported by `find_table`; its cells read as empty.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sheets_sync.deadlines import UNDERSTOOD_FORMS, Deadline, parse_deadline
from sheets_sync.settings.types import ReadingSettings

from .cells import SourceRef
from .marks import MARK_HINT, read_dates, read_mark
from .owners import names_schools, split_owners
from .people import NO, YES, name_key
from .problems import Problems
from .records import Executor, RoadmapItem
from .sections import is_heading, is_roman_heading, is_separator, split_heading
from .table import Table, header_key


@dataclass(frozen=True, slots=True)
class _Row:
    """A roadmap row that is not a heading, separator or repeated header, with its section."""

    ref: SourceRef
    cells: list[str]
    section: str


def read_items(
    table: Table,
    settings: ReadingSettings,
    plan_year: int,
    school_year: bool,
    executors: list[Executor],
    problems: Problems,
) -> tuple[list[RoadmapItem], list[str]]:
    """Return the roadmap's items and its sections, in the order written."""
    if not table.header_row or not table.has("deadline"):
        return [], []
    rows, sections = _rows(table)
    reader = _ItemReader(table, settings, plan_year, school_year, executors, problems)
    reader.prefix_sections = _numbers_restart(rows, table)
    items = []
    for index, row in enumerate(rows):
        following = rows[index + 1].cells if index + 1 < len(rows) else []
        item = reader.read(row, following)
        if item is not None:
            items.append(item)
    reader.report_unknown_owners()
    return items, list(dict.fromkeys(sections))


def _rows(table: Table) -> tuple[list[_Row], list[str]]:
    """Return the item rows with their sections, and the sections: blank rows, separators and
    the header repeated on each page are skipped; a heading row starts a section."""
    rows: list[_Row] = []
    section, sections = "", []
    for ref, cells in table.rows():
        if not any(c.strip() for c in cells) or is_separator("".join(cells)):
            continue
        if _is_header_again(cells, table):
            continue
        heading = _section_heading(cells, table)
        if heading:
            section = heading
            sections.append(section)
            continue
        rows.append(_Row(ref, cells, section))
    return rows, sections


def _numbers_restart(rows: list[_Row], table: Table) -> bool:
    """Return whether item numbers restart in each section (then a number gets its section's
    Roman numeral: "VII" + "8" -> "VII.8")."""
    numbers: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        numbers[_number(table.value(row.cells, "number"))].add(row.section)
    return any(len(secs) > 1 for n, secs in numbers.items() if n)


def _section_heading(cells: list[str], table: Table) -> str | None:
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) != 1:
        number = table.value(cells, "number")
        if number and is_roman_heading(number) and not table.value(cells, "deadline"):
            return " ".join(filled)
        return None
    return filled[0] if is_heading(filled[0]) else None


def _is_header_again(cells: list[str], table: Table) -> bool:
    keys = [header_key(c) for c in cells if c.strip()]
    return bool(keys) and keys == [header_key(h) for h in table.headers if h.strip()][: len(keys)]


class _ItemReader:
    """Reads item rows one by one, remembering what it has seen to report repeats."""

    def __init__(
        self,
        table: Table,
        settings: ReadingSettings,
        plan_year: int,
        school_year: bool,
        executors: list[Executor],
        problems: Problems,
    ) -> None:
        self.table, self.problems = table, problems
        self.school_names = settings.school_names
        self.executors_tab = settings.tabs.executors
        self.plan_year, self.school_year = plan_year, school_year
        self.prefix_sections = False
        self.lookup: dict[str, str] = {}
        for ex in executors:
            for alias in (ex.name, *ex.synonyms):
                self.lookup.setdefault(name_key(alias), ex.name)
        self.unknown: dict[str, list[SourceRef]] = defaultdict(list)
        self.seen_rows: dict[tuple[str, ...], SourceRef] = {}
        self.seen_keys: dict[str, SourceRef] = {}

    def cell(self, ref: SourceRef, name: str) -> SourceRef:
        """Return the cell of column `name` in row `ref` (the row itself if there is no column)."""
        col = self.table.columns.get(name)
        return ref.at(col) if col else ref

    def read(self, row: _Row, following: list[str]) -> RoadmapItem | None:
        """Return the item on `row`, or None for a repeated row or a group heading."""
        ref = row.ref

        def value(name: str) -> str:
            return self.table.value(row.cells, name)

        content = tuple(c.strip() for c in row.cells)
        if content in self.seen_rows:
            self.problems.at(
                ref,
                f"строка повторяет строку {self.seen_rows[content].row}",
                "Удалите повторную строку; она не читается.",
            )
            return None
        self.seen_rows[content] = ref
        number = _number(value("number"))
        if not (value("deadline") or value("owners") or value("deadline_date")) and (
            number and _number(self.table.value(following, "number")).startswith(number + ".")
        ):
            return None  # a group heading ("1 Подготовка ...") over its sub-items 1.1, 1.2
        key = self._key(ref, number, value("title"), row.section)
        deadline, overridden = self._deadline(ref, value("deadline"), value("deadline_date"))
        names, school_named = self._owners(ref, key, value("owners"))
        school_report = self._school_report(ref, value("school_report"), school_named)
        done_ref = self.cell(ref, "done") if self.table.has("done") else None
        done = read_mark(value("done"))
        if done.kind == "unclear" and done_ref:
            self.problems.at(done_ref, f"не удалось прочитать «{done.text}»", MARK_HINT)
        return RoadmapItem(
            key=key,
            number=number,
            section=row.section,
            title=value("title") or f"(без названия, {ref.cell})",
            deadline=deadline,
            owners_text=value("owners"),
            executors=tuple(dict.fromkeys(names)),
            school_report=school_report,
            ref=ref,
            deadline_ref=self.cell(ref, "deadline"),
            deadline_overridden=overridden,
            content=value("content"),
            done=done,
            done_ref=done_ref,
            note=value("note"),
        )

    def _key(self, ref: SourceRef, number: str, title: str, section: str) -> str:
        """Return the item's key: its number, with the section's numeral when numbers restart,
        made unique when two rows share it."""
        roman = split_heading(section)[0]
        key = f"{roman}.{number}" if self.prefix_sections and number and roman else number
        number_ref = self.cell(ref, "number")
        if not number:
            key = f"стр{ref.row}"
            self.problems.at(
                number_ref,
                f"у мероприятия «{_short(title)}» нет номера",
                "Впишите номер (например, 2.3): по нему связываются отметки о сдаче и напоминания.",
            )
        if key in self.seen_keys:
            self.problems.at(
                number_ref,
                f"номер {key} уже есть в {self.seen_keys[key].cell}",
                "Дайте мероприятию свой номер (например, добавьте .1).",
            )
            key = f"{key}#стр{ref.row}"
        self.seen_keys[key] = number_ref
        return key

    def _deadline(self, ref: SourceRef, text: str, override: str) -> tuple[Deadline, bool]:
        """Return the item's deadline: the «Срок (дата)» override when it holds dates, else the
        reading of the deadline text."""
        if override:
            dates = read_dates(override)
            if dates:
                return Deadline(override, "dates", dates), True
            self.problems.at(
                self.cell(ref, "deadline_date"),
                f"«{override}» в «Срок (дата)» — не дата",
                "Впишите дату или даты через «;», например: 01.03.2020; 01.06.2020. "
                "Пока читается текст столбца «Срок».",
            )
        if not text:
            self.problems.at(
                self.cell(ref, "deadline"),
                "срок не указан",
                f"Впишите срок. Понятные формы: {UNDERSTOOD_FORMS}.",
            )
            return Deadline("", "unknown"), False
        deadline = parse_deadline(text, self.plan_year, school_year=self.school_year)
        if deadline.kind == "unknown":
            self.problems.at(
                self.cell(ref, "deadline"),
                f"не удалось прочитать срок «{_short(text, 80)}»"
                + (f" ({deadline.note})" if deadline.note else "")
                + "; напоминаний нет",
                f"Перепишите срок, например: {UNDERSTOOD_FORMS}; или впишите дату в "
                "столбец «Срок (дата)».",
            )
        return deadline, False

    def _owners(self, ref: SourceRef, key: str, text: str) -> tuple[list[str], bool]:
        """Return the executors an «Ответственные» cell names, and whether it names the schools;
        a name not in «Ответственные» is kept for one problem listing its cells."""
        names, school_named = [], False
        for part in split_owners(text):
            if names_schools(part, self.school_names):
                school_named = True
            elif name_key(part) in self.lookup:
                names.append(self.lookup[name_key(part)])
            else:
                self.unknown[part].append(self.cell(ref, "owners"))
        if not text and self.table.has("owners"):
            self.problems.at(
                self.cell(ref, "owners"),
                f"у мероприятия {key} не указаны ответственные",
                "Впишите исполнителей (как в листе «Ответственные») или школы.",
            )
        return names, school_named

    def _school_report(self, ref: SourceRef, text: str, school_named: bool) -> bool:
        text = text.casefold()
        if not text:
            return school_named
        if text in YES:
            return True
        if text in NO:
            return False
        self.problems.at(
            self.cell(ref, "school_report"),
            f"«{text}» в столбце «Отчёт школ»",
            "Напишите «да» или «нет»; пусто — да, если среди ответственных названы школы.",
        )
        return school_named

    def report_unknown_owners(self) -> None:
        """Add one problem per executor name the roadmap uses and «Ответственные» lacks."""
        tab = self.executors_tab
        for name, refs in self.unknown.items():
            where = ", ".join(r.cell for r in refs[:5]) + (" …" if len(refs) > 5 else "")
            self.problems.at(
                refs[0],
                f"исполнитель «{name}» не найден в листе «{tab}» (ячейки {where})",
                f"Добавьте в лист «{tab}» строку «{name}» с адресом, или впишите "
                "это написание в «Синонимы» нужного исполнителя.",
            )


def _number(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(".")


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
