"""The `[inbox]` settings' checks, the mailbox password from the environment, and the store's
own rules (what a status change may follow, what the schema keeps)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sheets_sync.inbox import (
    INBOX_PASSWORD_ENV,
    InboxSettings,
    InboxStore,
    inbox_password,
    parse_message,
    record_of,
)
from tests import inbox_messages as m

NOW = datetime(2020, 3, 2, 10, 0, tzinfo=UTC)
GOOD = InboxSettings(host="imap.yandex.ru", user="school@yandex.ru")


def test_good_settings_have_no_problems_and_say_how_processed_mail_is_marked():
    assert GOOD.problems() == []
    assert (GOOD.processed_flag, GOOD.processed_folder) == ("$SheetsSyncDone", "")
    moved = InboxSettings(host="imap.mail.ru", user="s@mail.ru", processed="Обработано")
    assert moved.problems() == []
    assert (moved.processed_flag, moved.processed_folder) == ("", "Обработано")
    assert GOOD.mailbox == "school@yandex.ru@imap.yandex.ru/INBOX"


def test_the_password_never_shows_in_the_settings_repr():
    assert "secret" not in repr(InboxSettings(password="secret"))


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"host": ""}, '`inbox.host` is missing: e.g. host = "imap.yandex.ru"'),
        ({"user": ""}, "`inbox.user` is missing"),
        ({"port": 0}, "`inbox.port` = 0 is not a port number (993, 143)"),
        ({"security": "tls"}, '`inbox.security` = "tls": write "ssl" (port 993)'),
        ({"folder": " "}, "`inbox.folder` is empty"),
        ({"processed": "$Done Now"}, '`inbox.processed` = "$Done Now" is not a usable flag'),
        ({"processed": "$(x)"}, "is not a usable flag"),
        ({"processed": ""}, "`inbox.processed` is empty"),
        ({"processed": "INBOX"}, "is the folder replies are read from"),
        ({"max_attachment_bytes": 0}, "`inbox.max_attachment_bytes` must be 1 or more"),
        ({"timeout_seconds": 0}, "`inbox.timeout_seconds` must be above 0"),
    ],
)
def test_each_wrong_setting_is_named_with_the_fix(changes: dict[str, object], problem: str):
    settings = InboxSettings(**{"host": "imap.yandex.ru", "user": "s@yandex.ru", **changes})  # type: ignore[arg-type]
    (found,) = settings.problems()
    assert problem in found


def test_the_password_comes_from_the_environment_or_a_file(tmp_path: Path):
    assert inbox_password({INBOX_PASSWORD_ENV: "app-pass"}) == ("app-pass", "")
    secret = tmp_path / "imap-password"
    secret.write_text("from-a-file\n", encoding="utf-8")
    assert inbox_password({f"{INBOX_PASSWORD_ENV}_FILE": str(secret)}) == ("from-a-file", "")


def test_a_missing_or_unreadable_password_is_said_with_the_fix(tmp_path: Path):
    password, problem = inbox_password({})
    assert password is None
    assert problem.startswith("the mailbox password is missing: set the environment variable")
    assert "SHEETS_SYNC_INBOX_PASSWORD_FILE" in problem and "app password" in problem
    password, problem = inbox_password({f"{INBOX_PASSWORD_ENV}_FILE": str(tmp_path / "none")})
    assert password is None and "cannot be read (No such file or directory)" in problem


# -- the store -----------------------------------------------------------------------------------


def store_in(tmp_path: Path) -> InboxStore:
    return InboxStore(sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None))


def test_the_store_wants_the_autocommit_connection_the_local_state_uses(tmp_path: Path):
    with pytest.raises(ValueError, match="autocommit"):
        InboxStore(sqlite3.connect(tmp_path / "state.sqlite3"))


def test_a_message_moves_received_then_written_then_flagged_and_never_back(tmp_path: Path):
    store = store_in(tmp_path)
    record = record_of(parse_message(101, m.reply()), "box", 7, ())
    where = ("box", 7, 101)
    store.record_received([record], NOW)
    store.record_received([record], NOW)  # twice: kept once
    assert (store.status(where), store.last_uid("box", 7), store.last_uid("box", 8)) == (
        "received",
        101,
        0,
    )
    assert store.seen("box", 7, [100, 101, 102]) == {101}
    assert store.first_of(record.key) == where

    store.mark_flagged("box", 7, [101], NOW)  # not written yet: no effect
    assert store.status(where) == "received"
    store.mark_written([where], NOW)
    assert store.unwritten() == [] and store.unflagged("box", 7) == [101]
    store.mark_written([where], NOW)
    store.mark_flagged("box", 7, [101], NOW)
    store.mark_written([where], NOW)  # never back to written
    assert store.status(where) == "flagged" and store.unflagged("box", 7) == []
    assert store.records() == [record] and store.records("other box") == []


def test_a_copy_of_a_known_message_only_waits_to_be_flagged(tmp_path: Path):
    store = store_in(tmp_path)
    record = record_of(parse_message(101, m.reply()), "box", 7, ())
    store.record_received([record], NOW)
    store.record_copy(("box", 8, 5), record.key, ("box", 7, 101), NOW)
    assert store.unwritten() == [record]
    assert store.unflagged("box", 8) == [5]
    assert store.first_of(record.key) == ("box", 7, 101)
    assert store.records() == [record]


def test_the_inbox_section_is_read_from_the_settings_file_with_the_password_from_the_env(tmp_path):
    from sheets_sync.settings.load import load_settings

    config = tmp_path / "config" / "settings.toml"
    config.parent.mkdir()
    config.write_text(
        '[workbook]\npath = "w.xlsx"\n[inbox]\nhost = "imap.yandex.ru"\nuser = "c@yandex.ru"\n'
        'attachments_dir = "replies"\n',
        encoding="utf-8",
    )
    settings = load_settings(config, env={"SHEETS_SYNC_INBOX_PASSWORD": "app-pass"})
    assert settings.inbox is not None
    assert (settings.inbox.host, settings.inbox.port, settings.inbox.password) == (
        "imap.yandex.ru",
        993,
        "app-pass",
    )
    assert settings.inbox.attachments_dir == tmp_path / "replies"
    without = tmp_path / "config" / "none.toml"
    without.write_text('[workbook]\npath = "w.xlsx"\n', encoding="utf-8")
    assert load_settings(without, env={}).inbox is None


def test_a_password_in_the_inbox_section_stops_the_run_naming_the_variable(tmp_path):
    from sheets_sync.errors import ConfigError
    from sheets_sync.settings.load import load_settings

    config = tmp_path / "settings.toml"
    config.write_text(
        '[workbook]\npath = "w.xlsx"\n[inbox]\nhost = "h"\nuser = "u"\npassword = "secret"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_settings(config, env={"SHEETS_SYNC_INBOX_PASSWORD": "x"})
    assert raised.value.problems == (
        (
            "`inbox.password` must not be in the file: remove it and set the environment variable "
            "SHEETS_SYNC_INBOX_PASSWORD (or SHEETS_SYNC_INBOX_PASSWORD_FILE)"
        ),
    )
    assert "secret" not in str(raised.value)
