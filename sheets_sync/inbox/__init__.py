"""The reply mailbox: read what schools and executors answer, save their attachments, catch
auto-replies and bounces, and match each reply to the digest and items it answers.

Only `client.py` talks IMAP (imap-tools); parsing, classifying, matching and naming files are
pure; `store.py` keeps what was received in the local state so that a crash loses nothing
and repeats nothing; `intake.py` runs one cycle's steps in that order.
"""

from __future__ import annotations

from sheets_sync.settings.credentials import INBOX_ENV as INBOX_PASSWORD_ENV
from sheets_sync.settings.credentials import inbox_password
from sheets_sync.settings.inbox import InboxSettings

from .attachments import refusal, safe_file_name, save_attachments
from .classify import Bounce
from .client import FetchedMessage, FolderState, InboxClient
from .errors import InboxUnavailable
from .intake import InboxCheck, Received, check_inbox, flag_written, receive
from .matching import (
    DigestItem,
    InboxMatch,
    SentDigest,
    SuggestedMark,
    match_message,
    suggested_marks,
)
from .message import Attachment, InboxMessage, parse_message
from .records import InboxRecord, SavedAttachment, record_of
from .store import InboxStore

__all__ = [
    "INBOX_PASSWORD_ENV",
    "Attachment",
    "Bounce",
    "DigestItem",
    "FetchedMessage",
    "FolderState",
    "InboxCheck",
    "InboxClient",
    "InboxMatch",
    "InboxMessage",
    "InboxRecord",
    "InboxSettings",
    "InboxStore",
    "InboxUnavailable",
    "Received",
    "SavedAttachment",
    "SentDigest",
    "SuggestedMark",
    "check_inbox",
    "flag_written",
    "inbox_password",
    "match_message",
    "parse_message",
    "receive",
    "record_of",
    "refusal",
    "safe_file_name",
    "save_attachments",
    "suggested_marks",
]
