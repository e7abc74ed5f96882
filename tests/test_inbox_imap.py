"""The reply mailbox for real: imap-tools against the loopback pymap server (STARTTLS, TLS,
plain), real messages delivered with IMAP APPEND, the local state in a real SQLite file.

A "cycle" here is what the service will do: flag what was written before, receive, write
the unwritten records (the workbook write is the lead's; here it is a list), mark them
written, flag them on the server. Crashes are simulated by stopping after any step and
starting over with a fresh client and the same database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sheets_sync.inbox import (
    InboxClient,
    InboxRecord,
    InboxSettings,
    InboxStore,
    InboxUnavailable,
    check_inbox,
    flag_written,
    receive,
)
from tests import inbox_messages as m

if TYPE_CHECKING:
    from tests.imap_server import LoopbackImap

# The loopback IMAP server's fixtures: imap_server, imaps_server, start_imap.
pytest_plugins = ["tests.imap_server"]

NOW = datetime(2020, 3, 2, 10, 0, tzinfo=UTC)
DONE = "$SheetsSyncDone"
PDF = b"%PDF-1.4\n% a school's report\n"


@pytest.fixture
def state(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """The local state database, opened the way sheets_sync/state.py opens it."""
    db = sqlite3.connect(tmp_path / "sheets_sync.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    yield db
    db.close()


def reopen(db: sqlite3.Connection, tmp_path: Path) -> sqlite3.Connection:
    """Close the database and open it again, as a new process after a crash would."""
    db.close()
    return sqlite3.connect(tmp_path / "sheets_sync.sqlite3", isolation_level=None)


def settings_for(server: LoopbackImap, tmp_path: Path, **changes: object) -> InboxSettings:
    return server.settings(**{"attachments_dir": tmp_path / "inbox", **changes})


def receive_once(settings: InboxSettings, db: sqlite3.Connection) -> list[InboxRecord]:
    store = InboxStore(db)
    with InboxClient(settings) as client:
        flag_written(client, store, settings, now=NOW)
        return list(receive(client, store, settings, now=NOW).records)


def write(db: sqlite3.Connection) -> list[InboxRecord]:
    """The cycle's workbook write: take the unwritten records, "write" them, mark them."""
    store = InboxStore(db)
    rows = store.unwritten()
    store.mark_written([(r.mailbox, r.uidvalidity, r.uid) for r in rows], NOW)
    return rows


def flag(settings: InboxSettings, db: sqlite3.Connection) -> int:
    with InboxClient(settings) as client:
        return flag_written(client, InboxStore(db), settings, now=NOW)


def cycle(settings: InboxSettings, db: sqlite3.Connection) -> list[InboxRecord]:
    receive_once(settings, db)
    rows = write(db)
    flag(settings, db)
    return rows


# -- one cycle -----------------------------------------------------------------------------------


def test_a_reply_with_an_attachment_is_recorded_saved_and_flagged_once_written(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.deliver(m.reply(attachments=(("Отчёт VII.8.pdf", "application/pdf", PDF),)))
    settings = settings_for(imap_server, tmp_path)

    received = receive_once(settings, state)

    (record,) = received
    assert record.kind == "reply"
    assert record.in_reply_to == m.DIGEST_ID
    assert record.sender == "s1@example.org" and record.sender_name == "Школа № 1"
    assert record.text == "Добрый день! Отчёт во вложении."  # the quoted digest is cut off
    (attachment,) = record.attachments
    assert attachment.name == "Отчёт VII.8.pdf" and attachment.size == len(PDF)
    assert (tmp_path / "inbox" / attachment.file).read_bytes() == PDF
    # Received, not yet written: the server still shows it unprocessed, and unread.
    assert imap_server.contents() == {101: ("<reply-1@mail.example.org>", frozenset())}

    assert [r.uid for r in write(state)] == [101]
    assert flag(settings, state) == 1

    assert imap_server.contents() == {101: ("<reply-1@mail.example.org>", frozenset({DONE}))}
    assert InboxStore(state).status((settings.mailbox, record.uidvalidity, 101)) == "flagged"
    assert imap_server.connections and all(imap_server.connections)  # STARTTLS every time


def test_the_next_cycle_reads_only_what_arrived_since(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    settings = settings_for(imap_server, tmp_path)
    imap_server.deliver(m.reply())
    assert [r.uid for r in cycle(settings, state)] == [101]

    assert cycle(settings, state) == []
    imap_server.deliver(m.auto_reply())
    imap_server.deliver(m.postfix_dsn())

    rows = cycle(settings, state)

    assert [(r.uid, r.kind) for r in rows] == [(102, "auto-reply"), (103, "bounce")]
    assert rows[1].bounce is not None and rows[1].bounce.addresses == ("s2@example.org",)
    assert {flags for _, flags in imap_server.contents().values()} == {frozenset({DONE})}


def test_processed_mail_moves_to_a_folder_when_told_and_nothing_is_deleted(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.create_folder("Обработано")
    imap_server.deliver(m.reply())
    imap_server.deliver(m.auto_reply())
    settings = settings_for(imap_server, tmp_path, processed="Обработано")

    assert len(cycle(settings, state)) == 2

    assert imap_server.contents("INBOX") == {}
    moved = imap_server.contents("Обработано")
    assert sorted(mid for mid, _ in moved.values()) == [
        "<auto-1@mail.example.org>",
        "<reply-1@mail.example.org>",
    ]
    assert cycle(settings, state) == []


def test_replies_are_read_from_a_folder_with_a_russian_name(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.create_folder("Ответы школ")
    imap_server.deliver(m.reply(), folder="Ответы школ")
    settings = settings_for(imap_server, tmp_path, folder="Ответы школ")

    (record,) = cycle(settings, state)

    assert record.mailbox == "replies@example.org@127.0.0.1/Ответы школ"
    assert imap_server.contents("Ответы школ")[101][1] == frozenset({DONE})


def test_it_reads_over_implicit_tls_and_over_plain_imap(
    imaps_server: LoopbackImap,
    start_imap: Callable[..., LoopbackImap],
    state: sqlite3.Connection,
    tmp_path: Path,
):
    imaps_server.deliver(m.reply())
    assert len(cycle(settings_for(imaps_server, tmp_path), state)) == 1
    assert all(imaps_server.connections)

    plain = start_imap(security="none")
    plain.deliver(m.reply(message_id="<plain@mail.example.org>"))
    settings = settings_for(plain, tmp_path)
    assert [r.message_id for r in cycle(settings, state)] == ["<plain@mail.example.org>"]
    assert not any(plain.connections)


def test_a_reply_without_a_message_id_is_still_read_once(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    raw = m.reply().replace(b"Message-ID: <reply-1@mail.example.org>\r\n", b"")
    imap_server.deliver(raw)
    settings = settings_for(imap_server, tmp_path)

    (record,) = cycle(settings, state)

    assert record.message_id == "" and record.key.startswith("sha256:")
    assert cycle(settings, state) == []


def test_only_messages_since_a_day_are_read_when_asked(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.deliver(m.reply())  # its internal date is 02.03.2020
    settings = settings_for(imap_server, tmp_path)
    with InboxClient(settings) as client:
        received = receive(client, InboxStore(state), settings, now=NOW, since=date(2020, 3, 3))
    assert received.records == ()
    with InboxClient(settings) as client:
        received = receive(client, InboxStore(state), settings, now=NOW, since=date(2020, 3, 2))
    assert len(received.records) == 1


def test_a_cycle_reads_at_most_its_limit_and_says_more_are_waiting(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    for n in range(3):
        imap_server.deliver(m.reply(message_id=f"<r{n}@mail.example.org>"))
    settings = settings_for(imap_server, tmp_path)
    store = InboxStore(state)
    with InboxClient(settings) as client:
        first = receive(client, store, settings, now=NOW, limit=2)
        second = receive(client, store, settings, now=NOW, limit=2)
    assert [r.uid for r in first.records] == [101, 102] and first.more
    assert [r.uid for r in second.records] == [103] and not second.more


# -- crashes -------------------------------------------------------------------------------------


def test_a_crash_between_reading_and_writing_loses_nothing_and_repeats_nothing(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.deliver(m.reply(attachments=(("report.pdf", "application/pdf", PDF),)))
    imap_server.deliver(m.postfix_dsn())
    settings = settings_for(imap_server, tmp_path)
    assert len(receive_once(settings, state)) == 2
    # ... the process dies before the workbook write.

    state = reopen(state, tmp_path)
    imap_server.deliver(m.auto_reply())
    again = receive_once(settings, state)

    assert [r.uid for r in again] == [103]  # only the new one is read
    assert [r.uid for r in write(state)] == [101, 102, 103]  # the earlier two are not lost
    assert flag(settings, state) == 3
    saved = sorted(p.name for p in (tmp_path / "inbox").rglob("*") if p.is_file())
    assert saved == ["report.pdf"]  # saved once


def test_a_crash_while_receiving_keeps_what_was_recorded_and_reads_the_rest_next_time(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.deliver(m.reply(message_id="<first@mail.example.org>"))
    imap_server.deliver(
        m.reply(
            message_id="<second@mail.example.org>",
            attachments=(("report.pdf", "application/pdf", PDF),),
        )
    )
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the attachments folder should be")
    broken = settings_for(imap_server, tmp_path, attachments_dir=blocked)

    with pytest.raises(Exception, match="cannot save the attachments"):
        receive_once(broken, state)
    assert [r.message_id for r in InboxStore(state).unwritten()] == ["<first@mail.example.org>"]

    state = reopen(state, tmp_path)
    rows = cycle(settings_for(imap_server, tmp_path), state)

    assert [r.message_id for r in rows] == ["<first@mail.example.org>", "<second@mail.example.org>"]


def test_a_crash_after_writing_but_before_flagging_flags_them_next_cycle(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.deliver(m.reply())
    settings = settings_for(imap_server, tmp_path)
    receive_once(settings, state)
    write(state)
    # ... the process dies before flagging.
    assert imap_server.contents()[101][1] == frozenset()

    state = reopen(state, tmp_path)
    assert cycle(settings, state) == []  # nothing is read or written twice

    assert imap_server.contents()[101][1] == frozenset({DONE})


def test_a_crash_after_moving_but_before_recording_it_moves_nothing_twice(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.create_folder("Обработано")
    imap_server.deliver(m.reply())
    settings = settings_for(imap_server, tmp_path, processed="Обработано")
    receive_once(settings, state)
    (row,) = write(state)
    with InboxClient(settings) as client:
        client.select()
        client.mark_processed([101])  # moved; the process dies before recording it

    state = reopen(state, tmp_path)
    assert cycle(settings, state) == []  # moving UID 101 again is a no-op, not an error

    assert InboxStore(state).status((row.mailbox, row.uidvalidity, 101)) == "flagged"
    assert len(imap_server.contents("Обработано")) == 1


def test_a_new_uidvalidity_reads_everything_again_but_knows_the_processed_ones(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.create_folder("Ответы")
    settings = settings_for(imap_server, tmp_path, folder="Ответы")
    imap_server.deliver(m.reply(), folder="Ответы")
    imap_server.deliver(m.auto_reply(), folder="Ответы")
    first = cycle(settings, state)
    old = first[0].uidvalidity

    new = imap_server.rebuild("Ответы")  # restored from a backup: new UIDs, flags gone
    imap_server.deliver(m.reply(message_id="<late@mail.example.org>"), folder="Ответы")
    store = InboxStore(state)
    with InboxClient(settings) as client:
        received = receive(client, store, settings, now=NOW)

    assert new != old and received.uidvalidity == new
    assert received.copies == 2
    assert [r.message_id for r in received.records] == ["<late@mail.example.org>"]
    assert [r.message_id for r in write(state)] == ["<late@mail.example.org>"]
    assert flag(settings, state) == 3  # the two copies are flagged too
    assert {f for _, f in imap_server.contents("Ответы").values()} == {frozenset({DONE})}
    assert len(store.records()) == 3  # one record per message, copies aside


def test_a_lost_state_skips_messages_the_server_shows_as_processed(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.deliver(m.reply())
    settings = settings_for(imap_server, tmp_path)
    cycle(settings, state)
    imap_server.deliver(m.auto_reply())

    fresh = sqlite3.connect(tmp_path / "new-state.sqlite3", isolation_level=None)
    rows = cycle(settings, fresh)

    assert [r.message_id for r in rows] == ["<auto-1@mail.example.org>"]


# -- what goes wrong -----------------------------------------------------------------------------


def test_a_wrong_password_is_refused_with_the_fix(imap_server: LoopbackImap, tmp_path: Path):
    settings = settings_for(imap_server, tmp_path, password="not-the-password")
    with pytest.raises(InboxUnavailable) as caught:
        InboxClient(settings).connect()
    message = str(caught.value)
    assert "refused the login of replies@example.org" in message
    assert "SHEETS_SYNC_INBOX_PASSWORD" in message and "app password" in message
    assert "not-the-password" not in message


def test_a_folder_that_does_not_exist_is_named_with_the_folders_there(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.create_folder("Ответы школ")
    settings = settings_for(imap_server, tmp_path, folder="Ответы")
    with pytest.raises(InboxUnavailable) as caught:
        receive_once(settings, state)
    message = str(caught.value)
    assert 'the folder "Ответы" does not exist in the mailbox replies@example.org' in message
    assert 'set `inbox.folder` to one of "INBOX", "Ответы школ"' in message
    with pytest.raises(InboxUnavailable, match='the folder "Ответы" does not exist'):
        check_inbox(settings)


def test_a_missing_folder_for_processed_mail_is_said_and_nothing_moves(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.deliver(m.reply())
    settings = settings_for(imap_server, tmp_path, processed="Обработано")
    receive_once(settings, state)
    write(state)

    with pytest.raises(InboxUnavailable, match='folder "Обработано" for processed mail'):
        flag(settings, state)
    (problem,) = check_inbox(settings, InboxStore(state)).problems
    assert problem == (
        'the folder "Обработано" for processed mail does not exist in the mailbox '
        "replies@example.org: create it, or set `inbox.processed` to a flag like "
        '"$SheetsSyncDone"'
    )
    assert list(imap_server.contents()) == [101]


def test_a_server_closed_port_is_said_with_the_keys_to_check(
    imap_server: LoopbackImap, tmp_path: Path
):
    settings = settings_for(imap_server, tmp_path)
    imap_server.stop()
    with pytest.raises(InboxUnavailable, match="cannot connect to the IMAP server 127.0.0.1"):
        InboxClient(settings).connect()


def test_a_connection_that_breaks_while_fetching_is_said_and_nothing_is_recorded(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    imap_server.deliver(m.reply())
    settings = settings_for(imap_server, tmp_path)
    client = InboxClient(settings)
    client.connect()
    client.select()
    uids = client.new_uids(0)
    imap_server.stop()
    with pytest.raises(InboxUnavailable, match="the connection to the IMAP server .* broke"):
        list(client.fetch(uids))
    client.close()  # closing a dead connection raises nothing
    assert InboxStore(state).unwritten() == []


def test_starttls_against_a_server_without_it_is_said_with_the_setting_to_change(
    start_imap: Callable[..., LoopbackImap], tmp_path: Path
):
    settings = settings_for(start_imap(security="none"), tmp_path, security="starttls")
    with pytest.raises(InboxUnavailable, match="refused to log in this way .*`inbox.security`"):
        InboxClient(settings).connect()


def test_a_missing_certificate_authority_file_is_named(imap_server: LoopbackImap, tmp_path: Path):
    settings = settings_for(imap_server, tmp_path, ca_file=tmp_path / "no-such-ca.pem")
    with pytest.raises(InboxUnavailable, match="`inbox.ca_file` names .*no-such-ca.pem"):
        InboxClient(settings).connect()


def test_a_server_whose_certificate_is_not_trusted_is_said_with_the_fix(
    imap_server: LoopbackImap, tmp_path: Path
):
    settings = settings_for(imap_server, tmp_path, ca_file=None)
    with pytest.raises(InboxUnavailable, match="cannot make a secure connection .*`inbox.ca_file`"):
        InboxClient(settings).connect()


def test_tls_against_a_plain_server_is_said_with_the_ports(
    start_imap: Callable[..., LoopbackImap], tmp_path: Path
):
    settings = settings_for(start_imap(security="none"), tmp_path, security="ssl")
    with pytest.raises(InboxUnavailable, match="cannot make a secure connection"):
        InboxClient(settings).connect()


def test_a_server_that_keeps_no_custom_flags_is_named_by_check(
    start_imap: Callable[..., LoopbackImap], state: sqlite3.Connection, tmp_path: Path
):
    server = start_imap(keywords=False)
    server.deliver(m.reply())
    settings = settings_for(server, tmp_path)
    (problem,) = check_inbox(settings).problems
    assert 'does not keep flags like "$SheetsSyncDone"' in problem
    receive_once(settings, state)
    write(state)
    with pytest.raises(InboxUnavailable, match="does not keep flags"):
        flag(settings, state)
    # Moving works there: what the problem suggests.
    server.create_folder("Обработано")
    moved = replace(settings, processed="Обработано")
    assert check_inbox(moved).problems == ()
    assert flag(moved, state) == 1
    assert list(server.contents("Обработано")) == [101]


# -- check and preview ---------------------------------------------------------------------------


def test_check_counts_the_new_messages_and_changes_nothing(
    imap_server: LoopbackImap, state: sqlite3.Connection, tmp_path: Path
):
    settings = settings_for(imap_server, tmp_path)
    imap_server.deliver(m.reply())
    cycle(settings, state)
    imap_server.deliver(m.auto_reply())
    imap_server.deliver(m.postfix_dsn())
    before = imap_server.contents()

    result = check_inbox(settings, InboxStore(state))

    assert result.problems == ()
    assert (result.messages, result.new) == (3, 2)
    assert result.summary == 'folder "INBOX": 3 message(s), 2 new'
    assert imap_server.contents() == before
    assert len(InboxStore(state).records()) == 1
