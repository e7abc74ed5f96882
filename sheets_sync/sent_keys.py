"""What a plan asks of what was sent: the keys of today's candidates (under a party's former
codes or spellings too, «Прежний код», an executor's other spellings), and the ids whose
reminders are counted. Pure.

The local state answers through a `SentLookup` for these keys only, so a plan never loads every
key ever sent; keys found under a former code count as sent under the current one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from sheets_sync.escalation import Routing
from sheets_sync.obligations import Obligation, State
from sheets_sync.settings.types import WEEKDAYS, ReminderPolicy
from sheets_sync.stages import (
    BACKLOG,
    COORDINATOR,
    ESCALATION,
    SUMMARY,
    ReminderKey,
    StageKind,
    stage_for,
)


@dataclass(frozen=True, slots=True)
class SentLookup:
    """What was sent, as asked of the local state: which of the keys given were sent (or are
    in flight), and how many reminders each obligation's party had before today, by id."""

    sent_among: Callable[[set[str]], AbstractSet[str]]
    reminded_before: Callable[[set[str]], Mapping[str, int]]
    # The day each obligation's party was last reminded before today, by id (none: not known).
    last_before: Callable[[set[str]], Mapping[str, date]] | None = None


def former_ids(ob: Obligation) -> tuple[str, ...]:
    """Return the ids `ob` had under its party's former codes or spellings."""
    party = ob.party
    if not party.former:  # mostly
        return ()
    base = ob.id.rpartition("|")[0]
    return tuple(f"{base}|{party.kind}:{old}" for old in party.former)


def own_keys(
    ob: Obligation, policy: ReminderPolicy, today: date, routing: Routing | None
) -> list[ReminderKey]:
    """Return every key `ob` may be planned under today: its stage, its escalations, the
    backlog."""
    keys = [
        ReminderKey(COORDINATOR, ob.id, BACKLOG),
        ReminderKey(ob.party.recipient, ob.id, BACKLOG),
        ReminderKey(COORDINATOR, ob.id, ESCALATION),
    ]
    local = routing.coordinator_for(ob.party.recipient) if routing else None
    if local is not None:
        keys.append(ReminderKey(local.recipient, ob.id, ESCALATION))
    stage = stage_for(ob, policy, today)
    if stage:
        keys.append(ReminderKey(ob.party.recipient, ob.id, stage))
    return keys


def former_keys(ob: Obligation, key: ReminderKey) -> list[str]:
    """Return `key` as it was written under each former code of the party: a party's own
    reminder under the old recipient too, a coordinator's with the old obligation id."""
    own = key.recipient == ob.party.recipient
    return [
        str(ReminderKey(old.rpartition("|")[2] if own else key.recipient, old, key.stage))
        for old in former_ids(ob)
    ]


def keys_to_ask(
    obligations: list[Obligation], policy: ReminderPolicy, today: date, routing: Routing | None
) -> set[str]:
    """Return every key the plan of `today` looks up: the candidates, under former codes too,
    and this week's summary."""
    keys = {summary_key(policy, today)} - {""}
    if routing is not None:  # each municipal coordinator's summary
        keys |= {summary_key(policy, today, c.recipient) for c in routing.coordinators.values()}
        keys.discard("")
    for ob in obligations:
        if ob.is_open and ob.due is not None:
            for key in own_keys(ob, policy, today, routing):
                keys.add(str(key))
                keys.update(former_keys(ob, key))
    return keys


def ids_to_ask(obligations: list[Obligation], today: date) -> set[str]:
    """Return the ids (former ones too) of the obligations that may escalate today."""
    ids: set[str] = set()
    for ob in obligations:
        if ob.is_open and ob.due is not None and ob.due < today:
            ids.add(ob.id)
            ids.update(former_ids(ob))
    return ids


def renamed(
    obligations: list[Obligation],
    sent: AbstractSet[str],
    policy: ReminderPolicy,
    today: date,
    routing: Routing | None,
) -> AbstractSet[str]:
    """Return `sent` with each key sent under a former code also under the current one."""
    more: set[str] = set()
    for ob in obligations:
        if ob.party.former and ob.is_open and ob.due is not None:
            for key in own_keys(ob, policy, today, routing):
                if any(old in sent for old in former_keys(ob, key)):
                    more.add(str(key))
    return sent | more if more else sent


def summary_key(policy: ReminderPolicy, today: date, recipient: str = COORDINATOR) -> str:
    """Return this week's summary key for `recipient` (the region's coordinators, or a
    municipality's) when the summary is due today, else ""."""
    if not policy.weekly_summary or today.weekday() < WEEKDAYS.index(policy.weekly_summary):
        return ""
    year, week, _ = today.isocalendar()
    return str(ReminderKey(recipient, f"weekly-summary|{year}-W{week:02d}", SUMMARY))


def repeats_to_ask(
    obligations: list[Obligation], sent: AbstractSet[str], policy: ReminderPolicy, today: date
) -> set[str]:
    """Return the ids (former ones too) of the obligations whose repeated overdue reminder is
    due today and not yet sent: those whose last reminder the plan asks the last day of (`reminders._too_soon`)."""
    ids: set[str] = set()
    for ob in obligations:
        if ob.state != State.OVERDUE or ob.due is None:
            continue
        stage = stage_for(ob, policy, today)
        if (
            stage
            and stage.kind is StageKind.OVERDUE
            and stage.days
            and str(ReminderKey(ob.party.recipient, ob.id, stage)) not in sent
        ):
            ids.update((ob.id, *former_ids(ob)))
    return ids
