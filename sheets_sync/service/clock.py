"""The wall clock of the running service: the only place in the library that reads it. Tests
give the loop their own clock instead."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo


class SystemClock:
    """Now in the configured time zone; sleeping ends early when `stop` is set."""

    def __init__(self, timezone: str, stop: threading.Event) -> None:
        self.zone = ZoneInfo(timezone)
        self.stop = stop

    def now(self) -> datetime:
        return datetime.now(self.zone)

    def sleep(self, seconds: float) -> None:
        self.stop.wait(max(seconds, 0.0))
