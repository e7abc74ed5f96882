"""What the hub does with a source this cycle: nothing (it has not changed), or read it, or run
its own cycle. Pure.

A source has not changed when its stamp (Drive's modifiedTime, or an .xlsx file's modification
time and size) is the one the hub last accounted for, or when the only change since is the
hub's own write of its generated tabs (Drive's modifiedByMeTime equals its modifiedTime). An
unchanged source costs no request: its figures are kept, or recomputed for a new day from the
snapshot last read. A source with its own cycle still runs it once a day when the hub sends
(its reminders are due by the day, not by a change); the hub's refreshes skip it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .sources import Source
from .store import SourceState


class Action(StrEnum):
    KEEP = "keep"  # unchanged, figures already of today
    RECOMPUTE = "recompute"  # unchanged: figures for today from the stored snapshot
    READ = "read"  # read it (a source the hub only reads)
    CYCLE = "cycle"  # run its own cycle: read, send what is due, write its tabs


@dataclass(frozen=True, slots=True)
class Stamp:
    """When a source last changed: `modified`, and `by_me` when the hub's account made that
    change (Drive's modifiedByMeTime; "" for a file)."""

    modified: str
    by_me: str = ""


def unchanged(state: SourceState | None, stamp: Stamp | None) -> bool:
    """Return whether the source is as the hub last read it."""
    if state is None or not state.has_snapshot or state.failure or stamp is None:
        return False
    if stamp.modified == state.stamp:
        return True
    return state.wrote and bool(stamp.by_me) and stamp.by_me == stamp.modified


def decide(
    source: Source, state: SourceState | None, stamp: Stamp | None, today: date, send: bool
) -> Action:
    """Return what to do with `source` in a cycle on `today` (sending or a refresh)."""
    same = unchanged(state, stamp)
    if not same:
        return Action.READ if source.read_only else Action.CYCLE
    assert state is not None
    if not source.read_only and send and state.send_day != today:
        return Action.CYCLE
    if state.figures is not None and state.figures.day == today:
        return Action.KEEP
    return Action.RECOMPUTE
