"""Two runs that overlap, as two real processes: every reminder is sent once between them and
journaled once.

Both processes read the workbook and plan the same emails, then meet at a barrier before their
first send, so they race for every email; the local state's claims decide who sends each."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sheets_sync.mail.delivery import Delivery, Sender
from sheets_sync.mail.render import Email
from sheets_sync.settings.types import Settings
from tests.sample_workbook import make, staff
from tests.smtp_server import logged_in

NOW = datetime(2020, 9, 8, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
TODAY = date(2020, 9, 8)


class AtTheBarrier:
    """A real delivery that waits for the other process before its session starts, and logs
    each send to a file both processes append to."""

    def __init__(self, real: Delivery, barrier: Any, log: Path) -> None:
        self.real, self.barrier, self.log = real, barrier, log
        self.name = real.name

    @contextmanager
    def session(self) -> Iterator[Sender]:
        self.barrier.wait(timeout=60)
        with self.real.session() as send:

            def logged(email: Email, raw: bytes) -> str:
                note = send(email, raw)
                with open(self.log, "a", encoding="utf-8") as fh:
                    fh.write(f"{os.getpid()} {email.message_id}\n")
                return note

            yield logged


def one_run(settings: Settings, backend: str, barrier: Any, log: Path) -> None:
    """A run in its own process (the target of the children)."""
    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import delivery_for
    from sheets_sync.workbook import open_workbook

    if backend == "google":
        from sheets_sync.workbook.google import GoogleWorkbook

        workbook: Any = GoogleWorkbook(settings)
    else:
        workbook = open_workbook(settings)
    real = delivery_for(settings.mail)
    run_cycle(settings, workbook, AtTheBarrier(real, barrier, log), today=TODAY, now=NOW)


def two_runs(settings: Settings, backend: str, log: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    children = [
        context.Process(target=one_run, args=(settings, backend, barrier, log)) for _ in range(2)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [c.exitcode for c in children] == [0, 0]


def sends(log: Path) -> Counter[str]:
    return Counter(line.split()[1] for line in log.read_text(encoding="utf-8").splitlines())


def test_two_overlapping_runs_on_a_file_send_each_email_once_and_journal_it_once(
    project, smtp_server
):
    make(project)
    settings = logged_in(
        project.settings({"mail": {"delivery": "smtp", "smtp": smtp_server.config()}})
    )
    log = project.root / "sends.log"

    two_runs(settings, "xlsx", log)

    delivered = Counter(m.message["Message-ID"] for m in smtp_server.messages)
    assert len(delivered) == 4 and set(delivered.values()) == {1}
    assert sends(log) == delivered
    journal = project.read_tab("Журнал рассылки")[1:]
    assert Counter(r[6] for r in journal) == delivered


def test_two_overlapping_runs_on_a_spreadsheet_send_each_email_once_and_journal_it_once(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    log = google.root / "sends.log"

    two_runs(settings, "google", log)

    sent = sends(log)
    assert len(sent) == 4 and set(sent.values()) == {1}
    journal = google.emulator.values(key, "Журнал рассылки")[1:]
    assert Counter(r[6] for r in journal) == sent
