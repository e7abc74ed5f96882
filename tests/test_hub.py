"""The hub end to end over .xlsx sources: its four tabs, the roll-up by municipality, each
source's own cycle, unchanged sources left alone, and sources that fail."""

from __future__ import annotations

import os
from datetime import date, timedelta

import openpyxl
import pytest

from tests.conftest import read_tab
from tests.hub_project import ALL_IN, Hub
from tests.sample_workbook import TODAY

ALL_READ = (
    "Все источники прочитаны. Ошибки в данных каждого источника — на листе «Проблемы» его "
    "таблицы (их число — в «Сводка по источникам»)."
)


@pytest.fixture
def hub(tmp_path):
    hub = Hub(tmp_path)
    hub.workbook("a.xlsx")
    hub.workbook("b.xlsx", ALL_IN)
    hub.workbook("c.xlsx")
    hub.sources = [
        {"table": "a.xlsx", "name": "СОШ № 4", "municipality": "Кардымовский район"},
        {"table": "b.xlsx", "name": "СОШ № 1", "municipality": "Кардымовский район"},
        {"table": "c.xlsx", "name": "Гимназия № 1", "municipality": "г. Смоленск"},
    ]
    return hub


def test_the_hub_writes_its_four_tabs_and_the_sources_tab(hub):
    hub.run()

    book = openpyxl.load_workbook(hub.summary)
    assert book.sheetnames == [
        "Источники",
        "Сводка по источникам",
        "Просрочено (все)",
        "Муниципалитеты",
        "Проблемы",
    ]
    assert read_tab(hub.summary, "Источники") == [
        ["Таблица (URL или путь)", "Название", "Муниципалитет", "Активна", "Только читать"]
    ]
    assert read_tab(hub.summary, "Проблемы")[1] == [ALL_READ]


def test_the_summary_has_a_row_per_source_worst_first_and_totals_that_add_up(hub):
    hub.run()

    rows = read_tab(hub.summary, "Сводка по источникам")
    assert rows[0][:10] == [
        "Источник",
        "Муниципалитет",
        "Статус",
        "Обязательств со сроком",
        "Выполнено",
        "Выполнено, %",
        "Просрочено",
        "Макс. просрочка, дней",
        "Срок в ближайшие 14 дней",
        "Проблем в данных",
    ]
    figures = {r[0]: r[3:10] for r in rows[1:5]}
    assert [r[0] for r in rows[1:4]] == ["Гимназия № 1", "СОШ № 4", "СОШ № 1"]
    assert figures == {
        "Гимназия № 1": ["8", "3", "43%", "3", "191", "1", "0"],
        "СОШ № 4": ["8", "3", "43%", "3", "191", "1", "0"],
        "СОШ № 1": ["8", "5", "71%", "2", "191", "0", "0"],
        "Итого": ["24", "11", "52%", "8", "191", "2", "0"],
    }
    assert rows[1][2].startswith("прочитан; писем отправлено: ")
    assert rows[1][10] == "08.09.2020 09:00"
    assert rows[1][11] == str(hub.root / "c.xlsx")


def test_the_municipalities_add_up_cell_by_cell(hub):
    hub.run()

    assert read_tab(hub.summary, "Муниципалитеты") == [
        [
            "Муниципалитет",
            "Источников",
            "Не прочитано",
            "Обязательств со сроком",
            "Выполнено",
            "Выполнено, %",
            "Просрочено",
            "Макс. просрочка, дней",
            "Срок в ближайшие 14 дней",
            "Проблем в данных",
        ],
        ["г. Смоленск", "1", "0", "8", "3", "43%", "3", "191", "1", "0"],
        ["Кардымовский район", "2", "0", "16", "8", "57%", "5", "191", "1", "0"],
        ["Итого", "3", "0", "24", "11", "52%", "8", "191", "2", "0"],
    ]


def test_every_overdue_obligation_is_listed_worst_first_with_its_source_and_cell(hub):
    hub.run()

    rows = read_tab(hub.summary, "Просрочено (все)")
    assert rows[0][:9] == [
        "Дней просрочки",
        "Источник",
        "Муниципалитет",
        "№",
        "Мероприятие",
        "Кто должен",
        "Контакт",
        "Срок",
        "Где отметить",
    ]
    assert len(rows) == 1 + 8  # as many as «Итого» counts overdue
    assert [r[0] for r in rows[1:]] == ["191"] * 5 + ["99"] * 3
    school = next(r for r in rows if r[1] == "СОШ № 4" and r[5] == "Школа № 2")
    assert school[2:5] == ["Кардымовский район", "1", "Отчёт о работе интернет-страницы"]
    assert school[7:10] == ["01.03.2020", "«Сдача отчётов», C3", str(hub.root / "a.xlsx")]


def test_each_source_runs_its_own_cycle_once_a_day(hub):
    first = hub.run()
    again = hub.run()

    assert first.sent == 3 + 1 + 3  # two schools and СОИРО; СОИРО; two schools and СОИРО
    assert again.sent == 0
    assert "Сводка" in openpyxl.load_workbook(hub.root / "a.xlsx").sheetnames
    assert len(read_tab(hub.root / "a.xlsx", "Журнал рассылки")) == 1 + 3


def test_an_unchanged_source_is_neither_read_nor_written_again_the_same_day(hub):
    hub.run()
    before = {n: os.stat(hub.root / n).st_mtime_ns for n in ("a.xlsx", "b.xlsx", "c.xlsx")}
    result = hub.run(send=False)

    assert {n: os.stat(hub.root / n).st_mtime_ns for n in before} == before
    assert {o.row.status for o in result.outcomes} == {"без изменений"}
    assert read_tab(hub.summary, "Сводка по источникам")[1][2] == "без изменений"


def test_a_changed_source_is_read_again_on_a_refresh_and_its_tabs_rewritten(hub):
    hub.run()
    a = hub.root / "a.xlsx"
    book = openpyxl.load_workbook(a)
    book["Сдача отчётов"]["C3"] = "сдано"
    book.save(a)
    result = hub.run(send=False)

    statuses = {o.row.name: o.row.status for o in result.outcomes}
    assert statuses == {
        "СОШ № 4": "прочитан, листы обновлены",
        "СОШ № 1": "без изменений",
        "Гимназия № 1": "без изменений",
    }
    rows = {r[0]: r[3:7] for r in read_tab(hub.summary, "Сводка по источникам")[1:4]}
    assert rows["СОШ № 4"] == ["8", "4", "57%", "2"]


def test_on_a_new_day_the_sources_send_again_and_unchanged_figures_move_on(hub):
    hub.run()
    later = hub.run(TODAY + timedelta(days=7))  # Tuesday 15 September

    assert {o.row.status.split(";")[0] for o in later.outcomes} == {"прочитан"}
    rows = {r[0]: r[7] for r in read_tab(hub.summary, "Сводка по источникам")[1:4]}
    assert rows == {"СОШ № 4": "198", "СОШ № 1": "198", "Гимназия № 1": "198"}


def test_a_source_only_read_sends_nothing_and_gets_no_tabs(hub):
    hub.sources[2]["read_only"] = True
    result = hub.run()

    assert result.sent == 3 + 1
    assert openpyxl.load_workbook(hub.root / "c.xlsx").sheetnames == [
        "Дорожная карта",
        "Школы",
        "Ответственные",
        "Сдача отчётов",
    ]
    assert read_tab(hub.summary, "Сводка по источникам")[1][2] == "прочитан"


def test_an_inactive_source_is_left_out(hub):
    hub.sources[2]["active"] = False
    result = hub.run()

    assert [o.row.name for o in result.outcomes] == ["СОШ № 4", "СОШ № 1"]
    note = read_tab(hub.summary, "Сводка по источникам")[6][0]
    assert note.startswith("Источников: 2 (не участвуют: 1); прочитано: 2")


def test_a_day_of_the_hub_is_checked_against_a_date_not_a_clock(hub):
    sunday = date(2020, 9, 13)
    result = hub.run(sunday)

    assert result.sent == 0
    assert {o.row.status for o in result.outcomes} == {
        "прочитан; рассылки нет: 13.09.2020 — нерабочий день (выходной)"
    }
