"""The hub cycle as the service (`serve`) and `python run.py hub` run it: open the summary and
the delivery, run the cycle, log what it did; a mail server that cannot be used is the cycle's
failure (the service retries the send), a source that fails is not (it is in «Проблемы»)."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date, datetime

from sheets_sync.logs import fields
from sheets_sync.mail.delivery import delivery_for
from sheets_sync.report.context import Health
from sheets_sync.service.failures import Failure, delivery_failure
from sheets_sync.settings.types import Settings

from .access import HubAccess, new_buckets
from .cycle import HubResult, run_hub
from .pacing import PaceClock, SystemPace

logger = logging.getLogger("sheets_sync.hub")


class HubRunner:
    """Runs one hub cycle per call (the service's `Cycle`)."""

    def __init__(
        self,
        settings: Settings,
        clock: PaceClock | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        assert settings.hub is not None
        self.settings = settings
        self.clock = clock or SystemPace()
        self.stop = stop or threading.Event()
        self.buckets = new_buckets(settings.hub, self.clock)  # kept from cycle to cycle

    def run(
        self, now: datetime, send: bool, health: Health | None = None, today: date | None = None
    ) -> HubResult:
        """Run one hub cycle as of `today` (default: `now`'s day; `--today` sets another)."""
        started = time.monotonic()
        result = run_hub(
            self.settings,
            HubAccess(self.settings, self.clock, self.buckets),
            delivery_for(self.settings.mail),
            today=now.date() if today is None else today,
            now=now,
            send=send,
            health=health,
            stop=self.stop.is_set,
        )
        log_hub(result, "send" if send else "refresh", time.monotonic() - started)
        return result

    def __call__(self, now: datetime, send: bool, health: Health) -> Failure | None:
        result = self.run(now, send, health)
        return delivery_failure(result.delivery_error) if result.delivery_error else None


def log_hub(result: HubResult, kind: str, seconds: float) -> None:
    """Log one line for the hub cycle: sources read, unchanged, failed; emails; requests."""
    from .changes import Action

    read = result.count(Action.READ, Action.CYCLE)
    kept = result.count(Action.KEEP, Action.RECOMPUTE)
    logger.info(
        "hub %s: %d sources: %d read, %d unchanged, %d failed; %d emails sent; %d Google "
        "requests, %.1f s paced, %.1f s in all",
        kind,
        len(result.sources),
        read,
        kept,
        result.failed,
        result.sent,
        result.requests,
        result.waited,
        seconds,
        extra=fields(
            event="hub",
            cycle=kind,
            sources=len(result.sources),
            read=read,
            unchanged=kept,
            failed=result.failed,
            emails_sent=result.sent,
            requests=result.requests,
            paced_seconds=round(result.waited, 1),
            seconds=round(seconds, 3),
        ),
    )
