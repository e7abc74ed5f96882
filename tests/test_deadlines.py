"""How deadline phrases read: the corpus of real plans, the seeds, and one test per rule."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from sheets_sync.deadlines import (
    KIND_LABELS,
    UNDERSTOOD_FORMS,
    Deadline,
    parse_deadline,
    reading_line,
)

CORPUS = Path(__file__).parent / "data" / "deadline_phrases.tsv"


def corpus_rows() -> list[tuple[str, int, str, tuple[date, ...], str, bool]]:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (
                row["phrase"].replace("\\n", "\n"),
                int(row["plan_year"]),
                row["kind"],
                tuple(date.fromisoformat(d) for d in row["due_dates"].split(";") if d),
                row["source"],
                row["school_year"] == "1",
            )
            for row in reader
        ]


ROWS = corpus_rows()


def test_corpus_is_large_and_names_its_sources() -> None:
    assert len(ROWS) >= 150
    assert all(row[4] for row in ROWS)
    # Phrases from real published plans, not the seeds or the forms quoted in the issue/DESIGN.
    real = [row for row in ROWS if not row[4].startswith(("shared/", "issue "))]
    assert len(real) >= 190


@pytest.mark.parametrize(
    ("phrase", "plan_year", "kind", "due_dates", "school_year"),
    [(*row[:4], row[5]) for row in ROWS],
    ids=[f"{i}:{row[0][:40]}" for i, row in enumerate(ROWS)],
)
def test_real_plan_phrase_reads_as_expected(
    phrase: str, plan_year: int, kind: str, due_dates: tuple[date, ...], school_year: bool
) -> None:
    # A cell from a school-year plan is labelled with what its coordinator means, so it is read
    # as a school-year plan («на 2024-2025 учебный год», plan year 2024).
    reading = parse_deadline(phrase, plan_year, school_year=school_year)
    assert (reading.kind, reading.due_dates) == (kind, due_dates)


# ---------------------------------------------------------------- the seeds, exactly


def test_seed_quarterly_reports_give_four_dates() -> None:
    reading = parse_deadline("До 01.03.2020; До 01.06.2020; До 01.09.2020; До 01.12.2020.", 2020)
    assert reading.explain() == "4 срока: 01.03.2020, 01.06.2020, 01.09.2020, 01.12.2020"


def test_seed_month_range_is_due_at_its_end() -> None:
    assert parse_deadline("ноябрь – декабрь", 2020).due_dates == (date(2020, 12, 31),)


def test_seed_rumo_plan_is_on_request() -> None:
    reading = parse_deadline("По плану РУМО", 2020)
    assert (reading.kind, reading.due_dates) == ("on_request", ())
    assert reading.explain() == "по запросу — без срока"


def test_seed_mixed_cell_keeps_every_deadline_and_only_the_range_end() -> None:
    text = "До 09.05.2020 и с 01.06. - 31.12.2020 План мероприятий представить до 01.03.2020"
    assert parse_deadline(text, 2020).due_dates == (
        date(2020, 3, 1),
        date(2020, 5, 9),
        date(2020, 12, 31),
    )


def test_seed_school_phrases() -> None:
    assert parse_deadline("Май 2024 года", 2024).due_dates == (date(2024, 5, 31),)
    assert parse_deadline("ежегодно (по отдельному плану-графику)", 2024).kind == "on_request"
    assert parse_deadline("Ежегодно (апрель, октябрь)", 2024).due_dates == (
        date(2024, 4, 30),
        date(2024, 10, 31),
    )


# ---------------------------------------------------------------- rules


def test_a_date_is_due_on_that_day_not_the_day_before() -> None:
    # «до 01.03» means on time through 1 March: the due date is the 1st, not the 29th of Feb.
    assert parse_deadline("до 01.03", 2020).due_dates == (date(2020, 3, 1),)
    assert parse_deadline("не позднее 1 марта", 2021).due_dates == (date(2021, 3, 1),)


def test_29_february_exists_only_in_leap_years() -> None:
    assert parse_deadline("до 29.02", 2024).due_dates == (date(2024, 2, 29),)
    assert parse_deadline("до 29.02", 2023).kind == "unknown"
    assert parse_deadline("29 февраля 2021 г.", 2021).kind == "unknown"
    assert parse_deadline("февраль", 2024).due_dates == (date(2024, 2, 29),)
    assert parse_deadline("февраль", 2023).due_dates == (date(2023, 2, 28),)
    assert date(2024, 2, 29) in parse_deadline("ежемесячно", 2024).due_dates


def test_a_date_that_does_not_exist_is_unknown_never_a_guess() -> None:
    reading = parse_deadline("до 31.06.2020", 2020)
    assert (reading.kind, reading.due_dates) == ("unknown", ())
    assert reading.explain() == "не распознано: нет такой даты: 31.06.2020"
    assert parse_deadline("32 мая", 2020).kind == "unknown"


def test_year_rolls_over_for_the_month_after_the_last_quarter() -> None:
    reading = parse_deadline("ежеквартально, до 20-го числа следующего месяца", 2020)
    assert reading.due_dates[-1] == date(2021, 1, 20)
    monthly = parse_deadline("до 11 числа месяца, следующего за отчетным", 2020)
    assert monthly.due_dates[0] == date(2020, 2, 11)
    assert monthly.due_dates[-1] == date(2021, 1, 11)


def test_year_rolls_over_in_a_range_that_crosses_new_year() -> None:
    assert parse_deadline("декабрь 2020 – январь", 2020).due_dates == (date(2021, 1, 31),)
    assert parse_deadline("сентябрь 2020 – май 2021", 2020).due_dates == (date(2021, 5, 31),)


def test_a_year_written_on_the_right_applies_to_the_left() -> None:
    assert parse_deadline("ноябрь – декабрь 2021", 2020).due_dates == (date(2021, 12, 31),)
    assert parse_deadline("19, 20 и 26 ноября 2021 г.", 2020).due_dates[0] == date(2021, 11, 19)


@pytest.mark.parametrize(
    ("word", "month", "last_day"),
    [
        ("январь", 1, 31),
        ("февраля", 2, 29),
        ("в марте", 3, 31),
        ("Апрель", 4, 30),
        ("май", 5, 31),
        ("в мае", 5, 31),
        ("июнь", 6, 30),
        ("июля", 7, 31),
        ("АВГУСТ", 8, 31),
        ("сентябре", 9, 30),
        ("октябрь", 10, 31),
        ("к концу ноября", 11, 30),
        ("декабрь", 12, 31),
    ],
)
def test_a_bare_month_is_due_on_its_last_day(word: str, month: int, last_day: int) -> None:
    assert parse_deadline(word, 2020).due_dates == (date(2020, month, last_day),)


@pytest.mark.parametrize(
    "text",
    [
        "до 01.03.2020",
        "  до   01.03.2020  ",
        "до\n01.03.2020",
        "Дo 01.O3.2020",  # Latin «o» in the word and in the date
        "до 01.03.2020 10:00",
        "01.03.2020 (вс)",
        "до 1 марта 2020 г.",
        "до 1 мaрта 2020 г.",  # Latin «a»
        "1 марта 2020 года",
        "01.03.20",
    ],
)
def test_noise_of_real_documents_does_not_change_the_reading(text: str) -> None:
    assert parse_deadline(text, 2020).due_dates == (date(2020, 3, 1),)


def test_odd_dashes_all_make_a_range() -> None:
    for dash in "-–—‒−":
        assert parse_deadline(f"ноябрь {dash} декабрь", 2020).due_dates == (date(2020, 12, 31),)


def test_a_reported_period_is_not_a_deadline() -> None:
    text = "Ежеквартально, за I квартал – до 10 апреля; за II квартал – до 20 июля"
    assert parse_deadline(text, 2021).due_dates == (date(2021, 4, 10), date(2021, 7, 20))


def test_dates_win_over_on_request_words() -> None:
    reading = parse_deadline("сентябрь, далее – постоянно", 2020)
    assert (reading.kind, reading.due_dates) == ("dates", (date(2020, 9, 30),))


def test_on_request_wins_over_in_the_course_of_the_year() -> None:
    assert parse_deadline("В течение года по запросам", 2020).kind == "on_request"


def test_frequent_work_is_listed_without_reminders() -> None:
    reading = parse_deadline("еженедельно", 2020)
    assert (reading.kind, reading.due_dates) == ("periodic", ())
    assert reading.explain() == "периодически (еженедельно) — без напоминаний"


def test_ongoing_is_due_at_the_end_of_its_period() -> None:
    assert parse_deadline("в течение года", 2020).explain() == "в течение года — до 31.12.2020"
    school = parse_deadline("2020-2021 уч. год", 2020)
    assert (school.kind, school.due_dates) == ("ongoing", (date(2021, 5, 31),))


def test_bare_yearly_work_is_ongoing_to_the_year_end() -> None:
    reading = parse_deadline("Ежегодно", 2024)
    assert (reading.kind, reading.due_dates) == ("ongoing", (date(2024, 12, 31),))


def test_explain_agrees_the_number_of_deadlines() -> None:
    def explain(n: int) -> str:
        return Deadline("x", "dates", tuple(date(2020, 1, d) for d in range(1, n + 1))).explain()

    assert explain(1) == "срок: 01.01.2020"
    assert explain(2).startswith("2 срока:")
    assert explain(4).startswith("4 срока:")
    assert explain(5).startswith("5 сроков:")
    assert explain(11).startswith("11 сроков:")
    assert explain(21).startswith("21 срок:")


def test_unknown_phrase_is_explained_and_staff_are_shown_the_forms() -> None:
    reading = parse_deadline("как получится", 2020)
    assert (reading.kind, reading.explain()) == ("unknown", "не распознано")
    assert "«в течение года»" in UNDERSTOOD_FORMS


def test_reading_line_is_one_line() -> None:
    line = reading_line(parse_deadline("ноябрь –\nдекабрь", 2020))
    assert line == "ноябрь – декабрь → даты: срок: 31.12.2020"
    assert set(KIND_LABELS) == {"dates", "ongoing", "on_request", "periodic", "event", "unknown"}


def test_empty_text_is_unknown() -> None:
    assert parse_deadline("", 2020).kind == "unknown"
    assert parse_deadline("   ", 2020).kind == "unknown"


# ---------------------------------------------------------------- decisions from the blind checks


def test_two_deadlines_each_with_do_are_a_list_not_a_range() -> None:
    assert parse_deadline("До 28.04.06 До 05.05.06", 2006).due_dates == (
        date(2006, 4, 28),
        date(2006, 5, 5),
    )
    assert parse_deadline("с 15 октября до 10 ноября", 2023).due_dates == (date(2023, 11, 10),)


def test_a_year_after_a_comma_belongs_to_the_deadline_before_it() -> None:
    assert parse_deadline("Март, 2023", 2022).due_dates == (date(2023, 3, 31),)
    assert parse_deadline("Декабрь, 2022", 2021).due_dates == (date(2022, 12, 31),)


@pytest.mark.parametrize(
    ("text", "plan_year", "due"),
    [
        ("сентябрь- август", 2024, date(2025, 8, 31)),
        ("с 1 сентября по 31 мая", 2023, date(2024, 5, 31)),
        ("28.12 - 10.01", 2023, date(2024, 1, 10)),
        ("за декабрь – до 20 января", 2023, date(2024, 1, 20)),
        ("за IV квартал – до 20 января", 2023, date(2024, 1, 20)),
        ("сентябрь 2020 – май", 2021, date(2021, 5, 31)),
        ("за I квартал – до 10 апреля", 2023, date(2023, 4, 10)),
    ],
)
def test_a_range_ends_after_it_starts(text: str, plan_year: int, due: date) -> None:
    assert parse_deadline(text, plan_year).due_dates == (due,)


def test_a_list_does_not_roll_over_into_the_next_year() -> None:
    assert parse_deadline("26.12\n\n06.01", 2025).due_dates == (
        date(2025, 1, 6),
        date(2025, 12, 26),
    )


def test_spaces_and_times_inside_a_date_cell_are_noise() -> None:
    assert parse_deadline("13. 11. 2021", 2021).due_dates == (date(2021, 11, 13),)
    assert parse_deadline("05.05.06 14.00 - 15.00", 2006).due_dates == (date(2006, 5, 5),)
    assert parse_deadline("19.12 16.30\n22.12 10.00, 12.00", 2025).due_dates == (
        date(2025, 12, 19),
        date(2025, 12, 22),
    )


def test_days_before_a_dotted_date_share_its_month_and_year() -> None:
    reading = parse_deadline("01,08,15,22,29. 10.16 19.00-22.00", 2016)
    assert reading.due_dates == tuple(date(2016, 10, d) for d in (1, 8, 15, 22, 29))


def test_once_a_period_pins_the_period_ends_but_twice_is_frequent() -> None:
    assert len(parse_deadline("1 раз в месяц", 2013).due_dates) == 12
    assert parse_deadline("не реже 1 раза в квартал", 2023).due_dates[-1] == date(2023, 12, 31)
    assert parse_deadline("раз в полгода", 2023).due_dates == (
        date(2023, 6, 30),
        date(2023, 12, 31),
    )
    assert parse_deadline("2 раза в месяц", 2023).kind == "periodic"


def test_a_weekday_of_every_month_is_periodic() -> None:
    for text in ("2-я суббота\n\nмесяца", "последняя пятница каждого месяца"):
        reading = parse_deadline(text, 2023)
        assert (reading.kind, reading.due_dates) == ("periodic", ())


@pytest.mark.parametrize(
    "text",
    [
        "в соответствии с расписанием ГИА",
        "в сроки, установленные Рособрнадзором",
        "По особому плану",
        "по итогам четверти",
    ],
)
def test_an_outside_timetable_is_on_request(text: str) -> None:
    assert parse_deadline(text, 2023).kind == "on_request"


def test_results_words_do_not_hide_recurring_dates() -> None:
    reading = parse_deadline("ежеквартально, по итогам квартала", 2023)
    assert (reading.kind, len(reading.due_dates)) == ("dates", 4)


@pytest.mark.parametrize(
    "text",
    [
        "в течение месяца",
        "в течение недели",
        "Ежегодно не менее чем за 30 календарных дней до планируемой даты начала",
    ],
)
def test_a_span_counted_from_an_event_is_an_event_with_no_date(text: str) -> None:
    reading = parse_deadline(text, 2023)
    assert (reading.kind, reading.due_dates) == ("event", ())
    assert reading.explain() == "по событию — без срока"


def test_following_year_and_following_month_have_synonyms() -> None:
    reading = parse_deadline("ежегодно не позже 1-го марта года, идущего за отчетным", 2022)
    assert reading.due_dates == (date(2023, 3, 1),)
    text = "до 20 числа месяца, следующего за последним месяцем отчетного квартала"
    assert parse_deadline(text, 2012).due_dates == (
        date(2012, 4, 20),
        date(2012, 7, 20),
        date(2012, 10, 20),
        date(2013, 1, 20),
    )


def test_year_round_work_is_ongoing() -> None:
    for text in ("круглогодично", "весь год"):
        assert parse_deadline(text, 2023).explain() == "в течение года — до 31.12.2023"
    reading = parse_deadline("в течение 2022 - 2024 годов", 2022)
    assert (reading.kind, reading.due_dates) == ("ongoing", (date(2024, 12, 31),))


def test_a_reported_span_of_months_is_not_a_deadline() -> None:
    reading = parse_deadline("За 9 месяцев 2023 года 25.10.2023", 2023)
    assert reading.due_dates == (date(2023, 10, 25),)


# ---------------------------------------------------------- decisions from the third blind check


def test_a_calendar_note_after_a_date_is_not_a_deadline() -> None:
    assert parse_deadline("1 сентября (вт.) —\n27 октября (вт.)", 2020).due_dates == (
        date(2020, 10, 27),
    )
    assert parse_deadline("30 декабря (ср.) – 10 января (вс.)", 2020).due_dates == (
        date(2021, 1, 10),
    )
    reading = parse_deadline("16.01.2023 (15 января — воскресенье)", 2023)
    assert reading.due_dates == (date(2023, 1, 16),)
    # A note that says how often is not about a date: it stays.
    assert parse_deadline("в течение года (по понедельникам)", 2023).kind == "periodic"


def test_a_list_in_time_order_crosses_new_year_backwards() -> None:
    text = "1 декабря, а также в дополнительные сроки — 2 февраля и 4 мая 2022 года"
    assert parse_deadline(text, 2021).due_dates == (
        date(2021, 12, 1),
        date(2022, 2, 2),
        date(2022, 5, 4),
    )
    assert parse_deadline("декабрь, январь 2022", 2022).due_dates == (
        date(2021, 12, 31),
        date(2022, 1, 31),
    )
    # Not a list: a month on its own line keeps the year written to its right.
    assert parse_deadline("Май\nСбор сведений – до 1 марта 2008 г.", 2009).due_dates == (
        date(2008, 3, 1),
        date(2008, 5, 31),
    )


@pytest.mark.parametrize(
    "text", ["В течение квартала", "в течение полугодия", "в течение 1 четверти"]
)
def test_a_period_the_phrase_does_not_date_is_unknown(text: str) -> None:
    reading = parse_deadline(text, 2023)
    assert (reading.kind, reading.note) == ("unknown", "сроки периода не названы")


def test_a_numbered_half_is_still_dated() -> None:
    reading = parse_deadline("в течение I полугодия", 2023)
    assert (reading.kind, reading.due_dates) == ("ongoing", (date(2023, 6, 30),))


@pytest.mark.parametrize(
    "text",
    [
        "1 раз в четверть",
        "не реже одного раза в четверть",
        "в конце каждой четверти",
        "1 раз в триместр",
    ],
)
def test_school_terms_are_periodic(text: str) -> None:
    assert parse_deadline(text, 2023).kind == "periodic"


@pytest.mark.parametrize(
    "text",
    [
        "По просьбе учителя",
        "По приказу Департамента образования",
        "В соответствии с\nКТП рабочих\nпрограмм",
        "согласно приказу",
        "по графику ВШК",
    ],
)
def test_requests_orders_and_outside_documents_are_on_request(text: str) -> None:
    assert parse_deadline(text, 2023).kind == "on_request"


@pytest.mark.parametrize("text", ["летний период", "в период летних каникул", "летом 2023 года"])
def test_summer_is_june_to_august(text: str) -> None:
    assert parse_deadline(text, 2023).due_dates == (date(2023, 8, 31),)


def test_summer_in_the_course_of_is_ongoing_to_its_end() -> None:
    reading = parse_deadline("в течение летнего периода", 2023)
    assert (reading.kind, reading.due_dates) == ("ongoing", (date(2023, 8, 31),))


def test_the_start_of_the_school_year_is_1_september() -> None:
    assert parse_deadline("до начала учебного года", 2023).due_dates == (date(2023, 9, 1),)
    assert parse_deadline("к началу 2024/2025 учебного года", 2023).due_dates == (date(2024, 9, 1),)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("ко Дню Победы", date(2023, 5, 9)),
        ("накануне Дня Победы", date(2023, 5, 8)),
        ("к Дню учителя", date(2023, 10, 5)),
        ("к Международному женскому дню", date(2023, 3, 8)),
        ("накануне 1 января 2024", date(2023, 12, 31)),
    ],
)
def test_fixed_date_holidays_and_their_eves(text: str, due: date) -> None:
    assert parse_deadline(text, 2023).due_dates == (due,)


def test_an_unnamed_holiday_is_unknown() -> None:
    assert parse_deadline("в канун праздника", 2023).kind == "unknown"


def test_half_yearly_and_quarterly_have_synonyms() -> None:
    assert parse_deadline("по полугодиям", 2023).due_dates == (
        date(2023, 6, 30),
        date(2023, 12, 31),
    )
    assert len(parse_deadline("по кварталам", 2023).due_dates) == 4


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("в начале сентября", date(2023, 9, 10)),
        ("в середине мая", date(2023, 5, 20)),
        ("первая половина октября", date(2023, 10, 15)),
        ("вторая половина октября", date(2023, 10, 31)),
        ("первая неделя сентября", date(2023, 9, 7)),
        ("2-я неделя ноября", date(2023, 11, 14)),
        ("последняя неделя мая", date(2023, 5, 31)),
        ("до начала сентября", date(2023, 9, 1)),
    ],
)
def test_a_part_of_a_month_is_due_at_the_end_of_the_part(text: str, due: date) -> None:
    assert parse_deadline(text, 2023).due_dates == (due,)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("во II-м полугодии", date(2023, 12, 31)),
        ("в I-м полугодии", date(2023, 6, 30)),
        ("в 1-м квартале", date(2023, 3, 31)),
        ("III-й квартал", date(2023, 9, 30)),
    ],
)
def test_case_endings_after_period_numbers_are_noise(text: str, due: date) -> None:
    assert parse_deadline(text, 2023).due_dates == (due,)


def test_a_half_of_a_school_year_runs_september_to_december_or_january_to_may() -> None:
    assert parse_deadline("1 полугодие 2024/2025 учебного года", 2024).due_dates == (
        date(2024, 12, 31),
    )
    assert parse_deadline("2 полугодие 2024-2025 уч. года", 2024).due_dates == (date(2025, 5, 31),)
    assert parse_deadline("I и II полугодие учебного года", 2024).due_dates == (
        date(2024, 5, 31),
        date(2024, 12, 31),
    )
    # A half with no school year named is a calendar half, as DESIGN.md says.
    assert parse_deadline("2 полугодие", 2024).due_dates == (date(2024, 12, 31),)


def test_seasons_are_their_months() -> None:
    assert parse_deadline("два раза в год — весной и осенью", 2021).due_dates == (
        date(2021, 5, 31),
        date(2021, 11, 30),
    )
    assert parse_deadline("в осенний период", 2023).due_dates == (date(2023, 11, 30),)
    # School holidays other than summer have each school's own dates: an event, with no date.
    for text in ("осенние каникулы", "зимние каникулы", "в период весенних каникул"):
        assert parse_deadline(text, 2023).kind == "event"


def test_the_eve_of_the_school_year_is_31_august() -> None:
    assert parse_deadline("накануне нового учебного года", 2023).due_dates == (date(2023, 8, 31),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("март", (date(2024, 3, 31),)),
        ("сентябрь", (date(2023, 9, 30),)),
        ("до 01.03", (date(2024, 3, 1),)),
        ("I квартал", (date(2024, 3, 31),)),
        ("в течение учебного года", (date(2024, 5, 31),)),
        ("2 полугодие учебного года", (date(2024, 5, 31),)),
        ("май 2024 года", (date(2024, 5, 31),)),
        ("сентябрь – май", (date(2024, 5, 31),)),
    ],
)
def test_a_school_year_plan_puts_january_to_august_in_the_second_year(
    text: str, expected: tuple[date, ...]
) -> None:
    assert parse_deadline(text, 2023, school_year=True).due_dates == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Август- сентябрь", (date(2023, 9, 30),)),
        ("декабрь – январь", (date(2024, 1, 31),)),
        ("май-июнь", (date(2024, 6, 30),)),
        ("август 2023 - сентябрь", (date(2023, 9, 30),)),
    ],
)
def test_a_school_year_plan_places_a_range_by_its_end(
    text: str, expected: tuple[date, ...]
) -> None:
    assert parse_deadline(text, 2023, school_year=True).due_dates == expected


def test_a_bare_half_in_a_school_year_plan_is_a_half_of_the_school_year() -> None:
    def read(text: str) -> tuple[date, ...]:
        return parse_deadline(text, 2023, school_year=True).due_dates

    assert read("I полугодие") == (date(2023, 12, 31),)
    assert read("2 п/г") == (date(2024, 5, 31),)
    assert read("I, II полугодие") == (date(2023, 12, 31), date(2024, 5, 31))
    assert read("2 полугодие 2024 г.") == (date(2024, 12, 31),)  # a written year: calendar half
    assert parse_deadline("I полугодие", 2023).due_dates == (date(2023, 6, 30),)


@pytest.mark.parametrize("text", ["в течение года", "В течении года", "Ежегодно", "весь период"])
def test_year_long_work_in_a_school_year_plan_runs_to_the_school_year_end(text: str) -> None:
    reading = parse_deadline(text, 2024, school_year=True)
    assert (reading.kind, reading.due_dates) == ("ongoing", (date(2025, 5, 31),))
    assert parse_deadline(text, 2024).due_dates == (date(2024, 12, 31),)


# ---------------------------------------------------------------- decisions of blind round 5


def test_a_weekday_of_a_named_month_is_that_day() -> None:
    assert parse_deadline("в третий четверг октября", 2020).due_dates == (date(2020, 10, 15),)
    assert parse_deadline("в последнюю пятницу мая", 2024).due_dates == (date(2024, 5, 31),)
    assert parse_deadline("во вторую среду февраля", 2023, school_year=True).due_dates == (
        date(2024, 2, 14),
    )
    # Several weekdays in one cell; a month with no fifth Monday has no such day.
    text = "во вторую рабочую среду марта и третий понедельник апреля"
    assert parse_deadline(text, 2024).due_dates == (date(2024, 3, 13), date(2024, 4, 15))
    assert parse_deadline("в пятый понедельник февраля", 2023).kind == "unknown"


def test_a_working_weekday_follows_the_production_calendar() -> None:
    # 1 May 2023 was a public holiday: the first working Monday of May 2023 is the 15th
    # (8 May was a day off too).
    assert parse_deadline("в первый рабочий понедельник мая", 2023).due_dates == (
        date(2023, 5, 15),
    )
    assert parse_deadline("в первый понедельник мая", 2023).due_dates == (date(2023, 5, 1),)
    # A calendar of one's own decides instead.
    every_day_works = parse_deadline(
        "в первый рабочий понедельник мая", 2023, working_day=lambda d: True
    )
    assert every_day_works.due_dates == (date(2023, 5, 1),)


def test_a_weekday_of_every_month_stays_periodic() -> None:
    assert parse_deadline("каждый третий вторник месяца", 2024).kind == "periodic"


def test_a_day_number_written_as_a_word_is_that_day() -> None:
    assert parse_deadline("к пятому числу", 2020).due_dates[0] == date(2020, 1, 5)
    assert parse_deadline("ежемесячно, до двадцать пятого числа", 2020).due_dates[-1] == date(
        2020, 12, 25
    )


def test_the_number_outside_parentheses_counts() -> None:
    assert parse_deadline("15 (16) апреля", 2020).due_dates == (date(2020, 4, 15),)
    assert parse_deadline("с 1 по 4 (5) ноября", 2020).due_dates == (date(2020, 11, 4),)
    assert parse_deadline("до 10-го (десятого) числа", 2020).due_dates[0] == date(2020, 1, 10)
    # A word that is not a number stays: «Заседание №2 (ноябрь)» is November.
    assert parse_deadline("Заседание №2 (ноябрь)", 2021).due_dates == (date(2021, 11, 30),)


def test_a_time_of_day_beside_a_date_is_not_a_second_date() -> None:
    assert parse_deadline("03.04 в 14.30", 2020).due_dates == (date(2020, 4, 3),)
    assert parse_deadline("12 мая, 10.00", 2020).due_dates == (date(2020, 5, 12),)
    assert parse_deadline("6 мая\n10:00", 2025).due_dates == (date(2025, 5, 6),)
    assert parse_deadline("19.12 16.30\n22.12 10.00, 12.00", 2025).due_dates == (
        date(2025, 12, 19),
        date(2025, 12, 22),
    )
    assert parse_deadline("10.00-11.00", 2014).due_dates == ()


def test_days_after_each_reporting_period_ends() -> None:
    assert parse_deadline("в течение 10 дней после окончания квартала", 2020).due_dates == (
        date(2020, 4, 10),
        date(2020, 7, 10),
        date(2020, 10, 10),
        date(2021, 1, 10),
    )
    text = "ежеквартально не позже 20-ти дней с окончания отчетного периода"
    assert parse_deadline(text, 2022).due_dates[-1] == date(2023, 1, 20)
    assert parse_deadline("до 15-го числа третьего месяца квартала", 2020).due_dates == (
        date(2020, 3, 15),
        date(2020, 6, 15),
        date(2020, 9, 15),
        date(2020, 12, 15),
    )


def test_several_rules_in_one_cell_add_up() -> None:
    text = "ежеквартально до 5 числа, за год — до 20 января следующего года"
    assert parse_deadline(text, 2020).due_dates == (
        date(2020, 4, 5),
        date(2020, 7, 5),
        date(2020, 10, 5),
        date(2021, 1, 5),
        date(2021, 1, 20),
    )


def test_a_date_over_a_span_of_years_is_due_each_year() -> None:
    assert parse_deadline("до 5 марта 2021–2023 годов", 2021).due_dates == (
        date(2021, 3, 5),
        date(2022, 3, 5),
        date(2023, 3, 5),
    )


def test_the_middle_of_a_year() -> None:
    assert parse_deadline("к середине года", 2020).due_dates == (date(2020, 6, 30),)
    assert parse_deadline("в середине учебного года", 2020).due_dates == (date(2020, 12, 31),)
    assert parse_deadline("до конца первого полугодия", 2020).due_dates == (date(2020, 6, 30),)


@pytest.mark.parametrize(
    "text",
    [
        "при поступлении на работу",
        "после весенних каникул",
        "за месяц до начала учебного года",
        "не позднее чем за две недели до начала проведения итогового сочинения (изложения)",
        "В течение\nкупального\nсезона",
        "Не позднее чем через 5 дней со дня принятия решения",
        "в течение трёх рабочих дней после завершения приёма",
    ],
)
def test_an_event_relative_phrase_is_an_event(text: str) -> None:
    assert parse_deadline(text, 2024).kind == "event"


def test_an_explicit_date_beside_an_event_wins() -> None:
    text = "не позднее, чем за 2 недели до даты его проведения до 17 ноября 2021 года"
    assert parse_deadline(text, 2021).due_dates == (date(2021, 11, 17),)


def test_a_window_is_due_at_its_end() -> None:
    text = "Не ранее 11 июля и не позднее 21 июля 2010 года"
    assert parse_deadline(text, 2010).due_dates == (date(2010, 7, 21),)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("в установл. сроки", "on_request"),
        ("по отд. графику", "on_request"),
        ("по мере поступления документов", "on_request"),
        ("в сроки, установленные министерством", "on_request"),
        ("ежемес.", "dates"),
        ("I пол.", "dates"),
        ("II кв.", "dates"),
    ],
)
def test_abbreviations_read_as_the_words(text: str, kind: str) -> None:
    assert parse_deadline(text, 2020).kind == kind
