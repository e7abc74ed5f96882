"""Which runs are alive: each run holds an OS lock on its own file under `state/runs/` while it
works, so another run can tell a live owner of an email in flight from a dead one.

The kernel releases the lock when a process dies, however it dies (kill -9 included), so a lock
that can be taken means its run is gone. This is not the single-instance lock of the service: it
only names who claimed which email, so two overlapping runs never send the same one.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from filelock import FileLock, Timeout

RUNS = "runs"


class RunLease:
    """This run's token and lock; `alive(token)` tells whether another run still holds its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / RUNS
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._lock = FileLock(self._path(self.token), mode=0o600)
        self._lock.acquire(timeout=0)

    def _path(self, token: str) -> Path:
        return self.folder / f"{token}.lock"

    def alive(self, token: str) -> bool:
        """Return whether the run `token` is still running (this run counts as alive)."""
        if token == self.token:
            return True
        if not token or not self._path(token).exists():
            return False
        other = FileLock(self._path(token), mode=0o600)
        try:
            other.acquire(timeout=0)
        except Timeout:
            return True
        other.release()
        self._path(token).unlink(missing_ok=True)
        return False

    def live_pids(self) -> list[int]:
        """Return the process ids of the other sheets_sync runs alive on this state folder."""
        pids = []
        for path in sorted(self.folder.glob("*.lock")):
            token = path.stem
            if token != self.token and self.alive(token):
                pid = token.partition("-")[0]
                if pid.isdigit():
                    pids.append(int(pid))
        return pids

    def release(self) -> None:
        self._lock.release()
        self._path(self.token).unlink(missing_ok=True)
