"""The reply mailbox over IMAP, through imap-tools: log in, open the folder, list and fetch
the messages that are new since a UID, and mark processed ones. The only module that talks
IMAP. It never deletes and never expunges: a processed message gets a keyword flag, or moves
(server-side MOVE) to a folder. Fetching uses BODY.PEEK, so nothing is marked as read.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage, U
from imap_tools.errors import (
    ImapToolsError,
    MailboxFolderSelectError,
    UnexpectedCommandStatusError,
)
from imap_tools.utils import check_command_status, encode_folder

from sheets_sync.settings.inbox import InboxSettings

from .errors import InboxUnavailable, failed, said, unavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FolderState:
    """The folder as SELECT reported it."""

    uidvalidity: int
    uidnext: int
    messages: int
    keeps_flag: bool  # whether the server keeps the processed keyword (PERMANENTFLAGS)


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    uid: int
    raw: bytes
    flags: tuple[str, ...]


class _RawMessage(MailMessage):
    """imap-tools' message, keeping the exact bytes the server sent."""

    def __init__(self, fetch_data: list[Any]) -> None:
        super().__init__(fetch_data)
        self.raw: bytes = self._get_message_data_parts(fetch_data)[0]


class InboxClient:
    """One connection to the reply mailbox; use as a context manager."""

    def __init__(self, settings: InboxSettings) -> None:
        self.settings = settings
        self._box: Any = None
        self._capabilities: frozenset[str] = frozenset()
        self._state: FolderState | None = None

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connecting -----------------------------------------------------------------------------

    def connect(self) -> None:
        """Connect and log in; raise InboxUnavailable with the fix when that fails."""
        s = self.settings
        try:
            box = self._open()
            self._box = box
            if (s.user + (s.password or "")).isascii():
                box.login(s.user, s.password or "", initial_folder=None)
            else:
                box.login_utf8(s.user, s.password or "", initial_folder=None)
            _typ, data = box.client.capability()
            words = data[-1].decode("ascii", errors="replace").upper().split() if data else []
            self._capabilities = frozenset(words)
        except (OSError, ImapToolsError, imaplib.IMAP4.error) as exc:
            self.close()
            raise unavailable(self.settings, exc) from exc
        logger.info("Logged in to %s:%d as %s (%s)", s.host, s.port, s.user, s.security)

    def _open(self) -> Any:
        s = self.settings
        context = ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None)
        if s.security == "ssl":
            return MailBox(s.host, s.port, timeout=s.timeout_seconds, ssl_context=context)
        if s.security == "starttls":
            return MailBoxStartTls(s.host, s.port, timeout=s.timeout_seconds, ssl_context=context)
        return MailBoxUnencrypted(s.host, s.port, timeout=s.timeout_seconds)

    def close(self) -> None:
        box, self._box = self._box, None
        if box is None:
            return
        try:
            box.logout()
        except (OSError, ImapToolsError, imaplib.IMAP4.error):
            with contextlib.suppress(OSError):
                box.client.shutdown()

    @property
    def box(self) -> Any:
        if self._box is None:
            raise InboxUnavailable("the mailbox is not connected")
        return self._box

    # -- the folder -----------------------------------------------------------------------------

    def select(self, *, readonly: bool = False) -> FolderState:
        """Open `inbox.folder`; raise InboxUnavailable naming the folders there if it is missing."""
        folder = self.settings.folder
        try:
            self.box.folder.set(folder, readonly=readonly)
        except MailboxFolderSelectError as exc:
            raise InboxUnavailable(
                f'the folder "{folder}" does not exist in the mailbox {self.settings.user} '
                f"({said(exc)}): set `inbox.folder` to one of {_quoted(self.folders())}"
            ) from exc
        except (OSError, ImapToolsError, imaplib.IMAP4.error) as exc:
            raise failed(self.settings, f'open the folder "{folder}"', exc) from exc
        responses = self.box.client.untagged_responses
        flags = _text(responses.get("PERMANENTFLAGS")).replace("(", " ").replace(")", " ").split()
        flag = self.settings.processed_flag
        self._state = FolderState(
            uidvalidity=_number(responses.get("UIDVALIDITY")),
            uidnext=_number(responses.get("UIDNEXT")),
            messages=_number(responses.get("EXISTS")),
            # EXAMINE (read-only) lists no permanent flags at all: nothing to judge by.
            keeps_flag=readonly or not flag or "\\*" in flags or flag in flags,
        )
        return self._state

    def folders(self) -> list[str]:
        """Return the names of the mailbox's folders, as the server lists them."""
        try:
            return [f.name for f in self.box.folder.list()]
        except (OSError, ImapToolsError, imaplib.IMAP4.error):
            return []

    def new_uids(self, after: int, *, since: date | None = None) -> list[int]:
        """Return the UIDs above `after` in the open folder, oldest first (only those on or
        after `since` when given; never those already flagged as processed)."""
        criteria: dict[str, Any] = {"uid": U(str(after + 1), "*")}
        state = self._state
        if self.settings.processed_flag and state is not None and state.keeps_flag:
            criteria["no_keyword"] = self.settings.processed_flag
        if since is not None:
            criteria["date_gte"] = since
        try:
            found = self.box.uids(AND(**criteria))
        except (OSError, ImapToolsError, imaplib.IMAP4.error) as exc:
            raise failed(self.settings, "search for new messages", exc) from exc
        # "UID n:*" always includes the newest message, even when its UID is below n.
        return sorted(uid for uid in (int(u) for u in found) if uid > after)

    def fetch(self, uids: Sequence[int]) -> Iterator[FetchedMessage]:
        """Yield the messages `uids` one at a time (BODY.PEEK: nothing marked as read)."""
        if not uids:
            return
        box = self.box
        box.email_message_class = _RawMessage
        try:
            for message in box.fetch(uid_list=[str(u) for u in uids], mark_seen=False):
                if message.uid is not None:
                    yield FetchedMessage(int(message.uid), message.raw, tuple(message.flags))
        except (OSError, ImapToolsError, imaplib.IMAP4.error) as exc:
            raise failed(self.settings, "fetch messages", exc) from exc

    def mark_processed(self, uids: Sequence[int]) -> None:
        """Flag `uids` with the processed keyword, or move them to the processed folder."""
        if not uids:
            return
        s = self.settings
        uid_set = ",".join(str(u) for u in uids)
        try:
            if s.processed_flag:
                if self._state is not None and not self._state.keeps_flag:
                    raise InboxUnavailable(self.flag_problem())
                result = self.box.client.uid(
                    "STORE", uid_set, "+FLAGS.SILENT", f"({s.processed_flag})"
                )
                check_command_status(result, UnexpectedCommandStatusError)
                return
            if "MOVE" not in self._capabilities:
                raise InboxUnavailable(
                    f"the IMAP server {s.host} cannot move messages (it lacks MOVE): set "
                    '`inbox.processed` to a flag like "$SheetsSyncDone" instead of a folder'
                )
            if not self.box.folder.exists(s.processed_folder):
                raise InboxUnavailable(self.folder_problem())
            result = self.box.client.uid("MOVE", uid_set, encode_folder(s.processed_folder))
            check_command_status(result, UnexpectedCommandStatusError)
        except (OSError, ImapToolsError, imaplib.IMAP4.error) as exc:
            raise failed(self.settings, "mark processed messages", exc) from exc

    def flag_problem(self) -> str:
        s = self.settings
        return (
            f'the IMAP server {s.host} does not keep flags like "{s.processed_flag}" in '
            f'"{s.folder}": set `inbox.processed` to a folder to move processed mail to '
            '(e.g. "Обработано"; create it in the mailbox first)'
        )

    def folder_problem(self) -> str:
        s = self.settings
        return (
            f'the folder "{s.processed_folder}" for processed mail does not exist in the '
            f"mailbox {s.user}: create it, or set `inbox.processed` to a flag like "
            '"$SheetsSyncDone"'
        )

    @property
    def can_move(self) -> bool:
        return "MOVE" in self._capabilities


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names) or "the folders it lists (none were listed)"


def _text(values: list[bytes] | None) -> str:
    if not values:
        return ""
    value = values[-1]
    return value.decode("ascii", errors="replace") if isinstance(value, bytes) else str(value)


def _number(values: list[bytes] | None) -> int:
    text = _text(values).strip()
    return int(text) if text.isdigit() else 0
