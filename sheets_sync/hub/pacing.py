"""Requests paced under Google's per-minute quotas: a token bucket per kind (reads, writes) on an
injected clock, and a workbook wrapper that takes a token before each call.

A bucket holds at most `burst` tokens and gains `per_minute / 60` a second, so in any minute at
most `burst + per_minute` requests go out. A call takes one token before it is sent, waiting
only when the bucket is empty (not a fixed sleep after every call); what the call really cost
(a retry, a first read that lists the tabs) is charged afterwards, and the next call waits for
that debt.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from sheets_sync.inputs.cells import CellMark
from sheets_sync.report.tabs import Row, Tab
from sheets_sync.workbook import Snapshot, Workbook


class PaceClock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemPace:
    """The real clock: monotonic seconds, and a real wait."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class TokenBucket:
    """At most `burst` requests at once and `per_minute` a minute on average."""

    def __init__(self, per_minute: float, burst: float, clock: PaceClock) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(burst)
        self.clock = clock
        self.tokens = self.capacity
        self.last = clock.monotonic()
        self.waited = 0.0  # seconds spent waiting for tokens, all told
        self.taken = 0  # requests accounted for

    def _refill(self) -> None:
        now = self.clock.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now

    def take(self, count: int = 1) -> None:
        """Wait until `count` tokens are there, then spend them."""
        self._refill()
        if self.tokens < count:
            wait = (count - self.tokens) / self.rate
            self.clock.sleep(wait)
            self.waited += wait
            self._refill()
        self.tokens -= count
        self.taken += count

    def charge(self, count: int) -> None:
        """Spend `count` more tokens for requests already sent (the bucket may go below 0)."""
        if count > 0:
            self._refill()
            self.tokens -= count
            self.taken += count


class Buckets:
    """The hub's two buckets: reads (Sheets reads, the Drive listing) and writes."""

    def __init__(self, reads: TokenBucket, writes: TokenBucket) -> None:
        self.reads, self.writes = reads, writes


def requests_of(book: object) -> int:
    """Return how many HTTP requests a Google workbook has sent (0 for a local file)."""
    return int(getattr(book, "requests", 0))


class PacedBook:
    """A source workbook whose every request is paced (Google only; a local file is not), and
    which keeps the last snapshot it read."""

    def __init__(self, inner: Workbook, buckets: Buckets | None) -> None:
        self.inner = inner
        self.label = inner.label
        self.buckets = buckets
        self.snapshot: Snapshot | None = None

    def _paced(self, bucket: TokenBucket | None) -> int:
        if bucket is not None:
            bucket.take()
        return requests_of(self.inner)

    def _settle(self, bucket: TokenBucket | None, before: int) -> None:
        if bucket is not None:
            bucket.charge(requests_of(self.inner) - before - 1)

    def read(
        self, journal_from: int = 1, journal_width: int = 0, journal_mark: str = ""
    ) -> Snapshot:
        bucket = self.buckets.reads if self.buckets else None
        before = self._paced(bucket)
        try:
            self.snapshot = self.inner.read(journal_from, journal_width, journal_mark)
        finally:
            self._settle(bucket, before)
        return self.snapshot

    def write(
        self,
        snapshot: Snapshot,
        tabs: Sequence[Tab],
        journal: Sequence[Row],
        *,
        drop_journal_rows: int = 0,
        marks: Sequence[CellMark] = (),
    ) -> None:
        bucket = self.buckets.writes if self.buckets else None
        before = self._paced(bucket)
        try:
            self.inner.write(
                snapshot, tabs, journal, drop_journal_rows=drop_journal_rows, marks=marks
            )
        finally:
            self._settle(bucket, before)

    def init(self, headers: dict[str, tuple[str, ...]]) -> list[str]:
        return self.inner.init(headers)

    def extend(
        self,
        snapshot: Snapshot,
        tab: str,
        header_row: int,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
    ) -> None:
        self.inner.extend(snapshot, tab, header_row, headers, rows)

    def put_tab(
        self, snapshot: Snapshot, name: str, rows: Sequence[Sequence[str]], header_row: int
    ) -> None:
        self.inner.put_tab(snapshot, name, rows, header_row)
