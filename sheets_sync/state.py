"""Local state (SQLite under `state/`): every email, recorded before and after it is sent.

Killed at any point, the next run loses no reminder and sends no stage twice: an email recorded
as pending (in flight when the run died) is resent as the very same bytes, same Message-ID;
an email sent but not yet written to «Журнал рассылки» is written at the next successful write.

Sending an email starts with an atomic claim (`claim`): in one transaction the email and each of
its reminder keys are recorded as this run's, and the claim fails if another run holds any of
them, so two overlapping runs never send the same reminder. A run's emails in flight are its own
while it lives (`runs.RunLease`); a dead run's are resent by the next. The state is keyed by the
workbook's identity (the spreadsheet's key, or the id inside the .xlsx file), so moving the file
keeps it; rows kept under an older label (the path) move to the identity when it is first seen.
The database is readable by its owner only (0600, in a 0700 folder).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

from sheets_sync.errors import SheetsSyncError
from sheets_sync.mail.render import Email
from sheets_sync.report.journal import JournalEntry
from sheets_sync.runs import RunLease
from sheets_sync.state_db import StoredEmail, enable_wal, explained, private_file, wall
from sheets_sync.state_schema import WORKBOOK_TABLES, key_rows, migrate
from sheets_sync.state_sent import SentQueries, chunks

logger = logging.getLogger(__name__)

FILE = "sheets_sync.sqlite3"


class LocalState(SentQueries):
    """The local record of emails for one workbook (`workbook_id`: its identity, or a label
    bound to one); `folder=None` keeps it in memory (a dry run with no state folder yet)."""

    def __init__(
        self, folder: Path | None, workbook_id: str = "", *, busy_timeout: float = 5.0
    ) -> None:
        self.workbook = workbook_id
        self.path = folder / FILE if folder else None
        self.lease: RunLease | None = None
        try:
            if folder is not None:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                self.lease = RunLease(folder)
                private_file(folder / FILE)
            target = str(self.path) if self.path else ":memory:"
            self.db = sqlite3.connect(target, isolation_level=None, timeout=busy_timeout)
        except (OSError, sqlite3.Error) as exc:
            raise SheetsSyncError(
                f"cannot open the local state in {folder}: {exc}; "
                "check `state.dir` and its permissions"
            ) from exc
        with self._errors():
            enable_wal(self.db, busy_timeout)
            # WAL + NORMAL: a committed row survives the process being killed at any point;
            # only a power cut may lose the last commits (then an email is resent, same ID).
            self.db.execute("PRAGMA synchronous=NORMAL")
            migrate(self.db)
        if workbook_id:  # a path or key label: the identity it was last seen with
            self.workbook = self.workbook_for(workbook_id)

    @property
    def owner(self) -> str:
        return self.lease.token if self.lease else "memory"

    def close(self) -> None:
        self.db.close()
        if self.lease:
            self.lease.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise explained(exc, self.path, self.lease) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE), committed on success."""
        with self._errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        with self._errors():
            return self.db.execute(sql, tuple(params)).fetchall()

    # -- which workbook ---------------------------------------------------------------------

    def workbook_for(self, label: str) -> str:
        """Return the identity last seen for the workbook called `label`, else `label`."""
        rows = self.query("SELECT workbook FROM labels WHERE label = ?", (label,))
        return str(rows[0][0]) if rows else label

    def bind(self, identity: str, label: str) -> None:
        """Key this state by `identity`, moving there what was kept under `label` before."""
        self.workbook = identity
        if self.query("SELECT 1 FROM labels WHERE label = ? AND workbook = ?", (label, identity)):
            return
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO labels (label, workbook) VALUES (?, ?)", (label, identity)
            )
            if identity == label:
                return
            moved = 0
            for table in WORKBOOK_TABLES:
                moved += db.execute(
                    f"UPDATE OR IGNORE {table} SET workbook = ? WHERE workbook = ?",
                    (identity, label),
                ).rowcount
                db.execute(f"DELETE FROM {table} WHERE workbook = ?", (label,))
        if moved:  # (a first run, or a dry run's state in memory, has nothing to move)
            logger.info("The local state of %s is now kept under its identity %s", label, identity)

    # -- emails -----------------------------------------------------------------------------

    def claim(self, email: Email, raw: bytes, now: datetime, day: date | None = None) -> bool:
        """Record `email` as this run's, about to be sent on the plan's `day` (default: the
        day of `now`); False (and nothing recorded) when another run has it or any of its
        reminders, sent or in flight."""
        keys = list(email.keys)
        with self.transaction() as db:
            row = db.execute(
                "SELECT status, owner FROM emails WHERE workbook = ? AND message_id = ?",
                (self.workbook, email.message_id),
            ).fetchone()
            if row and (row[0] == "sent" or (row[0] == "pending" and row[1] != self.owner)):
                return False
            for part in chunks(keys):
                taken = db.execute(
                    f"SELECT 1 FROM sent_keys WHERE workbook = ? AND message_id != ? "
                    f"AND key IN ({','.join('?' * len(part))}) LIMIT 1",
                    (self.workbook, email.message_id, *part),
                ).fetchone()
                if taken:
                    return False
            db.execute(
                "INSERT INTO emails (message_id, workbook, recipient, to_name, addresses, "
                "subject, stages, summary, keys, raw, status, created_at, updated_at, owner) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) "
                "ON CONFLICT (workbook, message_id) DO UPDATE SET status = 'pending', "
                "raw = excluded.raw, updated_at = excluded.updated_at, error = '', "
                "owner = excluded.owner",
                (
                    email.message_id,
                    self.workbook,
                    email.recipient,
                    email.to_name,
                    json.dumps(list(email.to), ensure_ascii=False),
                    email.subject,
                    email.stages,
                    email.summary,
                    json.dumps(keys, ensure_ascii=False),
                    raw,
                    now.isoformat(timespec="seconds"),
                    now.isoformat(timespec="seconds"),
                    self.owner,
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO sent_keys (workbook, key, about, message_id, sent_on) "
                "VALUES (?, ?, ?, ?, ?)",
                key_rows(
                    self.workbook,
                    email.message_id,
                    keys,
                    day.isoformat() if day else wall(now)[:10],
                ),
            )
        return True

    def record_result(self, message_id: str, status: str, now: datetime, error: str = "") -> None:
        """Record how sending `message_id` ended: sent, failed (retry later) or refused. A
        failed or refused email gives up its claim on its reminders (a later run may send
        them)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE emails SET status = ?, error = ?, attempts = attempts + 1, "
                "updated_at = ?, journaled = 0 WHERE workbook = ? AND message_id = ?",
                (status, error, now.isoformat(timespec="seconds"), self.workbook, message_id),
            )
            if status != "sent":
                db.execute(
                    "DELETE FROM sent_keys WHERE workbook = ? AND message_id = ?",
                    (self.workbook, message_id),
                )
                return
            # The email's recipient, and each party whose reminders it carried (the
            # coordinating body's own ride in the coordinators' email).
            db.execute(
                "INSERT INTO last_sent (workbook, recipient, at) SELECT workbook, recipient, ? "
                "FROM emails WHERE workbook = ? AND message_id = ? UNION "
                "SELECT workbook, substr(key, 1, instr(key, '|') - 1), ? FROM sent_keys "
                "WHERE workbook = ? AND message_id = ? AND instr(key, '|') > 1 "
                "ON CONFLICT (workbook, recipient) DO UPDATE SET at = MAX(at, excluded.at)",
                (wall(now), self.workbook, message_id, wall(now), self.workbook, message_id),
            )

    def in_flight(self) -> list[StoredEmail]:
        """Return emails recorded as pending by a run that is no longer alive (it died while
        sending them), oldest first."""
        rows = self.query(
            "SELECT message_id, recipient, addresses, raw, keys, owner FROM emails "
            "WHERE workbook = ? AND status = 'pending' ORDER BY created_at",
            (self.workbook,),
        )
        alive = self._alive()
        return [
            StoredEmail(m, r, tuple(json.loads(a)), bytes(raw), tuple(json.loads(k)), owner)
            for m, r, a, raw, k, owner in rows
            if owner == self.owner or not alive(owner)
        ]

    def take_over(self, item: StoredEmail) -> bool:
        """Make a dead run's email in flight this run's; False if another run took it first."""
        with self.transaction() as db:
            done = db.execute(
                "UPDATE emails SET owner = ? WHERE workbook = ? AND message_id = ? "
                "AND status = 'pending' AND owner = ?",
                (self.owner, self.workbook, item.message_id, item.owner),
            )
            return done.rowcount == 1

    def unjournaled(self) -> list[JournalEntry]:
        """Return finished emails whose rows are not yet in «Журнал рассылки»: this run's, and
        those of runs no longer alive (a live run writes its own)."""
        rows = self.query(
            "SELECT updated_at, to_name, addresses, stages, summary, status, message_id, keys, "
            "error, owner FROM emails WHERE workbook = ? AND journaled = 0 "
            "AND status != 'pending' ORDER BY updated_at, recipient",
            (self.workbook,),
        )
        alive = self._alive()
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
            for when, name, addresses, stages, summary, status, mid, keys, error, owner in rows
            if owner == self.owner or not alive(owner)
        ]

    def mark_journaled(self, message_ids: Iterable[str]) -> None:
        """Remember that these emails' rows are now in «Журнал рассылки»."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE emails SET journaled = 1 WHERE workbook = ? AND message_id = ? "
                "AND status != 'pending'",
                [(self.workbook, m) for m in message_ids],
            )

    def _alive(self) -> Callable[[str], bool]:
        cache: dict[str, bool] = {}

        def alive(owner: str) -> bool:
            if owner not in cache:
                cache[owner] = self.lease is not None and self.lease.alive(owner)
            return cache[owner]

        return alive
