"""Records + today -> obligations with their state (pure)."""

from __future__ import annotations

from datetime import date

from sheets_sync.inputs.plan import read_records
from sheets_sync.obligations import State, copied_forward_year, obligations_on
from sheets_sync.settings.types import ReadingSettings

SETTINGS = ReadingSettings(plan_year=2020)


def records(roadmap, submissions=None):
    tabs = {
        "Дорожная карта": [["№", "Мероприятие", "Срок", "Ответственные", "Выполнено"], *roadmap],
        "Ответственные": [["Исполнитель", "Email"], ["СОИРО", "soiro@example.org"]],
        "Школы": [
            ["Код", "Школа", "Email", "Активна"],
            ["01", "Школа 1", "a@example.org", ""],
            ["02", "Школа 2", "b@example.org", "нет"],
        ],
    }
    if submissions:
        tabs["Сдача отчётов"] = submissions
    return read_records(tabs, SETTINGS, fallback_year=2020)


def states(recs, today):
    obligations, _ = obligations_on(recs, today, due_soon_days=7)
    return {(o.item.key, o.due, o.party.key): (o.state, o.days_late) for o in obligations}


def test_an_item_due_today_is_not_overdue_and_one_due_yesterday_is():
    recs = records([["1", "А", "01.03.2020", "СОИРО", ""]])
    assert states(recs, date(2020, 3, 1))[("1", date(2020, 3, 1), "СОИРО")] == (State.DUE_SOON, 0)
    assert states(recs, date(2020, 3, 2))[("1", date(2020, 3, 1), "СОИРО")] == (State.OVERDUE, 1)


def test_due_soon_is_within_the_window_and_later_is_upcoming():
    recs = records([["1", "А", "01.03.2020", "СОИРО", ""]])
    assert states(recs, date(2020, 2, 23))[("1", date(2020, 3, 1), "СОИРО")][0] == State.DUE_SOON
    assert states(recs, date(2020, 2, 22))[("1", date(2020, 3, 1), "СОИРО")][0] == State.UPCOMING


def test_an_executor_mark_closes_every_occurrence():
    recs = records([["1", "А", "до 01.03.2020; до 01.06.2020", "СОИРО", "выполнено"]])
    got = states(recs, date(2020, 9, 1))
    assert {s for s, _ in got.values()} == {State.DONE}


def test_each_executor_date_closes_the_earliest_open_occurrence_late_counts_as_late():
    recs = records(
        [
            [
                "1",
                "А",
                "до 01.03.2020; до 01.06.2020; до 01.09.2020",
                "СОИРО",
                "28.02.2020; 10.06.2020",
            ]
        ]
    )
    got = states(recs, date(2020, 9, 5))
    assert got[("1", date(2020, 3, 1), "СОИРО")] == (State.DONE, 0)
    assert got[("1", date(2020, 6, 1), "СОИРО")] == (State.DONE_LATE, 9)
    assert got[("1", date(2020, 9, 1), "СОИРО")] == (State.OVERDUE, 4)


def test_school_obligations_come_from_the_submission_table_and_skip_inactive_schools():
    recs = records(
        [["1", "Отчёт", "до 01.03.2020; до 01.06.2020; до 01.09.2020", "ШИБЦ ОО", ""]],
        [
            ["Код", "1 до 01.03.2020", "1 до 01.06.2020", "1 до 01.09.2020"],
            ["01", "05.03.2020", "н/т", ""],
        ],
    )
    got = states(recs, date(2020, 9, 5))
    assert got == {
        ("1", date(2020, 3, 1), "01"): (State.DONE_LATE, 4),
        ("1", date(2020, 6, 1), "01"): (State.NOT_REQUIRED, 0),
        ("1", date(2020, 9, 1), "01"): (State.OVERDUE, 4),
    }


def test_without_a_readable_submission_table_school_states_are_unclear():
    recs = records([["1", "Отчёт", "до 01.03.2020", "ШИБЦ ОО", ""]])  # no «Сдача отчётов»
    got = states(recs, date(2020, 9, 5))
    assert got[("1", date(2020, 3, 1), "01")][0] == State.UNCLEAR


def test_items_without_a_date_give_undated_obligations_to_their_executors():
    recs = records(
        [
            ["1", "Участие", "По плану РУМО", "СОИРО", ""],
            ["2", "Что-то", "как получится", "СОИРО", ""],
        ]
    )
    got = states(recs, date(2020, 9, 5))
    assert got[("1", None, "СОИРО")][0] == State.NO_DATE
    assert got[("2", None, "СОИРО")][0] == State.UNCLEAR


def test_school_reports_without_a_date_are_owed_by_each_active_school_all_the_same():
    submissions = [["Код", "Школа", "2 до 01.12.2020"], ["01", "Школа 1", ""]]
    recs = records(
        [
            ["1", "Анкета", "по запросу", "ШИБЦ ОО", ""],
            ["2", "Отчёт", "когда получится", "ШИБЦ ОО", ""],
        ],
        submissions,
    )
    got = states(recs, date(2020, 9, 5))
    assert got[("1", None, "01")][0] == State.NO_DATE
    assert got[("2", None, "01")][0] == State.UNCLEAR  # counted as «Срок не распознан»
    assert ("2", None, "02") not in got  # an inactive school owes nothing
    # The column for a date the roadmap cannot give is not a second problem: the cell is.
    assert [p.cell for p in recs.problems] == ["C3"]


def test_a_completion_date_in_the_future_is_a_problem():
    recs = records([["1", "А", "01.03.2020", "СОИРО", "01.03.2021"]])
    _, problems = obligations_on(recs, date(2020, 9, 5))
    assert [(p.cell, p.what) for p in problems] == [("E2", "дата 01.03.2021 ещё не наступила")]


def test_a_plan_for_2021_whose_dates_are_all_in_2020_is_flagged_as_copied_forward():
    recs = read_records(
        {"Дорожная карта": [["№", "Мероприятие", "Срок", "Ответственные"], ["1", "А", "01.03.2020", "СОИРО"]],
         "Ответственные": [["Исполнитель", "Email"], ["СОИРО", "soiro@example.org"]]},
        ReadingSettings(plan_year=2021),
        fallback_year=2021,
    )  # fmt: skip
    assert copied_forward_year(recs) == 2020
    _, problems = obligations_on(recs, date(2021, 2, 1))
    assert problems[-1].what == (
        "план — на 2021 год (так указано в настройках, plan_year), а все его сроки — в 2020 году "
        "или раньше: "
        "похоже, план скопирован без новых дат; напоминания не рассылаются"
    )


def test_a_plan_whose_year_is_over_is_not_copied_and_its_items_stay_overdue():
    recs = records([["1", "А", "31.12.2020", "СОИРО", ""]])
    assert copied_forward_year(recs) is None
    obligations, problems = obligations_on(recs, date(2021, 1, 11))
    assert [(o.state, o.days_late) for o in obligations] == [(State.OVERDUE, 11)]
    assert problems == []
