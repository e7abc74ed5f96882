"""What the generated tabs need besides the obligations: the day, when and from what they were
built, the mailing history, and the service's health. Pure data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Health:
    """How the scheduled service (`serve`) is doing, for «Сводка»: its last good cycle, its next
    planned send, and its last failure with the reason in Russian."""

    last_success: datetime | None = None
    next_run: datetime | None = None
    last_failure: datetime | None = None
    failure_reason: str = ""
    failures_in_a_row: int = 0  # 0: the last cycle before this one went well


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What the report needs besides obligations: when, from where, and the mailing history."""

    today: date
    built_at: datetime
    source: str
    sent_keys: frozenset[str]
    last_sent: Mapping[str, datetime]
    run_note: str = ""
    health: Health | None = None  # None: not run by the service (a `once` by hand or by cron)
    # Reminder stages sent per obligation id (coordinator escalations not counted; a Counter:
    # 0 for any other), when the caller has them counted already; else counted from sent_keys.
    reminder_counts: Mapping[str, int] | None = None
