"""Obligations + what was sent + policy + today -> the mailing: the digests to send now. Pure.

One email per recipient per run, listing all their stages (`stages.py`); a stage for
(recipient, obligation) is sent at most once, under the party's current code or any former one
(«Прежний код», an executor's other spellings). What was sent is a set of keys, or a
`SentLookup` that the local state answers for the keys of today's candidates only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from sheets_sync.escalation import (
    Routing,
    escalation_recipients,
    is_coordinating,
    is_own,
    was_escalated,
)
from sheets_sync.inputs.sections import number_order
from sheets_sync.obligations import Obligation, Party, State
from sheets_sync.sent_keys import (
    SentLookup,
    former_ids,
    ids_to_ask,
    keys_to_ask,
    renamed,
    repeats_to_ask,
    summary_key,
)
from sheets_sync.settings.types import ReminderPolicy
from sheets_sync.stages import (
    BACKLOG,
    COORDINATOR,
    ESCALATION,
    SUMMARY,
    ReminderKey,
    Stage,
    StageKind,
    stage_for,
)


@dataclass(frozen=True, slots=True)
class Reminder:
    """One line of a digest: an obligation at a stage, for a recipient."""

    recipient: str
    obligation: Obligation
    stage: Stage
    reminded: int = 0  # on an escalation: how many reminders the party had

    @property
    def key(self) -> str:
        return str(ReminderKey(self.recipient, self.obligation.id, self.stage))


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


def plan_mailing(
    obligations: Iterable[Obligation],
    sent: AbstractSet[str] | SentLookup,
    policy: ReminderPolicy,
    today: date,
    is_working_day: Callable[[date], bool],
    day_off_reason: str = "нерабочий день",
    *,
    start: date | None = None,
    plan_over: bool = False,
    earlier: AbstractSet[str] | None = None,
    routing: Routing | None = None,
) -> Mailing:
    """Return the digests to send on `today`, skipping every reminder key already in `sent`.

    `start` is the first day of reminders: what was overdue longer than `escalate_after_days`
    by then is told to the coordinators once, as a backlog, and not to its party. An
    obligation goes to the coordinators only after its party had a reminder on an earlier day
    (`earlier`: the keys sent before today; default `sent`), or cannot get one. When
    `plan_over` (the plan's year has ended), an escalated obligation is no longer reminded to
    its party: the coordinators have it. With `routing`, a party's municipal coordinator gets
    the escalation first, in a digest of their own (`escalation.py`)."""
    if policy.working_days_only and not is_working_day(today):
        return Mailing((), hold_reason=day_off_reason)
    obligations = list(obligations)
    last: Mapping[str, date] = {}
    if isinstance(sent, SentLookup):
        lookup = sent
        sent = lookup.sent_among(keys_to_ask(obligations, policy, today, routing))
        reminded = lookup.reminded_before(ids_to_ask(obligations, today))
        if lookup.last_before:  # asked only of the repeats due today and not yet sent
            last = lookup.last_before(repeats_to_ask(obligations, sent, policy, today))
    else:
        reminded = _reminded(sent if earlier is None else earlier)
    sent = renamed(obligations, sent, policy, today, routing)
    coordinating = frozenset(e.casefold() for e in policy.escalate_to)
    by_recipient: dict[str, list[Reminder]] = {}
    parties: dict[str, Party] = {}
    coordinators: list[Reminder] = []  # escalations and the backlog
    old: dict[str, list[Reminder]] = {}  # each party's backlog, named once in its next digest
    backlog_before = start - timedelta(days=policy.escalate_after_days) if start else None
    for ob in obligations:
        if not ob.is_open or ob.due is None:
            continue
        own = is_own(ob.party, coordinating)  # the coordinating body's item: never a backlog
        if backlog_before and ob.state == State.OVERDUE and ob.due < backlog_before and not own:
            coordinators.append(Reminder(COORDINATOR, ob, BACKLOG))
            old.setdefault(ob.party.recipient, []).append(Reminder(ob.party.recipient, ob, BACKLOG))
            continue
        stage = stage_for(ob, policy, today)
        if stage and _too_soon(ob, stage, last, policy, today):
            stage = None  # a missed run caught up lately: the repeat waits its interval
        today_too = 0  # today's reminder, when this run sends one: counted in the escalation
        if stage and not (plan_over and was_escalated(ob, sent, routing)):
            reminder = Reminder(ob.party.recipient, ob, stage)
            by_recipient.setdefault(ob.party.recipient, []).append(reminder)
            parties[ob.party.recipient] = ob.party
            today_too = int(bool(ob.party.emails) and reminder.key not in sent)
        if own:
            continue  # in the coordinators' «ВАШИ ПУНКТЫ», not escalated to themselves
        told = sum(reminded.get(about, 0) for about in (ob.id, *former_ids(ob)))
        if told or not ob.party.emails:
            for to in escalation_recipients(ob, policy, today, sent, routing):
                coordinators.append(Reminder(to, ob, ESCALATION, told + today_too))
    regional = [r for r in coordinators if r.recipient == COORDINATOR]
    mailing = _mailing(by_recipient, parties, regional, obligations, sent, policy, today, old)
    lines = [r for r in coordinators if r.recipient != COORDINATOR]
    municipal = _municipal_digests(lines, routing, obligations, sent, policy, today)
    return replace(mailing, digests=mailing.digests + municipal) if municipal else mailing


def _too_soon(
    ob: Obligation, stage: Stage, last: Mapping[str, date], policy: ReminderPolicy, today: date
) -> bool:
    """Return whether a repeated overdue reminder would come sooner than
    `repeat_overdue_every_days` after the last one (after runs were missed, the stages'
    windows would otherwise send one on consecutive days)."""
    if stage.kind is not StageKind.OVERDUE or not stage.days:
        return False
    days = [last[a] for a in (ob.id, *former_ids(ob)) if a in last]
    return bool(days) and (today - max(days)).days < policy.repeat_overdue_every_days


def _reminded(sent: AbstractSet[str]) -> dict[str, int]:
    """Return how many reminders each obligation's party was sent, by obligation id."""
    counts: dict[str, int] = {}
    for text in sent:
        key = ReminderKey.parse(text)
        if key and not is_coordinating(key.recipient):
            counts[key.about] = counts.get(key.about, 0) + 1
    return counts


def _municipal_digests(
    lines: list[Reminder],
    routing: Routing | None,
    obligations: list[Obligation],
    sent: AbstractSet[str],
    policy: ReminderPolicy,
    today: date,
) -> tuple[Digest, ...]:
    """Return one coordinators' digest per municipal coordinator with escalations today or
    the weekly summary of their municipality due (the regional one's, cut to its parties)."""
    if routing is None or not routing.coordinators:
        return ()
    by_recipient: dict[str, list[Reminder]] = {}
    for line in lines:
        by_recipient.setdefault(line.recipient, []).append(line)
    digests = []
    for where, coordinator in routing.coordinators.items():
        mine = by_recipient.get(coordinator.recipient, [])
        key = summary_key(policy, today, coordinator.recipient)
        summary = [
            Reminder(coordinator.recipient, ob, SUMMARY)
            for ob in obligations
            if ob.state in (State.OVERDUE, State.DUE_SOON)
            and routing.municipality_of.get(ob.party.recipient) == where
        ]
        if not key or key in sent or not summary:
            key, summary = "", []
        if mine or summary:
            mine.sort(key=lambda r: (r.obligation.party.name, _order(r)))
            reminders = (*mine, *summary)
            digests.append(
                Digest(
                    coordinator.recipient,
                    "coordinator",
                    coordinator.name,
                    coordinator.emails,
                    reminders,
                    key,
                )
            )
    return tuple(sorted(digests, key=lambda d: (d.name, d.recipient)))


def _mailing(
    by_recipient: dict[str, list[Reminder]],
    parties: dict[str, Party],
    coordinators: list[Reminder],
    obligations: list[Obligation],
    sent: AbstractSet[str],
    policy: ReminderPolicy,
    today: date,
    old: dict[str, list[Reminder]],
) -> Mailing:
    """Return one digest per party with new reminders (naming, once, its debts from before
    reminders started), and the coordinators' digest, which also carries the coordinating
    body's own reminders when it is one of the coordinators."""
    digests: list[Digest] = []
    unreachable: list[tuple[Party, int]] = []
    own: list[Reminder] = []
    for recipient, reminders in by_recipient.items():
        party = parties[recipient]
        fresh = [r for r in reminders if r.key not in sent]
        if not fresh:
            continue
        if not party.emails:
            unreachable.append((party, len(fresh)))
        elif is_own(party, frozenset(e.casefold() for e in policy.escalate_to)):
            own += fresh
        else:
            fresh.sort(key=_order)
            debts = sorted((r for r in old.get(recipient, ()) if r.key not in sent), key=_order)
            listed = (*fresh, *debts)
            digests.append(Digest(recipient, "reminder", party.name, party.emails, listed))
    digests.sort(key=lambda d: (d.name, d.recipient))
    lines = [r for r in coordinators if r.key not in sent] + sorted(own, key=_order)
    coordinator = _coordinator_digest(lines, obligations, sent, policy, today)
    if coordinator:
        digests.append(coordinator)
    return Mailing(tuple(digests), tuple(unreachable))


def _coordinator_digest(
    lines: list[Reminder],
    obligations: list[Obligation],
    sent: AbstractSet[str],
    policy: ReminderPolicy,
    today: date,
) -> Digest | None:
    """Return the coordinators' one email of the run: long-overdue items, the backlog, their
    own reminders, and the weekly summary when it is due."""
    if not policy.escalate_to:
        return None
    summary_key = weekly_summary_key(sent, policy, today)
    if summary_key:
        lines += [
            Reminder(COORDINATOR, ob, SUMMARY)
            for ob in obligations
            if ob.state in (State.OVERDUE, State.DUE_SOON)
        ]
    if not lines:
        return None
    lines.sort(key=lambda r: (r.stage.kind, r.obligation.party.name, _order(r)))
    return Digest(
        COORDINATOR, "coordinator", "Координатор", policy.escalate_to, tuple(lines), summary_key
    )


def weekly_summary_key(sent: AbstractSet[str], policy: ReminderPolicy, today: date) -> str:
    """Return this week's summary key if the summary is due today and not yet sent: the first
    working day on or after `weekly_summary` each ISO week; else ""."""
    key = summary_key(policy, today)
    return "" if key in sent else key


def _order(r: Reminder) -> tuple[date, tuple[tuple[int, int | str], ...]]:
    ob = r.obligation
    return (ob.due or date.max, number_order(ob.item.key))
