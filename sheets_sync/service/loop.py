"""The service's loop: a sending cycle every sending day at `service.send_at`, a refresh of the
tabs (no email) every `service.refresh_minutes`, on `schedule` driven by an injected clock.

- Catch-up: started (or woken) past `send_at` on a sending day whose sending cycle has not gone
  through, it sends at once; a refresh slot on such a day sends instead. So a failed send is
  retried at the next slot, and a service down at 9:00 sends when it is back.
- A cycle that raises is logged with its cause, counted, and the loop goes on.
- After each cycle: the status file (for «Сводка» and catch-up), the ping, the alerts.
- `stop` (set by SIGTERM or Ctrl-C) lets the cycle in progress finish, then the loop returns.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Protocol

from sheets_sync.errors import SheetsSyncError
from sheets_sync.logs import fields
from sheets_sync.report.context import Health
from sheets_sync.settings.types import ServiceSettings
from sheets_sync.wording import ru_datetime

from .alerts import Alerts
from .failures import Failure, failure_of
from .ping import ping
from .slots import ClockedScheduler, SendsOn, next_send, slot_on
from .status import Status, StatusFile

logger = logging.getLogger("sheets_sync.service")

Cycle = Callable[[datetime, bool, Health], Failure | None]
"""Run one cycle at `now`, sending or only refreshing; return what failed, or None (raise for
a cycle that could not run at all)."""

MAX_NAP_SECONDS = 60.0  # wake at least this often: a suspended machine or a clock change


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


@dataclass
class Service:
    settings: ServiceSettings
    sends_on: SendsOn
    cycle: Cycle
    status: StatusFile
    clock: Clock
    stop: threading.Event
    alerts: Alerts | None = None
    max_nap: float = MAX_NAP_SECONDS
    _last_cycle: datetime | None = field(default=None, init=False)

    def run(self) -> None:
        """Serve until `stop` is set; the cycle in progress then finishes first."""
        scheduler = ClockedScheduler(self.clock.now, self.sends_on)
        scheduler.every().day.at(f"{self.settings.send_at:%H:%M}").do(self._send_slot)
        if self.settings.refresh_minutes:
            scheduler.every(self.settings.refresh_minutes).minutes.do(self._refresh_slot)
        now = self.clock.now()
        logger.info(
            "serving: sending at %s on sending days, next %s; refresh %s",
            f"{self.settings.send_at:%H:%M}",
            ru_datetime(next_send(now, self.settings.send_at, self.sends_on)),
            f"every {self.settings.refresh_minutes} min"
            if self.settings.refresh_minutes
            else "off",
            extra=fields(event="serve", state="started"),
        )
        try:
            if self.send_due(now, self.status.load()):
                logger.info("catching up: today's sending cycle has not run yet")
                self._cycle(send=True)
        except SheetsSyncError as exc:  # the status cannot be read: the slots will retry
            logger.error("%s", exc)
        while not self.stop.is_set():
            try:
                scheduler.run_pending()
            except Exception:  # schedule lets a job's exception through: keep serving
                logger.exception("a scheduled slot failed; the next one runs as planned")
            if self.stop.is_set():
                break
            idle = scheduler.idle_seconds
            self.clock.sleep(min(max(idle if idle is not None else 0.0, 0.0), self.max_nap))
        logger.info("stopped", extra=fields(event="serve", state="stopped"))

    def send_due(self, now: datetime, status: Status) -> bool:
        """Return whether today is a sending day past `send_at` whose sending cycle has not
        gone through."""
        today = now.date()
        return (
            self.sends_on(today)
            and now >= slot_on(today, self.settings.send_at, now)
            and status.last_send_day != today
        )

    def _send_slot(self) -> None:
        if not self.stop.is_set() and self.status.load().last_send_day != self.clock.now().date():
            self._cycle(send=True)

    def _refresh_slot(self) -> None:
        if self.stop.is_set():
            return
        now = self.clock.now()
        if self.send_due(now, self.status.load()):
            self._cycle(send=True)  # the send slot failed or was missed: retry it now
            return
        interval = timedelta(minutes=self.settings.refresh_minutes)
        if self._last_cycle is not None and now - self._last_cycle < interval / 2:
            return  # a cycle just ran (the daily send): it refreshed the tabs already
        self._cycle(send=False)

    def _cycle(self, *, send: bool) -> None:
        """Run one cycle and count it; nothing it raises stops the loop."""
        now = self.clock.now()
        kind = "send" if send else "refresh"
        before = self.status.load()
        upcoming = next_send(
            now if not send else _end_of(now), self.settings.send_at, self.sends_on
        )
        logger.info(
            "cycle %s started", kind, extra=fields(event="cycle", cycle=kind, state="started")
        )
        try:
            failure = self.cycle(now, send, before.health(upcoming))
        except Exception as exc:  # one bad cycle never ends the service
            failure = failure_of(exc)
            logger.error(
                "cycle %s failed: %s",
                kind,
                failure.detail,
                exc_info=not isinstance(exc, SheetsSyncError),  # a bug: keep its traceback
                extra=fields(event="cycle", cycle=kind, ok=False, error=failure.detail),
            )
        self._last_cycle = self.clock.now()
        after = before.failed(now, failure) if failure else before.succeeded(now, sent=send)
        self._tell(before, after, failure, now)

    def _tell(self, before: Status, after: Status, failure: Failure | None, now: datetime) -> None:
        """Ping, alert and save the status; a failure here is logged, never raised."""
        if self.settings.ping_url:
            ping(self.settings.ping_url, f"{failure.reason}: {failure.detail}" if failure else None)
        try:
            if self.alerts is not None:
                after = self.alerts.after(before, after, now)
            self.status.save(after)
        except Exception:  # keep serving; the next cycle tries again
            logger.exception("could not record the cycle")


def _end_of(now: datetime) -> datetime:
    """Return the last moment of `now`'s day: a sending cycle's next send is on a later day."""
    return slot_on(now.date(), time.max, now)
