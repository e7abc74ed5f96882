"""What the local state knows of «Журнал рассылки»: how far it was read, and its archive.

A cycle reads only the rows added since the last one: the state keeps how many rows it has read
and a checksum of the last of them, and the next read starts at that row. If the row is not the
same any more (rows deleted, the tab replaced, another workbook at the path), or the state has
none, the whole tab is read again. Every row read adds its reminder keys to the state's
`sent_keys`, so a row counts as sent once read, whatever happens to the tab later.

At the start of a new plan year the rows of earlier years move out of the tab into the state's
`journal_archive` (and into a tab «Журнал рассылки ГГГГ» written once), so the tab holds one
year and a cycle never reads or rewrites a growing history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sheets_sync.report.journal import JournalRow, parse_rows, row_checksum, row_mark, written_mark
from sheets_sync.report.tabs import Row
from sheets_sync.state import LocalState
from sheets_sync.state_db import wall
from sheets_sync.state_schema import key_rows
from sheets_sync.wording import ru_datetime
from sheets_sync.workbook import Snapshot


@dataclass(frozen=True, slots=True)
class Cursor:
    rows: int  # data rows read so far (the tab's rows 2 .. rows + 1)
    checksum: str  # of the last of them
    columns: int  # the header's width
    first_when: str  # the first data row's time (naive ISO), "" when unknown
    mark: str = ""  # the backend's fingerprint of the journal when last read ("": none)


def period_of(when: datetime, school_year: bool) -> str:
    """Return the plan period a moment belongs to: "2024", or "2024-2025" for a school year."""
    if not school_year:
        return str(when.year)
    start = when.year if when.month >= 9 else when.year - 1
    return f"{start}-{start + 1}"


class JournalHistory:
    """The journal tab as far as the local state of one workbook knows it."""

    def __init__(self, state: LocalState) -> None:
        self.state = state

    def cursor(self) -> Cursor | None:
        rows = self.state.query(
            "SELECT rows, checksum, columns, first_when, mark FROM journal_cursor "
            "WHERE workbook = ?",
            (self.state.workbook,),
        )
        return Cursor(*rows[0]) if rows else None

    def forget_cursor(self) -> None:
        """Make the next read take the tab whole."""
        with self.state.transaction() as db:
            db.execute("DELETE FROM journal_cursor WHERE workbook = ?", (self.state.workbook,))

    def read_from(self) -> tuple[int, int, str]:
        """Return (the data row to read from, the columns to read, the journal's fingerprint
        when last read): the last row known, to check it is still there, or the whole tab."""
        cursor = self.cursor()
        if cursor is None or cursor.rows < 1:
            return 1, 0, ""
        return cursor.rows, cursor.columns, cursor.mark

    def ingest(self, snapshot: Snapshot, journal: str) -> bool:
        """Take in the journal rows of a read (the header, then the rows from data row
        `snapshot.journal_from`). Return False, taking in nothing, when the read started at a
        row that is not the one the state knows last: the tab must be read whole."""
        cursor = self.cursor()
        if journal not in snapshot.tabs and snapshot.journal_mark:  # not read: unchanged
            return cursor is not None and cursor.mark == snapshot.journal_mark
        grid, journal_from = snapshot.tabs.get(journal, []), snapshot.journal_from
        header, rows = (list(grid[0]), list(grid[1:])) if grid else ([], [])
        if journal_from > 1:
            if (
                cursor is None
                or cursor.rows != journal_from
                or not rows
                or row_mark(header, rows[0]) != cursor.checksum
            ):
                return False
            base, new = cursor.rows, rows[1:]
            first_when = cursor.first_when
        else:
            base, new = 0, rows
            first = parse_rows(header, rows[:1])
            first_when = wall(first[0].when) if first and first[0].when else ""
        parsed = parse_rows(header, new)
        with self.state.transaction() as db:
            self._take(db, parsed)
            total = base + len(new)
            last = rows[-1] if rows else []
            db.execute(
                "INSERT OR REPLACE INTO journal_cursor (workbook, rows, checksum, columns, "
                "first_when, mark) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    self.state.workbook,
                    total,
                    row_mark(header, last),
                    len(header),
                    first_when,
                    snapshot.journal_mark,
                ),
            )
        return True

    def _take(self, db: sqlite3.Connection, parsed: list[JournalRow]) -> None:
        """Add what `parsed` rows say was sent: keys, last emails, emails now journaled."""
        state = self.state
        identities = {r.identity for r in parsed if r.identity}
        keys: list[tuple[str, str, str, str, str]] = []
        last: dict[str, str] = {}
        for row in parsed:
            if row.result != "sent":
                continue
            at = wall(row.when) if row.when else ""
            found = [
                k for k in key_rows(state.workbook, row.message_id, list(row.keys), at[:10]) if k[2]
            ]
            keys += found
            if at:
                for recipient in {key[1].partition("|")[0] for key in found}:
                    last[recipient] = max(last.get(recipient, ""), at)
        db.executemany(
            "INSERT OR IGNORE INTO sent_keys (workbook, key, about, message_id, sent_on) "
            "VALUES (?, ?, ?, ?, ?)",
            keys,
        )
        db.executemany(
            "INSERT INTO last_sent (workbook, recipient, at) VALUES (?, ?, ?) "
            "ON CONFLICT (workbook, recipient) DO UPDATE SET at = MAX(at, excluded.at)",
            [(state.workbook, r, at) for r, at in last.items()],
        )
        pending = db.execute(
            "SELECT message_id, status, updated_at FROM emails WHERE workbook = ? "
            "AND journaled = 0 AND status != 'pending'",
            (state.workbook,),
        ).fetchall()
        done = [
            (state.workbook, mid)
            for mid, status, at in pending
            if (mid, status, ru_datetime(datetime.fromisoformat(at))) in identities
        ]
        db.executemany(
            "UPDATE emails SET journaled = 1 WHERE workbook = ? AND message_id = ?", done
        )

    def wrote(self, rows: Sequence[Row]) -> None:
        """Count `rows`, just appended to the tab by this run, as read: the next read starts at
        the last of them (what they say is in the state already). Had another run appended
        rows meanwhile, that row is not where the state expects it, and the next read takes
        the tab whole."""
        cursor = self.cursor()
        if cursor is None or not rows:
            return
        first = rows[0][0].value
        first_when = cursor.first_when
        if cursor.rows == 0 and isinstance(first, datetime):
            first_when = wall(first)
        with self.state.transaction() as db:
            db.execute(
                "UPDATE journal_cursor SET rows = rows + ?, checksum = ?, first_when = ?, "
                "mark = '' WHERE workbook = ?",
                (len(rows), written_mark(rows[-1]), first_when, self.state.workbook),
            )

    # -- a new plan year --------------------------------------------------------------------

    def archive_due(self, plan_start: date) -> bool:
        """Return whether the tab starts with rows from before the plan's start."""
        cursor = self.cursor()
        return bool(cursor and cursor.first_when and cursor.first_when < plan_start.isoformat())

    def archive(
        self, grid: Sequence[Sequence[str]], plan_start: date, school_year: bool
    ) -> tuple[int, dict[str, list[list[str]]]]:
        """Keep the tab's leading rows from before `plan_start` (`grid`: the whole tab) in the
        state; return how many they are and every archived row of their periods."""
        header, rows = (list(grid[0]), list(grid[1:])) if grid else ([], [])
        parsed = parse_rows(header, rows)
        count = 0
        for row in parsed:
            if row.when is None or row.when.date() >= plan_start:
                break
            count += 1
        periods: dict[str, list[list[str]]] = {}
        for row, cells in zip(parsed[:count], rows[:count], strict=True):
            assert row.when is not None
            periods.setdefault(period_of(row.when, school_year), []).append(list(cells))
        state = self.state
        with state.transaction() as db:
            for period, cells_list in periods.items():
                (start,) = db.execute(
                    "SELECT COALESCE(MAX(position), 0) FROM journal_archive "
                    "WHERE workbook = ? AND period = ?",
                    (state.workbook, period),
                ).fetchone()
                # A row archived before (by a run killed before its write) is kept once.
                db.executemany(
                    "INSERT OR IGNORE INTO journal_archive (workbook, period, digest, position, "
                    "cells) VALUES (?, ?, ?, ?, ?)",
                    [
                        (
                            state.workbook,
                            period,
                            row_checksum(c),
                            start + n,
                            json.dumps(c, ensure_ascii=False),
                        )
                        for n, c in enumerate(cells_list, start=1)
                    ],
                )
        archived = {
            period: [
                json.loads(c)
                for (c,) in state.query(
                    "SELECT cells FROM journal_archive WHERE workbook = ? AND period = ? "
                    "ORDER BY position",
                    (state.workbook, period),
                )
            ]
            for period in periods
        }
        return count, archived

    def archived(self, count: int, grid: Sequence[Sequence[str]]) -> None:
        """Record that the first `count` rows of the tab (read whole as `grid`) are gone."""
        cursor = self.cursor()
        if cursor is None or count <= 0:
            return
        header, rest = (list(grid[0]), list(grid[1 + count :])) if grid else ([], [])
        first = parse_rows(header, rest[:1])
        first_when = wall(first[0].when) if first and first[0].when else ""
        with self.state.transaction() as db:
            db.execute(
                "UPDATE journal_cursor SET rows = MAX(rows - ?, 0), first_when = ?, mark = '', "
                "checksum = CASE WHEN rows - ? > 0 THEN checksum ELSE ? END WHERE workbook = ?",
                (count, first_when, count, row_checksum([]), self.state.workbook),
            )

    # -- the generated tabs -----------------------------------------------------------------

    def tab_hashes(self) -> dict[str, str]:
        rows = self.state.query(
            "SELECT tab, hash FROM tab_hashes WHERE workbook = ?", (self.state.workbook,)
        )
        return dict(rows)

    def save_tab_hashes(self, hashes: dict[str, str], *, replace: bool = False) -> None:
        with self.state.transaction() as db:
            if replace:
                db.execute("DELETE FROM tab_hashes WHERE workbook = ?", (self.state.workbook,))
            db.executemany(
                "INSERT OR REPLACE INTO tab_hashes (workbook, tab, hash) VALUES (?, ?, ?)",
                [(self.state.workbook, t, h) for t, h in hashes.items()],
            )
