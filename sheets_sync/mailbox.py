"""The cycle's work with the reply mailbox (`[inbox]`), in the order that survives a crash:

1. `take_in`: log in, mark on the server what earlier cycles wrote, receive what is new (each
   message recorded in the local state as it is fetched);
2. `Mailbox.decide`: match each new message to the digest it answers, from what the state knows
   was sent; the dates it writes and the addresses that bounced change the records before the
   mailing is planned, so a report that arrived stops its reminders at once;
3. the cycle writes «Входящие» and the dates in its one write, then `Mailbox.written` records
   the messages as written, with what was decided of each, and marks them on the server.

The mailbox never stops a cycle: when it cannot be read, «Проблемы» says so and the cycle runs
on what the state already holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sheets_sync.inbox import (
    DigestItem,
    InboxClient,
    InboxRecord,
    InboxStore,
    InboxUnavailable,
    SentDigest,
    flag_written,
    receive,
)
from sheets_sync.inputs.cells import CellMark
from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Records
from sheets_sync.replies import (
    Decided,
    Reply,
    bounced_addresses,
    decide,
    parties_by_address,
    with_bounces,
    with_marks,
)
from sheets_sync.report.inbox_tab import inbox_tab
from sheets_sync.report.tabs import Tab
from sheets_sync.settings.inbox import InboxSettings
from sheets_sync.settings.types import Settings
from sheets_sync.stages import ReminderKey
from sheets_sync.state import LocalState

logger = logging.getLogger(__name__)

Adjust = Callable[[Records], tuple[Records, list[Problem]]]
"""What changes the records before obligations are worked out (the reply mailbox's marks and
bounced addresses), and the problems it finds."""

UNAVAILABLE = (
    "не удалось прочитать почтовый ящик ответов: новые ответы школ будут прочитаны при "
    "следующем запуске"
)
UNAVAILABLE_FIX = (
    "Администратору: проверьте раздел [inbox] настроек и пароль (подробности — в выводе "
    "команды `python run.py check`)."
)


@dataclass(slots=True)
class Mailbox:
    """The reply mailbox as this cycle sees it: what the state holds, what is new, and what
    was decided of the new messages."""

    settings: InboxSettings | None = None
    store: InboxStore | None = None
    trouble: str = ""  # why the mailbox could not be read this cycle (English, for the log)
    new: list[InboxRecord] = field(default_factory=list)
    decided: Decided = field(default_factory=Decided)

    def problems(self) -> list[Problem]:
        return [Problem("", "", UNAVAILABLE, UNAVAILABLE_FIX)] if self.trouble else []

    def adjust(
        self, records: Records, state: LocalState, zone: tzinfo, today: date, *, dry_run: bool
    ) -> tuple[Records, list[Problem]]:
        """Decide the new messages and return `records` as they leave them: the dates written,
        the addresses that bounced set aside (with a problem each)."""
        if self.settings is None or self.store is None:
            return records, []
        self.new = self.store.unwritten(self.settings.mailbox)
        digests = digests_for(state, self.new, parties_by_address(records))
        mark = self.settings.mark_submissions and not dry_run
        self.decided = decide(self.new, digests, records, zone, mark=mark)
        if not dry_run:
            for message_id in self.decided.forget:
                state.forget_digest(message_id)
        bounced = bounced_addresses(self.messages(), zone, today)
        return with_bounces(with_marks(records, self.decided.marks), bounced)

    def messages(self) -> list[tuple[InboxRecord, Reply]]:
        """Every message to show in «Входящие»: those written before, then the new ones."""
        if self.settings is None or self.store is None:
            return []
        known = [
            (record, Reply.from_json(text))
            for record, text in self.store.decided(self.settings.mailbox)
        ]
        return known + list(zip(self.new, self.decided.replies, strict=True))

    @property
    def marks(self) -> tuple[CellMark, ...]:
        return self.decided.marks

    def written(self, now: datetime) -> None:
        """Record this cycle's messages as written, and mark them on the server (a failure
        there is left to the next cycle)."""
        if self.settings is None or self.store is None or not self.new:
            return
        uids = [(r.mailbox, r.uidvalidity, r.uid) for r in self.new]
        self.store.mark_written(uids, now, [r.to_json() for r in self.decided.replies])
        try:
            with InboxClient(self.settings) as client:
                flag_written(client, self.store, self.settings, now=now)
        except InboxUnavailable as exc:
            logger.warning("Could not mark the processed replies (next cycle will): %s", exc)


def mailbox_for(settings: Settings, state: LocalState, now: datetime, dry_run: bool) -> Mailbox:
    """Return the reply mailbox for a cycle: receive what is new in the reply mailbox (a dry run only looks at what the state has),
    replies dated from the day reminders started on."""
    if dry_run:
        return open_mailbox(settings.inbox, state)
    start = settings.reminders.start_date or state.first_sent() or now.date()
    return take_in(settings.inbox, state, now, start - timedelta(days=7))


def adjuster(
    mailbox: Mailbox, settings: Settings, state: LocalState, today: date, dry_run: bool
) -> Adjust:
    zone = ZoneInfo(settings.timezone)

    def adjust(records: Records) -> tuple[Records, list[Problem]]:
        records, found = mailbox.adjust(records, state, zone, today, dry_run=dry_run)
        return records, [*mailbox.problems(), *found]

    return adjust


def inbox_tabs(mailbox: Mailbox, settings: Settings) -> list[Tab]:
    if not settings.tabs.inbox or settings.inbox is None:
        return []
    folder = settings.inbox.attachments_dir.name
    zone = ZoneInfo(settings.timezone)
    return [inbox_tab(mailbox.messages(), settings.tabs.inbox, zone, folder)]


def take_in(
    settings: InboxSettings | None, state: LocalState, now: datetime, since: date | None
) -> Mailbox:
    """Open the reply mailbox's part of the state; receive what is new (messages from `since`
    on, the day reminders started)."""
    if settings is None:
        return Mailbox()
    store = InboxStore(state.db)
    mailbox = Mailbox(settings, store)
    try:
        with InboxClient(settings) as client:
            flag_written(client, store, settings, now=now)
            got = receive(client, store, settings, now=now, since=since)
        if got.more:
            logger.info("More replies wait in %s: they are read next cycle", settings.mailbox)
    except InboxUnavailable as exc:
        logger.warning("The reply mailbox could not be read: %s", exc)
        mailbox.trouble = str(exc)
    return mailbox


def open_mailbox(settings: InboxSettings | None, state: LocalState) -> Mailbox:
    """The reply mailbox as the state holds it, for a dry run: nothing is fetched."""
    return Mailbox(settings, InboxStore(state.db)) if settings else Mailbox()


def digests_for(
    state: LocalState, new: list[InboxRecord], parties: dict[str, str]
) -> dict[str, SentDigest]:
    """Return the digests the new messages may answer: those they name (In-Reply-To,
    References, a bounce's returned message), and the latest to each sender or failed
    address."""
    ids: set[str] = set()
    for record in new:
        ids.update((record.in_reply_to, *record.references))
        if record.bounce:
            ids.add(record.bounce.original_message_id)
        for address in (record.sender, *(record.bounce.addresses if record.bounce else ())):
            party = parties.get(address.lower())
            latest = state.latest_digest_to(party) if party else ""
            ids.add(latest or state.latest_email_to_address(address))
    ids.discard("")
    keys, sent = state.digest_keys(ids), state.sent_addresses(ids)
    return {mid: _digest(mid, keys.get(mid, []), sent.get(mid)) for mid in ids if mid in keys}


def _digest(
    message_id: str, keys: list[tuple[str, str]], sent: tuple[list[str], str] | None
) -> SentDigest:
    parsed = [(k, on) for k, on in ((ReminderKey.parse(k), on) for k, on in keys) if k]
    items = []
    for key, _ in parsed:
        item, _, rest = key.about.partition("|")
        due = rest.partition("|")[0]
        if due[:4].isdigit():
            items.append(DigestItem(item, date.fromisoformat(due)))
    when = max((on for _, on in parsed), default="")
    at = datetime.fromisoformat(sent[1]) if sent else None
    at = at or (datetime.fromisoformat(when) if when else None)
    return SentDigest(
        message_id,
        parsed[0][0].recipient if parsed else "",
        tuple(dict.fromkeys(items)),
        at,
        tuple(sent[0]) if sent else (),
    )
