"""A run killed between any two steps loses no reminder and sends no stage twice.

The kill is staged at the seams of the interfaces: a wrapper around the real `SmtpDelivery`
(the loopback server behind it) and subclasses of the real `XlsxWorkbook`, raising an exception
that nothing in sheets_sync catches, as Ctrl-C or a dying process would. After each kill the
local state and «Журнал рассылки» are checked, then the next run must finish the job: resend
only the email that was in flight (same bytes, same Message-ID), journal every email once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from sheets_sync.cycle import RunResult, run_cycle
from sheets_sync.mail.delivery import Delivery, Sender
from sheets_sync.mail.render import Email
from sheets_sync.mail.smtp import SmtpDelivery
from sheets_sync.report.tabs import Row, Tab
from sheets_sync.settings.types import Settings
from sheets_sync.state import LocalState
from sheets_sync.workbook import Snapshot
from sheets_sync.workbook.xlsx import XlsxWorkbook
from tests.service_data import EXECUTORS, ROADMAP, SCHOOLS, SUBMISSIONS
from tests.smtp_server import LoopbackSmtp, logged_in

TODAY = date(2020, 9, 8)
NOW = datetime(2020, 9, 8, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
LATER = datetime(2020, 9, 8, 9, 30, tzinfo=ZoneInfo("Europe/Moscow"))

JOURNAL = "Журнал рассылки"


class Killed(BaseException):
    """The process dies here: like KeyboardInterrupt, nothing in sheets_sync catches it."""


class KilledAroundSend:
    """The real delivery, with the process killed just before or just after its n-th send."""

    def __init__(self, real: Delivery, nth: int, when: str) -> None:
        self.real, self.nth, self.when = real, nth, when
        self.name = real.name
        self.sends = 0
        self.in_flight: Email | None = None

    @contextmanager
    def session(self) -> Iterator[Sender]:
        with self.real.session() as send:

            def send_or_die(email: Email, raw: bytes) -> None:
                self.sends += 1
                if self.sends == self.nth:
                    self.in_flight = email
                    if self.when == "before":
                        raise Killed
                send(email, raw)
                if self.sends == self.nth:
                    raise Killed

            yield send_or_die


class KilledBeforeWrite(XlsxWorkbook):
    def write(
        self, snapshot: Snapshot, tabs: Sequence[Tab], journal: Sequence[Row], **kw: int
    ) -> None:
        raise Killed


class KilledAfterWrite(XlsxWorkbook):
    def write(
        self, snapshot: Snapshot, tabs: Sequence[Tab], journal: Sequence[Row], **kw: int
    ) -> None:
        super().write(snapshot, tabs, journal, **kw)
        raise Killed


def make(project) -> None:
    project.workbook(
        {
            "Дорожная карта": ROADMAP,
            "Школы": SCHOOLS,
            "Ответственные": EXECUTORS,
            "Сдача отчётов": SUBMISSIONS,
        },
        header_rows={"Дорожная карта": 3},
    )


def smtp_settings(project, server: LoopbackSmtp) -> Settings:
    return logged_in(project.settings({"mail": {"delivery": "smtp", "smtp": server.config()}}))


def smtp(settings: Settings) -> SmtpDelivery:
    return SmtpDelivery(settings.mail.smtp, settings.mail.sender, sleep=lambda s: None)


def cycle(
    project,
    settings: Settings,
    delivery: Delivery,
    workbook: type[XlsxWorkbook] = XlsxWorkbook,
    today: date = TODAY,
    now: datetime = NOW,
) -> RunResult:
    return run_cycle(
        settings,
        workbook(project.workbook_path, settings.tabs),
        delivery,
        today=today,
        now=now,
    )


def planned(project, settings: Settings) -> list[Email]:
    """Return the emails a run would send today (a dry run: nothing sent or written)."""
    result = run_cycle(
        settings,
        XlsxWorkbook(project.workbook_path, settings.tabs),
        smtp(settings),
        today=TODAY,
        now=NOW,
        dry_run=True,
    )
    assert len(result.emails) == 4
    return result.emails


def state(project, settings: Settings) -> LocalState:
    return LocalState(settings.state_dir, str(project.workbook_path))


def journal_rows(project) -> list[list[str]]:
    """Return the rows of «Журнал рассылки» below its header; none if it is not written yet."""
    if JOURNAL not in openpyxl.load_workbook(project.workbook_path, read_only=True).sheetnames:
        return []
    return project.read_tab(JOURNAL)[1:]


def assert_finished(project, settings: Settings, server: LoopbackSmtp, emails: list[Email]):
    """Every planned reminder is journaled once as sent, and nothing is left to do."""
    rows = journal_rows(project)
    assert [row[5] for row in rows] == ["отправлено"] * len(emails)
    assert sorted(row[6] for row in rows) == sorted(e.message_id for e in emails)
    journaled_keys = Counter(k for row in rows for k in row[7].split("; "))
    assert journaled_keys == Counter(k for e in emails for k in e.keys)
    ids = {m.message["Message-ID"] for m in server.messages}
    assert ids == {e.message_id for e in emails}
    with state(project, settings) as local:
        assert local.in_flight() == [] and local.unjournaled() == []
        assert local.sent_keys() == {k for e in emails for k in e.keys}
    again = cycle(project, settings, smtp(settings), now=LATER)  # and a rerun is quiet
    assert again.sent == [] and again.resent == 0
    assert journal_rows(project) == rows


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_run_killed_while_sending_resends_only_the_email_in_flight(project, smtp_server, when):
    # (a) "before": recorded as pending, the server never got it.
    # (b) "after": the server accepted it, it was not yet recorded as sent.
    make(project)
    settings = smtp_settings(project, smtp_server)
    emails = planned(project, settings)
    killer = KilledAroundSend(smtp(settings), nth=2, when=when)

    with pytest.raises(Killed):
        cycle(project, settings, killer)

    first, in_flight = emails[0], killer.in_flight
    assert in_flight == emails[1]
    with state(project, settings) as local:
        assert [e.message_id for e in local.in_flight()] == [in_flight.message_id]
        assert [e.message_id for e in local.unjournaled()] == [first.message_id]
        raw = local.in_flight()[0].raw
    assert journal_rows(project) == []  # the workbook was never written
    delivered = [first] if when == "before" else [first, in_flight]
    assert [m.message["Message-ID"] for m in smtp_server.messages] == [
        e.message_id for e in delivered
    ]

    result = cycle(project, settings, smtp(settings), now=LATER)

    assert result.resent == 1
    assert sorted(e.message_id for e in result.sent) == sorted(e.message_id for e in emails[2:])
    copies = Counter(m.message["Message-ID"] for m in smtp_server.messages)
    assert copies == {e.message_id: 1 for e in emails} | (
        {in_flight.message_id: 2} if when == "after" else {}
    )
    same = [m for m in smtp_server.messages if m.message["Message-ID"] == in_flight.message_id]
    assert all(m.data.rstrip(b"\r\n") == raw.rstrip(b"\r\n") for m in same)  # same bytes
    assert smtp_server.messages[len(delivered)] is same[-1]  # resent first, then the rest
    assert_finished(project, settings, smtp_server, emails)


def test_a_run_killed_before_the_workbook_write_journals_everything_next_time_unsent(
    project, smtp_server
):
    # (c) every email recorded as sent, the tabs and the journal not written.
    make(project)
    settings = smtp_settings(project, smtp_server)
    emails = planned(project, settings)

    with pytest.raises(Killed):
        cycle(project, settings, smtp(settings), KilledBeforeWrite)

    with state(project, settings) as local:
        assert local.in_flight() == []
        assert sorted(e.message_id for e in local.unjournaled()) == sorted(
            e.message_id for e in emails
        )
        assert {e.result for e in local.unjournaled()} == {"sent"}
    assert journal_rows(project) == []
    assert len(smtp_server.messages) == 4

    result = cycle(project, settings, smtp(settings), now=LATER)

    assert result.sent == [] and result.resent == 0 and result.written
    assert len(smtp_server.messages) == 4
    assert [row[0] for row in journal_rows(project)] == ["08.09.2020 09:00"] * 4  # when sent
    assert_finished(project, settings, smtp_server, emails)


def test_a_run_killed_after_the_workbook_write_does_not_journal_twice(project, smtp_server):
    # (d) the journal rows are in the workbook, the state does not know it yet.
    make(project)
    settings = smtp_settings(project, smtp_server)
    emails = planned(project, settings)

    with pytest.raises(Killed):
        cycle(project, settings, smtp(settings), KilledAfterWrite)

    with state(project, settings) as local:
        assert local.in_flight() == [] and len(local.unjournaled()) == 4
    assert [row[5] for row in journal_rows(project)] == ["отправлено"] * 4

    result = cycle(project, settings, smtp(settings), now=LATER)

    assert result.sent == [] and result.written
    assert len(smtp_server.messages) == 4
    assert_finished(project, settings, smtp_server, emails)


def test_a_run_killed_after_the_workbook_write_does_not_journal_a_refusal_twice(
    project, smtp_server
):
    make(project)
    settings = smtp_settings(project, smtp_server)
    smtp_server.refuse("s2@example.org")

    with pytest.raises(Killed):
        cycle(project, settings, smtp(settings), KilledAfterWrite)
    before = journal_rows(project)
    assert [row[2] for row in before].count("s2@example.org") == 1

    # The next run falls on a Saturday: nothing is planned or sent, the tabs are written.
    saturday = cycle(project, settings, smtp(settings), today=date(2020, 9, 12), now=LATER)

    assert saturday.hold_reason and saturday.written
    assert journal_rows(project) == before
