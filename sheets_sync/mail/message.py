"""An email's standard MIME bytes (UTF-8, plain text + HTML alternative). Built once: the same
bytes go to the outbox folder or the SMTP server, and into the local state for a resend.

The bytes are written directly, with the headers and parts `email.mime` would give (every header
on lines under 78 characters where it can fold, display names and the subject as RFC 2047
encoded-words, both bodies in base64), at a quarter of the cost: a run at 1,000 schools builds
a thousand of them. The boundary comes from the Message-ID, so the same email is the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .render import Email

_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
CRLF = "\r\n"
LINE = 78  # RFC 5322's recommended line length


def one_line(text: str) -> str:
    """Return `text` with every line break folded to a space: nothing can start a new header."""
    return re.sub(r"\s{2,}", " ", _LINE_BREAKS.sub(" ", text)).strip()


def _address(name: str, addr: str) -> str:
    # One encoded-word per name (formataddr): folding inside a display name is decoded with a
    # stray space by some readers, Python's own parser among them.
    return formataddr((one_line(name)[:100], addr), charset="utf-8")


def _addresses(field: str, addresses: Sequence[str]) -> str:
    """Return an address header, one address a line when they do not fit on one."""
    line = f"{field}: {', '.join(addresses)}"
    if len(line) <= LINE:
        return line
    return f"{field}: " + f",{CRLF} ".join(addresses)


def _part(text: str, subtype: str) -> str:
    body = base64.encodebytes(text.encode("utf-8")).decode("ascii").replace("\n", CRLF)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}MIME-Version: 1.0{CRLF}'
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}{body}"
    )


def build_message(email: Email, sender: str, reply_to: str, when: datetime) -> bytes:
    """Return the standard MIME bytes of `email` (UTF-8, plain text + HTML alternative)."""
    boundary = "=_sheets-sync_" + hashlib.sha256(email.message_id.encode()).hexdigest()[:24]
    subject = Header(one_line(email.subject), "utf-8").encode(linesep=CRLF)
    headers = [
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "MIME-Version: 1.0",
        _addresses("From", [_address(*parseaddr(sender))]),
        _addresses("To", [_address(email.to_name, a) for a in email.to]),
    ]
    if reply_to:
        headers.append(_addresses("Reply-To", [_address(*parseaddr(reply_to))]))
    headers += [
        f"Subject: {subject}",
        f"Date: {format_datetime(when)}",
        f"Message-ID: {email.message_id}",
        "Auto-Submitted: auto-generated",  # RFC 3834: autoresponders must not answer
    ]
    parts = [_part(email.text, "plain"), _part(email.html, "html")]
    body = "".join(f"--{boundary}{CRLF}{p}{CRLF}" for p in parts) + f"--{boundary}--{CRLF}"
    return (CRLF.join(headers) + CRLF + CRLF + body).encode("utf-8")
