"""Replies close the loop, for real: a cycle reads the loopback IMAP server (pymap), writes
«Входящие», the dates reports arrived into «Сдача отчётов», and the bounces into «Проблемы»,
in its one write to a real .xlsx (and through the Sheets API emulator)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.cycle import RunResult, run_cycle
from sheets_sync.mail.delivery import OutboxDelivery
from sheets_sync.obligations import State
from sheets_sync.report.tabs import Row, Tab
from sheets_sync.settings.types import Settings
from sheets_sync.workbook import Snapshot
from sheets_sync.workbook.xlsx import XlsxWorkbook
from tests import inbox_messages as m
from tests.sample_workbook import make, staff

if TYPE_CHECKING:
    from tests.imap_server import LoopbackImap

pytest_plugins = ["tests.imap_server"]

ZONE = ZoneInfo("Europe/Moscow")
MONDAY, TUESDAY = date(2020, 9, 7), date(2020, 9, 8)
PDF = ("отчёт.pdf", "application/pdf", b"%PDF-1.4\n% the report\n")
DONE_FLAG = "$SheetsSyncDone"


def with_inbox(settings: Settings, server: LoopbackImap, **changes: Any) -> Settings:
    inbox = server.settings(attachments_dir=settings.state_dir.parent / "inbox", **changes)
    return replace(settings, inbox=inbox, tabs=replace(settings.tabs, inbox="Входящие"))


def cycle(settings: Settings, day: date, book: type[XlsxWorkbook] = XlsxWorkbook) -> RunResult:
    assert settings.workbook.path is not None
    return run_cycle(
        settings,
        book(settings.workbook.path, settings.tabs),
        OutboxDelivery(settings.mail.outbox),
        today=day,
        now=datetime(day.year, day.month, day.day, 9, tzinfo=ZONE),
    )


def digest_to(result: RunResult, recipient: str) -> str:
    return next(e.message_id for e in result.sent if e.recipient == recipient)


def answered(digest: str, **kw: Any) -> bytes:
    when = datetime(2020, 9, 7, 15, 30, tzinfo=ZONE)
    return m.reply(in_reply_to=digest, when=when, **kw)


def state_of(result: RunResult, party: str, item: str) -> State:
    return next(
        o.state for o in result.obligations if o.party.recipient == party and o.item.key == item
    )


def test_a_reply_with_a_report_marks_the_empty_cell_and_stops_its_reminders(project, imap_server):
    make(project)
    settings = with_inbox(project.settings(), imap_server, mark_submissions=True)
    first = cycle(settings, MONDAY)
    imap_server.deliver(answered(digest_to(first, "school:01"), attachments=(PDF,)))

    second = cycle(settings, TUESDAY)

    submissions = project.read_tab("Сдача отчётов")
    assert submissions[1][4] == "07.09.2020"  # «2 до 10.09.2020» of school 01: the day it came
    assert state_of(second, "school:01", "2") == State.DONE
    assert "school:01" not in {e.recipient for e in second.sent}
    inbox = project.read_tab("Входящие")
    assert inbox[1][1:3] == ["Школа № 1", "s1@example.org"]
    assert inbox[1][4] == "2 до 10.09.2020"
    assert inbox[1][5].startswith("inbox/") and inbox[1][5].endswith("/отчёт.pdf")
    assert inbox[1][6] == "отмечено"
    assert inbox[1][7] == "п. 2: отмечено 07.09.2020 в «Сдача отчётов», E2"
    saved = settings.inbox.attachments_dir / inbox[1][5].removeprefix("inbox/")  # type: ignore[union-attr]
    assert saved.read_bytes() == PDF[2]
    assert [flags for _, flags in imap_server.contents().values()] == [frozenset({DONE_FLAG})]


def test_without_mark_submissions_the_tab_suggests_the_mark_and_the_cell_stays_empty(
    project, imap_server
):
    make(project)
    settings = with_inbox(project.settings(), imap_server)
    first = cycle(settings, MONDAY)
    imap_server.deliver(answered(digest_to(first, "school:01"), attachments=(PDF,)))

    second = cycle(settings, TUESDAY)

    assert project.read_tab("Сдача отчётов")[1][4:] == []
    assert state_of(second, "school:01", "2") != State.DONE
    row = project.read_tab("Входящие")[1]
    assert row[6:] == ["отметьте", "п. 2: впишите 07.09.2020 в «Сдача отчётов», E2"]


def test_auto_replies_strangers_and_bounces_are_recorded_and_a_bounce_stops_mail_to_it(
    project, imap_server
):
    make(project)
    settings = with_inbox(project.settings(), imap_server, mark_submissions=True)
    first = cycle(settings, MONDAY)
    to_02 = digest_to(first, "school:02")
    imap_server.deliver(m.auto_reply())
    imap_server.deliver(m.reply(sender="Кто-то <stranger@example.net>", in_reply_to=None))
    bounce = m.postfix_dsn("s2@example.org", to_02)
    imap_server.deliver(bounce.replace(b"Mon,  2 Mar 2020", b"Mon,  7 Sep 2020"))  # today's

    second = cycle(settings, TUESDAY)

    inbox = {r[2]: r[6:] for r in project.read_tab("Входящие")[1:]}
    assert inbox["s2@example.org"][0] == "автоответ"
    assert inbox["stranger@example.net"][0] == "не распознано"
    bounce = next(v for k, v in inbox.items() if "daemon" in k.lower())
    assert bounce[0] == "не доставлено" and "s2@example.org" in bounce[1]
    problems = [r for r in project.read_tab("Проблемы")[1:] if r[0] == "Школы"]
    assert any(r[1] == "C3" and "s2@example.org" in r[2] and "вернулось" in r[2] for r in problems)
    # The bounced digest does not count: school 02 cannot be reached, so its overdue report
    # goes to the coordinators without waiting for another reminder.
    assert [p.recipient for p, _ in second.mailing.unreachable] == ["school:02"]
    coordinator = next(d for d in second.mailing.digests if d.recipient == "coordinator")
    assert {r.obligation.party.recipient for r in coordinator.reminders} >= {"school:02"}
    assert "school:02" not in {e.recipient for e in second.sent}

    again = cycle(settings, TUESDAY)

    assert again.sent == []
    assert len(project.read_tab("Входящие")) == 1 + 3  # nothing recorded twice


class KilledBeforeWrite(XlsxWorkbook):
    def write(
        self, snapshot: Snapshot, tabs: Sequence[Tab], journal: Sequence[Row], **kw: Any
    ) -> None:
        raise KeyboardInterrupt  # the process dies between reading the mailbox and writing


def test_a_run_killed_between_reading_and_writing_loses_no_reply_and_repeats_none(
    project, imap_server
):
    make(project)
    settings = with_inbox(project.settings(), imap_server, mark_submissions=True)
    first = cycle(settings, MONDAY)
    imap_server.deliver(answered(digest_to(first, "school:01"), attachments=(PDF,)))

    with pytest.raises(KeyboardInterrupt):
        cycle(settings, TUESDAY, KilledBeforeWrite)
    assert [flags for _, flags in imap_server.contents().values()] == [frozenset()]

    cycle(settings, TUESDAY)
    cycle(settings, TUESDAY)

    assert len(project.read_tab("Входящие")) == 2  # the header and the one reply
    assert project.read_tab("Сдача отчётов")[1][4] == "07.09.2020"
    assert [flags for _, flags in imap_server.contents().values()] == [frozenset({DONE_FLAG})]


def test_a_hostile_attachment_name_is_saved_inside_the_attachments_folder(project, imap_server):
    make(project)
    settings = with_inbox(project.settings(), imap_server)
    cycle(settings, MONDAY)
    imap_server.deliver(
        m.raw_reply_with_filename('filename="../../../etc/cron.d/evil.pdf"', b"%PDF-1.4")
    )

    cycle(settings, TUESDAY)

    folder = settings.inbox.attachments_dir  # type: ignore[union-attr]
    saved = [p for p in folder.rglob("*") if p.is_file()]
    assert len(saved) == 1 and saved[0].name == "evil.pdf"
    assert folder.resolve() in saved[0].resolve().parents


def test_a_mailbox_that_cannot_be_read_is_a_problem_row_and_the_cycle_goes_on(project, imap_server):
    make(project)
    settings = with_inbox(project.settings(), imap_server, password="wrong")

    result = cycle(settings, MONDAY)

    assert result.sent and result.written
    assert any("почтовый ящик ответов" in p.what for p in result.problems)


def test_through_google_the_date_lands_in_the_cell_as_a_date(google, imap_server):
    key = google.spreadsheet(staff())
    settings = with_inbox(google.settings(key), imap_server, mark_submissions=True)
    from sheets_sync.workbook.google import GoogleWorkbook
    from tests.sample_workbook import NOW, Sleeps

    def run(day: date) -> RunResult:
        return run_cycle(
            settings,
            GoogleWorkbook(settings, sleep=Sleeps()),
            OutboxDelivery(settings.mail.outbox),
            today=day,
            now=NOW.replace(day=day.day),
        )

    first = run(MONDAY)
    imap_server.deliver(answered(digest_to(first, "school:01"), attachments=(PDF,)))
    second = run(TUESDAY)

    assert state_of(second, "school:01", "2") == State.DONE
    cell = google.emulator.cell(key, "Сдача отчётов", "E2")
    assert cell["formattedValue"] == "07.09.2020"
    assert "numberValue" in cell["effectiveValue"]


def test_through_google_a_value_typed_during_the_cycle_is_not_replaced(google, imap_server):
    key = google.spreadsheet(staff())
    settings = with_inbox(google.settings(key), imap_server, mark_submissions=True)
    from sheets_sync.workbook.google import GoogleWorkbook
    from tests.sample_workbook import NOW, Sleeps

    class TypedMeanwhile(GoogleWorkbook):
        """Staff type into the cell after the cycle read the sheet, before it writes."""

        def write(self, *args: Any, **kwargs: Any) -> None:
            if kwargs.get("marks"):
                google.emulator.edit(key, "Сдача отчётов", [["сдано"]], row=2, column=5)
            super().write(*args, **kwargs)

    def run(day: date, book: type[GoogleWorkbook]) -> RunResult:
        return run_cycle(
            settings,
            book(settings, sleep=Sleeps()),
            OutboxDelivery(settings.mail.outbox),
            today=day,
            now=NOW.replace(day=day.day),
        )

    first = run(MONDAY, GoogleWorkbook)
    imap_server.deliver(answered(digest_to(first, "school:01"), attachments=(PDF,)))
    run(TUESDAY, TypedMeanwhile)

    assert google.emulator.cell(key, "Сдача отчётов", "E2")["formattedValue"] == "сдано"


def test_check_and_preview_log_in_to_the_mailbox_and_say_what_waits(
    project, imap_server, monkeypatch, capsys
):
    from sheets_sync.cli import main
    from sheets_sync.errors import ConfigError

    make(project)
    inbox = imap_server.settings()
    section = {
        "host": "127.0.0.1",
        "port": inbox.port,
        "security": inbox.security,
        "user": inbox.user,
        "ca_file": str(inbox.ca_file),
    }
    with pytest.raises(ConfigError, match="mailbox password is missing"):
        project.settings({"inbox": section})  # writes the file, then misses the password
    monkeypatch.setenv("SHEETS_SYNC_INBOX_PASSWORD", inbox.password)
    imap_server.deliver(m.auto_reply())
    config = str(project.root / "config" / "settings.toml")

    assert main(["check", "--config", config, "--today", "2020-09-08"]) == 0
    out = capsys.readouterr().out
    assert f"inbox: logged in to 127.0.0.1:{inbox.port}" in out
    assert 'folder "INBOX": 1 message(s), 1 new (not yet processed)' in out
    assert main(["preview", "--config", config, "--today", "2020-09-08"]) == 0
    assert 'folder "INBOX": 1 message(s), 1 new' in capsys.readouterr().out
    assert [flags for _, flags in imap_server.contents().values()] == [frozenset()]

    monkeypatch.setenv("SHEETS_SYNC_INBOX_PASSWORD", "wrong")
    assert main(["check", "--config", config, "--today", "2020-09-08"]) == 1
    assert "refused the login" in capsys.readouterr().out
