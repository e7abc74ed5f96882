"""The hub's local state (SQLite, `state/hub.sqlite3`): per source, when it last changed as the
hub accounted for it, whether the hub wrote it since, the day of its last sending cycle, its
last successful read, how it failed and since when, its figures, and the snapshot last read (so
an unchanged source is summarized for a new day without a request).

A file of its own: it never touches the emails' state, and deleting it is safe (the next cycle
reads every source once).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

from sheets_sync.errors import SheetsSyncError
from sheets_sync.workbook import SheetInfo, Snapshot

from .figures import Figures, from_json, to_json

FILE = "hub.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS hub_sources (
    hub            TEXT NOT NULL,
    source         TEXT NOT NULL,
    stamp          TEXT NOT NULL DEFAULT '',
    wrote          INTEGER NOT NULL DEFAULT 0,
    send_day       TEXT NOT NULL DEFAULT '',
    read_at        TEXT NOT NULL DEFAULT '',
    failing_since  TEXT NOT NULL DEFAULT '',
    failure        TEXT NOT NULL DEFAULT '',
    figures        TEXT NOT NULL DEFAULT '',
    snapshot       BLOB,
    PRIMARY KEY (hub, source)
);
"""


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the hub remembers of one source."""

    stamp: str = ""  # its modifiedTime (or the file's mtime and size) as last accounted for
    wrote: bool = False  # the hub wrote its generated tabs after reading that stamp
    send_day: date | None = None  # the day of its last sending cycle
    read_at: datetime | None = None  # its last successful read
    failing_since: datetime | None = None
    failure: str = ""  # why its last try failed ("" when it did not)
    figures: Figures | None = field(default=None, compare=False)
    has_snapshot: bool = False


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _moment(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _text(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


def pack(snapshot: Snapshot) -> bytes:
    data = {
        "title": snapshot.title,
        "tabs": snapshot.tabs,
        "version": snapshot.version,
        "url": snapshot.url,
        "all_tabs": list(snapshot.all_tabs),
        "sheets": {n: [i.sheet_id, i.rows, i.cols] for n, i in snapshot.sheets.items()},
        "identity": snapshot.identity,
        "uncalculated": {t: list(c) for t, c in snapshot.uncalculated.items()},
    }
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode(), 6)


def unpack(blob: bytes) -> Snapshot | None:
    try:
        data: dict[str, Any] = json.loads(zlib.decompress(blob))
        return Snapshot(
            title=data["title"],
            tabs=data["tabs"],
            version=data["version"],
            url=data["url"],
            all_tabs=tuple(data["all_tabs"]),
            sheets={n: SheetInfo(*v) for n, v in data["sheets"].items()},
            identity=data["identity"],
            uncalculated={t: tuple(c) for t, c in data["uncalculated"].items()},
        )
    except (ValueError, KeyError, TypeError, zlib.error):
        return None


class HubStore:
    """The hub's record of its sources, for the summary workbook `hub`."""

    def __init__(self, folder: Path, hub: str) -> None:
        self.hub = hub
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(folder / FILE, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise SheetsSyncError(
                f"cannot open the hub's state in {folder}: {exc}; "
                "check `state.dir` and its permissions"
            ) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, source: str) -> SourceState | None:
        row = self.db.execute(
            "SELECT stamp, wrote, send_day, read_at, failing_since, failure, figures, "
            "snapshot IS NOT NULL FROM hub_sources WHERE hub = ? AND source = ?",
            (self.hub, source),
        ).fetchone()
        if row is None:
            return None
        return SourceState(
            stamp=row[0],
            wrote=bool(row[1]),
            send_day=_day(row[2]),
            read_at=_moment(row[3]),
            failing_since=_moment(row[4]),
            failure=row[5],
            figures=from_json(row[6]) if row[6] else None,
            has_snapshot=bool(row[7]),
        )

    def snapshot(self, source: str) -> Snapshot | None:
        row = self.db.execute(
            "SELECT snapshot FROM hub_sources WHERE hub = ? AND source = ?", (self.hub, source)
        ).fetchone()
        return unpack(row[0]) if row and row[0] is not None else None

    def save(self, source: str, state: SourceState, snapshot: Snapshot | None = None) -> None:
        """Record `state`; the snapshot is replaced only when one is given."""
        values = (
            state.stamp,
            int(state.wrote),
            _text(state.send_day),
            _text(state.read_at),
            _text(state.failing_since),
            state.failure,
            to_json(state.figures) if state.figures else "",
        )
        self.db.execute(
            "INSERT INTO hub_sources (hub, source, stamp, wrote, send_day, read_at, "
            "failing_since, failure, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (hub, source) DO UPDATE SET stamp = excluded.stamp, "
            "wrote = excluded.wrote, send_day = excluded.send_day, read_at = excluded.read_at, "
            "failing_since = excluded.failing_since, failure = excluded.failure, "
            "figures = excluded.figures",
            (self.hub, source, *values),
        )
        if snapshot is not None:
            self.db.execute(
                "UPDATE hub_sources SET snapshot = ? WHERE hub = ? AND source = ?",
                (pack(snapshot), self.hub, source),
            )
