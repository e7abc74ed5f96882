"""An input tab that cannot be read as a table (its header row, or a column the reading needs,
missing) stops the mailing: nothing is sent on a reading that lost the plan, the schools' or the
executors' addresses; «Проблемы» names only what to fix first (not the rows read against the
broken tab), «Сводка» says why nothing went out, and the other tabs keep the last good reading."""

from __future__ import annotations

from datetime import date

import openpyxl

from sheets_sync import cli
from sheets_sync.inputs.plan import read_records
from sheets_sync.settings.types import ReadingSettings
from tests.sample_workbook import EXECUTORS, ROADMAP, SCHOOLS, SUBMISSIONS, make

DAY = date(2020, 9, 8)


def renamed(project, tab: str, cell: str, text: str) -> None:
    """Retitle one header cell, as staff would in Excel."""
    book = openpyxl.load_workbook(project.workbook_path)
    book[tab][cell] = text
    book.save(project.workbook_path)


def test_a_roadmap_without_its_deadline_column_sends_nothing_and_keeps_the_last_tabs(project):
    make(project)
    project.run(DAY)
    deadlines, overdue = project.read_tab("Сроки"), project.read_tab("Просрочено")
    sent = len(project.outbox())
    renamed(project, "Дорожная карта", "C3", "Когда")

    result = project.run(date(2020, 9, 15))

    assert len(project.outbox()) == sent and not result.sent
    assert "нет столбца «Срок»" in result.hold_reason
    assert project.read_tab("Проблемы")[1:] == [
        [
            "Дорожная карта",
            "строка 3",
            "нет столбца «Срок»",
            (
                "Добавьте в строку заголовков 3 столбец «Срок» (подходят также: «Сроки», "
                "«Сроки реализации»)."
            ),
        ]
    ]  # not one «в дорожной карте нет мероприятия» per column of «Сдача отчётов»
    summary = " ".join(c for r in project.read_tab("Сводка") for c in r)
    assert "Рассылка остановлена — лист «Дорожная карта» не прочитан" in summary
    assert "Новых напоминаний нет" not in summary
    assert project.read_tab("Сроки") == deadlines and project.read_tab("Просрочено") == overdue


def test_a_schools_tab_without_its_email_column_escalates_no_school_as_unreachable(project):
    schools = [["Код", "Школа", "Почта школы", "Активна"], *SCHOOLS[1:]]
    make(project, schools=schools)

    result = project.run(date(2020, 9, 30))

    assert not result.sent and not project.outbox()
    [problem] = project.read_tab("Проблемы")[1:]
    assert problem[:3] == ["Школы", "строка 1", "нет столбца «Email»"]


def test_once_exits_1_and_says_which_tab_cannot_be_read(project, capsys):
    executors = [["Кто", "Email"], *EXECUTORS[1:]]
    make(project, executors=executors)
    config = project.settings().source

    assert cli.main(["once", "--config", str(config), "--today", "2020-09-08"]) == 1
    err = capsys.readouterr().err
    assert "nothing was sent: the tab «Ответственные» cannot be read" in err


def test_a_submission_table_without_its_code_column_stops_the_mailing_too():
    tabs = {
        "Дорожная карта": ROADMAP,
        "Школы": [*SCHOOLS[:2], ["02", "Школа № 2", "s2@example,org", "да"]],
        "Ответственные": EXECUTORS,
        "Сдача отчётов": [["Школа", *SUBMISSIONS[0][2:]], *(r[1:] for r in SUBMISSIONS[1:])],
    }
    text = {t: [[str(c) for c in r] for r in rows] for t, rows in tabs.items()}
    records = read_records(text, ReadingSettings(), fallback_year=2020)

    # Who handed in what is unknown: no school is reminded, and the weekly summary would
    # count nothing overdue; so nothing goes out until the column is back.
    assert [p.what for p in records.unreadable] == ["нет столбца «Код»"]
    assert [p.what for p in records.problems] == ["нет столбца «Код»"]


def test_check_names_only_the_header_to_fix(project, capsys):
    schools = [["", "Школа", "Email", "Активна"], *SCHOOLS[1:]]
    make(project, schools=schools)
    config = project.settings().source

    assert cli.main(["check", "--config", str(config), "--today", "2020-09-08"]) == 1
    out = capsys.readouterr().out
    assert "нет столбца «Код»" in out
    assert "нет ни одной активной школы" not in out and "1 finding(s)" in out
