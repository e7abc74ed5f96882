"""What the local state says was sent, and the named tasks a run holds: queries of `LocalState`
(a base class of it), kept apart so each module stays short."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

_CHUNK = 500  # parameters per IN (...) query


def chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class SentQueries:
    """Reminder keys, last emails and named tasks of one workbook."""

    workbook: str

    @property
    def owner(self) -> str:
        raise NotImplementedError

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _alive(self) -> Callable[[str], bool]:
        raise NotImplementedError

    def hold(self, name: str) -> bool:
        """Take the named task (e.g. "archive") for this run unless a live run holds it."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT owner FROM claims WHERE workbook = ? AND name = ?", (self.workbook, name)
            ).fetchone()
            if row and row[0] != self.owner and self._alive()(row[0]):
                return False
            db.execute(
                "INSERT OR REPLACE INTO claims (workbook, name, owner) VALUES (?, ?, ?)",
                (self.workbook, name, self.owner),
            )
        return True

    def let_go(self, name: str) -> None:
        with self.transaction() as db:
            db.execute(
                "DELETE FROM claims WHERE workbook = ? AND name = ? AND owner = ?",
                (self.workbook, name, self.owner),
            )

    # -- what was sent ----------------------------------------------------------------------

    def sent_among(self, keys: Iterable[str]) -> set[str]:
        """Return which of `keys` were sent or are in flight (never to be planned again)."""
        found: set[str] = set()
        for part in chunks(sorted(set(keys))):
            found.update(
                k
                for (k,) in self.query(
                    f"SELECT key FROM sent_keys WHERE workbook = ? "
                    f"AND key IN ({','.join('?' * len(part))})",
                    (self.workbook, *part),
                )
            )
        return found

    def reminder_counts(self, abouts: Iterable[str], before: date | None = None) -> Counter[str]:
        """Return how many reminder stages each obligation's party was sent, per obligation id
        (0 for the others): the coordinators' escalations not counted; with `before`, only
        those sent before that day (a day unknown counts as before)."""
        counts: Counter[str] = Counter()
        day = before.isoformat() if before else "9999-12-31"
        for part in chunks(sorted(set(abouts))):
            counts.update(
                dict(
                    self.query(
                        f"SELECT about, COUNT(*) FROM sent_keys WHERE workbook = ? "
                        f"AND about IN ({','.join('?' * len(part))}) "
                        "AND substr(key, 1, 12) != 'coordinator|' "
                        "AND substr(key, 1, 10) != 'municipal:' AND sent_on < ? GROUP BY about",
                        (self.workbook, *part, day),
                    )
                )
            )
        return counts

    def last_reminded(self, abouts: Iterable[str], before: date) -> dict[str, date]:
        """Return the day each obligation's party was last sent a reminder stage before
        `before`, per obligation id (the coordinators' keys not counted; none for the
        others)."""
        last: dict[str, date] = {}
        for part in chunks(sorted(set(abouts))):
            for about, day in self.query(
                f"SELECT about, MAX(sent_on) FROM sent_keys WHERE workbook = ? "
                f"AND about IN ({','.join('?' * len(part))}) "
                "AND substr(key, 1, 12) != 'coordinator|' "
                "AND substr(key, 1, 10) != 'municipal:' AND sent_on != '' AND sent_on < ? "
                "GROUP BY about",
                (self.workbook, *part, before.isoformat()),
            ):
                if day:
                    last[about] = date.fromisoformat(day)
        return last

    def first_sent(self) -> date | None:
        """Return the day of the earliest reminder known as sent, if any."""
        ((day,),) = self.query(
            "SELECT MIN(sent_on) FROM sent_keys WHERE workbook = ? AND sent_on != ''",
            (self.workbook,),
        )
        return date.fromisoformat(day) if day else None

    def sent_keys(self) -> set[str]:
        """Return every reminder key sent or in flight."""
        return {
            k
            for (k,) in self.query("SELECT key FROM sent_keys WHERE workbook = ?", (self.workbook,))
        }

    def last_sent(self) -> dict[str, datetime]:
        """Return when each recipient was last emailed successfully (local wall time)."""
        rows = self.query(
            "SELECT recipient, at FROM last_sent WHERE workbook = ?", (self.workbook,)
        )
        return {r: datetime.fromisoformat(at) for r, at in rows}

    # -- the digests replies answer -----------------------------------------------------------

    def digest_keys(self, message_ids: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """Return the reminder keys (and the day sent) of each of these digests known."""
        found: dict[str, list[tuple[str, str]]] = {}
        for part in chunks(sorted(set(message_ids))):
            for message_id, key, sent_on in self.query(
                f"SELECT message_id, key, sent_on FROM sent_keys WHERE workbook = ? "
                f"AND message_id IN ({','.join('?' * len(part))})",
                (self.workbook, *part),
            ):
                found.setdefault(message_id, []).append((key, sent_on))
        return found

    def latest_digest_to(self, recipient: str) -> str:
        """Return the Message-ID of the latest digest to `recipient` ("school:01"), or ""."""
        rows = self.query(
            "SELECT message_id FROM sent_keys WHERE workbook = ? AND key >= ? AND key < ? "
            "ORDER BY sent_on DESC LIMIT 1",
            (self.workbook, f"{recipient}|", f"{recipient}|\U0010ffff"),
        )
        return str(rows[0][0]) if rows else ""

    def sent_addresses(self, message_ids: Iterable[str]) -> dict[str, tuple[list[str], str]]:
        """Return the addresses and the time each of these emails was sent (this machine's)."""
        found: dict[str, tuple[list[str], str]] = {}
        for part in chunks(sorted(set(message_ids))):
            for message_id, addresses, at in self.query(
                f"SELECT message_id, addresses, updated_at FROM emails WHERE workbook = ? "
                f"AND message_id IN ({','.join('?' * len(part))})",
                (self.workbook, *part),
            ):
                found[message_id] = (json.loads(addresses), at)
        return found

    def latest_email_to_address(self, address: str) -> str:
        """Return the Message-ID of the latest email sent to `address`, or ""."""
        quoted = json.dumps(address.lower(), ensure_ascii=False)  # as `addresses` holds it
        escaped = quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.query(
            "SELECT message_id FROM emails WHERE workbook = ? AND status = 'sent' "
            "AND lower(addresses) LIKE ? ESCAPE '\\' ORDER BY updated_at DESC LIMIT 1",
            (self.workbook, f"%{escaped}%"),
        )
        return str(rows[0][0]) if rows else ""

    def forget_digest(self, message_id: str) -> None:
        """Count a digest's reminders as not sent (every address of it bounced): they go out
        again once the address is fixed."""
        with self.transaction() as db:
            db.execute(
                "DELETE FROM sent_keys WHERE workbook = ? AND message_id = ?",
                (self.workbook, message_id),
            )
