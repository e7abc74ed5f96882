"""One test per rule decided after blind round 8 (tests/data/deadline_phrases_blind8.tsv)."""

from __future__ import annotations

from datetime import date

import pytest

from sheets_sync.deadlines import parse_deadline


def dates(text: str, plan_year: int, *, school_year: bool = False) -> tuple[date, ...]:
    return parse_deadline(text, plan_year, school_year=school_year).due_dates


def kind(text: str, plan_year: int = 2024) -> str:
    return parse_deadline(text, plan_year).kind


def test_a_dash_typed_as_two_hyphens_joins_a_range() -> None:
    assert dates("20 августа--15 января", 2001) == (date(2002, 1, 15),)
    assert dates("1 июня--15 июня", 2001) == (date(2001, 6, 15),)
    assert dates("1 августа--28(29) февраля", 2001) == (date(2002, 2, 28),)


def test_day_numbers_written_as_words_before_a_month_are_days() -> None:
    assert dates("до десятого июня", 2014) == (date(2014, 6, 10),)
    assert dates("четвертое, тринадцатое и двадцать первое августа", 2012) == (
        date(2012, 8, 4),
        date(2012, 8, 13),
        date(2012, 8, 21),
    )
    assert dates("первое сентября", 2024) == (date(2024, 9, 1),)
    # Still not a day: an ordinal before a weekday, a half or a part of a month.
    assert dates("в первую среду декабря", 2024) == (date(2024, 12, 4),)
    assert dates("первая половина октября", 2024) == (date(2024, 10, 15),)


def test_counts_written_as_words_are_numbers_in_spans() -> None:
    assert kind("в течение семи дней на каждом этапе зачисления", 2012) == "event"
    assert dates("в течение пяти дней после окончания квартала", 2024) == (
        date(2024, 4, 5),
        date(2024, 7, 5),
        date(2024, 10, 5),
        date(2025, 1, 5),
    )


@pytest.mark.parametrize(
    "text",
    [
        "два раза в неделю (понедельник и четверг, вторник и пятница)",
        "три раза в неделю (понедельник, среда, пятница)",
        "не реже 4-х раз в год",
        "5 раз в месяц",
    ],
)
def test_more_than_once_a_period_is_frequent_work(text: str) -> None:
    assert kind(text) == "periodic"


def test_once_a_period_and_dated_twice_a_year_still_pin_dates() -> None:
    assert len(dates("1 раз в месяц", 2024)) == 12
    assert dates("2 раза в год — весной и осенью", 2024) == (date(2024, 5, 31), date(2024, 11, 30))


def test_a_recurring_word_after_a_bare_и_starts_a_clause() -> None:
    text = (
        "ежемесячно в срок до 6-го рабочего дня месяца, следующего за отчетным и ежегодно в срок"
        " до 01 февраля года, следующего за отчетным"
    )
    due = dates(text, 2023)
    assert len(due) == 13
    assert due[0] == date(2023, 2, 8)
    assert due[-2:] == (date(2024, 1, 16), date(2024, 2, 1))


def test_a_date_following_the_reported_year_is_in_the_next_year() -> None:
    assert dates("до 01 февраля, следующего за отчетным годом", 2025) == (date(2026, 2, 1),)


def test_the_misspelt_sunday_is_a_sunday() -> None:
    assert dates("третье воскресение ноября", 2023) == (date(2023, 11, 19),)
    assert kind("последнее воскресение месяца") == "periodic"


def test_the_middle_of_a_month_reads_in_any_case() -> None:
    assert dates("не позднее середины декабря 2027 года", 2026) == (date(2027, 12, 20),)
    assert dates("до середины мая", 2024) == (date(2024, 5, 20),)


def test_the_month_before_each_quarter_is_its_last_month() -> None:
    text = "ежеквартально не позднее 20-го числа месяца, предшествующего очередному кварталу"
    assert dates(text, 2018) == (
        date(2018, 3, 20),
        date(2018, 6, 20),
        date(2018, 9, 20),
        date(2018, 12, 20),
    )


def test_days_following_each_reported_period() -> None:
    # The 15th working day of April, July and October 2022 and of January 2023 (1–8 off).
    text = "не позднее пятнадцати рабочих дней, следующих за отчетным кварталом (годом)"
    assert dates(text, 2022) == (
        date(2022, 4, 21),
        date(2022, 7, 21),
        date(2022, 10, 21),
        date(2023, 1, 27),
    )
    monthly = dates("не позднее 10 календарных дней, следующих за отчетным месяцем", 2024)
    assert (monthly[0], monthly[-1], len(monthly)) == (date(2024, 2, 10), date(2025, 1, 10), 12)


def test_weeks_before_the_new_year_count_back_from_the_year_end() -> None:
    text = "не позднее чем за две недели до наступления календарного года"
    assert dates(text, 2022) == (date(2022, 12, 17),)


def test_dates_in_parentheses_say_when_the_end_of_the_year_is() -> None:
    text = "1 раз в конце учебного года (с 24 апреля по 15 мая)"
    assert dates(text, 2023, school_year=True) == (date(2024, 5, 15),)
    assert dates("в конце учебного года", 2023, school_year=True) == (date(2024, 5, 31),)


def test_a_day_counted_from_a_named_day_is_an_event() -> None:
    text = (
        "не позднее десятого рабочего дня, следующего за днем поступления Министерству средств"
        " из областного бюджета"
    )
    assert kind(text, 2022) == "event"


def test_dates_set_by_outside_requirements_are_on_request() -> None:
    text = (
        "Сроки предоставления данных по Показателю определяются требованиями к формированию"
        " отчетов о ходе исполнения Федерального проекта."
    )
    assert kind(text, 2023) == "on_request"
