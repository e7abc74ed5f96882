"""The «Сдача отчётов» grid -> what each school recorded per report, with its problems. Pure.

Rows are schools (by code), columns are reports headed `<№> до <ДД.ММ.ГГГГ>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sheets_sync.settings.types import REQUIRED_COLUMNS, ReadingSettings
from sheets_sync.wording import ru_date

from .cells import Grid, SourceRef, column_letter
from .marks import MARK_HINT, read_dates, read_mark
from .people import code_key
from .problems import Problems
from .records import RoadmapItem, School, Submission
from .table import Table, find_table, header_key

_SUBMISSION_HEADER = re.compile(r"^(?P<item>\S.*?)\s+до\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{2,4})$")

ReportColumn = tuple[str, date]
"""A report column of «Сдача отчётов»: the item's key and the due date it is for."""


@dataclass(frozen=True, slots=True)
class SubmissionTable:
    """What «Сдача отчётов» holds: a cell per (school, item, due date), the report columns
    present, and whether the tab could be read at all (if not, school states are unknown)."""

    submissions: Mapping[tuple[str, str, date], Submission] = field(default_factory=dict)
    columns: frozenset[ReportColumn] = frozenset()
    readable: bool = False


def read_submissions(
    tabs: Mapping[str, Grid],
    settings: ReadingSettings,
    items: list[RoadmapItem],
    schools: list[School],
    problems: Problems,
) -> SubmissionTable:
    """Return what «Сдача отчётов» records for the schools' reports."""
    tab = settings.tabs.submissions
    school_items = [i for i in items if i.school_report and i.deadline.due_dates]
    if tab not in tabs:
        if school_items:
            problems.on_tab(
                tab,
                f"нет листа «{tab}»",
                f"Создайте лист «{tab}» (команда `python run.py sync` "
                "добавит его со столбцами). Пока его нет, рассылки нет.",
            )
            problems.structure.append(problems.found()[-1])
        return SubmissionTable()
    table = find_table(
        tab, tabs[tab], settings.columns["submissions"], REQUIRED_COLUMNS["submissions"], problems
    )
    if not table.header_row or not table.has("code"):
        return SubmissionTable()
    known = {header_key(a) for names in settings.columns["submissions"].values() for a in names}
    columns = _report_columns(table, known, items, problems)
    submissions = _school_rows(table, columns, schools, settings.tabs.schools, problems)
    present = frozenset(columns.values())
    _missing_columns(table, school_items, present, problems)
    return SubmissionTable(submissions, present, True)


def _report_columns(
    table: Table, known: set[str], items: list[RoadmapItem], problems: Problems
) -> dict[int, ReportColumn]:
    """Return the report columns by their 1-based column; a header that names no report of
    the roadmap is a problem."""
    by_key = {i.key.casefold(): i for i in items}
    columns: dict[int, ReportColumn] = {}
    stray: dict[str, list[tuple[SourceRef, RoadmapItem, date]]] = {}  # dates not in the plan
    for col, header in enumerate(table.headers, start=1):
        header = header.strip()
        if not header or header_key(header) in known:
            continue
        ref = SourceRef(table.tab, table.header_row, col)
        match = _SUBMISSION_HEADER.match(re.sub(r"\s+", " ", header))
        dates = read_dates(match.group("date")) if match else None
        if not match or not dates:
            problems.at(
                ref,
                f"заголовок «{header}» не читается",
                "Заголовок столбца отчёта пишется как «<№> до <ДД.ММ.ГГГГ>», "
                "например «VII.8 до 01.03.2020».",
            )
            continue
        item = by_key.get(match.group("item").casefold())
        if item is None:
            problems.at(
                ref,
                f"в дорожной карте нет мероприятия {match.group('item')}",
                "Исправьте номер в заголовке или удалите столбец.",
            )
            continue
        if not item.deadline.due_dates:  # said on the roadmap's cell: nothing to add here
            continue
        if dates[0] not in item.deadline.due_dates:
            stray.setdefault(item.key, []).append((ref, item, dates[0]))
            continue
        if (item.key, dates[0]) in columns.values():
            first = next(c for c, kd in columns.items() if kd == (item.key, dates[0]))
            problems.at(
                ref,
                f"столбец «{header}» повторяет столбец {column_letter(first)}; отметки "
                "читаются из обоих (первая непустая)",
                "Перенесите отметки в один столбец и удалите другой.",
            )
        columns[col] = (item.key, dates[0])
    _moved_deadlines(stray, columns, problems)
    return columns


def _moved_deadlines(
    stray: dict[str, list[tuple[SourceRef, RoadmapItem, date]]],
    columns: dict[int, ReportColumn],
    problems: Problems,
) -> None:
    """Read a column whose date the roadmap no longer has as the item's one date without a
    column, when there is just one of each (a deadline moved: the marks already entered
    stay); else each such column is a problem."""
    present = set(columns.values())
    for key, found in stray.items():
        item = found[0][1]
        free = [d for d in item.deadline.due_dates if (key, d) not in present]
        for ref, _, day in found:
            if len(found) == 1 and len(free) == 1:
                columns[ref.col] = (key, free[0])
                problems.at(
                    ref,
                    f"срок мероприятия {key} в дорожной карте — {ru_date(free[0])}, а в "
                    f"заголовке — {ru_date(day)}; отметки столбца читаются к "
                    f"{ru_date(free[0])}",
                    f"Исправьте дату в заголовке на {ru_date(free[0])}.",
                )
                continue
            problems.at(
                ref,
                f"у мероприятия {key} нет срока {ru_date(day)}",
                "Срок в дорожной карте изменился? Исправьте дату в заголовке: "
                + ", ".join(ru_date(d) for d in item.deadline.due_dates),
            )


def _school_rows(
    table: Table,
    columns: dict[int, ReportColumn],
    schools: list[School],
    schools_tab: str,
    problems: Problems,
) -> dict[tuple[str, str, date], Submission]:
    """Return every report cell of every known school's row (the first row of a school)."""
    codes = {code_key(s.code): s for s in schools}
    submissions: dict[tuple[str, str, date], Submission] = {}
    seen: set[str] = set()
    for ref, cells in table.rows():
        code = table.value(cells, "code")
        if not code:
            continue
        school = codes.get(code_key(code))
        code_ref = ref.at(table.columns["code"])
        if school is None:
            problems.at(
                code_ref,
                f"школы с кодом «{code}» нет в листе «{schools_tab}»",
                "Исправьте код или добавьте школу.",
            )
            continue
        if school.code in seen:
            problems.at(
                code_ref,
                f"строка школы «{code}» повторяется; читается первая",
                "Оставьте одну строку на школу.",
            )
            continue
        seen.add(school.code)
        for col, (item_key, due) in columns.items():
            mark = read_mark(cells[col - 1] if col <= len(cells) else "")
            if mark.kind == "unclear":
                problems.at(ref.at(col), f"не удалось прочитать «{mark.text}»", MARK_HINT)
            earlier = submissions.get((school.code, item_key, due))
            if earlier is not None and (mark.kind == "empty" or earlier.mark.kind != "empty"):
                continue  # a repeated column: the first mark entered counts
            submissions[(school.code, item_key, due)] = Submission(
                school.code, item_key, due, mark, ref.at(col)
            )
    return submissions


def _missing_columns(
    table: Table,
    school_items: list[RoadmapItem],
    present: frozenset[ReportColumn],
    problems: Problems,
) -> None:
    """Add one problem naming the school reports that have no column yet."""
    missing = sorted(
        {(i.key, d) for i in school_items for d in i.deadline.due_dates} - present,
        key=lambda kd: (kd[1], kd[0]),
    )
    if missing:
        names = ", ".join(f"«{k} до {ru_date(d)}»" for k, d in missing[:6])
        more = f" и ещё {len(missing) - 6}" if len(missing) > 6 else ""
        problems.at(
            SourceRef(table.tab, table.header_row),
            f"нет столбцов для отчётов: {names}{more}",
            "Выполните `python run.py sync` — он допишет столбцы справа, "
            "ничего не сдвигая; или добавьте их вручную.",
        )
