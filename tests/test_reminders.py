"""Obligations + sent + policy + today -> digests (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sheets_sync.obligations import Party, State
from sheets_sync.reminders import plan_mailing
from sheets_sync.settings.types import ReminderPolicy
from sheets_sync.stages import ReminderKey, Stage, StageKind, stage_for
from tests.reminder_data import POLICY, every_day, ob


@pytest.mark.parametrize(
    ("days_before", "stage"),
    [
        (10, None),
        (8, None),
        (7, "before-7"),
        (2, "before-7"),
        (1, "before-1"),
        (0, "before-1"),
        (-1, "overdue"),
        (-6, "overdue"),
        (-7, "overdue+7"),
        (-13, "overdue+7"),
        (-14, "overdue+14"),
    ],
)
def test_stages_are_windows(days_before, stage):
    today = date(2020, 3, 1)
    expected = Stage.parse(stage) if stage else None
    assert stage_for(ob(today + timedelta(days=days_before), today), POLICY, today) == expected


def test_done_obligations_have_no_stage():
    today = date(2020, 3, 1)
    assert stage_for(ob(date(2020, 2, 1), today, state=State.DONE), POLICY, today) is None


def test_a_stage_is_sent_at_most_once_per_recipient_and_obligation():
    today = date(2020, 3, 1)
    obs = [ob(date(2020, 3, 5), today)]
    first = plan_mailing(obs, set(), POLICY, today, every_day)
    assert [d.recipient for d in first.digests] == ["school:01"]
    again = plan_mailing(obs, set(first.digests[0].keys), POLICY, today, every_day)
    assert again.digests == ()


def test_a_run_missed_on_monday_still_sends_the_reminder_on_tuesday():
    monday, tuesday = date(2020, 3, 2), date(2020, 3, 3)
    due = monday + timedelta(days=7)
    mailing = plan_mailing([ob(due, tuesday)], set(), POLICY, tuesday, every_day)
    assert [str(r.stage) for r in mailing.digests[0].reminders] == ["before-7"]


def test_an_earlier_stage_is_skipped_once_a_later_one_applies():
    today = date(2020, 3, 1)
    mailing = plan_mailing([ob(today, today)], set(), POLICY, today, every_day)
    assert [str(r.stage) for r in mailing.digests[0].reminders] == ["before-1"]


def test_one_digest_per_recipient_lists_all_their_stages_and_escalation_goes_to_the_coordinator():
    today = date(2020, 3, 20)
    obs = [
        ob(date(2020, 3, 25), today, key="1"),
        ob(date(2020, 3, 1), today, key="2"),
        ob(date(2020, 3, 25), today, party=Party("executor", "СОИРО", "СОИРО", ("s@example.org",))),
    ]
    earlier = {"school:01|2|2020-03-01|school:01|overdue+7"}
    mailing = plan_mailing(obs, earlier, POLICY, today, every_day)
    assert [(d.recipient, [str(r.stage) for r in d.reminders]) for d in mailing.digests] == [
        ("executor:СОИРО", ["before-7"]),
        ("school:01", ["overdue+14", "before-7"]),
        ("coordinator", ["escalation"]),
    ]
    assert mailing.digests[-1].emails == ("boss@example.org",)
    assert mailing.digests[-1].reminders[0].reminded == 2  # the earlier one and today's


def test_the_coordinating_bodys_own_overdue_item_is_in_its_own_list_not_escalated_to_itself():
    today = date(2020, 3, 20)
    body = Party("executor", "СОИРО", "СОИРО", ("boss@example.org",))
    late = ob(date(2020, 3, 1), today, party=body)
    earlier = {"executor:СОИРО|1|2020-03-01|executor:СОИРО|overdue+7"}
    mailing = plan_mailing([late], earlier, POLICY, today, every_day)
    [digest] = mailing.digests
    assert digest.recipient == "coordinator"
    assert [str(r.stage) for r in digest.reminders] == ["overdue+14"]
    # Overdue before reminders started too: its own item, not a backlog line about itself.
    started = plan_mailing([late], set(), POLICY, today, every_day, start=today)
    assert [str(r.stage) for d in started.digests for r in d.reminders] == ["overdue+14"]


def test_nothing_is_sent_on_a_day_off():
    today = date(2020, 3, 1)
    mailing = plan_mailing([ob(today, today)], set(), POLICY, today, lambda d: False, "воскресенье")
    assert mailing.digests == () and mailing.hold_reason == "воскресенье"


def test_a_party_without_an_address_is_reported_not_mailed():
    today = date(2020, 3, 1)
    nobody = Party("school", "02", "Школа 2", ())
    mailing = plan_mailing([ob(today, today, party=nobody)], set(), POLICY, today, every_day)
    assert mailing.digests == () and mailing.unreachable == ((nobody, 1),)


@pytest.mark.parametrize(
    ("stage", "label"),
    [
        ("before-7", "за 7 дней до срока"),
        ("before-1", "за 1 день до срока"),
        ("before-0", "в день срока"),
        ("overdue", "просрочено"),
        ("overdue+21", "просрочено на 21 день и более"),
        ("escalation", "эскалация координатору"),
    ],
)
def test_stages_read_in_russian(stage, label):
    assert Stage.parse(stage).label == label


def test_the_weekly_summary_goes_to_the_coordinators_once_a_week():
    policy = ReminderPolicy(
        escalate_to=("boss@example.org",), weekly_summary="monday", escalate_after_days=0
    )
    wednesday = date(2020, 11, 25)
    obs = [ob(date(2020, 11, 20), wednesday), ob(date(2020, 11, 27), wednesday, key="2")]
    mailing = plan_mailing(obs, set(), policy, wednesday, every_day)
    summary = mailing.digests[-1]
    assert (summary.kind, summary.emails) == ("coordinator", ("boss@example.org",))
    assert summary.keys == ("coordinator|weekly-summary|2020-W48|summary",)
    assert len(summary.reminders) == 2

    thursday = date(2020, 11, 26)
    again = plan_mailing(obs, set(summary.keys), policy, thursday, every_day)
    assert all(d.recipient != "coordinator" for d in again.digests)
    next_monday = date(2020, 11, 30)
    later = plan_mailing(obs, set(summary.keys), policy, next_monday, every_day)
    assert later.digests[-1].keys == ("coordinator|weekly-summary|2020-W49|summary",)


def test_the_coordinators_get_one_email_with_escalations_and_the_summary():
    policy = ReminderPolicy(
        escalate_to=("boss@example.org",), weekly_summary="monday", escalate_after_days=14
    )
    wednesday = date(2020, 11, 25)
    obs = [ob(date(2020, 11, 1), wednesday)]
    earlier = {"school:01|1|2020-11-01|school:01|overdue+14"}
    mailing = plan_mailing(obs, earlier, policy, wednesday, every_day)
    coordinators = [d for d in mailing.digests if d.recipient == "coordinator"]
    assert len(coordinators) == 1
    assert coordinators[0].keys == (
        "coordinator|1|2020-11-01|school:01|escalation",
        "coordinator|weekly-summary|2020-W48|summary",
    )


def test_no_weekly_summary_before_its_weekday_or_without_coordinators():
    obs = [ob(date(2020, 11, 20), date(2020, 11, 23))]
    wednesday_policy = ReminderPolicy(
        escalate_to=("b@example.org",), weekly_summary="wednesday", escalate_after_days=0
    )
    monday = date(2020, 11, 23)
    assert all(
        d.recipient != "coordinator"
        for d in plan_mailing(obs, set(), wednesday_policy, monday, every_day).digests
    )
    nobody = ReminderPolicy(weekly_summary="monday")
    assert all(
        d.recipient != "coordinator"
        for d in plan_mailing(obs, set(), nobody, monday, every_day).digests
    )


def test_a_mistyped_stage_is_refused_not_silently_compared():
    with pytest.raises(ValueError, match="not a reminder stage: 'overdure'"):
        Stage.parse("overdure")


@pytest.mark.parametrize(
    "text",
    [
        "school:01|VII.8|2020-03-01|school:01|overdue+14",
        "coordinator|1.1|2020-03-01|executor:СОИРО|escalation",
        "coordinator|weekly-summary|2020-W48|summary",
    ],
)
def test_a_reminder_key_reads_back_as_it_was_written(text):
    key = ReminderKey.parse(text)
    assert key is not None and str(key) == text


def test_text_that_is_not_a_reminder_key_reads_as_none():
    assert ReminderKey.parse("school:01|VII.8|2020-03-01|school:01|overdure") is None
    assert ReminderKey.parse("сдано") is None
    assert ReminderKey(
        "school:01", "1|2020-03-01|school:01", Stage(StageKind.OVERDUE, 7)
    ).stage.label == ("просрочено на 7 дней и более")


def test_nothing_is_escalated_before_its_party_had_a_reminder_on_an_earlier_day():
    today = date(2020, 3, 20)
    late = [ob(date(2020, 3, 1), today, key="2")]
    sent_today = {"school:01|2|2020-03-01|school:01|overdue+14"}
    first = plan_mailing(late, set(), POLICY, today, every_day)
    assert [d.recipient for d in first.digests] == ["school:01"]
    again = plan_mailing(late, sent_today, POLICY, today, every_day, earlier=set())
    assert again.digests == ()
    tomorrow = date(2020, 3, 21)
    later = plan_mailing(late, sent_today, POLICY, tomorrow, every_day, earlier=sent_today)
    assert [(d.recipient, d.reminders[0].reminded) for d in later.digests] == [("coordinator", 1)]


def test_a_party_that_cannot_be_emailed_is_escalated_without_a_reminder():
    today = date(2020, 3, 20)
    nobody = Party("school", "02", "Школа 2", (), bad_emails=("b@example,org",))
    mailing = plan_mailing(
        [ob(date(2020, 3, 1), today, party=nobody)], set(), POLICY, today, every_day
    )
    assert [d.recipient for d in mailing.digests] == ["coordinator"]
    assert mailing.unreachable == ((nobody, 1),)


def test_what_was_long_overdue_when_reminders_started_goes_to_the_coordinators_and_is_named_once():
    go_live = date(2020, 11, 25)
    obs = [
        ob(date(2020, 3, 1), go_live, key="старый"),
        ob(date(2020, 11, 20), go_live, key="новый"),
    ]
    mailing = plan_mailing(obs, set(), POLICY, go_live, every_day, start=go_live)
    # The coordinators get it; the school has it named once, beside its current reminders.
    assert [(d.recipient, [str(r.stage) for r in d.reminders]) for d in mailing.digests] == [
        ("school:01", ["overdue", "backlog"]),
        ("coordinator", ["backlog"]),
    ]
    sent = set().union(*(d.keys for d in mailing.digests))
    again = plan_mailing(obs, sent, POLICY, go_live + timedelta(days=1), every_day, start=go_live)
    assert again.digests == ()


def test_once_a_plan_year_is_over_an_escalated_item_is_left_to_the_coordinators():
    today = date(2021, 1, 20)
    item = ob(date(2020, 12, 31), today)
    escalated = {"coordinator|1|2020-12-31|school:01|escalation"}
    live = plan_mailing([item], escalated, POLICY, today, every_day)
    over = plan_mailing([item], escalated, POLICY, today, every_day, plan_over=True)
    assert [d.recipient for d in live.digests] == ["school:01"] and over.digests == ()


def test_the_coordinating_bodys_own_tasks_come_in_the_coordinators_email():
    today = date(2020, 3, 20)
    coordinating = Party("executor", "СОИРО", "СОИРО", ("boss@example.org",))
    mailing = plan_mailing(
        [ob(date(2020, 3, 25), today, party=coordinating)], set(), POLICY, today, every_day
    )
    assert [(d.recipient, [r.recipient for r in d.reminders]) for d in mailing.digests] == [
        ("coordinator", ["executor:СОИРО"])
    ]


def test_after_missed_runs_a_repeat_waits_its_interval_after_the_last_reminder():
    from sheets_sync.sent_keys import SentLookup

    due = date(2020, 12, 1)
    caught_up = date(2020, 12, 28)  # runs were missed: today's stage is overdue+21

    def plan(today: date, last: dict[str, date]) -> list[str]:
        lookup = SentLookup(lambda keys: set(), lambda ids: {}, lambda ids: last)
        mailing = plan_mailing([ob(due, today)], lookup, POLICY, today, every_day)
        return [str(r.stage) for d in mailing.digests for r in d.reminders]

    assert plan(caught_up, {}) == ["overdue+21"]
    reminded = {ob(due, caught_up).id: caught_up}
    assert plan(date(2020, 12, 29), reminded) == []  # overdue+28's window opens: not the next day
    assert plan(date(2021, 1, 4), reminded) == ["overdue+28"]  # a week after the last one
