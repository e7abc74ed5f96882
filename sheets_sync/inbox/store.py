"""What the local state knows of the reply mailbox: every message received, by (mailbox,
UIDVALIDITY, UID), with what was read from it and how far it got. Takes the state's sqlite3
connection (autocommit, WAL); every change is one BEGIN IMMEDIATE transaction.

A message goes received -> written (its «Входящие» row is in the workbook) -> flagged (marked
or moved on the server). A message already known by its Message-ID (the folder was rebuilt
and its UIDVALIDITY changed, or it was moved back) is kept as a copy: written from the
start, so that it is only flagged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

from .records import InboxRecord

SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_messages (
    mailbox      TEXT NOT NULL,
    uidvalidity  INTEGER NOT NULL,
    uid          INTEGER NOT NULL,
    message_key  TEXT NOT NULL,
    record       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('received', 'written', 'flagged')),
    copy_of      TEXT NOT NULL DEFAULT '',
    decision     TEXT NOT NULL DEFAULT '',
    received_at  TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (mailbox, uidvalidity, uid)
);
CREATE INDEX IF NOT EXISTS inbox_messages_key ON inbox_messages (message_key);
CREATE INDEX IF NOT EXISTS inbox_messages_status ON inbox_messages (mailbox, status);
"""

Uid = tuple[str, int, int]  # (mailbox, uidvalidity, uid)


class InboxStore:
    """The inbox's part of the local state."""

    def __init__(self, db: sqlite3.Connection) -> None:
        if db.isolation_level is not None:
            raise ValueError("InboxStore needs an autocommit connection (isolation_level=None)")
        self.db = db
        self.db.executescript(SCHEMA)

    def last_uid(self, mailbox: str, uidvalidity: int) -> int:
        """Return the highest UID received from `mailbox` under `uidvalidity` (0 if none)."""
        row = self.db.execute(
            "SELECT MAX(uid) FROM inbox_messages WHERE mailbox = ? AND uidvalidity = ?",
            (mailbox, uidvalidity),
        ).fetchone()
        return int(row[0] or 0)

    def seen(self, mailbox: str, uidvalidity: int, uids: Iterable[int]) -> set[int]:
        """Return those of `uids` already received from `mailbox` under `uidvalidity`."""
        wanted = set(uids)
        rows = self.db.execute(
            "SELECT uid FROM inbox_messages WHERE mailbox = ? AND uidvalidity = ?",
            (mailbox, uidvalidity),
        )
        return {int(uid) for (uid,) in rows if uid in wanted}

    def first_of(self, key: str) -> Uid | None:
        """Return where the message with `key` (its Message-ID) was first received, if ever."""
        row = self.db.execute(
            "SELECT mailbox, uidvalidity, uid FROM inbox_messages "
            "WHERE message_key = ? AND copy_of = '' ORDER BY received_at LIMIT 1",
            (key,),
        ).fetchone()
        return (str(row[0]), int(row[1]), int(row[2])) if row else None

    def record_received(self, records: Sequence[InboxRecord], now: datetime) -> None:
        """Remember `records` as received, in one transaction (a UID already there is kept)."""
        when = now.isoformat(timespec="seconds")
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "INSERT INTO inbox_messages (mailbox, uidvalidity, uid, message_key, record, "
                "status, received_at, updated_at) VALUES (?, ?, ?, ?, ?, 'received', ?, ?) "
                "ON CONFLICT (mailbox, uidvalidity, uid) DO NOTHING",
                [
                    (r.mailbox, r.uidvalidity, r.uid, r.key, r.to_json(), when, when)
                    for r in records
                ],
            )

    def record_copy(self, where: Uid, key: str, first: Uid, now: datetime) -> None:
        """Remember that the message at `where` is one received before at `first`."""
        when = now.isoformat(timespec="seconds")
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT INTO inbox_messages (mailbox, uidvalidity, uid, message_key, record, "
                "status, copy_of, received_at, updated_at) "
                "VALUES (?, ?, ?, ?, '', 'written', ?, ?, ?) "
                "ON CONFLICT (mailbox, uidvalidity, uid) DO NOTHING",
                (*where, key, f"{first[0]} {first[1]} {first[2]}", when, when),
            )

    def unwritten(self, mailbox: str | None = None) -> list[InboxRecord]:
        """Return the records received but not yet written to the workbook, oldest first."""
        rows = self.db.execute(
            "SELECT record FROM inbox_messages WHERE status = 'received' "
            "AND (? IS NULL OR mailbox = ?) ORDER BY received_at, uidvalidity, uid",
            (mailbox, mailbox),
        )
        return [InboxRecord.from_json(text) for (text,) in rows]

    def mark_written(
        self, uids: Iterable[Uid], now: datetime, decisions: Sequence[str] = ()
    ) -> None:
        """Remember that these messages' rows are in the workbook, with what was decided of
        each (`decisions`: one text per UID, kept for the rows written after)."""
        uids = list(uids)
        texts = [*decisions, *[""] * (len(uids) - len(decisions))]
        when = now.isoformat(timespec="seconds")
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "UPDATE inbox_messages SET status = 'written', updated_at = ?, "
                "decision = CASE WHEN ? = '' THEN decision ELSE ? END WHERE mailbox = ? "
                "AND uidvalidity = ? AND uid = ? AND status = 'received'",
                [(when, text, text, m, v, u) for (m, v, u), text in zip(uids, texts, strict=True)],
            )

    def decided(self, mailbox: str | None = None) -> list[tuple[InboxRecord, str]]:
        """Return every message written to the workbook (copies aside), oldest first, with
        what was decided of it."""
        rows = self.db.execute(
            "SELECT record, decision FROM inbox_messages WHERE copy_of = '' "
            "AND status != 'received' AND (? IS NULL OR mailbox = ?) "
            "ORDER BY received_at, uidvalidity, uid",
            (mailbox, mailbox),
        )
        return [(InboxRecord.from_json(text), decision) for text, decision in rows]

    def unflagged(self, mailbox: str, uidvalidity: int) -> list[int]:
        """Return the UIDs written to the workbook but not yet marked on the server."""
        rows = self.db.execute(
            "SELECT uid FROM inbox_messages WHERE mailbox = ? AND uidvalidity = ? "
            "AND status = 'written' ORDER BY uid",
            (mailbox, uidvalidity),
        )
        return [int(uid) for (uid,) in rows]

    def mark_flagged(
        self, mailbox: str, uidvalidity: int, uids: Iterable[int], now: datetime
    ) -> None:
        """Remember that these messages are marked (or moved) on the server."""
        self._set_status(((mailbox, uidvalidity, u) for u in uids), "flagged", "written", now)

    def records(self, mailbox: str | None = None) -> list[InboxRecord]:
        """Return every message received (copies aside), oldest first: a «Входящие» tab can be
        rebuilt from these alone."""
        rows = self.db.execute(
            "SELECT record FROM inbox_messages WHERE copy_of = '' "
            "AND (? IS NULL OR mailbox = ?) ORDER BY received_at, uidvalidity, uid",
            (mailbox, mailbox),
        )
        return [InboxRecord.from_json(text) for (text,) in rows]

    def status(self, where: Uid) -> str:
        """Return how far the message at `where` got ("" when it was never received)."""
        row = self.db.execute(
            "SELECT status FROM inbox_messages WHERE mailbox = ? AND uidvalidity = ? AND uid = ?",
            where,
        ).fetchone()
        return str(row[0]) if row else ""

    def _set_status(self, uids: Iterable[Uid], status: str, previous: str, now: datetime) -> None:
        when = now.isoformat(timespec="seconds")
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "UPDATE inbox_messages SET status = ?, updated_at = ? WHERE mailbox = ? "
                "AND uidvalidity = ? AND uid = ? AND status = ?",
                [(status, when, m, v, u, previous) for m, v, u in uids],
            )
