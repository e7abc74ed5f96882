"""Pacing: token buckets on an injected clock keep every minute under the quota, wait only when
the bucket is empty, and charge what a call really cost."""

from __future__ import annotations

from sheets_sync.hub.pacing import Buckets, PacedBook, TokenBucket
from sheets_sync.workbook import Snapshot
from tests.hub_project import FakePace


def test_a_burst_goes_at_once_then_requests_wait_for_the_rate():
    pace = FakePace()
    bucket = TokenBucket(per_minute=30, burst=3, clock=pace)
    for _ in range(5):
        bucket.take()

    assert pace.waits == [2.0, 2.0]  # three at once, then one every two seconds
    assert bucket.waited == 4.0 and bucket.taken == 5


def test_in_any_minute_no_more_than_the_burst_and_the_rate_go_out():
    pace = FakePace()
    bucket = TokenBucket(per_minute=45, burst=10, clock=pace)
    sent = []
    for n in range(300):
        bucket.take()
        sent.append(pace.now)
        pace.now += 0.05 * (n % 7)  # the work between requests
    for i, start in enumerate(sent):
        within = sum(1 for t in sent[i:] if t < start + 60)
        assert within <= 10 + 45


def test_no_wait_at_all_while_requests_come_slower_than_the_rate():
    pace = FakePace()
    bucket = TokenBucket(per_minute=60, burst=1, clock=pace)
    for _ in range(10):
        bucket.take()
        pace.now += 1.5

    assert pace.waits == []


def test_a_call_that_cost_more_requests_is_charged_and_the_next_one_waits_for_it():
    pace = FakePace()
    bucket = TokenBucket(per_minute=60, burst=2, clock=pace)
    bucket.take()
    bucket.charge(2)  # a first read: a failed get, the tab list, the read again
    bucket.take()

    assert pace.waits == [2.0]
    assert bucket.taken == 4


class CountingBook:
    """A workbook that sends `cost` requests a call, as GoogleWorkbook counts them."""

    label = "counting"

    def __init__(self, cost):
        self.cost, self.requests = cost, 0

    def read(self, journal_from=1, journal_width=0, journal_mark=""):
        self.requests += self.cost
        return Snapshot("", {}, "")

    def write(self, snapshot, tabs, journal, *, drop_journal_rows=0, marks=()):
        self.requests += 1


def test_a_paced_book_takes_a_token_a_call_and_keeps_what_it_read():
    pace = FakePace()
    buckets = Buckets(TokenBucket(60, 5, pace), TokenBucket(60, 5, pace))
    book = PacedBook(CountingBook(cost=3), buckets)
    snapshot = book.read()
    book.write(snapshot, [], [])

    assert book.snapshot is snapshot
    assert (buckets.reads.taken, buckets.writes.taken) == (3, 1)
