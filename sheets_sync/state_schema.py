"""The local state's tables, and the migration of an older state to them.

Version 1 (before `PRAGMA user_version` was set) had only `emails`, keyed by the workbook's path.
Version 2 adds who claimed each email (`owner`), every reminder key known as sent or claimed
(`sent_keys`, from this machine's emails and from the journal tab), the last email per recipient,
how far the journal tab has been read, its archived rows, the generated tabs' hashes, and which
workbook identity a path or key label stands for.
"""

from __future__ import annotations

import json
import sqlite3

from sheets_sync.stages import ReminderKey

VERSION = 2

EMAILS = """
CREATE TABLE IF NOT EXISTS emails (
    message_id  TEXT NOT NULL,
    workbook    TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    to_name     TEXT NOT NULL,
    addresses   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    stages      TEXT NOT NULL,
    summary     TEXT NOT NULL,
    keys        TEXT NOT NULL,
    raw         BLOB NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'refused')),
    error       TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    journaled   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workbook, message_id)
);
"""

SCHEMA_V2 = """
CREATE INDEX IF NOT EXISTS emails_status ON emails (workbook, status);
CREATE INDEX IF NOT EXISTS emails_unjournaled ON emails (workbook) WHERE journaled = 0;
CREATE TABLE IF NOT EXISTS sent_keys (
    workbook    TEXT NOT NULL,
    key         TEXT NOT NULL,
    about       TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    sent_on     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (workbook, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sent_keys_about ON sent_keys (workbook, about);
CREATE INDEX IF NOT EXISTS sent_keys_message ON sent_keys (workbook, message_id);
CREATE TABLE IF NOT EXISTS last_sent (
    workbook    TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (workbook, recipient)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_cursor (
    workbook    TEXT PRIMARY KEY,
    rows        INTEGER NOT NULL,
    checksum    TEXT NOT NULL,
    columns     INTEGER NOT NULL,
    first_when  TEXT NOT NULL,
    mark        TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS journal_archive (
    workbook    TEXT NOT NULL,
    period      TEXT NOT NULL,
    digest      TEXT NOT NULL,
    position    INTEGER NOT NULL,
    cells       TEXT NOT NULL,
    PRIMARY KEY (workbook, period, digest)
);
CREATE TABLE IF NOT EXISTS tab_hashes (
    workbook    TEXT NOT NULL,
    tab         TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (workbook, tab)
);
CREATE TABLE IF NOT EXISTS labels (
    label       TEXT PRIMARY KEY,
    workbook    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    workbook    TEXT NOT NULL,
    name        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    PRIMARY KEY (workbook, name)
);
"""

# Every table whose rows belong to one workbook, for moving them to the workbook's identity.
WORKBOOK_TABLES = (
    "emails",
    "sent_keys",
    "last_sent",
    "journal_cursor",
    "journal_archive",
    "tab_hashes",
    "claims",
)


def key_rows(
    workbook: str, message_id: str, keys: list[str], sent_on: str
) -> list[tuple[str, str, str, str, str]]:
    """Return `sent_keys` rows for the reminder keys of one email sent on `sent_on` (an ISO
    day, "" when unknown)."""
    rows = []
    for text in keys:
        key = ReminderKey.parse(text)
        rows.append((workbook, text, key.about if key else "", message_id, sent_on))
    return rows


def migrate(db: sqlite3.Connection) -> None:
    """Bring the database to VERSION, in one transaction (a crash leaves the old version)."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version >= VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()  # another run may have done it
        if version < VERSION:
            db.execute(EMAILS)
            columns = {row[1] for row in db.execute("PRAGMA table_info(emails)")}
            if "owner" not in columns:
                db.execute("ALTER TABLE emails ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
            for statement in SCHEMA_V2.split(";"):
                if statement.strip():
                    db.execute(statement)
            _fill_from_emails(db)
            db.execute(f"PRAGMA user_version = {VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _fill_from_emails(db: sqlite3.Connection) -> None:
    """Index the keys and last emails of a version-1 state."""
    for workbook, message_id, keys, at in db.execute(
        "SELECT workbook, message_id, keys, updated_at FROM emails "
        "WHERE status IN ('sent', 'pending')"
    ).fetchall():
        db.executemany(
            "INSERT OR IGNORE INTO sent_keys (workbook, key, about, message_id, sent_on) "
            "VALUES (?, ?, ?, ?, ?)",
            key_rows(workbook, message_id, json.loads(keys), at[:10]),
        )
    db.execute(
        "INSERT OR REPLACE INTO last_sent (workbook, recipient, at) "
        "SELECT workbook, recipient, MAX(updated_at) FROM emails WHERE status = 'sent' "
        "GROUP BY workbook, recipient"
    )
