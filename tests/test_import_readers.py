"""The document readers and the one reading they share: merged cells, cells of several
paragraphs, automatic numbers, headers by meaning, and what cannot be placed, with its place."""

from __future__ import annotations

import io

import openpyxl

from sheets_sync.documents.docx_reader import read_docx
from sheets_sync.documents.headers import header_fields
from sheets_sync.documents.roadmap import read_roadmap
from sheets_sync.documents.source import join_broken
from sheets_sync.documents.tab_separated import read_tab_separated, text_document
from sheets_sync.documents.xlsx_reader import read_xlsx
from sheets_sync.settings.types import DEFAULT_COLUMNS
from tests.docx_fixtures import AUTO, UP, Table, make_docx

HEADER = ["№ п/п", "Наименование мероприятия", "Сроки реализации", "Ответственные исполнители"]


def plan_of(*blocks):
    return read_roadmap(read_docx(make_docx(*blocks)), fallback_year=2024)


def values(plan, *names):
    return [tuple(line.value(n) for n in names) for line in plan.items]


def test_a_number_cell_merged_down_makes_one_line_of_the_rows_it_spans():
    plan = plan_of(
        "План мероприятий на 2024 год",
        Table(
            HEADER,
            [
                ["1", "Отчёт о работе", "до 01.03.2024", "СОИРО"],
                [UP, UP, "до 01.06.2024", "ШИБЦ ОО"],
                ["2", "Семинар", "май", "СОИРО"],
            ],
        ),
    )
    assert values(plan, "number", "deadline", "owners") == [
        ("1", "до 01.03.2024\nдо 01.06.2024", "СОИРО\nШИБЦ ОО"),
        ("2", "май", "СОИРО"),
    ]


def test_a_deadline_merged_over_several_lines_is_given_to_each_and_reported_once():
    plan = plan_of(
        "План мероприятий на 2024 год",
        Table(
            HEADER,
            [
                ["1", "Первое", "когда-нибудь потом", "СОИРО"],
                ["2", "Второе", UP, "СОИРО"],
                ["3", "Третье", UP, "СОИРО"],
            ],
        ),
    )
    assert values(plan, "number", "deadline") == [
        ("1", "когда-нибудь потом"),
        ("2", "когда-нибудь потом"),
        ("3", "когда-нибудь потом"),
    ]
    assert [p.place for p in plan.problems] == ["таблица 1, строка 2, столбец 3"]
    assert "не удалось прочитать срок «когда-нибудь потом»" in plan.problems[0].what


def test_paragraphs_of_one_cell_are_one_cell_joined_as_they_read():
    assert join_broken("ежегодно (по отдельному плану-", "графику)") == (
        "ежегодно (по отдельному плану-графику)"
    )
    assert join_broken("Участие в методических встречах с библиотекарями", "организаций") == (
        "Участие в методических встречах с библиотекарями организаций"
    )
    assert join_broken("До 01.03.2020;", "До 01.06.2020") == "До 01.03.2020;\nДо 01.06.2020"
    assert join_broken("сентябрь", "январь") == "сентябрь\nянварь"  # short lines: a list
    plan = plan_of(
        "План мероприятий на 2024 год",
        Table(HEADER, [["1", "Конкурс\n\nчтецов", "март\n\nапрель", "1. Директор\n\n2. Зав. ИБЦ"]]),
    )
    assert values(plan, "title", "deadline", "owners") == [
        ("Конкурс\nчтецов", "март\nапрель", "1. Директор\n2. Зав. ИБЦ")
    ]


def test_numbers_word_draws_from_a_list_are_counted_as_word_counts_them():
    plan = plan_of(
        "План мероприятий на 2024 год",
        Table(HEADER, [[AUTO, "Первое", "май", "СОИРО"], [AUTO, "Второе", "июнь", "СОИРО"]]),
    )
    assert values(plan, "number", "title") == [("1", "Первое"), ("2", "Второе")]


def test_a_row_numbering_the_columns_and_the_header_again_on_each_page_are_skipped():
    plan = plan_of(
        "План мероприятий на 2024 год",
        Table(
            HEADER,
            [["1", "Первое", "май", "СОИРО"], ["2", "Второе", "июнь", "СОИРО"]],
            repeat_header_before=(1,),
            column_numbers=True,
        ),
    )
    assert values(plan, "number") == [("1",), ("2",)] and plan.problems == []


def test_a_table_cut_at_a_page_goes_on_and_an_approval_table_above_the_plan_is_skipped():
    approval = Table(["СОГЛАСОВАНО", "УТВЕРЖДАЮ"], [["Начальник УО", "Директор"]])
    plan = plan_of(
        approval,
        "План мероприятий на 2024 год",
        Table(HEADER, [["1", "Первое", "май", "СОИРО"]]),
        Table(["2", "Второе", "июнь", "СОИРО"], [["3", "Третье", "июль", "СОИРО"]]),
    )
    assert values(plan, "number") == [("1",), ("2",), ("3",)]
    assert plan.notes == ["таблица 1, строка 1: not a plan table (no header row); skipped"]
    assert plan.title == "План мероприятий на 2024 год" and plan.problems == []


def test_what_cannot_be_placed_is_reported_with_its_table_row_and_column():
    plan = plan_of(
        "План мероприятий на 2024 год",
        Table(
            HEADER,
            [
                ["1", "Первое", "май", "СОИРО"],
                ["2", "", "июнь", "СОИРО"],
                ["3", "Третье", "", "УО"],
            ],
        ),
        "II. Второй раздел",
        Table(["№", "Мероприятие", "Ответственные"], [["4", "Четвёртое", "СОИРО"]]),
    )
    assert [(p.place, p.what) for p in plan.problems] == [
        ("таблица 1, строка 3, столбец 2", "у строки нет названия мероприятия"),
        ("таблица 1, строка 4, столбец 3", "срок не указан"),
        ("таблица 2, строка 1", "в таблице нет столбца сроков"),
    ]  # a line of a table with no deadline column is not reported again


def test_a_document_with_no_plan_table_says_so():
    plan = plan_of("Пояснительная записка", "Текст без таблиц.")
    assert [p.what for p in plan.problems] == [
        (
            "не найдена таблица плана: нет строки заголовков со столбцами «Мероприятие» и «Срок» "
            "или «Ответственные»"
        )
    ]


def test_headers_are_found_by_meaning_and_other_columns_are_kept_by_their_header():
    aliases = DEFAULT_COLUMNS["roadmap"]
    assert header_fields(
        [
            "N п/п",
            "Содержание работы",
            "Форма проведения мероприятия",
            "Сроки, место проведения",
            "Ответственные за исполнение",
            "Планируемый результат",
            "Примечания",
        ],
        aliases,
    ) == ("number", "content", "", "deadline", "owners", "result", "note")
    plan = plan_of(
        "План работы на 2024 год",
        Table(
            ["№", "Содержание работы", "Классы", "Дата проведения", "Ответственный"],
            [["1", "Линейка", "1-11", "1 сентября", "Завуч"]],
        ),
    )
    assert plan.fields == ("number", "title", "deadline", "owners") and plan.extra == ("Классы",)
    assert values(plan, "title", "Классы") == [("Линейка", "1-11")]


def test_restarting_numbers_take_their_sections_numeral_and_plain_sections_get_one():
    plan = plan_of(
        "План мероприятий на 2024 год",
        Table(
            HEADER,
            [
                "Организационная работа",
                ["1", "Первое", "май", "СОИРО"],
                "Методическая работа",
                ["1", "Второе", "июнь", "СОИРО"],
            ],
        ),
    )
    assert plan.sections == ["I. Организационная работа", "II. Методическая работа"]
    assert values(plan, "number") == [("I.1",), ("II.1",)]
    assert plan.problems == []


def test_an_xlsx_plan_reads_like_a_word_one_with_merged_section_rows_and_number_cells():
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Лист1"
    ws.append(["План мероприятий на 2024 год"])
    ws.append(HEADER)
    ws.append(["I. Раздел"])
    ws.merge_cells("A3:D3")
    ws.append(["1", "Отчёт", "до 01.03.2024", "СОИРО"])
    ws.append([None, None, "до 01.06.2024", "ШИБЦ ОО"])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    book.create_sheet("Школы").append(["Код", "Школа"])
    out = io.BytesIO()
    book.save(out)
    doc = read_xlsx(out.getvalue())
    plan = read_roadmap(doc, fallback_year=2000)
    assert plan.sections == ["I. Раздел"] and plan.plan_year == 2024
    assert values(plan, "number", "title", "deadline") == [
        ("1", "Отчёт", "до 01.03.2024\nдо 01.06.2024")
    ]


def test_tab_separated_text_keeps_its_old_shape_for_the_demo():
    text = "Заголовок\n№\tМероприятие\tСрок\tОтветственные\n1.\tА\tмай\tСОИРО\nII. Раздел\n2.\tБ\tиюнь\tСОИРО\n"
    roadmap = read_tab_separated(text)
    assert roadmap.rows == [["1", "А", "май", "СОИРО"], ["II. Раздел"], ["2", "Б", "июнь", "СОИРО"]]
    doc = text_document(text)
    assert [line.table for line in doc.lines] == [0, 1, 1, 0, 1]


def test_the_second_row_of_a_two_row_header_is_not_a_line():
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["План мероприятий на 2024 год"])
    ws.append(["№", "Мероприятие", "Сроки", None, "Ответственные"])
    ws.append([None, None, "начало", "окончание", None])
    for cells in ("A2:A3", "B2:B3", "C2:D2", "E2:E3"):
        ws.merge_cells(cells)
    ws.append(["1", "Семинар", "май", "июнь", "СОИРО"])
    out = io.BytesIO()
    book.save(out)
    plan = read_roadmap(read_xlsx(out.getvalue()), fallback_year=2000)
    # Only the upper level is read: the first of the two deadline columns.
    assert values(plan, "number", "title", "deadline", "owners") == [
        ("1", "Семинар", "май", "СОИРО")
    ]
    assert plan.problems == []
