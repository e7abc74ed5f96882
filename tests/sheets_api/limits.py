"""Per-minute quotas with an injectable clock, and finite fault injection.

Quotas follow Google's usage-limits page (spec §9): read and write requests are counted
separately, 300 per minute per project and 60 per minute per user per project; a batch counts as
one request. Faults are always finite ("the next N matching requests"), because gspread's
BackOffHTTPClient retries forever.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.sheets_api.errors import quota_exceeded


@dataclass
class QuotaLimits:
    read_per_user: int = 60
    read_per_project: int = 300
    write_per_user: int = 60
    write_per_project: int = 300


class Quota:
    """Fixed one-minute windows on the emulator clock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.limits = QuotaLimits()
        self._counts: dict[tuple[str, str, str, int], int] = {}

    def charge(self, kind: str, email: str, project_id: str, project_number: str) -> None:
        """Count one ``kind`` ("Read"/"Write") request, or raise the 429 Google would send."""
        window = int(self.clock() // 60)
        lower = kind.lower()
        user_key = ("user", f"{project_id}/{email}", kind, window)
        project_key = ("project", project_id, kind, window)
        user_limit = getattr(self.limits, f"{lower}_per_user")
        project_limit = getattr(self.limits, f"{lower}_per_project")
        if self._counts.get(user_key, 0) >= user_limit:
            raise quota_exceeded(kind, "user", project_number, user_limit)
        if self._counts.get(project_key, 0) >= project_limit:
            raise quota_exceeded(kind, "project", project_number, project_limit)
        self._counts[user_key] = self._counts.get(user_key, 0) + 1
        self._counts[project_key] = self._counts.get(project_key, 0) + 1
        # Old windows are never read again.
        for key in [k for k in self._counts if k[3] < window]:
            del self._counts[key]

    def reset(self) -> None:
        self.limits = QuotaLimits()
        self._counts.clear()


@dataclass
class Fault:
    """What to do to the next ``count`` requests matching ``method`` and ``path``."""

    count: int = 1
    method: str | None = None
    path: str | None = None
    status: int | None = None
    retry_after: int | str | None = None
    delay: float | None = None
    drop: bool = False
    malformed: bool = False
    html: bool = False
    body: Any = None
    applied: bool = False  # the request takes effect first; only its answer misbehaves

    def matches(self, method: str, raw_path: str, decoded_path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path:
            pattern = re.compile(self.path)
            return bool(pattern.search(raw_path) or pattern.search(decoded_path))
        return True

    @property
    def replaces_response(self) -> bool:
        return (
            self.status is not None
            or self.drop
            or self.malformed
            or self.html
            or self.body is not None
        )

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)}


class Faults:
    """A FIFO of pending faults; each matching request uses up one."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.count < 1:
            raise ValueError("a fault must apply to at least one request (count >= 1)")
        if fault.delay is not None and not 0 <= fault.delay <= 30:
            raise ValueError("delay must be between 0 and 30 seconds")
        self.pending.append(fault)

    def take(self, method: str, raw_path: str, decoded_path: str) -> Fault | None:
        for fault in self.pending:
            if fault.matches(method, raw_path, decoded_path):
                fault.count -= 1
                if fault.count == 0:
                    self.pending.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self.pending.clear()
