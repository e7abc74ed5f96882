"""Merged cells read as people see them, on both backends: a deadline or executors cell merged
over two rows belongs to both items; a heading merged across the table stays one heading."""

from __future__ import annotations

import gspread
import openpyxl

from sheets_sync.workbook.google_session import authorized_session
from sheets_sync.workbook.merges import Merge, merge_from_a1, spread_merges
from tests.sample_workbook import NOW, SCHOOLS, SUBMISSIONS, cycle, make, staff

EXECUTORS = [
    ["Исполнитель", "Email"],
    ["СОИРО", "soiro@example.org"],
    ["РУМО", "rumo@example.org"],
]
# Items 2 and 3 share one deadline cell (C6:C7) and one executors cell (D6:D7).
ROADMAP = [
    ["План мероприятий на 2020 год"],
    [],
    ["№", "Мероприятие", "Срок", "Ответственные"],
    ["I. Отчётность"],
    ["1", "Отчёт о работе интернет-страницы", "До 01.03.2020", "СОИРО"],
    ["2", "План работы на учебный год", "До 10.07.2020", "СОИРО, РУМО"],
    ["3", "Отчёт о работе за полугодие", "", ""],
]
MERGED = ("C6:C7", "D6:D7", "A4:D4")


def test_a_merge_over_rows_gives_its_value_to_each_row_and_one_across_columns_does_not():
    grid = [["Раздел I"], ["1", "до 01.03", "СОИРО"], ["2"], ["3"]]
    merges = [Merge(0, 0, 1, 4), Merge(1, 1, 3, 2), Merge(1, 2, 3, 4)]

    assert spread_merges(grid, merges) == [
        ["Раздел I"],
        ["1", "до 01.03", "СОИРО"],
        ["2", "до 01.03", "СОИРО"],
        ["3"],
    ]
    assert grid[2] == ["2"]  # the input is not changed
    assert spread_merges([["a"]], [Merge(0, 0, 1_048_576, 1)]) == [["a"]]  # no rows invented
    assert merge_from_a1("C6:D7") == Merge(5, 2, 7, 4)


def owed(rows) -> set[tuple[str, str]]:
    return {(r[0], r[2]) for r in rows[1:]}


def test_an_xlsx_deadline_and_executors_merged_over_two_rows_remind_both_items(project):
    path = make(project, roadmap=ROADMAP, executors=EXECUTORS)
    book = openpyxl.load_workbook(path)
    for ref in MERGED:
        book["Дорожная карта"].merge_cells(ref)
    book.save(path)

    result = project.run(NOW.date())

    assert {("2", "СОИРО"), ("3", "СОИРО"), ("2", "РУМО"), ("3", "РУМО")} <= owed(
        project.read_tab("Просрочено")
    )
    rumo = [e for e in result.sent if "rumo@example.org" in e.to]
    assert rumo and {"2", "3"} <= {k.split("|")[1] for e in rumo for k in e.keys}


def test_a_google_deadline_and_executors_merged_over_two_rows_remind_both_items(google):
    key = google.spreadsheet(
        {
            **staff(roadmap=ROADMAP, submissions=SUBMISSIONS),
            "Ответственные": EXECUTORS,
            "Школы": SCHOOLS,
        }
    )
    session = authorized_session(google.key_info, google.emulator.base_url)
    sheet = gspread.Client(auth=None, session=session).open_by_key(key)  # type: ignore[arg-type]
    for ref in MERGED:
        sheet.worksheet("Дорожная карта").merge_cells(ref)
    settings = google.settings(key)

    result = cycle(settings)

    rows = google.emulator.values(key, "Просрочено")
    assert {("2", "СОИРО"), ("3", "СОИРО"), ("2", "РУМО"), ("3", "РУМО")} <= owed(rows)
    rumo = [e for e in result.sent if "rumo@example.org" in e.to]
    assert rumo and {"2", "3"} <= {k.split("|")[1] for e in rumo for k in e.keys}
