"""«Журнал рассылки»: the rows of each email, and what they say was sent. Pure.

An email is one row: when, to whom, its stages and obligations on one line (a cell with line
breaks overprints its neighbours in LibreOffice unless its row is sized), the result, the
Message-ID and, in the last, narrow column «Ключи», the reminder keys it carried, separated by
"; ". Every column but «Когда» and «Ключи» wraps its long texts, its row made as tall as they
take, so the tab prints landscape with every visible column on the page's width. Every key is written, whatever the email's size: when they do not fit in one cell
(KEYS_PER_CELL characters, under Excel's 32,767 and Google's 50,000), the row is followed by
continuation rows with the same time, recipient, result and Message-ID, each holding the next
keys. Every row thus reads on its own, so the journal alone tells every reminder ever sent, and a
run whose local state is lost sends none of them again.

Rows written before this format (keys separated by line breaks in one cell) read the same way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.inputs.table import header_key
from sheets_sync.stages import ReminderKey
from sheets_sync.wording import ru_datetime

from .tabs import Cell, Row

HEADER = ("Когда", "Кому", "Адреса", "Этап", "Обязательства", "Результат", "Message-ID", "Ключи")
WIDTHS = (16, 26, 20, 18, 44, 14, 22, 8)
KEYS_COLUMN = len(HEADER)  # 1-based: the last column, narrow, hidden where the backend can
WRAP = tuple(range(2, KEYS_COLUMN))  # 1-based: «Кому» to «Message-ID» (a key cell never wraps)
KEYS_PER_CELL = 30_000
KEY_SEPARATOR = "; "
OBLIGATIONS_CHARS = 1_000  # the whole list is in the email and in the local state
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
_SPLIT_KEYS = re.compile(r"[\n;]+")


def _line(text: str) -> str:
    return " ".join(text.split())


def key_chunks(keys: Sequence[str], limit: int = KEYS_PER_CELL) -> list[str]:
    """Return `keys` joined by "; " into as few cells of at most `limit` characters as fit
    (one key longer than `limit` gets a cell of its own)."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for key in keys:
        extra = len(key) + (len(KEY_SEPARATOR) if current else 0)
        if current and size + extra > limit:
            chunks.append(KEY_SEPARATOR.join(current))
            current, size, extra = [], 0, len(key)
        current.append(key)
        size += extra
    if current or not chunks:
        chunks.append(KEY_SEPARATOR.join(current))
    return chunks


WEEKLY = "сводка за неделю"  # the summary's line among an email's obligations


def _obligations(summary: str) -> str:
    """Return the email's obligations on one line, cut after OBLIGATIONS_CHARS at an item."""
    lines = [_line(s) for s in summary.splitlines() if s.strip()]
    # How many obligations: «… и ещё N» stands for N of them, the weekly summary for none.
    total = sum(
        int(t.removeprefix("… и ещё ")) if t.startswith("… и ещё ") else t != WEEKLY for t in lines
    )
    kept: list[str] = []
    size = 0
    for text in lines:
        if kept and size + len(text) + 2 > OBLIGATIONS_CHARS:
            return "; ".join(kept) + f"; … всего {total}"
        kept.append(text)
        size += len(text) + 2
    return "; ".join(kept)


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
        """What tells this email's rows apart in the tab: Message-ID, result and minute."""
        return (self.message_id, self.result, ru_datetime(self.when))

    def rows(self) -> list[Row]:
        """Return the email's row, then a continuation row for each further cell of keys."""
        label = RESULT_LABELS.get(self.result, self.result)
        if self.error:
            label = _line(f"{label}: {self.error}")
        style = "" if self.result == "sent" else "bad"
        chunks = key_chunks(self.keys)
        first: Row = (
            Cell(self.when),
            Cell(_line(self.to_name)),
            Cell(", ".join(self.addresses)),
            Cell(_line(self.stages)),
            Cell(_obligations(self.obligations)),
            Cell(label, style),  # type: ignore[arg-type]
            Cell(self.message_id),
            Cell(chunks[0]),
        )
        more = [
            (
                Cell(self.when),
                Cell(_line(self.to_name)),
                Cell(""),
                Cell(""),
                Cell(f"продолжение списка ключей: часть {n} из {len(chunks)}", "muted"),
                Cell(label, style),  # type: ignore[arg-type]
                Cell(self.message_id),
                Cell(chunk),
            )
            for n, chunk in enumerate(chunks[1:], start=2)
        ]
        return [first, *more]


@dataclass(frozen=True, slots=True)
class JournalRow:
    """What one row of the journal tab says."""

    message_id: str
    result: str  # "sent", "refused", "failed", or "" when the cell says none of them
    when: datetime | None
    keys: tuple[str, ...]

    @property
    def identity(self) -> tuple[str, str, str] | None:
        if not self.message_id or self.when is None:
            return None
        return (self.message_id, self.result, ru_datetime(self.when))


def result_of(label: str) -> str:
    """Return the result ("sent", "refused", "failed") a «Результат» cell's text stands for."""
    text = label.casefold()
    for result, prefix in RESULT_LABELS.items():
        if text.startswith(prefix):
            return result
    return ""


def columns_of(header: Sequence[str]) -> dict[str, int]:
    """Return the 0-based column of each known header (staff may move columns)."""
    keys = [header_key(h) for h in header]
    return {name: keys.index(header_key(name)) for name in HEADER if header_key(name) in keys}


def parse_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[JournalRow]:
    """Return what each row under `header` says (staff edits tolerated)."""
    col = columns_of(header)

    def get(cells: Sequence[str], name: str) -> str:
        i = col.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    parsed = []
    for cells in rows:
        result = result_of(get(cells, "Результат"))
        keys = tuple(k.strip() for k in _SPLIT_KEYS.split(get(cells, "Ключи")) if k.strip())
        when = parse_when(get(cells, "Когда"))
        parsed.append(JournalRow(get(cells, "Message-ID"), result, when, keys))
    return parsed


def row_checksum(cells: Sequence[str]) -> str:
    """Return a short checksum of a row's texts (to tell whether a row is still the same)."""
    trimmed = list(cells)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return hashlib.sha256("\x1f".join(trimmed).encode()).hexdigest()[:16]


def row_mark(header: Sequence[str], cells: Sequence[str]) -> str:
    """Return what tells a journal row apart, whichever backend read it: a checksum of its
    Message-ID and keys (texts both backends give back as written), or of the whole row when
    it has neither (a row typed by hand)."""
    col = columns_of(header)
    mine = [
        cells[i] if i < len(cells) else ""
        for i in (col.get("Message-ID"), col.get("Ключи"))
        if i is not None
    ]
    return row_checksum(mine) if any(mine) else row_checksum(cells)


def written_mark(row: Row) -> str:
    """Return `row_mark` of a row this program writes (in HEADER's order)."""
    texts = [c.value if isinstance(c.value, str) else "" for c in row]
    return row_mark(HEADER, texts)


@dataclass(frozen=True, slots=True)
class JournalLog:
    """What journal rows say was sent: reminder keys, row identities, last email per recipient."""

    sent_keys: frozenset[str] = frozenset()
    rows_seen: frozenset[tuple[str, str, str]] = frozenset()
    last_sent: dict[str, datetime] = field(default_factory=dict)
    rows: int = 0


def summarise(rows: Sequence[JournalRow]) -> JournalLog:
    """Return what `rows` say was sent."""
    keys: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    last: dict[str, datetime] = {}
    for row in rows:
        if row.identity:
            seen.add(row.identity)
        if row.result != "sent":
            continue
        parsed = [k for k in map(ReminderKey.parse, row.keys) if k]
        keys.update(str(k) for k in parsed)
        when = row.when
        for recipient in {k.recipient for k in parsed}:
            if when and (recipient not in last or when > last[recipient]):
                last[recipient] = when
    return JournalLog(frozenset(keys), frozenset(seen), last, len(rows))


def read_journal(grid: Sequence[Sequence[str]]) -> JournalLog:
    """Return what was sent according to a whole journal tab (header row first)."""
    if not grid:
        return JournalLog()
    if "Ключи" not in columns_of(grid[0]):
        return JournalLog(rows=len(grid) - 1)
    return summarise(parse_rows(grid[0], grid[1:]))


def parse_when(text: str) -> datetime | None:
    for fmt in _WHEN:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 - journal times are local, naive
        except ValueError:
            continue
    return None
