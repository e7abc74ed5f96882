"""Obligations -> the generated tabs, with their colours (pure)."""

from __future__ import annotations

from datetime import date, datetime

from sheets_sync.inputs.plan import read_records
from sheets_sync.inputs.problems import Problem
from sheets_sync.obligations import obligations_on
from sheets_sync.report.build import build_tabs
from sheets_sync.report.context import ReportContext
from sheets_sync.settings.types import ReadingSettings, TabNames
from sheets_sync.wording import text_of

SETTINGS = ReadingSettings(plan_year=2020)
TODAY = date(2020, 9, 8)


def tabs(sent=frozenset(), problems=None):
    records = read_records(
        {
            "Дорожная карта": [
                ["№", "Мероприятие", "Срок", "Ответственные"],
                ["I. Отчёты"],
                ["1", "Отчёт", "До 01.03.2020; До 01.06.2020; До 10.09.2020", "ШИБЦ ОО"],
                ["2", "Семинар", "По плану РУМО", "СОИРО"],
                ["3", "Статья", "как получится", "СОИРО"],
            ],
            "Ответственные": [["Исполнитель", "Email"], ["СОИРО", "s@example.org"]],
            "Школы": [
                ["Код", "Школа", "Email"],
                ["01", "Школа 1", "a@example.org"],
                ["02", "Школа 2", "b@example.org"],
            ],
            "Сдача отчётов": [
                ["Код", "1 до 01.03.2020", "1 до 01.06.2020", "1 до 10.09.2020"],
                ["01", "01.03.2020", "05.06.2020", ""],
                ["02", "", "01.06.2020", ""],
            ],
        },
        SETTINGS,
        fallback_year=2020,
    )
    obligations, more = obligations_on(records, TODAY)
    ctx = ReportContext(TODAY, datetime(2020, 9, 8, 9, 30), "workbook.xlsx", frozenset(sent), {})
    built = build_tabs(
        records,
        obligations,
        problems if problems is not None else [*records.problems, *more],
        ctx,
        TabNames(),
    )
    return {t.name: t for t in built}


def text(tab):
    return [[text_of(c.value) for c in row] for row in tab.rows]


def test_the_summary_has_totals_sections_and_a_row_per_school():
    summary = text(tabs()["Сводка"])
    assert summary[0] == ["Сводка: Дорожная карта"]
    assert summary[1] == ["Построено 08.09.2020 09:30 на дату 08.09.2020 из workbook.xlsx"]
    totals = {r[1]: r[2] for r in summary if len(r) == 3 and r[0] == ""}
    assert totals == {
        "Обязательств со сроком": "6",
        "Выполнено": "3",
        "  из них с опозданием": "1",
        "Срок в ближайшие 7 дней": "2",
        "Просрочено": "1",
        "Без срока (по запросу, периодически)": "1",
        "Неясно (срок или отметка не читаются)": "1",
        "Проблем в данных (лист «Проблемы»)": "1",
    }
    assert ["I", "Отчёты", "6", "3", "50%", "2", "1"] in summary
    assert ["01", "Школа 1", "3", "2", "2", "1", "0", "", "—"] in summary
    assert ["02", "Школа 2", "3", "2", "1", "1", "1", "1", "—"] in summary


def test_totals_and_progress_are_coloured():
    summary = tabs()["Сводка"]
    styles = {row[1].value: row[2].style for row in summary.rows if len(row) == 3}
    assert styles["Выполнено"] == "done" and styles["Просрочено"] == "overdue"
    assert styles["Срок в ближайшие 7 дней"] == "soon"


def test_overdue_is_sorted_by_lateness_with_red_days_and_reminder_counts():
    sent = {
        "school:02|1|2020-03-01|school:02|overdue",
        "school:02|1|2020-03-01|school:02|overdue+7",
        "coordinator|1|2020-03-01|school:02|escalation",
    }
    overdue = tabs(sent)["Просрочено"]
    assert text(overdue)[1][:6] == ["1", "Отчёт", "Школа 2", "01.03.2020", "191", "2"]
    assert overdue.rows[1][4].style == "overdue"
    assert overdue.frozen_rows == 1


def test_deadlines_tab_shows_every_line_and_marks_unreadable_ones():
    deadlines = tabs()["Сроки"]
    rows = text(deadlines)
    assert [r[1] for r in rows[1:]] == ["1", "2", "3"]
    assert rows[1][4].startswith("3 срока: 01.03.2020, 01.06.2020, 10.09.2020")
    assert rows[2][4] == "по запросу — без срока"
    assert deadlines.rows[3][4].style == "bad" and rows[3][5] == "не распознано"


def test_problems_tab_says_when_there_are_none():
    assert text(tabs(problems=[])["Проблемы"])[1] == ["Проблем в данных нет"]
    got = text(tabs(problems=[Problem("Школы", "C3", "плохой адрес", "исправьте")])["Проблемы"])
    assert got == [
        ["Лист", "Ячейка", "Что не так", "Как исправить"],
        ["Школы", "C3", "плохой адрес", "исправьте"],
    ]
