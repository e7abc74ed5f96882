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


def tabs(sent=frozenset(), problems=None, submissions=("", "01.06.2020", ""), today=TODAY):
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
                ["02", *submissions],
            ],
        },
        SETTINGS,
        fallback_year=2020,
    )
    obligations, more = obligations_on(records, today)
    ctx = ReportContext(today, datetime(2020, 9, 8, 9, 30), "workbook.xlsx", frozenset(sent), {})
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


def test_the_summary_has_totals_that_add_up_sections_and_a_row_per_school():
    summary = text(tabs()["Сводка"])
    assert summary[0] == ["Сводка: Дорожная карта"]
    assert summary[1] == ["Построено 08.09.2020 09:30 на дату 08.09.2020 из workbook.xlsx"]
    totals = {r[1].strip(): int(r[2]) for r in summary if len(r) == 3 and r[0] == ""}
    dated = ["выполнено в срок", "выполнено с опозданием", "просрочено"]
    dated += ["срок в ближайшие 7 дней", "срок позже", "не требуется (н/т)"]
    assert [totals[k] for k in dated] == [2, 1, 1, 2, 0, 0]
    assert totals["Обязательств со сроком"] == sum(totals[k] for k in dated) == 6
    assert totals["Без срока: по запросу, по событию, периодически"] == 1
    assert totals["Срок не распознан (листы «Сроки» и «Проблемы»)"] == 1
    assert totals["Проблем в данных (лист «Проблемы»)"] == 1
    # 3 of the 4 whose date has come are done (the 2 due on 10.09 are not counted yet)
    assert ["I", "Отчёты", "6", "3", "0.75", "1", "2", "0"] in summary
    assert ["01", "Школа 1", "3", "2", "2", "1", "0", "", "", "—"] in summary
    assert ["02", "Школа 2", "3", "2", "1", "1", "1", "191", "п. 1 (01.03.2020)", "—"] in summary


def test_not_required_is_its_own_bucket_and_the_totals_still_add_up():
    summary = tabs(submissions=["н/т", "н/т", ""])["Сводка"]
    totals = {
        r[1].value.strip(): r[2].value for r in summary.rows if len(r) == 3 and not r[0].value
    }
    assert totals["не требуется (н/т)"] == 2
    parts = ["выполнено в срок", "выполнено с опозданием", "просрочено", "срок в ближайшие 7 дней"]
    parts += ["срок позже", "не требуется (н/т)"]
    assert totals["Обязательств со сроком"] == sum(totals[k] for k in parts) == 6


def test_the_next_two_weeks_list_each_date_with_how_many_still_owe_it():
    summary = text(tabs()["Сводка"])
    at = summary.index(["", "Ближайшие сроки (14 дней)"])
    assert summary[at + 2] == ["1", "Отчёт", "10.09.2020", "2", "", "", "", "", "Школа 1, Школа 2"]


def test_late_schools_come_first_worst_first_then_every_school_by_code():
    summary = text(tabs()["Сводка"])
    late = summary.index(["", "Школы с просрочкой: сначала отстающие"])
    every = summary.index(["", "Все школы"])
    assert [r[0] for r in summary[late + 2 : every - 1]] == ["02"]
    assert [r[0] for r in summary[every + 2 : every + 4]] == ["01", "02"]


def test_percentages_are_numbers_in_percent_format_and_counts_are_centred():
    summary = tabs()["Сводка"]
    (section,) = [r for r in summary.rows if r and r[0].value == "I"]
    assert (section[4].value, section[4].fmt) == (0.75, "0%")
    assert {c.align for c in section[2:]} == {"center"}


def test_a_school_row_adds_up_on_a_due_date_and_nothing_due_shows_no_share():
    # 10.09 is the due date of the third report, which nobody has handed in yet: not late.
    on_the_day = text(tabs(today=date(2020, 9, 10))["Сводка"])
    for code in ("01", "02"):
        row = next(r for r in on_the_day if r[:1] == [code])
        assert int(row[3]) == int(row[4]) + int(row[6]) == 2  # come due = handed in + overdue
    nothing_due = text(tabs(today=date(2020, 2, 1))["Сводка"])
    section = next(r for r in nothing_due if r[:1] == ["I"])
    assert section[4] == "—"  # nothing has come due: no «0 %» that reads as failure


def test_totals_and_progress_are_coloured():
    summary = tabs()["Сводка"]
    styles = {row[1].value.strip(): row[2].style for row in summary.rows if len(row) == 3}
    assert styles["выполнено в срок"] == "done" and styles["просрочено"] == "overdue"
    assert styles["срок в ближайшие 7 дней"] == "soon"


def test_overdue_is_sorted_by_lateness_with_red_days_and_reminder_counts():
    sent = {
        "school:02|1|2020-03-01|school:02|overdue",
        "school:02|1|2020-03-01|school:02|overdue+7",
        "coordinator|1|2020-03-01|school:02|escalation",
    }
    overdue = tabs(sent)["Просрочено"]
    assert text(overdue)[1][:7] == ["1", "Отчёт", "Школа 2", "", "01.03.2020", "191", "2"]
    assert overdue.rows[1][5].style == "overdue"
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
