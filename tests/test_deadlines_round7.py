"""One test per rule decided after blind round 7 (tests/data/deadline_phrases_blind7.tsv)."""

from __future__ import annotations

from datetime import date

import pytest

from sheets_sync.deadlines import parse_deadline


def dates(text: str, plan_year: int, *, school_year: bool = False) -> tuple[date, ...]:
    return parse_deadline(text, plan_year, school_year=school_year).due_dates


def test_the_year_before_the_planned_one_moves_the_date_back() -> None:
    assert dates("1 декабря года, предшествующего планируемому", 2024) == (date(2023, 12, 1),)
    assert dates("до 1 марта года, предшествующего отчетному", 2024) == (date(2023, 3, 1),)
    assert dates("до 1 декабря предыдущего года", 2024) == (date(2023, 12, 1),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28.06 - 05.09", date(2004, 9, 5)),  # the summer holidays after the school year
        ("январь – сентябрь", date(2004, 9, 30)),
        ("Август- сентябрь", date(2003, 9, 30)),  # the August before the school year: as before
        ("декабрь – январь", date(2004, 1, 31)),
    ],
)
def test_a_school_year_range_starting_in_january_to_july_ends_in_the_second_year(
    text: str, expected: date
) -> None:
    assert dates(text, 2003, school_year=True) == (expected,)


@pytest.mark.parametrize(
    "text",
    ["до 08:00 дня начала тура (по московскому времени)", "за 2 недели до дня начала экзамена"],
)
def test_the_day_an_event_starts_is_an_event(text: str) -> None:
    assert parse_deadline(text, 2020).kind == "event"


def test_a_working_day_counted_in_each_month_follows_the_production_calendar() -> None:
    text = "ежемесячно в срок до 6-го рабочего дня месяца, следующего за отчетным"
    due = dates(text, 2023)
    # 6th working day of February 2023 … January 2024; May 2023 had 1, 8 and 9 May off.
    assert due[0] == date(2023, 2, 8)
    assert date(2023, 5, 11) in due
    assert due[-1] == date(2024, 1, 16)
    assert len(due) == 12
    quarterly = dates("до 10-го рабочего дня месяца, следующего за отчетным кварталом", 2024)
    assert quarterly == (
        date(2024, 4, 12),
        date(2024, 7, 12),
        date(2024, 10, 14),
        date(2025, 1, 22),
    )
    every_day_works = parse_deadline(text, 2023, working_day=lambda d: True).due_dates
    assert every_day_works[0] == date(2023, 2, 6)


def test_a_yearly_clause_after_a_monthly_one_adds_its_date() -> None:
    text = (
        "ежемесячно в срок до 6-го рабочего дня месяца, следующего за отчетным, "
        "и ежегодно в срок до 1 февраля года, следующего за отчетным"
    )
    due = dates(text, 2023)
    assert len(due) == 13
    assert due[-1] == date(2024, 2, 1)


def test_a_clause_for_the_year_after_a_quarterly_rule_adds_its_date() -> None:
    text = (
        "ежеквартально, до 03 числа месяца, следующего за отчетным кварталом, "
        "и за отчетный год - до 13 января года, следующего за отчетным"
    )
    assert dates(text, 2018) == (
        date(2018, 4, 3),
        date(2018, 7, 3),
        date(2018, 10, 3),
        date(2019, 1, 3),
        date(2019, 1, 13),
    )


def test_the_fourth_quarters_own_deadline_replaces_the_quarterly_one() -> None:
    text = (
        "до 5-го числа месяца, следующего за отчетным кварталом, при этом отчеты за IV квартал "
        "представляются до 15 января года, следующего за годом предоставления Субсидии"
    )
    assert dates(text, 2021) == (
        date(2021, 4, 5),
        date(2021, 7, 5),
        date(2021, 10, 5),
        date(2022, 1, 15),
    )
    assert dates("ежеквартально до 5 числа, за IV квартал — до 20 января", 2024) == (
        date(2024, 4, 5),
        date(2024, 7, 5),
        date(2024, 10, 5),
        date(2025, 1, 20),
    )


def test_a_reported_period_stays_in_the_plan_year_when_its_deadline_moves_on() -> None:
    assert dates("за IV квартал - до 15 января года, следующего за отчетным", 2021) == (
        date(2022, 1, 15),
    )


def test_days_before_each_period_ends() -> None:
    assert dates("не позднее чем за 20 дней до истечения текущего квартала", 2017) == (
        date(2017, 3, 11),
        date(2017, 6, 10),
        date(2017, 9, 10),
        date(2017, 12, 11),
    )
    monthly = dates("не позднее чем за 15 дней до истечения текущего месяца", 2017)
    assert (monthly[0], monthly[1], len(monthly)) == (date(2017, 1, 16), date(2017, 2, 13), 12)
    assert dates("за 10 дней до окончания года", 2024) == (date(2024, 12, 21),)


def test_a_day_of_the_current_week_is_weekly_work() -> None:
    reading = parse_deadline("не позднее 12.00 часов среды текущей недели", 2017)
    assert (reading.kind, reading.note) == ("periodic", "еженедельно")


def test_a_payroll_month_is_its_reporting_month_and_both_pay_days_count() -> None:
    text = (
        "за первую половину месяца - 20 числа каждого месяца, а за вторую половину месяца - "
        "5 числа каждого месяца, следующего за расчетным"
    )
    due = dates(text, 2021)
    assert len(due) == 24
    assert (due[0], due[1], due[-1]) == (date(2021, 1, 20), date(2021, 2, 5), date(2022, 1, 5))
