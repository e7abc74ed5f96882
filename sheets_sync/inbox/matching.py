"""Which digest a reply answers, whose it is, and which items it is about. Pure.

A reply is matched by In-Reply-To, then References (newest first), then its sender's
address to a party and that party's latest digest. Its items are the ones the digest listed,
narrowed to the item numbers written in the subject or the text when it names any of them.
A bounce is matched by the Message-ID of the returned message, then by the address that
failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Literal

from .records import InboxRecord
from .text import item_numbers, normalize_number

Via = Literal[
    "in-reply-to", "references", "sender", "original-message-id", "failed-address", "own", ""
]


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One line of a digest: an item number and the due date it was reminded of."""

    number: str
    due: date | None = None


@dataclass(frozen=True, slots=True)
class SentDigest:
    """A digest the journal says was sent: to whom, when, and what it listed."""

    message_id: str
    recipient: str  # the party's key: "school:ОО-01", "executor:СОИРО", "coordinator"
    items: tuple[DigestItem, ...] = ()
    sent_at: datetime | None = None
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InboxMatch:
    party: str = ""  # the party's key, "" when nobody is recognised
    digest: str = ""  # the Message-ID of the digest answered, "" when none
    via: Via = ""
    items: tuple[DigestItem, ...] = ()
    named: tuple[str, ...] = ()  # item numbers written in the subject or text, normalized
    unlisted: tuple[str, ...] = ()  # of those, the ones the digest did not list
    failed: tuple[str, ...] = ()  # for a bounce: the addresses that failed

    @property
    def narrowed(self) -> bool:
        """Whether the items are the ones the reply named, not all the digest listed."""
        return bool(self.named) and len(self.unlisted) < len(self.named)


@dataclass(frozen=True, slots=True)
class SuggestedMark:
    """A report a reply seems to deliver: whose, which item and due date, and the day it
    arrived. `sure` when one item is in question (the reply names one, or its digest listed
    one): only then may it be written into «Сдача отчётов» without a person looking first."""

    party: str
    item: DigestItem
    day: date
    sure: bool


def match_message(
    record: InboxRecord, digests: Mapping[str, SentDigest], parties: Mapping[str, str]
) -> InboxMatch:
    """Return what `record` answers. `digests` is keyed by Message-ID; `parties` maps an
    address (lower case) to its party's key. A digest of ours that came back into the
    mailbox (the coordinators' copy, when they read the same mailbox) is matched "own"."""
    if record.message_id in digests:
        own = digests[record.message_id]
        return InboxMatch(own.recipient, own.message_id, "own")
    if record.kind == "bounce":
        return _match_bounce(record, digests, parties)
    digest, via = _by_thread(record, digests)
    party = digest.recipient if digest else parties.get(record.sender.lower(), "")
    if digest is None and party:
        digest, via = _latest(digests.values(), party), "sender"
    named = tuple(item_numbers(f"{record.subject}\n{record.text}"))
    if digest is None:
        return InboxMatch(party=party, via=via if party else "", named=named)
    items, unlisted = _narrow(digest.items, named)
    return InboxMatch(party, digest.message_id, via, items, named, unlisted)


def _match_bounce(
    record: InboxRecord, digests: Mapping[str, SentDigest], parties: Mapping[str, str]
) -> InboxMatch:
    failed = record.bounce.addresses if record.bounce else ()
    party = next((parties[a] for a in failed if a in parties), "")
    original = record.bounce.original_message_id if record.bounce else ""
    digest: SentDigest | None = digests.get(original) if original else None
    via: Via = "original-message-id" if digest else ""
    if digest is None:
        digest, via = _by_thread(record, digests)
    if digest is None and party:
        digest, via = _latest(digests.values(), party), "failed-address"
    if digest is None and failed:
        sent_to = [d for d in digests.values() if set(failed) & {a.lower() for a in d.addresses}]
        digest = max(sent_to, key=_when, default=None)
        via = "failed-address" if digest else ""
    if digest is None:
        return InboxMatch(party=party, via="failed-address" if party else "", failed=failed)
    return InboxMatch(
        party or digest.recipient, digest.message_id, via, digest.items, failed=failed
    )


def _by_thread(
    record: InboxRecord, digests: Mapping[str, SentDigest]
) -> tuple[SentDigest | None, Via]:
    if record.in_reply_to in digests:
        return digests[record.in_reply_to], "in-reply-to"
    for message_id in reversed(record.references):
        if message_id in digests:
            return digests[message_id], "references"
    return None, ""


def _latest(digests: Iterable[SentDigest], party: str) -> SentDigest | None:
    return max((d for d in digests if d.recipient == party), key=_when, default=None)


def _when(digest: SentDigest) -> datetime:
    return _aware(digest.sent_at) if digest.sent_at else datetime.min.replace(tzinfo=UTC)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _narrow(
    items: tuple[DigestItem, ...], named: tuple[str, ...]
) -> tuple[tuple[DigestItem, ...], tuple[str, ...]]:
    listed = {normalize_number(i.number) for i in items}
    unlisted = tuple(n for n in named if n not in listed)
    chosen = tuple(i for i in items if normalize_number(i.number) in named)
    return (chosen or items), unlisted


def suggested_marks(
    record: InboxRecord, match: InboxMatch, zone: tzinfo
) -> tuple[SuggestedMark, ...]:
    """Return the reports a reply delivers: a reply (not an auto-reply or a bounce) that
    carries a saved attachment and answers a digest, one mark per item it is about, dated
    the day it arrived in `zone` (the plan's time zone)."""
    if record.kind != "reply" or not record.saved or not match.digest or record.date is None:
        return ()
    day = record.date.astimezone(zone).date()
    # Sure only when one item is in question: the reply named one, or the digest listed one.
    sure = len({normalize_number(i.number) for i in match.items}) == 1
    return tuple(SuggestedMark(match.party, item, day, sure) for item in match.items)
