"""The deadline reader never raises, and a year far from the plan year is a problem, not a date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.deadlines import GUARD_NOTE, parse_deadline
from sheets_sync.inputs.plan import read_records
from sheets_sync.settings.types import ReadingSettings


@pytest.mark.parametrize("plan_year", [2020, 2024, 2028])
@pytest.mark.parametrize(
    "phrase", ["ежемесячно", "до 30 числа каждого месяца", "ежемесячно до 29 числа"]
)
def test_a_school_year_starting_in_a_leap_year_reads_monthly_work_in_the_next_february(
    plan_year: int, phrase: str
) -> None:
    # 2024/25: the February of the school year is February 2025, which has 28 days.
    reading = parse_deadline(phrase, plan_year, school_year=True)
    assert reading.kind == "dates"
    assert date(plan_year + 1, 2, 28) in reading.due_dates
    assert (reading.due_dates[0].year, reading.due_dates[0].month) == (plan_year, 9)
    assert len(reading.due_dates) == 12


def test_a_school_year_ending_in_a_leap_year_keeps_29_february() -> None:
    assert date(2024, 2, 29) in parse_deadline("ежемесячно", 2023, school_year=True).due_dates


def test_a_year_far_from_the_plan_year_is_unknown_with_a_note_not_a_deadline() -> None:
    reading = parse_deadline("До 10.09.1020", 2020)
    assert (reading.kind, reading.due_dates) == ("unknown", ())
    assert reading.note == "год 1020 далёк от года плана 2020 — опечатка?"
    assert parse_deadline("накануне 01.01.0001", 2020).kind == "unknown"
    assert parse_deadline("до 01.03.1999", 2000).kind == "unknown"
    assert parse_deadline("до 10.09.2002", 2020).kind == "unknown"
    assert parse_deadline("до 10.09.2031", 2020).kind == "unknown"


def test_years_near_the_plan_year_are_deadlines() -> None:
    # The previous year (a late-published plan) up to ten years ahead (a programme's horizon).
    assert parse_deadline("9.01.2021", 2022).due_dates == (date(2021, 1, 9),)
    assert parse_deadline("до 31.12.2030", 2020).due_dates == (date(2030, 12, 31),)
    assert parse_deadline("2020 г.", 2013).due_dates == (date(2020, 12, 31),)


def test_a_run_of_thousands_of_digits_is_unknown_not_a_crash() -> None:
    for text in ["1" * 5000, f"{'7' * 5000}.{'7' * 5000}.{'7' * 5000}"]:
        reading = parse_deadline(text, 2020)
        assert reading.kind == "unknown"
        assert reading.note != GUARD_NOTE
    # The run is no day of the month: what is left of the phrase is read.
    assert parse_deadline(f"до {'7' * 4400} марта", 2020).due_dates == (date(2020, 3, 31),)


def test_a_plan_year_outside_the_calendar_is_unknown() -> None:
    assert parse_deadline("ежемесячно", 9999).kind == "unknown"
    assert parse_deadline("до 01.03", 0).note == "год плана 0 вне календаря"


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=80),
    st.integers(min_value=-5, max_value=10_005),
    st.booleans(),
)
def test_the_reader_never_raises_and_never_needs_its_last_resort_guard(
    text: str, plan_year: int, school_year: bool
) -> None:
    reading = parse_deadline(text, plan_year, school_year=school_year)
    assert reading.note != GUARD_NOTE
    assert all(isinstance(d, date) for d in reading.due_dates)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "до",
                "накануне",
                "ежемесячно",
                "ежеквартально",
                "числа",
                "года",
                "следующего за отчетным",
                "29",
                "31",
                "02",
                ".",
                "0001",
                "9999",
                "1020",
                "февраля",
                "IV",
                "квартал",
                "(",
                ")",
                "–",
                "третий четверг",
                "рабочий вторник",
                "марта",
            ]
        ),
        max_size=12,
    ),
    st.sampled_from([2000, 2020, 2023, 2024, 2028]),
    st.booleans(),
)
def test_the_reader_never_raises_on_deadline_like_word_salad(
    words: list[str], plan_year: int, school_year: bool
) -> None:
    reading = parse_deadline(" ".join(words), plan_year, school_year=school_year)
    assert reading.note != GUARD_NOTE


def test_a_typo_year_puts_the_cell_in_problems_with_the_reason() -> None:
    settings_ = ReadingSettings()
    grids = {
        "Дорожная карта": [
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["1", "Отчёт", "До 10.09.1020", "СОИРО"],
        ],
        "Ответственные": [["Исполнитель", "Email"], ["СОИРО", "soiro@example.org"]],
    }
    records = read_records(grids, settings_, title="", fallback_year=2020)
    (problem,) = [p for p in records.problems if p.cell == "C2"]
    assert "опечатка?" in problem.what and "«До 10.09.1020»" in problem.what
    assert records.items[0].deadline.due_dates == ()
