"""Local state (SQLite under `state/`): every email, recorded before and after it is sent.

Killed at any point, the next run loses no reminder and sends no stage twice: an email recorded
as pending (in flight when the run died) is resent as the very same bytes, same Message-ID;
an email sent but not yet written to «Журнал рассылки» is written at the next successful write.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Self

from sheets_sync.errors import SheetsSyncError
from sheets_sync.mail.render import Email
from sheets_sync.report.journal import JournalEntry

SCHEMA = """
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
CREATE INDEX IF NOT EXISTS emails_status ON emails (workbook, status);
"""


@dataclass(frozen=True, slots=True)
class StoredEmail:
    message_id: str
    recipient: str
    to: tuple[str, ...]
    raw: bytes
    keys: tuple[str, ...]


class LocalState:
    """The local record of emails for one workbook."""

    def __init__(self, folder: Path, workbook_id: str) -> None:
        self.workbook = workbook_id
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(folder / "sheets_sync.sqlite3", isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a committed row survives the process being killed at any point;
            # only a power cut may lose the last commits (then an email is resent, same ID).
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise SheetsSyncError(
                f"cannot open the local state in {folder}: {exc}; "
                "check `state.dir` and its permissions"
            ) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sent_keys(self) -> set[str]:
        """Return the reminder keys already sent or in flight (never to be planned again)."""
        keys: set[str] = set()
        for (text,) in self.db.execute(
            "SELECT keys FROM emails WHERE workbook = ? AND status IN ('sent', 'pending')",
            (self.workbook,),
        ):
            keys.update(json.loads(text))
        return keys

    def sent_before(self, day: date) -> set[str]:
        """Return the reminder keys of emails sent before `day`."""
        keys: set[str] = set()
        for (text,) in self.db.execute(
            "SELECT keys FROM emails WHERE workbook = ? AND status = 'sent' AND updated_at < ?",
            (self.workbook, day.isoformat()),
        ):
            keys.update(json.loads(text))
        return keys

    def in_flight(self) -> list[StoredEmail]:
        """Return emails recorded as pending: a previous run died while sending them."""
        rows = self.db.execute(
            "SELECT message_id, recipient, addresses, raw, keys FROM emails "
            "WHERE workbook = ? AND status = 'pending' ORDER BY created_at",
            (self.workbook,),
        )
        return [
            StoredEmail(m, r, tuple(json.loads(a)), bytes(raw), tuple(json.loads(k)))
            for m, r, a, raw, k in rows
        ]

    def record_pending(self, email: Email, raw: bytes, now: datetime) -> None:
        """Record `email` before it is sent."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT INTO emails (message_id, workbook, recipient, to_name, addresses, "
                "subject, stages, summary, keys, raw, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) "
                "ON CONFLICT (workbook, message_id) DO UPDATE SET status = 'pending', "
                "raw = excluded.raw, updated_at = excluded.updated_at, error = ''",
                (
                    email.message_id,
                    self.workbook,
                    email.recipient,
                    email.to_name,
                    json.dumps(list(email.to), ensure_ascii=False),
                    email.subject,
                    email.stages,
                    email.summary,
                    json.dumps(list(email.keys), ensure_ascii=False),
                    raw,
                    now.isoformat(timespec="seconds"),
                    now.isoformat(timespec="seconds"),
                ),
            )

    def record_result(self, message_id: str, status: str, now: datetime, error: str = "") -> None:
        """Record how sending `message_id` ended: sent, failed (retry later) or refused."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "UPDATE emails SET status = ?, error = ?, attempts = attempts + 1, "
                "updated_at = ?, journaled = 0 WHERE workbook = ? AND message_id = ?",
                (status, error, now.isoformat(timespec="seconds"), self.workbook, message_id),
            )

    def unjournaled(self) -> list[JournalEntry]:
        """Return finished emails whose row is not yet in «Журнал рассылки»."""
        rows = self.db.execute(
            "SELECT updated_at, to_name, addresses, stages, summary, status, message_id, keys, "
            "error FROM emails WHERE workbook = ? AND journaled = 0 AND status != 'pending' "
            "ORDER BY updated_at, recipient",
            (self.workbook,),
        )
        return [
            JournalEntry(
                datetime.fromisoformat(when),
                name,
                tuple(json.loads(addresses)),
                stages,
                summary,
                status,
                mid,
                tuple(json.loads(keys)),
                error,
            )
            for when, name, addresses, stages, summary, status, mid, keys, error in rows
        ]

    def mark_journaled(self, message_ids: Iterable[str]) -> None:
        """Remember that these emails' rows are now in «Журнал рассылки»."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "UPDATE emails SET journaled = 1 WHERE workbook = ? AND message_id = ?",
                [(self.workbook, m) for m in message_ids],
            )

    def first_sent(self) -> date | None:
        """Return the day of the earliest email sent from this workbook, if any."""
        (when,) = self.db.execute(
            "SELECT MIN(updated_at) FROM emails WHERE workbook = ? AND status = 'sent'",
            (self.workbook,),
        ).fetchone()
        return datetime.fromisoformat(when).date() if when else None

    def last_sent(self) -> dict[str, datetime]:
        """Return when each recipient was last emailed successfully."""
        rows = self.db.execute(
            "SELECT recipient, MAX(updated_at) FROM emails WHERE workbook = ? AND status = 'sent' "
            "GROUP BY recipient",
            (self.workbook,),
        )
        return {r: datetime.fromisoformat(w) for r, w in rows}
