"""Tab grids -> records and problems (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from sheets_sync.inputs.owners import split_owners
from sheets_sync.inputs.plan import read_records
from sheets_sync.settings.types import ReadingSettings

SETTINGS = ReadingSettings()
EXECUTORS = [
    ["Исполнитель", "Email", "Синонимы"],
    ["СОИРО", "soiro@example.org", "РИБЦ; ГАУ ДПО СОИРО"],
]


def read(roadmap, **tabs):
    grids = {"Дорожная карта": roadmap, "Ответственные": tabs.pop("executors", EXECUTORS)}
    grids.update(
        {{"schools": "Школы", "submissions": "Сдача отчётов"}[k]: v for k, v in tabs.items()}
    )
    grids.setdefault("Сдача отчётов", [["Код", "Школа"]])  # (a missing one stops everything)
    return read_records(grids, SETTINGS, title="", fallback_year=2021)


def problems(records):
    return {(p.tab, p.cell): p.what for p in records.problems}


def test_columns_are_found_by_header_text_whatever_their_order_case_and_spacing():
    records = read(
        [
            [
                "  ОТВЕТСТВЕННЫЕ исполнители ",
                "Сроки реализации:",
                "№ п/п",
                "Наименование  мероприятия",
            ],
            ["СОИРО", "до 01.03.2020", "1", "Отчёт"],
        ]
    )
    item = records.items[0]
    assert (item.key, item.title, item.owners_text) == ("1", "Отчёт", "СОИРО")
    assert item.deadline.due_dates == (date(2020, 3, 1),)


def test_the_header_row_may_sit_below_a_title_that_names_the_plan_year():
    records = read(
        [
            ["План мероприятий по развитию ШИБЦ на 2020 год"],
            [],
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["1", "Круглый стол", "ноябрь", "СОИРО"],
        ]
    )
    assert records.plan_year == 2020
    assert records.items[0].deadline.due_dates == (date(2020, 11, 30),)


def test_without_a_year_anywhere_the_fallback_year_is_used():
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"], ["1", "Отчёт", "апрель", "СОИРО"]]
    )
    assert records.plan_year == 2021


def test_section_headings_set_the_section_and_group_rows_are_not_items():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["I. ИНФОРМАЦИОННАЯ РАБОТА"],
            ["1", "Подготовка мероприятий", "", ""],
            ["1.1", "Конференция", "ноябрь – декабрь", "СОИРО"],
            ["II. Основной этап", "", "", ""],
            ["2", "Отчёт", "декабрь", "СОИРО"],
        ]
    )
    assert [(i.key, i.section) for i in records.items] == [
        ("1.1", "I. ИНФОРМАЦИОННАЯ РАБОТА"),
        ("2", "II. Основной этап"),
    ]
    assert records.problems == ()


def test_numbers_that_restart_in_each_section_get_the_section_numeral():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["I. Первый"],
            ["1", "А", "апрель", "СОИРО"],
            ["II. Второй"],
            ["1", "Б", "май", "СОИРО"],
        ]
    )
    assert [i.key for i in records.items] == ["I.1", "II.1"]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("СОИРО, ШИБЦ ОО", ["СОИРО", "ШИБЦ ОО"]),
        ("1. Директор МОУ «СОШ №4» 2. Зав ИБЦ", ["Директор МОУ «СОШ №4»", "Зав ИБЦ"]),
        ("ТОИПКРО, УО, МОУ «СОШ№4»", ["ТОИПКРО", "УО", "МОУ «СОШ№4»"]),
        (
            "СОИРО; ШИБЦ Смоленской области (30 школ, 2 филиала)",
            ["СОИРО", "ШИБЦ Смоленской области (30 школ, 2 филиала)"],
        ),
        ("СОИРО\nРИБЦ", ["СОИРО", "РИБЦ"]),
    ],
)
def test_owners_are_split_into_parties(text, parts):
    assert split_owners(text) == parts


def test_owners_are_matched_by_name_or_synonym_and_schools_are_recognised():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["1", "Отчёт", "апрель", "рибц, ШИБЦ Смоленской области (30 школ)"],
            ["2", "Статья", "май", "Г.А.У. ДПО СОИРО"],
        ]
    )
    assert [(i.executors, i.school_report) for i in records.items] == [
        (("СОИРО",), True),
        (("СОИРО",), False),
    ]


def test_an_unknown_executor_is_one_problem_naming_its_cells():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["1", "А", "апрель", "Отдел кадров"],
            ["2", "Б", "май", "СОИРО, Отдел кадров"],
        ]
    )
    found = [p for p in records.problems if "Отдел кадров" in p.what]
    assert len(found) == 1
    assert (found[0].tab, found[0].cell) == ("Дорожная карта", "D2")
    assert "(ячейки D2, D3)" in found[0].what
    assert "«Ответственные»" in found[0].fix


def test_the_school_report_column_overrides_the_default():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Ответственные", "Отчёт школ"],
            ["1", "Конференция", "апрель", "СОИРО, ШИБЦ ОО", "нет"],
            ["2", "Отчёт", "май", "СОИРО", "да"],
            ["3", "Отчёт", "июнь", "СОИРО", "может быть"],
        ]
    )
    assert [i.school_report for i in records.items] == [False, True, False]
    assert "«может быть» в столбце «Отчёт школ»" in problems(records)[("Дорожная карта", "E4")]


def test_the_date_column_overrides_the_deadline_text():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Срок (дата)", "Ответственные"],
            ["1", "Отчёт", "по согласованию", "15.04.2020; 15.10.2020", "СОИРО"],
            ["2", "План", "май", "скоро", "СОИРО"],
        ]
    )
    first, second = records.items
    assert first.deadline_overridden and first.deadline.due_dates == (
        date(2020, 4, 15),
        date(2020, 10, 15),
    )
    assert second.deadline.due_dates == (date(2021, 5, 31),)
    assert "«скоро» в «Срок (дата)» — не дата" in problems(records)[("Дорожная карта", "D3")]


def test_an_unreadable_deadline_is_a_problem_showing_understood_forms():
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"], ["1", "Отчёт", "как договоримся", "СОИРО"]]
    )
    problem = records.problems[0]
    assert (problem.tab, problem.cell) == ("Дорожная карта", "C2")
    assert "«как договоримся»" in problem.what
    assert "01.03.2020" in problem.fix and "Срок (дата)" in problem.fix


def test_blank_rows_are_skipped_and_duplicated_rows_are_reported():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["1", "Отчёт", "апрель", "СОИРО"],
            ["", "", "", ""],
            ["1", "Отчёт", "апрель", "СОИРО"],
            ["1", "Другое", "май", "СОИРО"],
        ]
    )
    assert [i.key for i in records.items] == ["1", "1#стр5"]
    assert problems(records) == {
        ("Дорожная карта", "строка 4"): "строка повторяет строку 2",
        ("Дорожная карта", "A5"): "номер 1 уже есть в A2",
    }


def test_a_missing_required_column_is_named_with_its_header_row():
    records = read([["№", "Мероприятие", "Ответственные"], ["1", "Отчёт", "СОИРО"]])
    assert records.items == ()
    assert problems(records)[("Дорожная карта", "строка 1")] == "нет столбца «Срок»"


def test_schools_with_bad_or_missing_addresses_are_reported_and_inactive_ones_kept_out():
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"]],
        schools=[
            ["Код", "Школа", "Email", "Активна"],
            ["01", "Школа 1", "a@example.org, b@example.org", ""],
            ["02", "Школа 2", "c@example,org", "да"],
            ["03", "Школа 3", "", "нет"],
            ["01", "Школа 1 (копия)", "d@example.org", ""],
        ],
    )
    assert [(s.code, s.emails, s.bad_emails, s.active) for s in records.schools] == [
        ("01", ("a@example.org", "b@example.org"), (), True),
        ("02", (), ("c@example,org",), True),
        ("03", (), (), False),
    ]
    assert problems(records) == {
        ("Школы", "C3"): (
            "«c@example,org» — не адрес электронной почты (Школа 2): напоминания по нему не уходят"
        ),
        ("Школы", "A5"): "код «01» повторяется (первый раз — A2)",
    }


def test_a_name_in_the_email_cell_is_one_problem_not_one_per_word():
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"]],
        schools=[
            ["Код", "Школа", "Email"],
            ["01", "Школа 1", "Соколова Д. Д."],
            ["02", "Школа 2", "b@example.org Иванова И. И.; b@example.org"],
        ],
    )
    assert [(s.emails, s.bad_emails) for s in records.schools] == [
        ((), ("Соколова Д. Д.",)),
        (("b@example.org",), ("Иванова И. И.",)),
    ]
    assert [(p.cell, p.what.split(" — ")[0]) for p in records.problems] == [
        ("C2", "«Соколова Д. Д.»"),
        ("C3", "«Иванова И. И.»"),
    ]


def test_a_moved_deadline_keeps_the_marks_already_entered_and_says_to_fix_the_header():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["VII.9", "Отчёт", "до 30.11.2020", "ШИБЦ ОО"],
        ],
        schools=[["Код", "Школа", "Email"], ["01", "Школа 1", "a@example.org"]],
        submissions=[["Код", "VII.9 до 01.12.2020"], ["01", "17.11.2020"]],
    )
    [(key, sub)] = records.submissions.items()
    assert key == ("01", "VII.9", date(2020, 11, 30)) and sub.mark.kind == "done"
    assert problems(records) == {
        ("Сдача отчётов", "B1"): (
            "срок мероприятия VII.9 в дорожной карте — 30.11.2020, а в заголовке — 01.12.2020; "
            "отметки столбца читаются к 30.11.2020"
        )
    }  # one fix, not also «выполните sync» for a column that is there


def test_a_repeated_report_column_is_a_problem_and_the_first_mark_entered_counts():
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"], ["1", "Отчёт", "до 30.11.2020", "ШИБЦ ОО"]],
        schools=[
            ["Код", "Школа", "Email"],
            ["01", "Школа 1", "a@example.org"],
            ["02", "Школа 2", "b@example.org"],
        ],
        submissions=[
            ["Код", "1 до 30.11.2020", "1 до 30.11.2020"],
            ["01", "17.11.2020", ""],
            ["02", "", "сдано"],
        ],
    )
    marks = {k[0]: s.mark.kind for k, s in records.submissions.items()}
    assert marks == {"01": "done", "02": "done"}
    assert "повторяет столбец B" in problems(records)[("Сдача отчётов", "C1")]


def test_submission_columns_are_read_by_item_and_due_date():
    records = read(
        [
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["VII.8", "Отчёт", "До 01.03.2020; До 01.06.2020", "ШИБЦ ОО"],
        ],
        schools=[["Код", "Школа", "Email"], ["01", "Школа 1", "a@example.org"]],
        submissions=[
            [
                "Код",
                "VII.8 до 01.03.2020",
                "VII.8 до 01.06.2020",
                "VII.9 до 01.12.2020",
                "VII.8 до 05.05.2020",
            ],
            ["01", "28.02.2020", "прислали по почте", "", ""],
            ["99", "", "", "", ""],
        ],
    )
    assert records.submission_columns == {("VII.8", date(2020, 3, 1)), ("VII.8", date(2020, 6, 1))}
    marks = {k[2]: s.mark for k, s in records.submissions.items()}
    assert marks[date(2020, 3, 1)].dates == (date(2020, 2, 28),)
    assert marks[date(2020, 6, 1)].kind == "unclear"
    found = problems(records)
    assert found[("Сдача отчётов", "C2")] == "не удалось прочитать «прислали по почте»"
    assert found[("Сдача отчётов", "D1")] == "в дорожной карте нет мероприятия VII.9"
    assert found[("Сдача отчётов", "E1")] == "у мероприятия VII.8 нет срока 05.05.2020"
    assert found[("Сдача отчётов", "A3")] == "школы с кодом «99» нет в листе «Школы»"


def test_a_missing_submission_column_is_reported_with_the_sync_command():
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"], ["1", "Отчёт", "До 01.03.2020", "ШИБЦ ОО"]],
        schools=[["Код", "Школа", "Email"], ["01", "Школа 1", "a@example.org"]],
        submissions=[["Код"], ["01"]],
    )
    problem = problems(records)[("Сдача отчётов", "строка 1")]
    assert problem == "нет столбцов для отчётов: «1 до 01.03.2020»"
    assert "python run.py sync" in records.problems[0].fix


def test_a_school_year_plan_reads_january_to_august_in_the_second_year():
    records = read(
        [
            ["План работы ШИБЦ на 2023-2024 учебный год"],
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["1", "Неделя книги", "март", "СОИРО"],
            ["2", "Выставка", "октябрь", "СОИРО"],
            ["3", "Отчёт", "в течение учебного года", "СОИРО"],
        ]
    )
    assert (records.plan_year, records.school_year) == (2023, True)
    assert [i.deadline.due_dates for i in records.items] == [
        (date(2024, 3, 31),),
        (date(2023, 10, 31),),
        (date(2024, 5, 31),),
    ]


def test_a_calendar_year_plan_keeps_its_months_in_its_year():
    records = read(
        [
            ["План на 2020 год"],
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["1", "Неделя книги", "март", "СОИРО"],
        ]
    )
    assert (records.plan_year, records.school_year) == (2020, False)
    assert records.items[0].deadline.due_dates == (date(2020, 3, 31),)


def test_a_code_typed_as_a_number_is_the_same_school_as_its_text_with_zeros():
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"], ["1", "Отчёт", "до 01.03.2020", "ШИБЦ ОО"]],
        schools=[["Код", "Школа", "Email"], ["01", "Школа 1", "a@example.org"]],
        submissions=[["Код", "1 до 01.03.2020"], ["1", "сдано"]],
    )
    assert [(k[0], v.mark.kind) for k, v in records.submissions.items()] == [("01", "done")]
    assert problems(records) == {}


def test_an_address_longer_than_254_characters_is_refused_with_its_cell():
    long = "a" * 250 + "@example.org"
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"]],
        schools=[["Код", "Школа", "Email"], ["01", "Школа 1", long]],
    )
    assert records.schools[0].emails == () and records.schools[0].bad_emails == (long,)
    assert "слишком длинный адрес" in problems(records)[("Школы", "C2")]


def test_the_role_column_marks_the_coordinating_body():
    records = read(
        [["№", "Мероприятие", "Срок", "Ответственные"]],
        executors=[
            ["Исполнитель", "Email", "Роль"],
            ["СОИРО", "ribc@example.org", "координатор"],
            ["Зав. ИБЦ", "ibc@example.org", ""],
        ],
    )
    assert [(e.name, e.coordinator) for e in records.executors] == [
        ("СОИРО", True),
        ("Зав. ИБЦ", False),
    ]


@pytest.mark.parametrize(
    ("tab", "header", "missing"),
    [
        ("Дорожная карта", ["№", "Мероприятие", "Срок"], "Ответственные"),
        ("Дорожная карта", ["Срок"], "№"),
        ("Ответственные", ["Email"], "Исполнитель"),
    ],
)
def test_a_missing_required_column_is_a_problem_and_reading_goes_on(tab, header, missing):
    roadmap = [
        ["№", "Мероприятие", "Срок", "Ответственные"],
        ["1", "Отчёт", "до 01.03.2020", "ШИБЦ ОО"],
    ]
    tabs = {"executors": [["Исполнитель", "Email"], ["СОИРО", "s@example.org"]]}
    if tab == "Дорожная карта":
        roadmap = [header, ["1", "Отчёт", "до 01.03.2020"][: len(header)]]
    else:
        tabs["executors"] = [header, ["s@example.org"]]
    records = read(roadmap, **tabs)
    assert f"нет столбца «{missing}»" in [p.what for p in records.problems]
