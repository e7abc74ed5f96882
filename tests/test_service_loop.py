"""The service's loop on an injected clock: a send every sending day at send_at, refreshes in
between, weekends and holidays skipped, a missed slot caught up, a restart that remembers, a
failing cycle retried at the next slot, and the real cycle behind it. No test sleeps: the
clock's sleep moves its own time forward."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from sheets_sync.errors import WorkbookError
from sheets_sync.report.context import Health
from sheets_sync.service.failures import Failure
from sheets_sync.service.loop import Service
from sheets_sync.service.runner import CycleRunner
from sheets_sync.service.slots import next_send, sending_days
from sheets_sync.service.status import StatusFile
from sheets_sync.settings.types import ServiceSettings, Settings, WorkbookSettings
from sheets_sync.workdays import WorkCalendar
from tests.service_data import EXECUTORS, ROADMAP, SCHOOLS, SUBMISSIONS, FakeClock, at

WORKING_DAYS = WorkCalendar().is_working_day


@dataclass
class Cycles:
    """A stand-in cycle that records each call; it can fail the next N calls."""

    clock: FakeClock
    calls: list[tuple[datetime, bool, Health]] = field(default_factory=list)
    fail_next: int = 0
    takes: timedelta = timedelta(seconds=30)

    def __call__(self, now: datetime, send: bool, health: Health) -> Failure | None:
        self.calls.append((now, send, health))
        self.clock.t += self.takes
        if self.fail_next:
            self.fail_next -= 1
            raise WorkbookError("the spreadsheet cannot be read: check the sharing")
        return None

    @property
    def sends(self) -> list[datetime]:
        return [now for now, send, _ in self.calls if send]

    @property
    def refreshes(self) -> list[datetime]:
        return [now for now, send, _ in self.calls if not send]


def serve(
    tmp_path,
    start: datetime,
    until: datetime,
    *,
    refresh: int = 0,
    fail: int = 0,
    sends_on=WORKING_DAYS,
) -> Cycles:
    stop = threading.Event()
    clock = FakeClock(start, until, stop)
    cycles = Cycles(clock, fail_next=fail)
    Service(
        settings=ServiceSettings(send_at=time(9, 0), refresh_minutes=refresh),
        sends_on=sends_on,
        cycle=cycles,
        status=StatusFile(tmp_path / "service.json"),
        clock=clock,
        stop=stop,
    ).run()
    return cycles


def test_it_sends_once_a_day_at_send_at_and_refreshes_in_between(tmp_path):
    cycles = serve(tmp_path, at("2025-09-08", "07:30"), at("2025-09-10", "12:00"), refresh=60)

    assert cycles.sends == [
        at("2025-09-08", "09:00"),
        at("2025-09-09", "09:00"),
        at("2025-09-10", "09:00"),
    ]
    # Hourly refreshes, none within half an hour of a send (the send refreshed the tabs).
    refreshes = cycles.refreshes
    assert refreshes[0] == at("2025-09-08", "08:30")
    assert all(b - a >= timedelta(minutes=59) for a, b in pairwise(refreshes))
    assert not any(
        timedelta(0) <= r - s < timedelta(minutes=30) for r in refreshes for s in cycles.sends
    )
    assert 50 <= len(refreshes) <= 54  # 52.5 hours


def test_weekends_and_holidays_are_skipped_and_a_working_saturday_is_kept(tmp_path):
    # Fri 31.10.2025, working Sat 01.11, then Sun, the transferred Mon 03.11 and Unity Day 04.11.
    cycles = serve(tmp_path, at("2025-10-31", "08:00"), at("2025-11-05", "10:00"))

    assert cycles.sends == [
        at("2025-10-31", "09:00"),
        at("2025-11-01", "09:00"),
        at("2025-11-05", "09:00"),
    ]


def test_every_day_is_a_sending_day_when_the_policy_says_so(tmp_path):
    cycles = serve(
        tmp_path, at("2025-11-01", "08:00"), at("2025-11-04", "10:00"), sends_on=lambda d: True
    )
    assert [s.date().day for s in cycles.sends] == [1, 2, 3, 4]


def test_started_after_a_missed_slot_it_sends_at_once_then_keeps_to_the_schedule(tmp_path):
    cycles = serve(tmp_path, at("2025-09-08", "14:20"), at("2025-09-09", "10:00"))

    assert cycles.sends == [at("2025-09-08", "14:20"), at("2025-09-09", "09:00")]


def test_a_long_sleep_over_several_slots_sends_once_not_once_per_slot(tmp_path):
    stop = threading.Event()
    # Suspended from Monday 18:00 until Friday 11:00: four slots missed.
    suspend = (at("2025-09-08", "18:00"), at("2025-09-12", "11:00"))
    clock = FakeClock(at("2025-09-08", "10:00"), at("2025-09-12", "12:00"), stop, suspend)
    cycles = Cycles(clock)
    Service(
        settings=ServiceSettings(send_at=time(9, 0), refresh_minutes=0),
        sends_on=WORKING_DAYS,
        cycle=cycles,
        status=StatusFile(tmp_path / "service.json"),
        clock=clock,
        stop=stop,
    ).run()
    assert cycles.sends == [at("2025-09-08", "10:00"), at("2025-09-12", "11:00")]


def test_a_restart_remembers_todays_send_and_a_later_one_catches_up(tmp_path):
    first = serve(tmp_path, at("2025-09-08", "08:00"), at("2025-09-08", "10:00"))
    again = serve(tmp_path, at("2025-09-08", "11:00"), at("2025-09-08", "18:00"))
    # Down over Tuesday's slot, back at 12:00: Tuesday's send goes at once.
    later = serve(tmp_path, at("2025-09-09", "12:00"), at("2025-09-10", "10:00"))

    assert first.sends == [at("2025-09-08", "09:00")]
    assert again.sends == []
    assert later.sends == [at("2025-09-09", "12:00"), at("2025-09-10", "09:00")]
    assert StatusFile(tmp_path / "service.json").load().last_send_day == date(2025, 9, 10)


def test_a_cycle_that_raises_is_logged_counted_and_retried_at_the_next_slot(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="sheets_sync.service")
    cycles = serve(
        tmp_path, at("2025-09-08", "08:50"), at("2025-09-08", "12:00"), refresh=60, fail=2
    )

    # 09:00 fails, the 09:50 refresh retries the send and fails, 10:50 sends; then refreshes.
    assert [(c[0].strftime("%H:%M"), c[1]) for c in cycles.calls] == [
        ("09:00", True),
        ("09:50", True),
        ("10:50", True),
        ("11:51", False),  # an hour after the 10:50 cycle ended (each takes 30 s here)
    ]
    failed = [r for r in caplog.records if r.getMessage().startswith("cycle send failed")]
    assert len(failed) == 2
    assert "the spreadsheet cannot be read: check the sharing" in failed[0].getMessage()
    # The third call is told of the two failures before it, for «Сводка».
    health = cycles.calls[2][2]
    assert health.failures_in_a_row == 2
    assert health.failure_reason.startswith("таблица недоступна")
    assert health.last_failure == at("2025-09-08", "09:50")
    status = StatusFile(tmp_path / "service.json").load()
    assert status.failures == 0 and status.last_send_day == date(2025, 9, 8)
    assert status.last_failure == at("2025-09-08", "09:50")  # remembered for «Сводка»


def test_a_bug_in_a_cycle_is_logged_with_its_traceback_and_the_loop_goes_on(tmp_path, caplog):
    stop = threading.Event()
    clock = FakeClock(at("2025-09-08", "08:00"), at("2025-09-09", "10:00"), stop)
    calls: list[datetime] = []

    def broken(now: datetime, send: bool, health: Health) -> Failure | None:
        calls.append(now)
        raise ZeroDivisionError("division by zero")

    Service(
        settings=ServiceSettings(refresh_minutes=0),
        sends_on=WORKING_DAYS,
        cycle=broken,
        status=StatusFile(tmp_path / "service.json"),
        clock=clock,
        stop=stop,
    ).run()

    assert calls == [at("2025-09-08", "09:00"), at("2025-09-09", "09:00")]
    bugs = [r for r in caplog.records if r.exc_info]
    assert len(bugs) == 2 and "ZeroDivisionError" in caplog.text
    status = StatusFile(tmp_path / "service.json").load()
    assert status.failures == 2 and status.failure_reason == "внутренняя ошибка программы"


def test_health_names_the_next_send_a_friday_send_points_to_monday(tmp_path):
    cycles = serve(tmp_path, at("2025-09-12", "07:30"), at("2025-09-12", "11:00"), refresh=60)

    send = next(c for c in cycles.calls if c[1])
    assert send[0] == at("2025-09-12", "09:00") and send[2].next_run == at("2025-09-15", "09:00")
    before = cycles.calls[0]
    assert not before[1] and before[2].next_run == at("2025-09-12", "09:00")
    after = cycles.calls[cycles.calls.index(send) + 1]
    assert after[2].last_success == at("2025-09-12", "09:00")


def test_the_next_send_skips_days_off_and_never_lands_in_the_past():
    assert next_send(at("2025-10-31", "09:00"), time(9), WORKING_DAYS) == at("2025-11-01", "09:00")
    assert next_send(at("2025-11-01", "10:00"), time(9), WORKING_DAYS) == at("2025-11-05", "09:00")
    assert next_send(at("2025-11-05", "08:59"), time(9), WORKING_DAYS) == at("2025-11-05", "09:00")


def test_stop_set_during_a_cycle_lets_it_finish_and_starts_no_other(tmp_path):
    stop = threading.Event()
    clock = FakeClock(at("2025-09-08", "08:00"), at("2025-09-20", "00:00"), stop)
    calls: list[bool] = []

    def stopped_midway(now: datetime, send: bool, health: Health) -> Failure | None:
        calls.append(send)
        stop.set()  # SIGTERM arrives while the cycle runs
        return None

    Service(
        settings=ServiceSettings(refresh_minutes=1),
        sends_on=WORKING_DAYS,
        cycle=stopped_midway,
        status=StatusFile(tmp_path / "service.json"),
        clock=clock,
        stop=stop,
    ).run()
    assert calls == [False]
    assert StatusFile(tmp_path / "service.json").load().last_success == at("2025-09-08", "08:01")


def test_the_real_cycle_sends_each_reminder_once_across_two_days(project, caplog):
    caplog.set_level(logging.INFO)
    project.workbook(
        {
            "Дорожная карта": ROADMAP,
            "Школы": SCHOOLS,
            "Ответственные": EXECUTORS,
            "Сдача отчётов": SUBMISSIONS,
        },
        header_rows={"Дорожная карта": 3},
    )
    settings: Settings = project.settings({"service": {"refresh_minutes": 240}})
    assert isinstance(settings.workbook, WorkbookSettings)
    stop = threading.Event()
    clock = FakeClock(at("2020-09-08", "08:00"), at("2020-09-09", "12:30"), stop)
    Service(
        settings=settings.service,
        sends_on=sending_days(settings),
        cycle=CycleRunner(settings),
        status=StatusFile(settings.state_dir / "service.json"),
        clock=clock,
        stop=stop,
    ).run()

    emails = project.outbox()
    assert emails and len({m["Message-ID"] for m in emails}) == len(emails)
    journal = project.read_tab("Журнал рассылки")
    assert len(journal) - 1 == len(emails)  # every email journaled once
    summary = [" ".join(r) for r in project.read_tab("Сводка")]
    assert any("Листы обновлены без рассылки" in line for line in summary)  # 12:00: a refresh
    status = StatusFile(settings.state_dir / "service.json").load()
    assert status.last_send_day == date(2020, 9, 9) and status.failures == 0
    # The log: a line per step with its counts, one per email, a summary per cycle.
    logged = [getattr(r, "fields", {}) for r in caplog.records]
    end = next(i for i, f in enumerate(logged) if f.get("event") == "cycle" and "ok" in f)
    summary = logged[end]
    assert summary["ok"] and summary["cycle"] == "send" and summary["emails_sent"] >= 1
    events = [f.get("step") or f.get("event") for f in logged[: end + 1] if f]
    emails_lines = ["email"] * summary["emails_sent"]
    assert events == ["serve", "cycle", *emails_lines, "read", "plan", "send", "write", "cycle"]
    read = next(f for f in logged if f.get("step") == "read")
    assert (read["items"], read["schools"], read["executors"]) == (2, 2, 1)


def test_a_damaged_status_file_starts_afresh_and_sends_nothing_twice(tmp_path, caplog):
    (tmp_path / "service.json").write_text("{not json", encoding="utf-8")
    cycles = serve(tmp_path, at("2025-09-08", "10:00"), at("2025-09-08", "11:00"))
    assert cycles.sends == [at("2025-09-08", "10:00")]  # today's send, as after a first start
    assert "is damaged" in caplog.text


def test_an_unreadable_status_fails_each_slot_without_ending_or_spinning_the_loop(tmp_path, caplog):
    (tmp_path / "service.json").mkdir()  # reading it fails with an OS error, every time
    cycles = serve(tmp_path, at("2025-09-08", "08:00"), at("2025-09-10", "08:00"), refresh=60)
    assert cycles.calls == []
    failed = [r for r in caplog.records if r.getMessage().startswith("a scheduled slot failed")]
    assert 40 <= len(failed) <= 60  # each slot once (hourly and daily), not in a tight loop
    assert "cannot read the service status" in caplog.text
