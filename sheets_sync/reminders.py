"""Obligations + what was sent + policy + today -> the mailing: the digests to send now. Pure.

Stages are windows, not exact days: `before-N` applies from N days before the due date (the
smallest N that covers today wins, so an earlier stage is skipped once a later one applies);
`overdue` from the day after; `overdue+K` every `repeat_overdue_every_days`; `escalation` to the
coordinators once `escalate_after_days` have passed. A run missed on Monday still sends Monday's
reminder on Tuesday. A stage for (recipient, obligation) is sent at most once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from sheets_sync.obligations import Obligation, Party, State
from sheets_sync.settings.types import WEEKDAYS, ReminderPolicy
from sheets_sync.wording import DAYS, DAYS_AFTER_MORE, count

COORDINATOR = "coordinator"


class StageKind(StrEnum):
    BEFORE = "before"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    SUMMARY = "summary"


_STAGE = re.compile(r"before-(?P<before>\d+)|overdue(?:\+(?P<late>\d+))?|escalation|summary")


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
            return (
                f"просрочено более {count(self.days, DAYS_AFTER_MORE)}"
                if self.days
                else "просрочено"
            )
        return {StageKind.ESCALATION: "эскалация координатору"}.get(self.kind, "сводка за неделю")

    @property
    def group(self) -> str:
        """Return the kind of the stage in Russian: «до срока», «просрочено», «эскалация» or
        «сводка за неделю»."""
        return {
            StageKind.BEFORE: "до срока",
            StageKind.OVERDUE: "просрочено",
            StageKind.ESCALATION: "эскалация",
            StageKind.SUMMARY: "сводка за неделю",
        }[self.kind]


ESCALATION = Stage(StageKind.ESCALATION)
SUMMARY = Stage(StageKind.SUMMARY)


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


@dataclass(frozen=True, slots=True)
class Reminder:
    """One line of a digest: an obligation at a stage, for a recipient."""

    recipient: str
    obligation: Obligation
    stage: Stage

    @property
    def key(self) -> str:  # str(ReminderKey(...)), written out: a cycle makes a million
        return f"{self.recipient}|{self.obligation.id}|{self.stage}"

    @property
    def former_keys(self) -> tuple[str, ...]:
        """Return its keys under the party's former codes or spellings («Прежний код», an
        executor's other spellings): a rename sends nothing twice."""
        party = self.obligation.party
        if not party.former:  # mostly
            return ()
        base, own = self.obligation.id.rpartition("|")[0], self.recipient == party.recipient
        olds = [f"{party.kind}:{former}" for former in party.former]
        return tuple(f"{o if own else self.recipient}|{base}|{o}|{self.stage}" for o in olds)


@dataclass(frozen=True, slots=True)
class Digest:
    """One email to one recipient, listing every reminder due to them in this run."""

    recipient: str
    kind: Literal["reminder", "coordinator"]
    name: str
    emails: tuple[str, ...]
    reminders: tuple[Reminder, ...]
    summary_key: str = ""  # the coordinators' digest carries this week's summary

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the keys this email sends: one per reminder, one for a weekly summary."""
        own = tuple(r.key for r in self.reminders if r.stage != SUMMARY)
        return own + ((self.summary_key,) if self.summary_key else ())


@dataclass(frozen=True, slots=True)
class Mailing:
    """The emails a run sends: one digest per recipient, the parties that have reminders but no
    address, and why nothing is sent today, when nothing is."""

    digests: tuple[Digest, ...]
    unreachable: tuple[tuple[Party, int], ...] = ()  # (party, reminders it misses)
    hold_reason: str = ""


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


def _candidates(
    obligations: Iterable[Obligation], policy: ReminderPolicy, today: date
) -> Iterator[Reminder]:
    """Yield every reminder due on `today`, sent or not (stages, then escalations)."""
    for ob in obligations:
        stage = stage_for(ob, policy, today)
        if stage:
            yield Reminder(ob.party.recipient, ob, stage)
        if escalates(ob, policy, today):
            yield Reminder(COORDINATOR, ob, ESCALATION)


def _keys(candidates: list[tuple[Reminder, str]], policy: ReminderPolicy, today: date) -> set[str]:
    """Return every key looked up in what was sent: former keys and this week's summary too."""
    keys = {key for _, key in candidates} | {weekly_summary_key(frozenset(), policy, today)}
    for reminder, _ in candidates:
        keys.update(reminder.former_keys)
    return keys - {""}


def plan_mailing(
    obligations: Iterable[Obligation],
    sent: AbstractSet[str] | Callable[[set[str]], AbstractSet[str]],
    policy: ReminderPolicy,
    today: date,
    is_working_day: Callable[[date], bool],
    day_off_reason: str = "нерабочий день",
) -> Mailing:
    """Return the digests to send on `today`, skipping every reminder key already in `sent`:
    the keys sent, or a lookup that returns which of the keys it is given were sent."""
    if policy.working_days_only and not is_working_day(today):
        return Mailing((), hold_reason=day_off_reason)
    obligations = list(obligations)
    candidates = [(r, r.key) for r in _candidates(obligations, policy, today)]
    if callable(sent):
        sent = sent(_keys(candidates, policy, today))
    by_recipient: dict[str, list[Reminder]] = {}
    parties: dict[str, Party] = {}
    escalations: list[Reminder] = []
    for reminder, key in candidates:
        if key in sent or any(k in sent for k in reminder.former_keys):
            continue
        if reminder.stage == ESCALATION:
            escalations.append(reminder)
        else:
            party = reminder.obligation.party
            by_recipient.setdefault(party.recipient, []).append(reminder)
            parties[party.recipient] = party
    digests: list[Digest] = []
    unreachable: list[tuple[Party, int]] = []
    for recipient, reminders in by_recipient.items():
        party = parties[recipient]
        if not party.emails:
            unreachable.append((party, len(reminders)))
            continue
        reminders.sort(key=_order)
        digests.append(Digest(recipient, "reminder", party.name, party.emails, tuple(reminders)))
    coordinator = _coordinator_digest(escalations, obligations, sent, policy, today)
    digests.sort(key=lambda d: (d.name, d.recipient))
    if coordinator:
        digests.append(coordinator)
    return Mailing(tuple(digests), tuple(unreachable))


def _coordinator_digest(
    escalations: list[Reminder],
    obligations: list[Obligation],
    sent: AbstractSet[str],
    policy: ReminderPolicy,
    today: date,
) -> Digest | None:
    """Return the coordinators' one email of the run: long-overdue items, and the weekly
    summary when it is due."""
    if not policy.escalate_to:
        return None
    escalations.sort(key=lambda r: (r.obligation.party.name, _order(r)))
    summary_key = weekly_summary_key(sent, policy, today)
    lines: list[Reminder] = []
    if summary_key:
        lines = [
            Reminder(COORDINATOR, ob, SUMMARY)
            for ob in obligations
            if ob.state in (State.OVERDUE, State.DUE_SOON)
        ]
        lines.sort(key=lambda r: (r.obligation.party.name, _order(r)))
    if not escalations and not summary_key:
        return None
    items = tuple(escalations + lines)
    return Digest(COORDINATOR, "coordinator", "Координатор", policy.escalate_to, items, summary_key)


def weekly_summary_key(sent: AbstractSet[str], policy: ReminderPolicy, today: date) -> str:
    """Return this week's summary key if the summary is due today and not yet sent: the first
    working day on or after `weekly_summary` each ISO week; else ""."""
    if not policy.weekly_summary or today.weekday() < WEEKDAYS.index(policy.weekly_summary):
        return ""
    year, week, _ = today.isocalendar()
    key = str(ReminderKey(COORDINATOR, f"weekly-summary|{year}-W{week:02d}", SUMMARY))
    return "" if key in sent else key


def _order(r: Reminder) -> tuple[date, str]:
    ob = r.obligation
    return (ob.due or date.max, ob.item.key)
