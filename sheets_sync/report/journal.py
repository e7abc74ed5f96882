"""«Журнал рассылки»: one row per email, and the reminder keys read back from it. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sheets_sync.inputs.cells import Grid
from sheets_sync.inputs.table import header_key
from sheets_sync.stages import ReminderKey
from sheets_sync.wording import ru_datetime

from .tabs import Cell, Row

HEADER = ("Когда", "Кому", "Адреса", "Этап", "Обязательства", "Результат", "Message-ID", "Ключи")
WIDTHS = (17, 30, 30, 24, 60, 22, 30, 40)
RESULT_SENT = "отправлено"
RESULT_LABELS = {
    "sent": RESULT_SENT,
    "refused": "отклонено сервером",
    "failed": "не доставлено",
    "pending": "в очереди",
}
_WHEN = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y",
)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    when: datetime
    to_name: str
    addresses: tuple[str, ...]
    stages: str
    obligations: str
    result: str  # "sent", "refused", "failed"
    message_id: str
    keys: tuple[str, ...]
    error: str = ""

    @property
    def identity(self) -> tuple[str, str, str]:
        """What tells this row apart in the tab: Message-ID, result and minute."""
        return (self.message_id, self.result, ru_datetime(self.when))

    def row(self) -> Row:
        label = RESULT_LABELS.get(self.result, self.result)
        if self.error:
            label = f"{label}: {self.error}"
        style = "" if self.result == "sent" else "bad"
        return (
            Cell(self.when),
            Cell(self.to_name),
            Cell(", ".join(self.addresses)),
            Cell(self.stages),
            Cell(self.obligations),
            Cell(label, style),  # type: ignore[arg-type]
            Cell(self.message_id),
            Cell("\n".join(self.keys)),
        )


@dataclass(frozen=True, slots=True)
class JournalLog:
    """What the journal tab says was sent: reminder keys, Message-IDs, last email per recipient."""

    sent_keys: frozenset[str] = frozenset()
    rows_seen: frozenset[tuple[str, str, str]] = frozenset()  # JournalEntry.identity of each row
    last_sent: dict[str, datetime] = field(default_factory=dict)
    rows: int = 0
    first_sent: date | None = None  # the day of the earliest email sent
    sent_on: Mapping[str, date] = field(default_factory=dict)  # key -> the day it was first sent

    def sent_before(self, day: date) -> set[str]:
        """Return the keys of emails sent before `day`."""
        return {key for key, on in self.sent_on.items() if on < day}


def result_of(label: str) -> str:
    """Return the result ("sent", "refused", "failed") a «Результат» cell's text stands for."""
    text = label.casefold()
    for result, prefix in RESULT_LABELS.items():
        if text.startswith(prefix):
            return result
    return ""


def read_journal(grid: Grid) -> JournalLog:
    """Return what was sent according to the journal tab's rows (staff edits tolerated)."""
    if not grid:
        return JournalLog()
    header = [header_key(h) for h in grid[0]]
    col = {name: header.index(header_key(name)) for name in HEADER if header_key(name) in header}
    if "Ключи" not in col:
        return JournalLog(rows=len(grid) - 1)
    keys: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    last: dict[str, datetime] = {}
    sent_on: dict[str, date] = {}
    for cells in grid[1:]:
        row = {name: cells[i].strip() for name, i in col.items() if i < len(cells)}
        result = result_of(row.get("Результат", ""))
        when = _parse_when(row.get("Когда", ""))
        if row.get("Message-ID") and when:
            seen.add((row["Message-ID"], result, ru_datetime(when)))
        if result != "sent":
            continue
        row_keys = [
            k for k in map(ReminderKey.parse, re.split(r"[\n;]+", row.get("Ключи", ""))) if k
        ]
        keys.update(map(str, row_keys))
        if when is not None:
            _note_when(when, row_keys, sent_on, last)
    first = min(sent_on.values(), default=None)
    return JournalLog(frozenset(keys), frozenset(seen), last, len(grid) - 1, first, sent_on)


def _note_when(
    when: datetime,
    row_keys: list[ReminderKey],
    sent_on: dict[str, date],
    last: dict[str, datetime],
) -> None:
    """Remember the earliest day each key was sent and the latest email to each recipient."""
    for key in map(str, row_keys):
        sent_on[key] = min(sent_on.get(key, when.date()), when.date())
    for recipient in {k.recipient for k in row_keys}:
        last[recipient] = max(last.get(recipient, when), when)


def _parse_when(text: str) -> datetime | None:
    for fmt in _WHEN:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 - journal times are local, naive
        except ValueError:
            continue
    return None
