"""Why the mailbox cannot be used, said with what to change (English, for the administrator)."""

from __future__ import annotations

import imaplib
import socket
import ssl
from typing import Any

from imap_tools.errors import ImapToolsError, MailboxLoginError

from sheets_sync.errors import SheetsSyncError
from sheets_sync.settings.credentials import INBOX_ENV as INBOX_PASSWORD_ENV
from sheets_sync.settings.inbox import InboxSettings


class InboxUnavailable(SheetsSyncError):
    """The mailbox cannot be reached, refuses the login, or lacks a folder; the message says
    what to change. Nothing was marked or moved."""


def unavailable(s: InboxSettings, exc: Exception) -> InboxUnavailable:
    """Say why the mailbox cannot be used at all, and what to change."""
    where = f"{s.host}:{s.port}"
    if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError) and s.ca_file:
        return InboxUnavailable(
            f"`inbox.ca_file` names {s.ca_file}, which cannot be read ({exc.strerror}): "
            "fix the path, or remove the key for a server with an ordinary certificate"
        )
    if isinstance(exc, MailboxLoginError):
        return InboxUnavailable(
            f"the IMAP server {s.host} refused the login of {s.user} ({said(exc)}): check "
            f"`inbox.user` and the password in {INBOX_PASSWORD_ENV}; Yandex and Mail.ru need "
            "an app password and IMAP turned on in the mailbox settings"
        )
    if isinstance(exc, ssl.SSLError):
        return InboxUnavailable(
            f"cannot make a secure connection to {where} ({exc.reason}): port 993 takes "
            'security = "ssl", port 143 "starttls"; a server with its own certificate '
            "authority needs `inbox.ca_file`"
        )
    if isinstance(exc, ImapToolsError | imaplib.IMAP4.error):
        return InboxUnavailable(
            f"the IMAP server {where} refused to log in this way ({exc}): check "
            '`inbox.security` ("ssl" on port 993, "starttls" on port 143)'
        )
    if isinstance(exc, socket.timeout | TimeoutError):
        return InboxUnavailable(
            f"the IMAP server {where} did not answer within {s.timeout_seconds:g} s: check "
            "`inbox.host` and `inbox.port`, or raise `inbox.timeout_seconds`"
        )
    return InboxUnavailable(
        f"cannot connect to the IMAP server {where} ({exc}): check `inbox.host` and "
        "`inbox.port`; replies are read next run"
    )


def failed(s: InboxSettings, action: str, exc: Exception) -> InboxUnavailable:
    if isinstance(exc, OSError | imaplib.IMAP4.abort):
        return InboxUnavailable(
            f"the connection to the IMAP server {s.host}:{s.port} broke when trying to "
            f"{action} ({exc}); replies are read next run"
        )
    return InboxUnavailable(
        f"the IMAP server {s.host} refused to {action} ({said(exc)}); replies are read next run"
    )


def said(exc: Exception) -> str:
    data: Any = getattr(exc, "command_result", (None, []))[1]
    parts = [
        d.decode("utf-8", errors="replace") if isinstance(d, bytes) else str(d) for d in data or []
    ]
    return " ".join(p for p in parts if p and p != "None") or str(exc)
