"""The local state: claims no two runs share, its own file only its owner reads, a clear error when
another process holds it, its older version migrated, kept under the workbook's identity."""

from __future__ import annotations

import json
import sqlite3
import stat
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.mail.render import Email
from sheets_sync.state import FILE, LocalState
from sheets_sync.state_db import StateLocked
from sheets_sync.workbook.xlsx import XlsxWorkbook
from tests.sample_workbook import make

NOW = datetime(2020, 9, 8, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
KEY_A = "school:01|1|2020-03-01|school:01|overdue"
KEY_B = "school:01|2|2020-09-10|school:01|before-7"


def email(message_id: str, *keys: str) -> Email:
    return Email("school:01", "Школа № 1", ("s1@example.org",), "Тема", "", "", message_id, keys)


def test_two_runs_never_both_claim_an_email_or_one_of_its_reminders(tmp_path):
    with LocalState(tmp_path, "book") as one, LocalState(tmp_path, "book") as other:
        assert one.claim(email("<a@x>", KEY_A, KEY_B), b"raw", NOW)

        assert not other.claim(email("<a@x>", KEY_A, KEY_B), b"raw", NOW)  # the same email
        assert not other.claim(email("<b@x>", KEY_B), b"raw", NOW)  # a reminder of it
        assert other.in_flight() == []  # in flight, but its run is alive

        one.record_result("<a@x>", "failed", NOW, "421")
        assert other.claim(email("<b@x>", KEY_B), b"raw", NOW)  # a failure gives it up


def test_a_dead_runs_email_in_flight_is_taken_over_once(tmp_path):
    dead = LocalState(tmp_path, "book")
    assert dead.claim(email("<a@x>", KEY_A), b"raw", NOW)
    dead.db.close()
    dead.lease.release()  # type: ignore[union-attr]  # the process is gone: its lock with it

    with LocalState(tmp_path, "book") as one, LocalState(tmp_path, "book") as other:
        (stored,) = one.in_flight()
        assert stored.message_id == "<a@x>" and stored.raw == b"raw"
        assert one.take_over(stored)
        assert not other.take_over(stored)
        assert other.in_flight() == []


def test_a_state_locked_by_another_process_says_so_instead_of_a_traceback(tmp_path):
    LocalState(tmp_path, "book").close()
    holder = sqlite3.connect(tmp_path / FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with (
            LocalState(tmp_path, "book", busy_timeout=0) as state,
            pytest.raises(
                StateLocked,
                match=r"is locked by another process \(a program other than sheets_sync",
            ),
        ):
            state.claim(email("<a@x>", KEY_A), b"raw", NOW)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_state_locked_by_another_run_names_its_process(tmp_path):
    import os

    with (
        LocalState(tmp_path, "book") as other,
        LocalState(tmp_path, "book", busy_timeout=0) as me,
        other.transaction(),
        pytest.raises(StateLocked, match=rf"sheets_sync, process {os.getpid()}"),
    ):
        me.claim(email("<a@x>", KEY_A), b"raw", NOW)


def test_the_state_and_the_outbox_are_readable_by_their_owner_only(project):
    make(project)
    project.run(date(2020, 9, 8))

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    state = project.root / "state"
    assert mode(state) == 0o700
    with LocalState(state, "book") as local:  # open, with its write-ahead log
        local.claim(email("<a@x>", KEY_A), b"raw", NOW)
        files = {p.name: mode(p) for p in state.glob("sheets_sync.sqlite3*")}
    names = ("sheets_sync.sqlite3", "sheets_sync.sqlite3-wal", "sheets_sync.sqlite3-shm")
    assert files == {name: 0o600 for name in names}
    outbox = project.root / "outbox"
    assert mode(outbox) == 0o700
    assert {mode(p) for p in outbox.glob("*.eml")} == {0o600}


def test_a_state_of_the_first_version_is_migrated_and_nothing_is_sent_again(project):
    make(project)
    first = project.run(date(2020, 9, 8))
    settings = project.settings()
    label = str(project.workbook_path)
    # Rebuild the state as version 1 kept it: only `emails`, keyed by the workbook's path.
    rows = LocalState(settings.state_dir).query(
        "SELECT message_id, workbook, recipient, to_name, addresses, subject, stages, summary, "
        "keys, raw, status, error, attempts, created_at, updated_at, journaled FROM emails"
    )
    for path in settings.state_dir.glob("sheets_sync.sqlite3*"):
        path.unlink()
    old = sqlite3.connect(settings.state_dir / FILE)
    old.executescript(
        "CREATE TABLE emails (message_id TEXT NOT NULL, workbook TEXT NOT NULL, recipient TEXT "
        "NOT NULL, to_name TEXT NOT NULL, addresses TEXT NOT NULL, subject TEXT NOT NULL, "
        "stages TEXT NOT NULL, summary TEXT NOT NULL, keys TEXT NOT NULL, raw BLOB NOT NULL, "
        "status TEXT NOT NULL, error TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL "
        "DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, journaled INTEGER NOT "
        "NULL DEFAULT 0, PRIMARY KEY (workbook, message_id));"
    )
    as_v1 = [(r[0], label, *r[2:]) for r in rows]  # version 1 knew no identity: the path
    old.executemany(f"INSERT INTO emails VALUES ({','.join('?' * 16)})", as_v1)
    old.commit()
    old.close()
    # and the journal tab lost, so only the migrated state knows what was sent
    book = __import__("openpyxl").load_workbook(project.workbook_path)
    del book["Журнал рассылки"]
    book.save(project.workbook_path)

    with LocalState(settings.state_dir, label) as state:
        assert state.sent_keys() == {k for e in first.sent for k in e.keys}
    again = project.run(date(2020, 9, 8))
    assert again.sent == []


class Identified(XlsxWorkbook):
    """The real backend, reading the file as carrying the id `identity` ("": none, as files
    written before ids were)."""

    identity = "book-0001"

    def read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return replace(super().read(*args, **kwargs), identity=self.identity)


class Unidentified(Identified):
    identity = ""


def run_identified(project, path: Path, day: date, backend: type[Identified] = Identified):
    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import OutboxDelivery

    settings = project.settings({"workbook": {"path": str(path)}})
    return run_cycle(
        settings,
        backend(path, settings.tabs),
        OutboxDelivery(settings.mail.outbox),
        today=day,
        now=NOW,
    )


def test_a_workbook_moved_to_another_folder_keeps_its_state(project):
    make(project)
    # keyed by the path, as before ids
    first = run_identified(project, project.workbook_path, date(2020, 9, 8), Unidentified)
    moved = project.root / "moved" / "workbook.xlsx"
    moved.parent.mkdir()
    identified = run_identified(project, project.workbook_path, date(2020, 9, 8))
    assert identified.sent == []  # the path's rows now live under the id
    project.workbook_path.rename(moved)
    # The journal tab lost too: only the state can tell what was sent.
    book = __import__("openpyxl").load_workbook(moved)
    del book["Журнал рассылки"]
    book.save(moved)

    again = run_identified(project, moved, date(2020, 9, 8))

    assert first.sent and again.sent == []
    with LocalState(project.settings().state_dir) as state:
        assert {w for (w,) in state.query("SELECT DISTINCT workbook FROM emails")} == {"book-0001"}
        assert json.loads(state.query("SELECT keys FROM emails LIMIT 1")[0][0])


def test_check_warns_when_a_secret_file_is_readable_by_every_user(google, capsys, caplog):
    from sheets_sync.cli import main
    from tests.sample_workbook import staff

    key = google.spreadsheet(staff())
    settings = google.settings(key)
    keyfile = google.root / "service-account.json"
    keyfile.chmod(0o644)

    assert main(["check", "--config", str(settings.source), "--today", "2020-09-08"]) == 0
    out = capsys.readouterr().out
    assert f"warning: {keyfile} holds a secret and any user of this machine can read it" in out
    assert f"run `chmod 600 {keyfile}`" in out
    assert "holds a secret" in caplog.text  # logged too, for runs nobody watches

    keyfile.chmod(0o600)
    assert main(["check", "--config", str(settings.source), "--today", "2020-09-08"]) == 0
    assert "warning:" not in capsys.readouterr().out
