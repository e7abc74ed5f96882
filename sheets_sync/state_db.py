"""The local state's file and its errors: created readable by its owner only, and a lock held by
another process explained (which process, what to do) instead of a traceback."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sheets_sync.errors import SheetsSyncError
from sheets_sync.runs import RunLease

logger = logging.getLogger(__name__)


class StateLocked(SheetsSyncError):
    """Another process holds the state database's write lock for longer than we wait."""


def explained(
    exc: sqlite3.OperationalError, path: Path | None, lease: RunLease | None
) -> Exception:
    """Return the error to show for an SQLite error on the state at `path`."""
    text = str(exc)
    if "locked" not in text and "busy" not in text:
        return SheetsSyncError(f"the local state {path} cannot be used: {text}")
    pids = lease.live_pids() if lease else []
    who = (
        f"sheets_sync, process {', '.join(map(str, pids))}: wait for it to finish"
        if pids
        else "a program other than sheets_sync (an sqlite3 shell, a backup or sync tool?): close it"
    )
    return StateLocked(
        f"the local state {path} is locked by another process ({who}), then run again. "
        "Nothing was sent by this run after the lock was met."
    )


def private_file(path: Path) -> None:
    """Create `path` readable by its owner only, or make an existing one so."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    elif path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
        logger.warning("%s was readable by others; it is now readable by its owner only", path)


@dataclass(frozen=True, slots=True)
class StoredEmail:
    message_id: str
    recipient: str
    to: tuple[str, ...]
    raw: bytes
    keys: tuple[str, ...]
    owner: str = ""


def wall(moment: datetime) -> str:
    """Return a moment as the naive local ISO text the state compares and sorts."""
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def enable_wal(db: sqlite3.Connection, patience: float) -> None:
    """Turn write-ahead logging on. SQLite does not wait for a lock here: two processes opening
    a new state at the same moment may find it busy, so try again for `patience` seconds."""
    waited = 0.0
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or waited >= patience:
                raise
        time.sleep(0.05)
        waited += 0.05
