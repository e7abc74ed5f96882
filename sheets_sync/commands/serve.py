"""`serve`: the scheduled service, until SIGTERM or Ctrl-C (the cycle in progress finishes
first; a second signal stops at once). The command line holds the workbook's lock around it."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from sheets_sync.hub import hub_view
from sheets_sync.service.alerts import Alerts
from sheets_sync.service.clock import SystemClock
from sheets_sync.service.lock import workbook_key, workbook_label
from sheets_sync.service.loop import Cycle, Service
from sheets_sync.service.runner import CycleRunner
from sheets_sync.service.slots import sending_days
from sheets_sync.service.status import StatusFile
from sheets_sync.settings.load import load_settings

logger = logging.getLogger("sheets_sync.service")


def cmd_serve(args: argparse.Namespace) -> int:
    settings = hub_view(load_settings(args.config))  # with [hub], the status is the summary's
    stop = threading.Event()
    if settings.hub is not None:  # every cycle is a hub cycle: each source's own, then the summary
        from sheets_sync.hub.runner import HubRunner

        cycle: Cycle = HubRunner(settings, stop=stop)
    else:
        cycle = CycleRunner(settings)
    service = Service(
        settings=settings.service,
        sends_on=sending_days(settings),
        cycle=cycle,
        status=StatusFile(settings.state_dir / f"{workbook_key(settings)}.service.json"),
        clock=SystemClock(settings.timezone, stop),
        stop=stop,
        alerts=Alerts(settings, workbook_label(settings)),
    )
    with stop_on_signals(stop):
        service.run()
    return 0


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set `stop` on the first SIGTERM or SIGINT; a second one interrupts at once."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        name = signal.Signals(signum).name
        # Not set here: a signal handler must not wait for a lock the loop may hold.
        threading.Thread(target=_stopping, args=(stop, name), daemon=True).start()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def _stopping(stop: threading.Event, name: str) -> None:
    logger.info("%s: finishing the cycle in progress, then stopping", name)
    stop.set()
