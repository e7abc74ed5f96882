"""What the service remembers between cycles and restarts, in a small JSON file under the state
folder (one per workbook): the day of its last sending cycle (to catch up after downtime), its
last success and failure (for «Сводка»), and the failures in a row and whether the administrator
was alerted (one email after N failures, one on recovery)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sheets_sync.errors import SheetsSyncError
from sheets_sync.report.context import Health

from .failures import Failure

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Status:
    last_send_day: date | None = None  # the day of the last sending cycle that went through
    last_success: datetime | None = None
    last_failure: datetime | None = None
    failure_reason: str = ""  # Russian, for «Сводка» and the alert
    failure_fix: str = ""  # Russian, for the alert
    failure_detail: str = ""  # the error as logged, for the administrator
    failures: int = 0  # failed cycles in a row
    failing_since: datetime | None = None
    alerted: bool = False  # the administrator was told of the failures in a row

    def succeeded(self, now: datetime, *, sent: bool) -> Status:
        return replace(
            self,
            last_success=now,
            last_send_day=now.date() if sent else self.last_send_day,
            failures=0,
            failing_since=None,
        )

    def failed(self, now: datetime, failure: Failure) -> Status:
        return replace(
            self,
            last_failure=now,
            failure_reason=failure.reason,
            failure_fix=failure.fix,
            failure_detail=failure.detail,
            failures=self.failures + 1,
            failing_since=self.failing_since or now,
        )

    def health(self, next_run: datetime | None) -> Health:
        return Health(
            last_success=self.last_success,
            next_run=next_run,
            last_failure=self.last_failure,
            failure_reason=self.failure_reason,
            failures_in_a_row=self.failures,
        )


class StatusFile:
    """The status of the service for one workbook, kept in `path` (replaced atomically)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Status:
        """Return the status; a damaged file is reported and the service starts afresh (the
        local state, not this file, keeps a reminder from going out twice)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Status(**{f.name: _load(f.name, data.get(f.name)) for f in fields(Status)})
        except FileNotFoundError:
            return Status()
        except OSError as exc:
            raise SheetsSyncError(
                f"cannot read the service status {self.path}: {exc.strerror}; check `state.dir` "
                "and its permissions"
            ) from exc
        except (ValueError, TypeError, AttributeError) as exc:
            logger.warning("the service status %s is damaged (%s): starting afresh", self.path, exc)
            return Status()

    def save(self, status: Status) -> None:
        tmp = self.path.with_suffix(".tmp")
        data = {k: _dump(v) for k, v in asdict(status).items()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise SheetsSyncError(
                f"cannot write the service status {self.path}: {exc.strerror}; check `state.dir` "
                "and its permissions"
            ) from exc


def _dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _load(name: str, value: Any) -> Any:
    default = getattr(Status(), name)
    if value is None:
        return default
    if name == "last_send_day":
        return date.fromisoformat(value)
    if name in ("last_success", "last_failure", "failing_since"):
        return datetime.fromisoformat(value)
    return value
