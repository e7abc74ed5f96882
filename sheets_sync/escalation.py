"""Whom a long-overdue obligation goes to: the coordinator of its party's municipality first,
the regional coordinators (`reminders.escalate_to`) `escalate_region_after_days` later. Pure.

A municipality has a coordinator when «Ответственные» holds a row whose «Роль» says
«координатор» and whose «Муниципалитет» names it, with an address; a party's municipality is
the «Муниципалитет» of its row in «Школы» (or «Ответственные»). Parties of a municipality
without a coordinator, and parties with none, escalate to the region as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from sheets_sync.inputs.people import name_words
from sheets_sync.inputs.records import Records
from sheets_sync.obligations import Obligation, Party
from sheets_sync.settings.types import ReminderPolicy
from sheets_sync.stages import COORDINATOR, ESCALATION, ReminderKey

MUNICIPAL = "municipal:"


def municipality_key(name: str) -> str:
    """Return a municipality as compared and as written in reminder keys: case, ё, quotes and
    punctuation ignored, words joined by "-" («г. Смоленск» -> "г-смоленск")."""
    return name_words(name).replace("|", " ").strip().replace(" ", "-")


def is_coordinating(recipient: str) -> bool:
    """Return whether a reminder key's recipient is a coordinator (the region's or a
    municipality's), not a party that owes something."""
    return recipient == COORDINATOR or recipient.startswith(MUNICIPAL)


def is_own(party: Party, coordinating: frozenset[str]) -> bool:
    """Return whether `party` is the coordinating body itself: every address of it is one the
    coordinators' email goes to (`coordinating`, casefolded)."""
    return bool(coordinating and party.emails) and all(
        e.casefold() in coordinating for e in party.emails
    )


@dataclass(frozen=True, slots=True)
class MunicipalCoordinator:
    """The coordinator of one municipality, as «Ответственные» names it."""

    municipality: str  # as written
    name: str
    emails: tuple[str, ...]

    @property
    def recipient(self) -> str:
        return MUNICIPAL + municipality_key(self.municipality)


@dataclass(frozen=True, slots=True)
class Routing:
    """Each party's municipality (by its recipient, "school:01") and each municipality's
    coordinator (by municipality_key)."""

    municipality_of: Mapping[str, str] = field(default_factory=dict)
    coordinators: Mapping[str, MunicipalCoordinator] = field(default_factory=dict)

    def coordinator_for(self, party_recipient: str) -> MunicipalCoordinator | None:
        key = self.municipality_of.get(party_recipient, "")
        return self.coordinators.get(key) if key else None


def routing_of(records: Records) -> Routing:
    """Return the municipalities of the parties and the municipal coordinators of `records`."""
    where: dict[str, str] = {}
    for school in records.schools:
        if school.municipality:
            where[f"school:{school.code}"] = municipality_key(school.municipality)
    coordinators: dict[str, MunicipalCoordinator] = {}
    for ex in records.executors:
        if not ex.municipality:
            continue
        key = municipality_key(ex.municipality)
        if not ex.coordinator:
            where[f"executor:{ex.name}"] = key
        elif ex.emails and key not in coordinators:
            coordinators[key] = MunicipalCoordinator(ex.municipality, ex.name, ex.emails)
    return Routing(where, coordinators)


def escalation_recipients(
    ob: Obligation,
    policy: ReminderPolicy,
    today: date,
    sent: AbstractSet[str],
    routing: Routing | None,
) -> list[str]:
    """Return the coordinators `ob` is due to go to today and has not: its municipality's once
    `escalate_after_days` have passed, the region's (if `escalate_to` is set) after
    `escalate_region_after_days` more when the municipality has a coordinator."""
    if not policy.escalate_after_days or not ob.is_open or ob.due is None:
        return []
    local = routing.coordinator_for(ob.party.recipient) if routing else None
    late = (today - ob.due).days
    due: list[str] = []
    if local is not None and late >= policy.escalate_after_days:
        due.append(local.recipient)
    regional_after = policy.escalate_after_days + (
        policy.escalate_region_after_days if local is not None else 0
    )
    if policy.escalate_to and late >= regional_after:
        due.append(COORDINATOR)
    return [r for r in due if str(ReminderKey(r, ob.id, ESCALATION)) not in sent]


def was_escalated(ob: Obligation, sent: AbstractSet[str], routing: Routing | None) -> bool:
    """Return whether a coordinator (the region's, or the municipality's) already has `ob`."""
    local = routing.coordinator_for(ob.party.recipient) if routing else None
    recipients = [COORDINATOR] + ([local.recipient] if local else [])
    return any(str(ReminderKey(r, ob.id, ESCALATION)) in sent for r in recipients)
