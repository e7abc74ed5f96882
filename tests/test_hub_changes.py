"""What the hub does with a source: unchanged sources cost nothing (the hub's own write is no
change), changed ones are read or run, and a source with its own cycle still sends once a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sheets_sync.hub.changes import Action, Stamp, decide, unchanged
from sheets_sync.hub.figures import Figures
from sheets_sync.hub.sources import Source
from sheets_sync.hub.store import SourceState
from sheets_sync.tally import Tally

TODAY = date(2020, 9, 8)
READ = "2020-09-08T06:00:00.000Z"
OURS = "2020-09-08T06:00:03.000Z"
OWN = Source("google:k", "google", "k")
ONLY_READ = Source("google:k", "google", "k", read_only=True)


def state(day=TODAY, **changes):
    figures = Figures(day, "", Tally(), 0, 0, 0, ())
    base = {"stamp": READ, "has_snapshot": True, "send_day": day, "figures": figures}
    return SourceState(**{**base, **changes})


@pytest.mark.parametrize(
    ("before", "now", "same"),
    [
        (state(), Stamp(READ), True),
        (state(), Stamp(OURS), False),  # changed by someone
        (state(wrote=True), Stamp(OURS, by_me=OURS), True),  # only the hub's own write
        (state(wrote=True), Stamp("2020-09-08T07:00:00.000Z", by_me=OURS), False),
        (state(wrote=False), Stamp(OURS, by_me=OURS), False),  # not a write after its read
        (state(failure="нет доступа"), Stamp(READ), False),  # a failed source is tried again
        (state(has_snapshot=False), Stamp(READ), False),
        (state(), None, False),  # not listed: not shared, deleted, or not searched
        (None, Stamp(READ), False),
    ],
)
def test_a_source_is_unchanged_only_when_its_stamp_says_so(before, now, same):
    assert unchanged(before, now) is same


def test_a_source_with_its_own_cycle_runs_it_once_a_day_when_the_hub_sends():
    yesterday = state(day=TODAY - timedelta(days=1))

    assert decide(OWN, yesterday, Stamp(READ), TODAY, send=True) is Action.CYCLE
    assert decide(OWN, state(), Stamp(READ), TODAY, send=True) is Action.KEEP
    assert decide(OWN, yesterday, Stamp(READ), TODAY, send=False) is Action.RECOMPUTE
    assert decide(OWN, state(), Stamp(OURS), TODAY, send=False) is Action.CYCLE


def test_a_source_only_read_is_read_when_it_changed_and_else_recomputed_for_a_new_day():
    yesterday = state(day=TODAY - timedelta(days=1))

    assert decide(ONLY_READ, yesterday, Stamp(READ), TODAY, send=True) is Action.RECOMPUTE
    assert decide(ONLY_READ, state(), Stamp(OURS), TODAY, send=True) is Action.READ
    assert decide(ONLY_READ, None, None, TODAY, send=True) is Action.READ
