"""Obligations + what was sent + policy + today -> the digests to send now. Pure.

Stages are windows, not exact days: `before-N` applies from N days before the due date (the
smallest N that covers today wins, so an earlier stage is skipped once a later one applies);
`overdue` from the day after; `overdue+K` every `repeat_overdue_every_days`; `escalation` to the
coordinators once `escalate_after_days` have passed. A run missed on Monday still sends Monday's
reminder on Tuesday. A stage for (recipient, obligation) is sent at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sheets_sync.obligations import Obligation, Party, State
from sheets_sync.settings.types import WEEKDAYS, ReminderPolicy
from sheets_sync.wording import DAYS, DAYS_AFTER_MORE, count

COORDINATOR = "coordinator"


@dataclass(frozen=True, slots=True)
class Reminder:
    """One line of a digest: an obligation at a stage, for a recipient."""

    recipient: str
    obligation: Obligation
    stage: str

    @property
    def key(self) -> str:
        return reminder_key(self.recipient, self.obligation.id, self.stage)


def reminder_key(recipient: str, obligation_id: str, stage: str) -> str:
    """Return the key a sent reminder is remembered by: recipient, obligation id, stage."""
    return f"{recipient}|{obligation_id}|{stage}"


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
        own = tuple(r.key for r in self.reminders if r.stage != "summary")
        return own + ((self.summary_key,) if self.summary_key else ())


@dataclass(frozen=True, slots=True)
class Plan:
    digests: tuple[Digest, ...]
    unreachable: tuple[tuple[Party, int], ...] = ()  # parties with reminders but no address
    held: str = ""  # why nothing is sent today (a day off), else ""


def stage_for(ob: Obligation, policy: ReminderPolicy, today: date) -> str | None:
    """Return the reminder stage of open obligation `ob` on `today`, or None."""
    if not ob.is_open or ob.due is None:
        return None
    days_left = (ob.due - today).days
    if days_left >= 0:
        covering = [n for n in policy.before_due_days if days_left <= n]
        return f"before-{min(covering)}" if covering else None
    if not policy.overdue:
        return None
    late = -days_left
    every = policy.repeat_overdue_every_days
    if every and late >= every:
        return f"overdue+{late // every * every}"
    return "overdue"


def escalates(ob: Obligation, policy: ReminderPolicy, today: date) -> bool:
    """Return whether `ob` is long enough overdue to go to the coordinators."""
    return (
        bool(policy.escalate_after_days)
        and ob.is_open
        and ob.due is not None
        and (today - ob.due).days >= policy.escalate_after_days
    )


def plan_reminders(
    obligations: Iterable[Obligation],
    sent: AbstractSet[str],
    policy: ReminderPolicy,
    today: date,
    is_working_day: Callable[[date], bool],
    day_off_reason: str = "нерабочий день",
) -> Plan:
    """Return the digests to send on `today`, skipping every reminder key already in `sent`."""
    if policy.working_days_only and not is_working_day(today):
        return Plan((), held=day_off_reason)
    obligations = list(obligations)
    by_recipient: dict[str, list[Reminder]] = {}
    parties: dict[str, Party] = {}
    escalations: list[Reminder] = []
    for ob in obligations:
        stage = stage_for(ob, policy, today)
        if stage:
            reminder = Reminder(ob.party.recipient, ob, stage)
            if reminder.key not in sent:
                by_recipient.setdefault(ob.party.recipient, []).append(reminder)
                parties[ob.party.recipient] = ob.party
        if escalates(ob, policy, today):
            reminder = Reminder(COORDINATOR, ob, "escalation")
            if reminder.key not in sent:
                escalations.append(reminder)
    digests: list[Digest] = []
    unreachable: list[tuple[Party, int]] = []
    for recipient, reminders in by_recipient.items():
        party = parties[recipient]
        if not party.emails:
            unreachable.append((party, len(reminders)))
            continue
        digests.append(
            Digest(
                recipient,
                "reminder",
                party.name,
                party.emails,
                tuple(sorted(reminders, key=_order)),
            )
        )
    coordinator = _coordinator_digest(escalations, obligations, sent, policy, today)
    digests.sort(key=lambda d: (d.name, d.recipient))
    if coordinator:
        digests.append(coordinator)
    return Plan(tuple(digests), tuple(unreachable))


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
            Reminder(COORDINATOR, ob, "summary")
            for ob in obligations
            if ob.state in (State.OVERDUE, State.DUE_SOON)
        ]
        lines.sort(key=lambda r: (r.obligation.party.name, _order(r)))
    if not escalations and not summary_key:
        return None
    return Digest(
        COORDINATOR,
        "coordinator",
        "Координатор",
        policy.escalate_to,
        tuple(escalations + lines),
        summary_key,
    )


def weekly_summary_key(sent: AbstractSet[str], policy: ReminderPolicy, today: date) -> str:
    """Return this week's summary key if the summary is due today and not yet sent: the first
    working day on or after `weekly_summary` each ISO week; else ""."""
    if not policy.weekly_summary or today.weekday() < WEEKDAYS.index(policy.weekly_summary):
        return ""
    year, week, _ = today.isocalendar()
    key = reminder_key(COORDINATOR, f"weekly-summary|{year}-W{week:02d}", "summary")
    return "" if key in sent else key


def _order(r: Reminder) -> tuple[date, str]:
    ob = r.obligation
    return (ob.due or date.max, ob.item.key)


def stage_label(stage: str) -> str:
    """Return a stage in Russian, for emails and «Журнал рассылки»."""
    if stage.startswith("before-"):
        n = int(stage.removeprefix("before-"))
        return "в день срока" if n == 0 else f"за {count(n, DAYS)} до срока"
    if stage == "overdue":
        return "просрочено"
    if stage.startswith("overdue+"):
        n = int(stage.removeprefix("overdue+"))
        return f"просрочено более {count(n, DAYS_AFTER_MORE)}"
    if stage == "escalation":
        return "эскалация координатору"
    if stage == "summary":
        return "сводка за неделю"
    return stage


def stage_kind(stage: str) -> str:
    """Return the kind of a stage in Russian: «до срока», «просрочено» or «эскалация»."""
    if stage.startswith("before-"):
        return "до срока"
    if stage in ("escalation", "summary"):
        return {"escalation": "эскалация", "summary": "сводка за неделю"}[stage]
    return "просрочено"
