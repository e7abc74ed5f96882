"""What the generated tabs need besides the obligations: the day, when and from what they were
built, and the mailing history. Pure data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What the report needs besides obligations: when, from where, and the mailing history."""

    today: date
    built_at: datetime
    source: str
    sent_keys: frozenset[str]
    last_sent: Mapping[str, datetime]
    run_note: str = ""
    # Reminder stages sent per obligation id (coordinator escalations not counted; a Counter:
    # 0 for any other), when the caller has them counted already; else counted from sent_keys.
    reminder_counts: Mapping[str, int] | None = None
