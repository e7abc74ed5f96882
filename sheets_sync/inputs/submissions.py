"""The «Сдача отчётов» grid -> what each school recorded per report, with its problems. Pure.

Rows are schools (by code), columns are reports headed `<№> до <ДД.ММ.ГГГГ>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from sheets_sync.settings.types import REQUIRED_COLUMNS, Settings
from sheets_sync.wording import ru_date

from .marks import MARK_HINT, read_dates, read_mark
from .records import Grid, Problem, RoadmapItem, School, SourceRef, Submission
from .table import find_table, header_key

_SUBMISSION_HEADER = re.compile(r"^(?P<item>\S.*?)\s+до\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{2,4})$")


def read_submissions(
    tabs: Mapping[str, Grid],
    settings: Settings,
    items: list[RoadmapItem],
    schools: list[School],
    problems: list[Problem],
) -> tuple[dict[tuple[str, str, date], Submission], set[tuple[str, date]], bool]:
    tab = settings.tabs.submissions
    school_items = [i for i in items if i.school_report and i.deadline.due_dates]
    if tab not in tabs:
        if school_items:
            problems.append(
                Problem(
                    tab,
                    "",
                    f"нет листа «{tab}»",
                    f"Создайте лист «{tab}» (команда `python run.py sync` "
                    "добавит его со столбцами). Пока напоминаний школам нет.",
                )
            )
        return {}, set(), False
    table = find_table(
        tab, tabs[tab], settings.columns["submissions"], REQUIRED_COLUMNS["submissions"], problems
    )
    if not table.header_row or not table.has("code"):
        return {}, set(), False
    by_key = {i.key.casefold(): i for i in items}
    columns: dict[int, tuple[str, date]] = {}
    known = {header_key(a) for names in settings.columns["submissions"].values() for a in names}
    for col, header in enumerate(table.headers, start=1):
        header = header.strip()
        if not header or header_key(header) in known:
            continue
        ref = SourceRef(tab, table.header_row, col)
        match = _SUBMISSION_HEADER.match(re.sub(r"\s+", " ", header))
        dates = read_dates(match.group("date")) if match else None
        if not match or not dates:
            problems.append(
                Problem(
                    tab,
                    ref.cell,
                    f"заголовок «{header}» не читается",
                    "Заголовок столбца отчёта пишется как «<№> до <ДД.ММ.ГГГГ>», "
                    "например «VII.8 до 01.03.2020».",
                )
            )
            continue
        item = by_key.get(match.group("item").casefold())
        if item is None:
            problems.append(
                Problem(
                    tab,
                    ref.cell,
                    f"в дорожной карте нет мероприятия {match.group('item')}",
                    "Исправьте номер в заголовке или удалите столбец.",
                )
            )
            continue
        if dates[0] not in item.deadline.due_dates:
            problems.append(
                Problem(
                    tab,
                    ref.cell,
                    f"у мероприятия {item.key} нет срока {ru_date(dates[0])}",
                    "Срок в дорожной карте изменился? Исправьте дату в заголовке: "
                    + ", ".join(ru_date(d) for d in item.deadline.due_dates),
                )
            )
            continue
        columns[col] = (item.key, dates[0])
    codes = {s.code.casefold(): s for s in schools}
    submissions: dict[tuple[str, str, date], Submission] = {}
    seen: set[str] = set()
    for ref, cells in table.rows():
        code = table.value(cells, "code")
        if not code:
            continue
        school = codes.get(code.casefold())
        if school is None:
            problems.append(
                Problem(
                    tab,
                    ref.at(table.columns["code"]).cell,
                    f"школы с кодом «{code}» нет в листе «{settings.tabs.schools}»",
                    "Исправьте код или добавьте школу.",
                )
            )
            continue
        if school.code in seen:
            problems.append(
                Problem(
                    tab,
                    ref.at(table.columns["code"]).cell,
                    f"строка школы «{code}» повторяется; читается первая",
                    "Оставьте одну строку на школу.",
                )
            )
            continue
        seen.add(school.code)
        for col, (item_key, due) in columns.items():
            text = cells[col - 1] if col <= len(cells) else ""
            mark = read_mark(text)
            cell = ref.at(col)
            if mark.kind == "unclear":
                problems.append(
                    Problem(tab, cell.cell, f"не удалось прочитать «{mark.text}»", MARK_HINT)
                )
            submissions[(school.code, item_key, due)] = Submission(
                school.code, item_key, due, mark, cell
            )
    present = set(columns.values())
    missing = sorted(
        {(i.key, d) for i in school_items for d in i.deadline.due_dates} - present,
        key=lambda kd: (kd[1], kd[0]),
    )
    if missing:
        names = ", ".join(f"«{k} до {ru_date(d)}»" for k, d in missing[:6])
        more = f" и ещё {len(missing) - 6}" if len(missing) > 6 else ""
        problems.append(
            Problem(
                tab,
                f"строка {table.header_row}",
                f"нет столбцов для отчётов: {names}{more}",
                "Выполните `python run.py sync` — он допишет столбцы справа, "
                "ничего не сдвигая; или добавьте их вручную.",
            )
        )
    return submissions, present, True
