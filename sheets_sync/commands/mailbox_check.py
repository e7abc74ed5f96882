"""What `check` and `preview` say of the reply mailbox: that it can be logged in to, that its
folder is there, how many messages wait to be processed; nothing is fetched, flagged or moved."""

from __future__ import annotations

from sheets_sync.inbox import InboxUnavailable, check_inbox
from sheets_sync.lint import Finding
from sheets_sync.settings.types import Settings


def check_replies(settings: Settings) -> list[Finding]:
    """Log in to the reply mailbox, open its folder and count what is new; print it, and
    return what would keep replies from being read or marked."""
    inbox = settings.inbox
    if inbox is None:
        print("inbox: replies are not read (no [inbox] section)")
        return []
    try:
        found = check_inbox(inbox)
    except InboxUnavailable as exc:
        print(f"inbox: cannot use {inbox.user} at {inbox.host}:{inbox.port}")
        return [Finding("", "[inbox]", str(exc), "", in_settings=True)]
    print(
        f"inbox: logged in to {inbox.host}:{inbox.port} ({inbox.security}) as {inbox.user}; "
        f"{found.summary} (not yet processed)"
    )
    return [Finding("", "inbox.processed", p, "", in_settings=True) for p in found.problems]
