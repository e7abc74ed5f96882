"""Any text gives a Deadline, never an exception, and no invented date strays far from the plan."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.deadlines import parse_deadline

# Pieces of real deadline phrases, so generated text reaches the deep rules, not just "unknown".
PIECES = [
    "до",
    "с",
    "по",
    "к",
    "не позднее",
    "в течение",
    "года",
    "учебного",
    "уч. год",
    "ежемесячно",
    "ежеквартально",
    "ежегодно",
    "числа",
    "следующего за отчетным",
    "квартал",
    "кв.",
    "полугодие",
    "п/г",
    "декада",
    "за",
    "I",
    "IV",
    "первое",
    "январь",
    "февраля",
    "мая",
    "декабрь",
    "конца",
    "постоянно",
    "по запросу",
    "еженедельно",
    "-",
    "–",
    ",",
    ";",
    "и",
    "(",
    ")",
    "\n",
    "г.",
    "10:00",
    # Forms the blind checks added: once a period, weekdays of a month, outside timetables,
    # spans from an unknown event, spaced dates, reported months.
    "1 раз в",
    "раза в",
    "месяц",
    "полгода",
    "2-я суббота",
    "последняя пятница",
    "идущего за отчетным",
    "по особому плану",
    "расписанию",
    "круглогодично",
    "за 30 дней до",
    "месяцев",
    "сентябрь",
    "август",
    ". ",
    "14.00",
    # Forms the third blind check added: calendar notes, holidays and their eves, summer, the
    # start of the school year, undated periods, requests and outside documents.
    "(вт.)",
    "(15 января — воскресенье)",
    "накануне",
    "ко Дню Победы",
    "летний период",
    "до начала учебного года",
    "в течение квартала",
    "четверти",
    "по просьбе",
    "согласно приказу",
    "по полугодиям",
    "в начале",
    "первая неделя",
    "полугодие учебного года",
    "весной",
    "II-м",
    # Forms the fifth blind check added: weekdays of a month, working days, alternatives in
    # parentheses, day numbers as words, reporting periods, year spans, events, abbreviations.
    "в третий четверг",
    "первый рабочий вторник",
    "последнюю пятницу",
    "(16)",
    "(десятого)",
    "пятому числу",
    "после окончания квартала",
    "дней",
    "третьего месяца квартала",
    "годов",
    "к середине года",
    "при поступлении на работу",
    "купального сезона",
    "каникул",
    "не ранее",
    "в установл. сроки",
    "ежемес.",
    "пол.",
    ", за год —",
    # Forms the eighth blind check added: a dash typed as two hyphens, day numbers and counts as
    # words, more than once a period, the middle of a month, days around reported periods.
    "--",
    "десятого",
    "семи",
    "две недели",
    "до наступления",
    "4-х раз в",
    "середины",
    "предшествующего очередному кварталу",
    "рабочих дней, следующих за отчетным",
    "воскресение",
    "за днем",
    "определяются",
    "в конце учебного года (",
]
NUMBERS = st.integers(min_value=0, max_value=2200).map(str)
DOT_DATES = st.builds(
    lambda d, m, y: f"{d}.{m}" + (f".{y}" if y else ""),
    st.integers(0, 40),
    st.integers(0, 14),
    st.one_of(st.none(), st.integers(0, 99), st.integers(1890, 2110)),
)
PHRASES = st.lists(
    st.one_of(st.sampled_from(PIECES), NUMBERS, DOT_DATES), min_size=0, max_size=12
).map(" ".join)
PLAN_YEARS = st.integers(min_value=1990, max_value=2090)


def check(text: str, plan_year: int) -> None:
    reading = parse_deadline(text, plan_year)
    assert reading.kind in ("dates", "ongoing", "on_request", "periodic", "event", "unknown")
    assert list(reading.due_dates) == sorted(set(reading.due_dates))
    if reading.kind in ("on_request", "periodic", "event", "unknown"):
        assert reading.due_dates == ()
    else:
        assert reading.due_dates
    assert reading.explain()
    written = {int(y) for y in re.findall(r"\d+", text)}
    for due in reading.due_dates:
        near = plan_year - 1 <= due.year <= plan_year + 2
        # A written year, the year after it (a range that crosses New Year, «20.01» after
        # «за IV квартал 2010 г.») or the year before it (a list that crosses New Year:
        # «1 декабря, 4 мая 2022 года»), in either spelling.
        years = (due.year, due.year - 1, due.year + 1)
        stated = set(years) | {y % 100 for y in years}
        stated &= written
        assert near or stated, (text, plan_year, due)


@settings(max_examples=400, deadline=None)
@given(PHRASES, PLAN_YEARS)
def test_phrases_built_from_deadline_pieces_always_read(text: str, plan_year: int) -> None:
    check(text, plan_year)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), PLAN_YEARS)
def test_any_text_gives_a_deadline_never_an_exception(text: str, plan_year: int) -> None:
    check(text, plan_year)
