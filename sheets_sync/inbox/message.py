"""From the raw bytes of one message to an `InboxMessage`: headers decoded, the text, the
attachments, and what kind of message it is (a reply, an auto-reply, a bounce). Pure.

Parsing is lenient, as mail from many programs needs: the stdlib's compat32 parser keeps
every header as sent, and each value is decoded here (RFC 2047 words, raw UTF-8 or 8-bit
headers, unknown charsets) without ever raising on a malformed message.
"""

from __future__ import annotations

import email
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import Literal

from .classify import Bounce, classify
from .text import html_to_text

Kind = Literal["reply", "auto-reply", "bounce"]
_BODY_TYPES = ("text/plain", "text/html")
_REPORT_PARTS = (
    "message/delivery-status",
    "text/rfc822-headers",
    "message/disposition-notification",
)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the message carries, named as the sender named it (not yet safe to save)."""

    name: str
    content_type: str
    size: int
    payload: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class InboxMessage:
    uid: int
    message_id: str  # "<...>" as sent, or "" when the message has none
    in_reply_to: str
    references: tuple[str, ...]
    sender: str  # the From address, lower case
    sender_name: str
    subject: str
    date: datetime | None  # when it arrived: the newest Received header, else Date; aware
    text: str  # the plain text (HTML converted when there is no plain part)
    attachments: tuple[Attachment, ...]
    kind: Kind
    reason: str = ""  # why it is an auto-reply or a bounce (Russian, for the tab)
    bounce: Bounce | None = None
    key: str = ""  # the Message-ID, or a digest of the bytes when there is none


def parse_message(uid: int, raw: bytes) -> InboxMessage:
    """Return what `raw` (one RFC 5322 message, as the server holds it) says."""
    msg = email.message_from_bytes(raw)
    message_id = _first_id(header(msg, "Message-ID"))
    sender_name, sender = _address(header(msg, "From"))
    subject = " ".join(header(msg, "Subject").split())
    texts, htmls, attachments = _walk(msg)
    text = "\n\n".join(t for t in texts if t.strip())
    if not text.strip() and htmls:
        text = "\n\n".join(html_to_text(h) for h in htmls)
    kind, reason, bounce = classify(msg, sender, sender_name, subject, text)
    return InboxMessage(
        uid=uid,
        message_id=message_id,
        in_reply_to=_first_id(header(msg, "In-Reply-To")),
        references=tuple(_ids(header(msg, "References"))),
        sender=sender,
        sender_name=sender_name,
        subject=subject,
        date=_arrival(msg),
        text=text.strip(),
        attachments=tuple(attachments),
        kind=kind,
        reason=reason,
        bounce=bounce,
        key=message_id or "sha256:" + hashlib.sha256(raw).hexdigest(),
    )


def header(msg: Message, name: str) -> str:
    """Return header `name` decoded to text (RFC 2047 words, raw 8-bit bytes), or ""."""
    value = _raw_header(msg, name)
    return decode_words(" ".join(value.split())) if value else ""


def _raw_header(msg: Message, name: str) -> str:
    """The header as sent, raw 8-bit bytes read as UTF-8 (or cp1251). `Message.get` would
    turn such bytes into U+FFFD; `raw_items` keeps them."""
    wanted = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            return _unescape(str(value))
    return ""


def decode_words(text: str) -> str:
    """Return `text` with its RFC 2047 encoded words decoded; unreadable ones left as sent."""
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except (LookupError, ValueError, UnicodeError, AssertionError):
        return text


def payload_text(part: Message) -> str:
    """Return a text part's content as str, whatever charset it claims."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    text = None
    for candidate in (charset, "utf-8", "cp1251"):
        try:
            text = data.decode(candidate)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    if text is None:
        text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unescape(value: str) -> str:
    """compat32 keeps raw 8-bit header bytes as surrogates: read them as UTF-8 (or cp1251)."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        data = value.encode("ascii", errors="surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def _walk(msg: Message) -> tuple[list[str], list[str], list[Attachment]]:
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[Attachment] = []
    for part in _leaves(msg):
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            data = first.as_bytes() if isinstance(first, Message) else b""
            name = _filename(part) or "письмо.eml"
            attachments.append(Attachment(name, ctype, len(data), data))
        elif _is_body(part, ctype):
            (texts if ctype == "text/plain" else htmls).append(payload_text(part))
        elif not _is_signature_image(part, ctype):
            decoded = part.get_payload(decode=True)
            data = decoded if isinstance(decoded, bytes) else b""
            attachments.append(Attachment(_filename(part), ctype, len(data), data))
    return texts, htmls, attachments


def _leaves(part: Message) -> Iterator[Message]:
    """Yield the parts that are not containers; a forwarded message counts as one leaf. The
    parts of a report (a bounce's DSN and the message it returns) are not the sender's."""
    ctype = part.get_content_type()
    if ctype == "message/rfc822" or not part.is_multipart():
        yield part
        return
    children = part.get_payload()
    report = ctype == "multipart/report"
    for child in children if isinstance(children, list) else ():
        if not isinstance(child, Message):
            continue
        if child.get_content_type() in _REPORT_PARTS or (
            report and child.get_content_type() == "message/rfc822"
        ):
            continue
        yield from _leaves(child)


def _is_body(part: Message, ctype: str) -> bool:
    return (
        ctype in _BODY_TYPES
        and part.get_content_disposition() != "attachment"
        and not _filename(part)
    )


def _is_signature_image(part: Message, ctype: str) -> bool:
    """Images shown inside an HTML body (logos, signatures), not files sent on purpose."""
    return (
        ctype.startswith("image/")
        and bool(part.get("Content-ID"))
        and part.get_content_disposition() != "attachment"
    )


def _filename(part: Message) -> str:
    probe = Message()  # the two headers with raw 8-bit names read as text, then parsed
    for key in ("Content-Disposition", "Content-Type"):
        value = _raw_header(part, key)
        if value:
            probe[key] = value
    try:
        name = probe.get_filename() or probe.get_param("name") or ""
    except (LookupError, ValueError, UnicodeError):
        return ""
    if isinstance(name, tuple):  # an RFC 2231 value get_param could not collapse
        name = email.utils.collapse_rfc2231_value(name)
    return decode_words(_unescape(str(name)))


def _address(value: str) -> tuple[str, str]:
    pairs = [(n, a) for n, a in getaddresses([value]) if "@" in a]
    if not pairs:
        return "", ""
    name, address = pairs[0]
    return " ".join(name.split()), address.strip().lower()


def _ids(value: str) -> list[str]:
    """Return the Message-IDs in a References/In-Reply-To value, in order."""
    found: list[str] = []
    for token in value.replace(">", "> ").split():
        token = token.strip(",;")
        if token.startswith("<") and token.endswith(">") and "@" in token:
            found.append(token)
    return found


def _first_id(value: str) -> str:
    ids = _ids(value)
    if ids:
        return ids[0]
    bare = value.strip()
    return f"<{bare}>" if bare and "@" in bare and " " not in bare else ""


def _arrival(msg: Message) -> datetime | None:
    received = msg.get_all("Received") or []
    candidates = [str(received[0]).rsplit(";", 1)[-1]] if received else []
    candidates.append(str(msg.get("Date", "")))
    for text in candidates:
        try:
            when = parsedate_to_datetime(" ".join(text.split()))
        except (TypeError, ValueError, IndexError):
            continue
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    return None
