"""From raw message bytes to an InboxMessage: headers, text, attachments, and the kind of
message (a reply, an auto-reply, a bounce) with the bounce's failed address and status."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sheets_sync.inbox import parse_message
from sheets_sync.inbox.text import fresh_text, html_to_text
from tests import inbox_messages as m

MSK = timezone(timedelta(hours=3))


def test_a_reply_reads_its_headers_text_and_attachments():
    raw = m.reply(
        subject="Re: Срок 01.03.2020: VII.8 «Отчёт о работе интернет-страницы»",
        references=("<older@sheets-sync.example.org>", m.DIGEST_ID),
        attachments=(
            (
                "Отчёт ШИБЦ.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                b"PK\x03\x04",
            ),
            ("фото.jpg", "image/jpeg", b"\xff\xd8\xff"),
        ),
    )

    msg = parse_message(7, raw)

    assert msg.uid == 7 and msg.kind == "reply" and msg.reason == "" and msg.bounce is None
    assert msg.message_id == "<reply-1@mail.example.org>" == msg.key
    assert msg.in_reply_to == m.DIGEST_ID
    assert msg.references == ("<older@sheets-sync.example.org>", m.DIGEST_ID)
    assert (msg.sender, msg.sender_name) == ("s1@example.org", "Школа № 1")
    assert msg.subject == "Re: Срок 01.03.2020: VII.8 «Отчёт о работе интернет-страницы»"
    assert msg.date == datetime(2020, 3, 2, 9, 15, tzinfo=UTC)
    assert msg.text.startswith("Добрый день! Отчёт во вложении.\n\n02.03.2020, 12:15")
    assert "\r" not in msg.text
    assert [(a.name, a.size) for a in msg.attachments] == [
        ("Отчёт ШИБЦ.docx", 4),
        ("фото.jpg", 3),
    ]
    assert msg.attachments[1].payload == b"\xff\xd8\xff"


def test_the_arrival_time_is_the_newest_received_header_not_the_senders_clock():
    raw = m.reply(when=datetime(2019, 1, 1, tzinfo=UTC))
    raw = (
        b"Received: from mx.example.org by imap.example.org; Mon, 2 Mar 2020 12:20:00 +0300\r\n"
        + raw
    )
    assert parse_message(1, raw).date == datetime(2020, 3, 2, 12, 20, tzinfo=MSK)


def test_an_html_only_reply_is_read_as_text_without_its_quote():
    html = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Добрый день!</p><p>Сдали <b>п.&nbsp;1.1</b> и VII.8</p>"
        '<div>02.03.2020, 12:15, "Координатор" &lt;coordinator@example.org&gt;:</div>'
        "<blockquote><p>Просрочено: 2.3</p></blockquote></body></html>"
    )
    msg = parse_message(1, m.reply(html=html))
    assert "color" not in msg.text
    assert msg.text.splitlines()[-1] == "> Просрочено: 2.3"
    assert fresh_text(msg.text) == "Добрый день!\n\nСдали п. 1.1 и VII.8"


def test_html_to_text_marks_nested_quotes_and_keeps_table_cells_apart():
    text = html_to_text(
        "<p>Ответ</p><blockquote>раз<blockquote>два</blockquote></blockquote>"
        "<table><tr><td>VII.8</td><td>сдано</td></tr></table><script>alert(1)</script>"
    )
    assert [line for line in text.splitlines() if line] == [
        "Ответ",
        "> раз",
        "> > два",
        "VII.8 сдано",
    ]


@pytest.mark.parametrize(
    ("text", "fresh"),
    [
        ("Сдали.\n\n-----Original Message-----\nFrom: x", "Сдали."),
        ("Сдали.\n\nОт: Координатор\nОтправлено: 2 марта", "Сдали."),
        ("Сдали.\nВ пн, 2 мар. 2020 г. в 12:15, Координатор <c@example.org>:\n> x", "Сдали."),
        (
            "Сдали.\n\nПонедельник, 2 марта 2020, 12:15 +03:00 от Координатор <c@example.org>:",
            "Сдали.",
        ),
        (
            "On Mon, Mar 2, 2020 Coordinator wrote:\n> digest\nAnswer below the quote",
            "Answer below the quote",
        ),
        ("Нет цитаты вовсе.", "Нет цитаты вовсе."),
    ],
)
def test_the_fresh_text_is_what_the_sender_wrote(text: str, fresh: str):
    assert fresh_text(text) == fresh


def test_attachment_names_in_rfc_2231_and_rfc_2047_are_decoded():
    rfc2231 = m.raw_reply_with_filename("filename*=utf-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf")
    quoted_2047 = m.raw_reply_with_filename('filename="=?utf-8?B?0L7RgtGH0ZHRgi5wZGY=?="')
    raw_utf8 = m.raw_reply_with_filename('filename="отчёт.pdf"')
    for raw in (rfc2231, quoted_2047, raw_utf8):
        (attachment,) = parse_message(1, raw).attachments
        assert attachment.name == "отчёт.pdf"


def test_signature_images_are_not_attachments_but_sent_images_are():
    msg = parse_message(
        1,
        (
            "From: s1@example.org\r\nSubject: Re\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/related; boundary="r"\r\n\r\n'
            "--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Сдали</p><img src='cid:logo'>\r\n"
            "--r\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{base64.b64encode(b'PNG').decode()}\r\n"
            "--r\r\nContent-Type: image/png; name=scan.png\r\nContent-Disposition: attachment; "
            "filename=scan.png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{base64.b64encode(b'SCAN').decode()}\r\n--r--\r\n"
        ).encode(),
    )
    assert msg.text == "Сдали"
    assert [a.name for a in msg.attachments] == ["scan.png"]


def test_raw_8bit_headers_and_unknown_charsets_are_read_not_raised():
    raw = (
        "From: Школа <s1@example.org>\r\nSubject: =?x-unknown?B?0J/RgNC40LLQtdGC?= сдали\r\n"
        "Content-Type: text/plain; charset=x-unknown\r\n\r\nОтчёт сдан\r\n"
    ).encode()
    msg = parse_message(1, raw)
    assert msg.sender_name == "Школа"
    assert msg.subject.endswith("сдали")
    assert msg.text == "Отчёт сдан"
    cp1251 = "Subject: Отчёт\r\nContent-Type: text/plain\r\n\r\nСдали\r\n".encode("cp1251")
    assert parse_message(1, cp1251).text == "Сдали"
    assert parse_message(1, cp1251).subject == "Отчёт"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff garbage",
        b"Content-Type: multipart/mixed\r\n\r\nno boundary",
        b"From: <>\r\n",
    ],
)
def test_a_broken_message_is_read_without_raising(raw: bytes):
    msg = parse_message(1, raw)
    assert msg.kind == "reply" and msg.message_id == "" and msg.key.startswith("sha256:")


def test_a_message_id_without_brackets_is_kept_with_them():
    raw = m.reply(in_reply_to=None).replace(
        b"Message-ID: <reply-1@mail.example.org>", b"Message-ID: reply-1@mail.example.org"
    )
    assert parse_message(1, raw).message_id == "<reply-1@mail.example.org>"


# -- auto-replies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "headers", "reason"),
    [
        ("Re: отчёт", {"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
        ("Re: отчёт", {"Auto-Submitted": "auto-generated; owner-email=x@y"}, "auto-generated"),
        ("Re: отчёт", {"X-Autoreply": "yes"}, "X-Autoreply"),
        ("Re: отчёт", {"X-Autorespond": "Re: отчёт"}, "X-Autorespond"),
        ("Re: отчёт", {"Precedence": "auto_reply"}, "Precedence: auto_reply"),
        ("Re: отчёт", {"Precedence": "bulk"}, "Precedence: bulk"),
        ("Автоответ: Просрочено 2 пункта", {}, "тема"),
        ("Auto: Просрочено 2 пункта", {}, "тема"),
        ("Out of Office: Reminder", {}, "тема"),
        ("Automatic reply: Reminder", {}, "тема"),
        ("Нет на месте до 10 марта", {}, "тема"),
        ("Отпуск", {}, "тема"),
    ],
)
def test_auto_replies_are_told_apart_with_the_reason(
    subject: str, headers: dict[str, str], reason: str
):
    msg = parse_message(1, m.auto_reply(subject=subject, headers=headers))
    assert msg.kind == "auto-reply"
    assert reason in msg.reason and msg.reason.startswith("автоответ")


@pytest.mark.parametrize(
    ("subject", "headers"),
    [
        ("Re: отчёт", {"Auto-Submitted": "no"}),
        ("Re: Отпускные документы? Нет, отчёт", {}),
        ("Re: автоответчик сломан", {}),
        ("Re: отчёт", {"Precedence": "list"}),
    ],
)
def test_a_person_writing_about_holidays_is_not_an_auto_reply(
    subject: str, headers: dict[str, str]
):
    assert parse_message(1, m.auto_reply(subject=subject, headers=headers)).kind == "reply"


def test_a_read_receipt_is_not_a_reply():
    raw = m.postfix_dsn().replace(
        b"report-type=delivery-status", b"report-type=disposition-notification"
    )
    msg = parse_message(1, raw)
    assert (msg.kind, msg.reason) == ("auto-reply", "уведомление о прочтении")


# -- bounces -------------------------------------------------------------------------------------


def test_a_postfix_dsn_names_the_failed_address_status_and_our_message():
    msg = parse_message(1, m.postfix_dsn("s2@example.org"))
    assert msg.kind == "bounce"
    assert msg.reason == "письмо не доставлено на s2@example.org (5.1.1)"
    assert msg.bounce is not None
    assert msg.bounce.addresses == ("s2@example.org",)
    assert msg.bounce.status == "5.1.1"
    assert msg.bounce.diagnostic == (
        "550 5.1.1 <s2@example.org>: Recipient address rejected: User unknown in virtual "
        "mailbox table"
    )
    assert msg.bounce.original_message_id == m.DIGEST_ID
    assert msg.text.startswith("This is the mail system at host mail.example.org.")


def test_an_exim_dsn_returning_the_whole_message_does_not_count_its_attachments():
    msg = parse_message(1, m.exim_dsn("soiro@example.org"))
    assert msg.kind == "bounce" and msg.attachments == ()
    assert msg.bounce is not None
    assert (msg.bounce.addresses, msg.bounce.status) == (("soiro@example.org",), "5.0.0")
    assert msg.bounce.diagnostic == "550 5.7.1 Mailbox is disabled"
    assert msg.bounce.original_message_id == m.DIGEST_ID


def test_a_yandex_dsn_in_russian_is_a_bounce():
    msg = parse_message(1, m.yandex_dsn("s2@example.org"))
    assert msg.subject == "Недоставленное сообщение"
    assert msg.kind == "bounce" and msg.bounce is not None
    assert msg.bounce.addresses == ("s2@example.org",)
    assert msg.bounce.diagnostic == "550 5.7.1 No such user!"
    assert msg.bounce.original_message_id == m.DIGEST_ID
    assert "не доставлено адресату s2@example.org" in msg.text


def test_a_plain_text_bounce_from_mailer_daemon_names_the_address_in_its_text():
    msg = parse_message(1, m.plain_bounce("s3@example.org"))
    assert msg.kind == "bounce" and msg.bounce is not None
    assert msg.bounce.addresses == ("s3@example.org",)  # not the coordinator's own address
    assert msg.bounce.status == "550"
    assert msg.bounce.diagnostic == "550 No such user here"
    assert msg.bounce.original_message_id == m.DIGEST_ID


def test_a_delay_warning_is_not_a_bounce():
    msg = parse_message(1, m.delayed_dsn())
    assert (msg.kind, msg.bounce) == ("auto-reply", None)
    assert msg.reason == "доставка задерживается, сервер ещё пытается"


def test_a_mailer_daemon_notice_without_a_failed_address_is_only_recorded():
    raw = (
        b"From: MAILER-DAEMON@mail.example.org\r\nSubject: Warning: message delayed\r\n\r\n"
        b"Your message is still in the queue.\r\n"
    )
    msg = parse_message(1, raw)
    assert msg.kind == "auto-reply" and msg.bounce is None
    assert "mailer-daemon@mail.example.org" in msg.reason
