"""The MIME bytes written directly read back, header by header and part by part, exactly as the
ones `email.mime` builds (kept here as the reference)."""

from __future__ import annotations

import email
from datetime import datetime
from email import policy
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, parseaddr
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.mail.message import _address, build_message, one_line
from sheets_sync.mail.render import Email

WHEN = datetime(2020, 9, 8, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def reference(mail: Email, sender: str, reply_to: str, when: datetime) -> bytes:
    """The message as `email.mime` builds it (the builder before this one)."""
    msg = MIMEMultipart("alternative")
    msg["From"] = _address(*parseaddr(sender))
    msg["To"] = ", ".join(_address(mail.to_name, a) for a in mail.to)
    if reply_to:
        msg["Reply-To"] = _address(*parseaddr(reply_to))
    msg["Subject"] = Header(one_line(mail.subject), "utf-8")  # type: ignore[assignment]
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = mail.message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.attach(MIMEText(mail.text, "plain", "utf-8"))
    msg.attach(MIMEText(mail.html, "html", "utf-8"))
    return msg.as_bytes(policy=policy.compat32.clone(linesep="\r\n"))


def parsed(raw: bytes) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    msg = email.message_from_bytes(raw, policy=policy.default)
    headers = [(k, str(v)) for k, v in msg.items() if k != "Content-Type"]
    parts = [
        (p.get_content_type(), str(p.get_content_charset()), p.get_content())
        for p in msg.iter_parts()  # type: ignore[attr-defined]
    ]
    return headers, [(msg.get_content_type(), "", ""), *parts]


CASES = [
    Email(
        "school:01",
        "Школа № 1",
        ("s1@example.org",),
        "Напоминание",
        "Текст\n",
        "<p>Т</p>",
        "<a@x>",
        (),
    ),
    Email(
        "executor:long",
        "Отдел сопровождения информационно-библиотечных центров общеобразовательных организаций",
        ("a@example.org", "b@example.org", "c.long.address@school.example.ru"),
        "Просрочено 12 пунктов дорожной карты: отчёт о работе интернет-страницы и план работы " * 2,
        "Строка\n" * 400,
        "<p>" + "Пункт <b>1</b> — просрочено на 5 дней. " * 200 + "</p>",
        "<b@x>",
        (),
    ),
    Email(
        "x",
        'Plain "quoted" name',
        ("p@example.org",),
        "Subject\nBcc: evil@example.org",
        "t",
        "h",
        "<c@x>",
        (),
    ),
]


@pytest.mark.parametrize("mail", CASES, ids=["short", "long", "injection"])
@pytest.mark.parametrize("reply_to", ["", "Ответы <r@example.org>"])
def test_the_bytes_read_back_as_email_mime_builds_them(mail, reply_to):
    sender = "Координатор ШИБЦ <coordinator@example.org>"

    ours = build_message(mail, sender, reply_to, WHEN)

    assert parsed(ours) == parsed(reference(mail, sender, reply_to, WHEN))
    assert all(len(line) <= 998 for line in ours.split(b"\r\n"))
    assert b"\nBcc:" not in ours and ours.count(b"\r\n\r\n") >= 3
    assert build_message(mail, sender, reply_to, WHEN) == ours  # the same email, the same bytes
