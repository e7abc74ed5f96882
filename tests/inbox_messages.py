"""Real-looking messages for the inbox tests: replies as mail programs send them, auto-replies,
and bounces as Postfix, Exim, Yandex and an old plain-text MAILER-DAEMON write them.

Each function returns the raw bytes (CRLF line ends) a mail server would store.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

DIGEST_ID = "<3f1c2a9d0e7b4c55.reminder@sheets-sync.example.org>"
OTHER_DIGEST_ID = "<77aa01bb02cc03dd.reminder@sheets-sync.example.org>"
COORDINATOR = "coordinator@example.org"
SENT = datetime(2020, 3, 2, 9, 15, tzinfo=UTC)


def reply(
    *,
    sender: str = "Школа № 1 <s1@example.org>",
    subject: str = "Re: Просрочено 2 пункта дорожной карты",
    text: str = "Добрый день! Отчёт во вложении.",
    in_reply_to: str | None = DIGEST_ID,
    references: tuple[str, ...] | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    message_id: str = "<reply-1@mail.example.org>",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    when: datetime = SENT,
) -> bytes:
    """A reply as a mail program sends it: the answer above the quoted digest."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = f"Координатор <{COORDINATOR}>"
    msg["Subject"] = "SUBJECT-PLACEHOLDER"  # Python folds long encoded subjects losing a space
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = " ".join(references or (in_reply_to,))
    elif references:
        msg["References"] = " ".join(references)
    for name, value in (headers or {}).items():
        msg[name] = value
    quoted = (
        f"{text}\n\n02.03.2020, 12:15, Координатор <{COORDINATOR}>:\n"
        "> Здравствуйте!\n> Просрочено:\n>   • VII.8. Отчёт о работе интернет-страницы\n"
        ">     Срок был 01.03.2020, просрочено на 1 день.\n>   • 1.1. План работы\n"
    )
    if html is None:
        msg.set_content(quoted)
    else:
        msg.set_content(html, subtype="html")
    for name, ctype, data in attachments:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes(policy=SMTP).replace(b"SUBJECT-PLACEHOLDER", encoded_word(subject), 1)


def encoded_word(text: str) -> bytes:
    """`text` as one RFC 2047 word (as mail programs write a subject), or as is if ASCII."""
    if text.isascii():
        return text.encode("ascii")
    return b"=?utf-8?b?" + base64.b64encode(text.encode("utf-8")) + b"?="


def raw_reply_with_filename(filename_header: str, payload: bytes = b"MZ\x90\x00") -> bytes:
    """A reply whose attachment's Content-Disposition is written by hand (hostile names)."""
    return (
        "From: s1@example.org\r\n"
        f"To: {COORDINATOR}\r\n"
        "Subject: Re: report\r\n"
        "Date: Mon, 02 Mar 2020 12:00:00 +0300\r\n"
        "Message-ID: <hostile@mail.example.org>\r\n"
        f"In-Reply-To: {DIGEST_ID}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n'
        "\r\n"
        "--b1\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "see attached\r\n"
        "--b1\r\n"
        "Content-Type: application/octet-stream\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment; {filename_header}\r\n"
        "\r\n"
        f"{base64.b64encode(payload).decode()}\r\n"
        "--b1--\r\n"
    ).encode()


def auto_reply(
    *, subject: str = "Автоответ: Просрочено 2 пункта", headers: dict[str, str] | None = None
) -> bytes:
    """An out-of-office answer as Yandex sends it (Auto-Submitted: auto-replied)."""
    msg = EmailMessage()
    msg["From"] = "Школа № 2 <s2@example.org>"
    msg["To"] = COORDINATOR
    msg["Subject"] = subject
    msg["Date"] = format_datetime(SENT)
    msg["Message-ID"] = "<auto-1@mail.example.org>"
    msg["In-Reply-To"] = DIGEST_ID
    for name, value in (
        headers if headers is not None else {"Auto-Submitted": "auto-replied"}
    ).items():
        msg[name] = value
    msg.set_content("Я в отпуске до 10.03.2020. По срочным вопросам: завуч, тел. 8-800-000-00-00.")
    return msg.as_bytes(policy=SMTP)


def postfix_dsn(failed: str = "s2@example.org", original_id: str = DIGEST_ID) -> bytes:
    """Postfix's bounce: multipart/report with the DSN and the returned message's headers."""
    return f"""\
Return-Path: <>
Received: by mail.example.org (Postfix) id 4F2A01C0A3; Mon,  2 Mar 2020 12:16:03 +0300 (MSK)
Date: Mon,  2 Mar 2020 12:16:03 +0300 (MSK)
From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {COORDINATOR}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4F2A01C0A3.1583140563/mail.example.org"
Content-Transfer-Encoding: 8bit
Message-Id: <20200302091603.5B1C91C0A4@mail.example.org>

This is a MIME-encapsulated message.

--4F2A01C0A3.1583140563/mail.example.org
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<{failed}>: host mx.example.org[192.0.2.25] said: 550 5.1.1
    <{failed}>: Recipient address rejected: User unknown in virtual mailbox
    table (in reply to RCPT TO command)

--4F2A01C0A3.1583140563/mail.example.org
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org
X-Postfix-Queue-ID: 4F2A01C0A3
X-Postfix-Sender: rfc822; {COORDINATOR}
Arrival-Date: Mon,  2 Mar 2020 12:16:01 +0300 (MSK)

Final-Recipient: rfc822; {failed}
Original-Recipient: rfc822;{failed}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <{failed}>: Recipient address rejected: User
    unknown in virtual mailbox table

--4F2A01C0A3.1583140563/mail.example.org
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <{COORDINATOR}>
Received: from app.example.org (app.example.org [192.0.2.10])
	by mail.example.org (Postfix) with ESMTPSA id 4F2A01C0A3
	for <{failed}>; Mon,  2 Mar 2020 12:16:01 +0300 (MSK)
From: =?utf-8?b?0JrQvtC+0YDQtNC40L3QsNGC0L7RgA==?= <{COORDINATOR}>
To: {failed}
Subject: =?utf-8?b?0J/RgNC+0YHRgNC+0YfQtdC90L4=?=
Message-ID: {original_id}
Date: Mon, 02 Mar 2020 12:15:00 +0300

--4F2A01C0A3.1583140563/mail.example.org--
""".replace("\n", "\r\n").encode("utf-8")


def exim_dsn(failed: str = "soiro@example.org", original_id: str = DIGEST_ID) -> bytes:
    """Exim 4.9x's bounce: a DSN with the whole original message returned (message/rfc822)."""
    return f"""\
Return-path: <>
Received: from Debian-exim by mx.example.net with local (Exim 4.94.2)
	id 1j8iHh-0002Q4-Lm; Mon, 02 Mar 2020 12:16:05 +0300
X-Failed-Recipients: {failed}
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: {COORDINATOR}
Content-Type: multipart/report; report-type=delivery-status; boundary=1583140565-eximdsn-1804289383
MIME-Version: 1.0
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1j8iHh-0002Q4-Lm@mx.example.net>
Date: Mon, 02 Mar 2020 12:16:05 +0300

--1583140565-eximdsn-1804289383
Content-type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {failed}
    host mx.soiro.example [192.0.2.40]
    SMTP error from remote mail server after RCPT TO:<{failed}>:
    550 5.7.1 Mailbox is disabled

--1583140565-eximdsn-1804289383
Content-type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Action: failed
Final-Recipient: rfc822;{failed}
Status: 5.0.0
Remote-MTA: dns; mx.soiro.example
Diagnostic-Code: smtp; 550 5.7.1 Mailbox is disabled

--1583140565-eximdsn-1804289383
Content-type: message/rfc822

Return-path: <{COORDINATOR}>
From: Coordinator <{COORDINATOR}>
To: {failed}
Subject: Reminder
Message-ID: {original_id}
Date: Mon, 02 Mar 2020 12:15:00 +0300
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8

Body of the reminder.
--inner
Content-Type: application/pdf
Content-Disposition: attachment; filename="plan.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--inner--

--1583140565-eximdsn-1804289383--
""".replace("\n", "\r\n").encode("utf-8")


def yandex_dsn(failed: str = "s2@example.org", original_id: str = DIGEST_ID) -> bytes:
    """Yandex's bounce: the notice in Russian (base64 UTF-8), the DSN, the original headers."""
    notice = (
        "Это письмо создано автоматически сервером Яндекс.Почты.\n\n"
        f"Ваше письмо не доставлено адресату {failed}.\n"
        "Сервер получателя ответил: 550 5.7.1 No such user!\n"
    )
    encoded = base64.encodebytes(notice.encode("utf-8")).decode("ascii")
    return f"""\
Received: from mxback2o.mail.yandex.net by sas1-0123.qloud-c.yandex.net with LMTP id q1w2e3r4;
	Mon, 02 Mar 2020 12:16:10 +0300
From: mailer-daemon@yandex.ru
To: {COORDINATOR}
Subject: =?utf-8?B?0J3QtdC00L7RgdGC0LDQstC70LXQvdC90L7QtSDRgdC+0L7QsdGJ0LXQvdC40LU=?=
Date: Mon, 02 Mar 2020 12:16:10 +0300
Message-Id: <20200302121610.yandex.dsn@forward100.mail.yandex.net>
MIME-Version: 1.0
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type="delivery-status"; boundary="yandex-dsn-boundary"

--yandex-dsn-boundary
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{encoded}
--yandex-dsn-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; forward100.mail.yandex.net
Arrival-Date: Mon, 02 Mar 2020 12:16:08 +0300

Final-Recipient: rfc822; {failed}
Original-Recipient: rfc822;{failed}
Action: failed
Status: 5.0.0
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.7.1 No such user!

--yandex-dsn-boundary
Content-Type: text/rfc822-headers

From: {COORDINATOR}
To: {failed}
Subject: Reminder
Message-Id: {original_id}
Date: Mon, 02 Mar 2020 12:15:00 +0300

--yandex-dsn-boundary--
""".replace("\n", "\r\n").encode("utf-8")


def plain_bounce(failed: str = "s3@example.org", original_id: str = DIGEST_ID) -> bytes:
    """An old-style bounce in plain text (Exim without DSNs, qmail): no report part at all."""
    return f"""\
From: Mail Delivery System <MAILER-DAEMON@relay.example.net>
To: {COORDINATOR}
Subject: Mail delivery failed: returning message to sender
Date: Mon, 02 Mar 2020 12:16:20 +0300
Message-Id: <E1j8iI0-0002Q9-Ab@relay.example.net>

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {failed}
    SMTP error from remote mail server after RCPT TO:<{failed}>:
    550 No such user here

------ This is a copy of the message, including all the headers. ------

Return-path: <{COORDINATOR}>
From: Coordinator <{COORDINATOR}>
To: {failed}
Subject: Reminder
Message-ID: {original_id}

Body of the reminder.
""".replace("\n", "\r\n").encode("utf-8")


def delayed_dsn(address: str = "s2@example.org") -> bytes:
    """A DSN that says delivery is only delayed (4.x.x): not a bounce."""
    return (
        postfix_dsn(address)
        .replace(b"Action: failed", b"Action: delayed")
        .replace(b"Status: 5.1.1", b"Status: 4.4.1")
        .replace(b"Undelivered Mail Returned to Sender", b"Delayed Mail (still being retried)")
    )
