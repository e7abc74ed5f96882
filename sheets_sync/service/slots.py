"""When the service runs: `schedule`'s jobs and scheduler, on an injected clock.

`schedule` reads `datetime.now()` itself and takes no clock (its maintainers keep it that way),
so the three places it reads the time are overridden here to read the service's clock instead:
whether a job is due, when it runs next, and how long to idle. Everything else is schedule's own:
`every().day.at("09:00")` and `every(60).minutes`, the job list, `run_pending` (which runs a
missed job once, not once per missed slot). A daily job runs on sending days only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import schedule

from sheets_sync.settings.types import Settings
from sheets_sync.workdays import WorkCalendar

Now = Callable[[], datetime]
SendsOn = Callable[[date], bool]


def sending_days(settings: Settings) -> SendsOn:
    """Return whether the reminder policy sends on a day: working days of the production
    calendar only, unless `reminders.working_days_only` is off."""
    if not settings.reminders.working_days_only:
        return lambda day: True
    return WorkCalendar(settings.calendar).is_working_day


def slot_on(day: date, at: time, like: datetime) -> datetime:
    """Return `at` on `day` in the time zone of `like`."""
    return datetime.combine(day, at, like.tzinfo)


def next_send(now: datetime, at: time, sends_on: SendsOn) -> datetime:
    """Return the first sending day's `at` strictly after `now`."""
    day = now.date()
    for _ in range(400):  # a year holds a sending day, whatever the calendar says
        if sends_on(day) and slot_on(day, at, now) > now:
            return slot_on(day, at, now)
        day += timedelta(days=1)
    raise ValueError("no sending day within a year: check [calendar] and [reminders]")


class ClockedScheduler(schedule.Scheduler):
    """schedule's Scheduler on the service's clock; daily jobs keep to sending days."""

    def __init__(self, now: Now, sends_on: SendsOn) -> None:
        super().__init__()
        self.now = now
        self.sends_on = sends_on

    def every(self, interval: int = 1) -> ClockedJob:
        return ClockedJob(interval, self)

    @property
    def idle_seconds(self) -> float | None:
        upcoming = self.get_next_run()
        return None if upcoming is None else (upcoming - self.now()).total_seconds()


class ClockedJob(schedule.Job):
    """schedule's Job, reading the time from its scheduler's clock."""

    def __init__(self, interval: int, scheduler: ClockedScheduler) -> None:
        super().__init__(interval, scheduler)
        self.clocked = scheduler

    @property
    def should_run(self) -> bool:
        return self.next_run is not None and self.clocked.now() >= self.next_run

    def run(self) -> Any:
        assert self.job_func is not None
        try:
            return self.job_func()
        finally:  # a job that raised runs at its next slot, not again at once
            self.last_run = self.clocked.now()
            self._schedule_next_run()

    def _schedule_next_run(self) -> None:
        now = self.clocked.now()
        if self.unit == "days" and self.at_time is not None and self.interval == 1:
            self.next_run = next_send(now, self.at_time, self.clocked.sends_on)
        elif self.unit == "minutes" and self.at_time is None:
            self.next_run = now + timedelta(minutes=self.interval)
        else:
            raise schedule.ScheduleValueError(
                "the service's clock knows daily jobs at a time, and jobs every N minutes"
            )
