"""One instance per workbook: a lock under the state folder, held by `serve` for its whole life
and by each `once`, `sync` and `init`.

The lock is filelock's OS lock (flock), so the kernel drops it when its process dies: a lock
left by a killed process is simply taken by the next one. Beside it, a small JSON file that only
the holder writes says who holds it (pid, host, command, since when), so a second instance can
say whom it is waiting for.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from sheets_sync.errors import SheetsSyncError
from sheets_sync.settings.types import Settings

_KEY_IN_URL = re.compile(r"/d/([A-Za-z0-9_-]+)")


class AlreadyRunning(SheetsSyncError):
    """Another sheets_sync holds this workbook's lock."""


def workbook_key(settings: Settings) -> str:
    """Return a file-name-safe key naming the workbook: the spreadsheet's key, or the .xlsx
    file's absolute path (a readable stem and a hash of the whole)."""
    if settings.workbook.backend == "google":
        text = (settings.workbook.spreadsheet or "").strip()
        match = _KEY_IN_URL.search(text)
        identity, stem = f"google:{match.group(1) if match else text}", "google"
    else:
        path = (settings.workbook.path or Path("workbook.xlsx")).resolve()
        identity, stem = f"xlsx:{path}", path.stem
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:40] or "workbook"
    return f"{slug}-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"


def lock_path(settings: Settings) -> Path:
    return settings.state_dir / f"{workbook_key(settings)}.lock"


@contextmanager
def instance_lock(settings: Settings, command: str, started: datetime) -> Iterator[Path]:
    """Hold the workbook's lock for the block; raise AlreadyRunning at once, naming the holder,
    when another process has it."""
    path = lock_path(settings)
    owner = path.with_name(path.name + ".json")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path, timeout=0)
        lock.acquire()
    except Timeout:
        raise AlreadyRunning(_refusal(settings, owner)) from None
    except OSError as exc:
        raise SheetsSyncError(
            f"cannot lock {path}: {exc.strerror}; check `state.dir` and its permissions"
        ) from exc
    try:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": command,
            "since": started.isoformat(timespec="seconds"),
        }
        owner.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        yield path
    finally:
        with suppress(OSError):
            owner.unlink()
        lock.release()


def _refusal(settings: Settings, owner: Path) -> str:
    label = workbook_label(settings)
    try:
        info = json.loads(owner.read_text(encoding="utf-8"))
        holder = (
            f"pid {info['pid']} on {info['host']} (`sheets-sync {info['command']}`, "
            f"since {info['since']})"
        )
    except (OSError, ValueError, KeyError, TypeError):
        holder = "another process (it has not said which yet)"
    return (
        f"{label} is in use by another sheets_sync: {holder}. Only one instance may work on a "
        "workbook at a time: wait for it to finish, or stop it first (for the service: "
        "`systemctl stop sheets-sync`)"
    )


def workbook_label(settings: Settings) -> str:
    """Return the workbook as people name it: the spreadsheet's URL or key, or the file."""
    return settings.workbook.spreadsheet or str(settings.workbook.path)
