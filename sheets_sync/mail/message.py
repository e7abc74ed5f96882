"""An email's standard MIME bytes (UTF-8, plain text + HTML alternative). Built once: the same
bytes go to the outbox folder or the SMTP server, and into the local state for a resend."""

from __future__ import annotations

import re
from datetime import datetime
from email import policy
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .render import Email

_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """Return `text` with every line break folded to a space: nothing can start a new header."""
    return re.sub(r"\s{2,}", " ", _LINE_BREAKS.sub(" ", text)).strip()


def _address(name: str, addr: str) -> str:
    # One encoded-word per name (formataddr): folding inside a display name is decoded with a
    # stray space by some readers, Python's own parser among them.
    return formataddr((one_line(name)[:100], addr), charset="utf-8")


def build_message(email: Email, sender: str, reply_to: str, when: datetime) -> bytes:
    """Return the standard MIME bytes of `email` (UTF-8, plain text + HTML alternative)."""
    msg = MIMEMultipart("alternative")
    msg["From"] = _address(*parseaddr(sender))
    msg["To"] = ", ".join(_address(email.to_name, a) for a in email.to)
    if reply_to:
        msg["Reply-To"] = _address(*parseaddr(reply_to))
    msg["Subject"] = Header(one_line(email.subject), "utf-8")  # type: ignore[assignment]
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = email.message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: autoresponders must not answer
    msg.attach(MIMEText(email.text, "plain", "utf-8"))
    msg.attach(MIMEText(email.html, "html", "utf-8"))
    return msg.as_bytes(policy=policy.compat32.clone(linesep="\r\n"))
