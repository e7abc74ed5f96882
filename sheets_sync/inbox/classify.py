"""Is a message a reply, an auto-reply, or a bounce? And for a bounce: which address failed,
why, and which of our messages it returns. Pure.

Bounces come as DSNs (RFC 3464: multipart/report; report-type=delivery-status, as Postfix,
Exim, Yandex, Mail.ru and Gmail send them) or as plain text from MAILER-DAEMON/postmaster
(older Exim, qmail, Exchange). Auto-replies say so in Auto-Submitted (RFC 3834), X-Autoreply,
X-Autorespond, Precedence, or their subject («Автоответ:», «Out of office»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from typing import Literal

_AUTO_SUBJECT = re.compile(
    r"^\s*(?:автоответ|автоматический ответ|auto|autoreply|auto-reply|auto reply|"
    r"automatic reply|out of (?:the )?office|нет на месте|отпуск|вне офиса|"
    r"отсутствую|отсутствие на рабочем месте)\b",
    re.IGNORECASE,
)
_DAEMON = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.IGNORECASE)
_DAEMON_NAME = re.compile(r"mail delivery (?:system|subsystem)|mailer-daemon", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|returned mail|delivery (?:status notification|failure|has failed)|"
    r"mail delivery failed|failure notice|недоставлен|не доставлен|не удалось доставить|"
    r"ошибка доставки",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_STATUS = re.compile(r"\b([45]\.\d{1,3}\.\d{1,3})\b")
_SMTP_CODE = re.compile(r"\b(5[0-5]\d)[ -]")
_COPY_MARKERS = re.compile(
    r"^-{3,}.*(?:copy of the message|original message|undelivered message|"
    r"message headers|исходное сообщение|копия сообщения)|^Return-path:|^Received:",
    re.IGNORECASE | re.MULTILINE,
)
_SENDER_LINE = re.compile(r"^(?:From|Return-path|Sender):.*$", re.IGNORECASE | re.MULTILINE)
_MESSAGE_ID_LINE = re.compile(r"^Message-ID:\s*(<[^>\s]+>)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Bounce:
    """A delivery failure: the addresses that failed, the status and the server's words."""

    addresses: tuple[str, ...]
    status: str = ""  # "5.1.1", or "" when the bounce does not say
    diagnostic: str = ""
    original_message_id: str = ""  # the returned message's Message-ID, when it came back


Classified = tuple[Literal["reply", "auto-reply", "bounce"], str, Bounce | None]


def classify(msg: Message, sender: str, sender_name: str, subject: str, text: str) -> Classified:
    """Return (kind, reason in Russian, bounce) for a parsed message."""
    report = _report_type(msg)
    if report == "delivery-status":
        return _from_dsn(msg, text)
    if report == "disposition-notification":
        return "auto-reply", "уведомление о прочтении", None
    if _DAEMON.match(sender) or (
        _DAEMON_NAME.search(sender_name) and _BOUNCE_SUBJECT.search(subject)
    ):
        bounce = _from_text(msg, text, sender)
        if bounce is not None:
            return "bounce", _bounce_reason(bounce), bounce
        return "auto-reply", f"служебное письмо почтового сервера ({sender})", None
    reason = auto_reply_reason(msg, subject)
    if reason:
        return "auto-reply", reason, None
    return "reply", "", None


def auto_reply_reason(msg: Message, subject: str) -> str:
    """Return why `msg` is an automatic answer (Russian), or "" when a person wrote it."""
    auto = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto and not auto.startswith("no"):
        return f"автоответ (Auto-Submitted: {auto.split(';')[0]})"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponse", "X-Auto-Reply"):
        if msg.get(name) is not None:
            return f"автоответ ({name})"
    precedence = str(msg.get("Precedence", "")).strip().lower()
    if precedence in ("auto_reply", "bulk", "junk"):
        return f"автоответ (Precedence: {precedence})"
    if _AUTO_SUBJECT.match(subject):
        return f"автоответ (тема «{subject[:60]}»)"
    return ""


def _report_type(msg: Message) -> str:
    if msg.get_content_type() != "multipart/report":
        return ""
    return str(msg.get_param("report-type", "") or "").strip().lower()


def _from_dsn(msg: Message, text: str) -> Classified:
    blocks = [
        block
        for part in msg.walk()
        if part.get_content_type() == "message/delivery-status"
        for block in (part.get_payload() or [])
        if isinstance(block, Message)
    ]
    failed: list[str] = []
    status = diagnostic = ""
    delayed = False
    for block in blocks[1:]:  # the first block is about the message, the rest per recipient
        action = str(block.get("Action", "")).strip().lower()
        code = _STATUS.search(str(block.get("Status", "")))
        if action == "failed" or (code and code.group(1).startswith("5") and action != "delivered"):
            address = _recipient(block)
            if address and address not in failed:
                failed.append(address)
            status = status or (code.group(1) if code else "")
            diagnostic = diagnostic or _diagnostic(block)
        elif action == "delayed":
            delayed = True
    original = _original_message_id(msg)
    if failed:
        bounce = Bounce(tuple(failed), status, diagnostic, original)
        return "bounce", _bounce_reason(bounce), bounce
    if delayed:
        return "auto-reply", "доставка задерживается, сервер ещё пытается", None
    return "auto-reply", "отчёт о доставке без ошибок", None


def _recipient(block: Message) -> str:
    for name in ("Final-Recipient", "Original-Recipient"):
        value = " ".join(str(block.get(name, "")).split())
        found = _ADDRESS.search(value.split(";", 1)[-1])
        if found:
            return found.group(0).lower()
    return ""


def _diagnostic(block: Message) -> str:
    value = " ".join(str(block.get("Diagnostic-Code", "")).split())
    return value.split(";", 1)[-1].strip() if ";" in value else value


def _original_message_id(msg: Message) -> str:
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                value = str(inner[0].get("Message-ID", "")).strip()
                if value:
                    return value
        elif ctype == "text/rfc822-headers":
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                headers = HeaderParser().parsestr(data.decode("utf-8", errors="replace"))
                value = str(headers.get("Message-ID", "")).strip()
                if value:
                    return value
    return ""


def _from_text(msg: Message, text: str, sender: str) -> Bounce | None:
    """A bounce in plain text: the addresses named before the returned copy begins."""
    cut = _COPY_MARKERS.search(text)
    notice, returned = (text[: cut.start()], text[cut.start() :]) if cut else (text, "")
    own = {
        sender,
        *(a.lower() for a in _ADDRESS.findall("\n".join(_SENDER_LINE.findall(returned)))),
    }
    listed = [a.strip() for a in str(msg.get("X-Failed-Recipients", "")).split(",")]
    found = [a.lower() for a in listed if "@" in a] + [
        a.lower().rstrip(".") for a in _ADDRESS.findall(notice)
    ]
    failed = tuple(dict.fromkeys(a for a in found if a not in own and not _DAEMON.match(a)))
    if not failed:
        return None
    status = _STATUS.search(notice)
    code = status.group(1) if status else ""
    if not code and (smtp := _SMTP_CODE.search(notice)):
        code = smtp.group(1)
    line = next((ln.strip() for ln in notice.splitlines() if code and code in ln), "")
    original = _MESSAGE_ID_LINE.search(returned)
    return Bounce(failed, code, line, original.group(1) if original else "")


def _bounce_reason(bounce: Bounce) -> str:
    status = f" ({bounce.status})" if bounce.status else ""
    return f"письмо не доставлено на {', '.join(bounce.addresses)}{status}"
