"""One cycle's work with the reply mailbox, in the order that survives a crash at any point:

1. `flag_written` marks on the server what an earlier cycle wrote but could not mark;
2. `receive` fetches each new message, saves its attachments and records it as received
   (one transaction per message, oldest first: a crash loses none and repeats none);
3. the cycle writes `store.unwritten()` into the workbook in its one write, then calls
   `store.mark_written(...)`;
4. `flag_written` marks (or moves) those messages on the server.

`check_inbox` is for `check` and `preview`: it logs in, opens the folder and counts what is
new; it fetches, flags and moves nothing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime

from sheets_sync.errors import SheetsSyncError
from sheets_sync.settings.inbox import InboxSettings

from .attachments import not_saved, save_attachments
from .client import FetchedMessage, InboxClient
from .message import InboxMessage, parse_message
from .records import InboxRecord, record_of
from .store import InboxStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Received:
    """What one `receive` did."""

    records: tuple[InboxRecord, ...]  # newly recorded, oldest first
    copies: int  # messages already received before under another UID (same Message-ID)
    uidvalidity: int
    more: bool  # the limit was reached: more new messages wait for the next cycle


@dataclass(frozen=True, slots=True)
class InboxCheck:
    """What `check` and `preview` say about the mailbox."""

    folder: str
    messages: int
    new: int
    problems: tuple[str, ...]  # English, each with the fix

    @property
    def summary(self) -> str:
        return f'folder "{self.folder}": {self.messages} message(s), {self.new} new'


def receive(
    client: InboxClient,
    store: InboxStore,
    settings: InboxSettings,
    *,
    now: datetime,
    since: date | None = None,
    limit: int = 200,
) -> Received:
    """Fetch the messages new since the last cycle and record each as received."""
    mailbox = settings.mailbox
    state = client.select()
    last = store.last_uid(mailbox, state.uidvalidity)
    uids = client.new_uids(last, since=since)
    done = store.seen(mailbox, state.uidvalidity, uids)
    todo = [u for u in uids if u not in done]
    batch = todo[:limit]
    records: list[InboxRecord] = []
    copies = 0
    for fetched in client.fetch(batch):
        message = _parse(fetched)
        first = store.first_of(message.key)
        if first is not None:
            store.record_copy((mailbox, state.uidvalidity, fetched.uid), message.key, first, now)
            copies += 1
            continue
        try:
            saved = (
                save_attachments(settings.attachments_dir, message, settings.max_attachment_bytes)
                if message.kind == "reply"
                else not_saved(message, "не сохранено: письмо не от человека")
            )
        except OSError as exc:
            raise SheetsSyncError(
                f"cannot save the attachments of a reply under {settings.attachments_dir} "
                f"({exc}): check `inbox.attachments_dir` and its permissions and free space"
            ) from exc
        record = record_of(message, mailbox, state.uidvalidity, saved)
        store.record_received([record], now)
        records.append(record)
    if records or copies:
        logger.info(
            "Received %d message(s), %d known already, from %s", len(records), copies, mailbox
        )
    return Received(tuple(records), copies, state.uidvalidity, len(todo) > len(batch))


def flag_written(
    client: InboxClient, store: InboxStore, settings: InboxSettings, *, now: datetime
) -> int:
    """Mark on the server the messages whose rows are written; return how many."""
    state = client.select()
    uids = store.unflagged(settings.mailbox, state.uidvalidity)
    if not uids:
        return 0
    client.mark_processed(uids)
    store.mark_flagged(settings.mailbox, state.uidvalidity, uids, now)
    return len(uids)


def check_inbox(
    settings: InboxSettings, store: InboxStore | None = None, *, since: date | None = None
) -> InboxCheck:
    """Log in, open the folder and count the new messages; fetch, flag and move nothing.
    Raises InboxUnavailable when the server, the login or the folder is wrong."""
    problems: list[str] = []
    with InboxClient(settings) as client:
        if settings.processed_folder:
            if not client.can_move:
                problems.append(
                    f"the IMAP server {settings.host} cannot move messages (it lacks MOVE): "
                    'set `inbox.processed` to a flag like "$SheetsSyncDone"'
                )
            elif settings.processed_folder not in client.folders():
                problems.append(client.folder_problem())
        state = client.select()  # SELECT, not EXAMINE: only SELECT tells which flags stick
        if not state.keeps_flag:
            problems.append(client.flag_problem())
        last = store.last_uid(settings.mailbox, state.uidvalidity) if store else 0
        uids = client.new_uids(last, since=since)
        new = len(uids) - len(
            store.seen(settings.mailbox, state.uidvalidity, uids) if store else ()
        )
    return InboxCheck(settings.folder, state.messages, new, tuple(problems))


def _parse(fetched: FetchedMessage) -> InboxMessage:
    """Parse one message; one that breaks the parser is kept as an unreadable reply, so that
    it never blocks the messages after it."""
    try:
        return parse_message(fetched.uid, fetched.raw)
    except Exception as exc:  # noqa: BLE001 - any message a sender can craft must not stop us
        logger.warning("Could not read message UID %d: %s", fetched.uid, exc)
        return replace(
            parse_message(fetched.uid, b"\r\n"),
            reason=f"письмо не удалось разобрать ({exc.__class__.__name__})",
            key="sha256:" + hashlib.sha256(fetched.raw).hexdigest(),
        )
