"""The small obligations the pure reminder tests share: a policy, a school, and an obligation
due on a given day as seen on another."""

from __future__ import annotations

from datetime import date

from sheets_sync.deadlines import Deadline
from sheets_sync.inputs.cells import SourceRef
from sheets_sync.inputs.records import RoadmapItem
from sheets_sync.obligations import Obligation, Party, State
from sheets_sync.settings.types import ReminderPolicy

POLICY = ReminderPolicy(
    before_due_days=(7, 1),
    repeat_overdue_every_days=7,
    escalate_after_days=14,
    escalate_to=("boss@example.org",),
)
SCHOOL = Party("school", "01", "Школа 1", ("a@example.org",))


def item(key: str = "1") -> RoadmapItem:
    ref = SourceRef("Дорожная карта", 2)
    return RoadmapItem(key, key, "", "Отчёт", Deadline("", "dates"), "", (), True, ref, ref.at(3))


def ob(
    due: date, today: date, party: Party = SCHOOL, key: str = "1", state: State | None = None
) -> Obligation:
    left = (due - today).days
    if state is None:
        state = State.OVERDUE if left < 0 else State.DUE_SOON if left <= 7 else State.UPCOMING
    return Obligation(item(key), due, party, state, days_late=max(-left, 0), days_left=left)


def every_day(_: date) -> bool:
    return True
