"""Reminder stages and the keys sent reminders are remembered by; which stage an obligation is
at on a day, and when its next one comes. Pure.

Stages are windows, not exact days: `before-N` applies from N days before the due date (the
smallest N that covers today wins, so an earlier stage is skipped once a later one applies);
`overdue` from the day after; `overdue+K` every `repeat_overdue_every_days`; `escalation` to the
coordinators once `escalate_after_days` have passed. A run missed on Monday still sends Monday's
reminder on Tuesday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sheets_sync.obligations import Obligation
from sheets_sync.settings.types import ReminderPolicy
from sheets_sync.wording import DAYS, count

COORDINATOR = "coordinator"


class StageKind(StrEnum):
    BEFORE = "before"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    SUMMARY = "summary"
    BACKLOG = "backlog"  # overdue before reminders started: told to the coordinators once


_STAGE = re.compile(
    r"before-(?P<before>\d+)|overdue(?:\+(?P<late>\d+))?|escalation|summary|backlog"
)


@dataclass(frozen=True, slots=True)
class Stage:
    """A reminder stage: `days` before the due date, or overdue (`days` late at a repeat, 0 at
    the first), an escalation to the coordinators, or the weekly summary. Written "before-7",
    "overdue", "overdue+14", "escalation", "summary" in keys."""

    kind: StageKind
    days: int = 0

    def __str__(self) -> str:
        if self.kind is StageKind.BEFORE:
            return f"before-{self.days}"
        if self.kind is StageKind.OVERDUE and self.days:
            return f"overdue+{self.days}"
        return self.kind.value

    @classmethod
    def parse(cls, text: str) -> Stage:
        """Return the stage written as `text`; raise ValueError if it is not one."""
        match = _STAGE.fullmatch(text)
        if not match:
            raise ValueError(f"not a reminder stage: {text!r}")
        if match.group("before") is not None:
            return cls(StageKind.BEFORE, int(match.group("before")))
        if text.startswith("overdue"):
            return cls(StageKind.OVERDUE, int(match.group("late") or 0))
        return cls(StageKind(text))

    @property
    def label(self) -> str:
        """Return the stage in Russian, for emails and «Журнал рассылки»."""
        if self.kind is StageKind.BEFORE:
            return "в день срока" if self.days == 0 else f"за {count(self.days, DAYS)} до срока"
        if self.kind is StageKind.OVERDUE:
            return f"просрочено на {count(self.days, DAYS)} и более" if self.days else "просрочено"
        return {
            StageKind.ESCALATION: "эскалация координатору",
            StageKind.BACKLOG: "долг до начала рассылки",
        }.get(self.kind, "сводка за неделю")

    @property
    def group(self) -> str:
        """Return the kind of the stage in Russian: «до срока», «просрочено», «эскалация» or
        «сводка за неделю»."""
        return {
            StageKind.BEFORE: "до срока",
            StageKind.OVERDUE: "просрочено",
            StageKind.ESCALATION: "эскалация",
            StageKind.SUMMARY: "сводка за неделю",
            StageKind.BACKLOG: "долг до начала рассылки",
        }[self.kind]


ESCALATION = Stage(StageKind.ESCALATION)
SUMMARY = Stage(StageKind.SUMMARY)
BACKLOG = Stage(StageKind.BACKLOG)


@dataclass(frozen=True, slots=True)
class ReminderKey:
    """What a sent reminder is remembered by, in «Журнал рассылки» and the local state:
    "recipient|about|stage", where `about` is an obligation id ("VII.8|2020-03-01|school:ОО-01")
    or a week's summary ("weekly-summary|2020-W48")."""

    recipient: str
    about: str
    stage: Stage

    def __str__(self) -> str:
        return f"{self.recipient}|{self.about}|{self.stage}"

    @classmethod
    def parse(cls, text: str) -> ReminderKey | None:
        """Return the key written as `text`, or None when it is not one."""
        recipient, _, rest = text.strip().partition("|")
        about, _, stage = rest.rpartition("|")
        if not recipient or not about:
            return None
        try:
            return cls(recipient, about, Stage.parse(stage))
        except ValueError:
            return None


def stage_for(ob: Obligation, policy: ReminderPolicy, today: date) -> Stage | None:
    """Return the reminder stage of open obligation `ob` on `today`, or None."""
    if not ob.is_open or ob.due is None:
        return None
    days_left = (ob.due - today).days
    if days_left >= 0:
        covering = [n for n in policy.before_due_days if days_left <= n]
        return Stage(StageKind.BEFORE, min(covering)) if covering else None
    if not policy.overdue:
        return None
    late = -days_left
    every = policy.repeat_overdue_every_days
    return Stage(StageKind.OVERDUE, late // every * every if every and late >= every else 0)


def escalates(ob: Obligation, policy: ReminderPolicy, today: date) -> bool:
    """Return whether `ob` is long enough overdue to go to the coordinators."""
    return (
        bool(policy.escalate_after_days)
        and ob.is_open
        and ob.due is not None
        and (today - ob.due).days >= policy.escalate_after_days
    )


def next_reminder_on(ob: Obligation, stage: Stage, policy: ReminderPolicy) -> date | None:
    """Return the day of the reminder after `stage`, should `ob` stay open; None when none
    follows (the coordinators are told instead, or no later stage is set)."""
    if ob.due is None:
        return None
    if stage.kind is StageKind.BEFORE:
        later = [n for n in policy.before_due_days if n < stage.days]
        if later:
            return ob.due - timedelta(days=max(later))
        return ob.due + timedelta(days=1) if policy.overdue else None
    if stage.kind is StageKind.OVERDUE and policy.repeat_overdue_every_days:
        return ob.due + timedelta(days=stage.days + policy.repeat_overdue_every_days)
    return None


def escalation_on(ob: Obligation, policy: ReminderPolicy) -> date | None:
    """Return the day `ob` goes to the coordinators should it stay open, or None."""
    if ob.due is None or not policy.escalate_after_days or not policy.escalate_to:
        return None
    return ob.due + timedelta(days=policy.escalate_after_days)
