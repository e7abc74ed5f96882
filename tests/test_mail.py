"""Rendering digests with the templates, and the standard .eml files they become."""

from __future__ import annotations

import email
from datetime import date, datetime
from email import policy
from zoneinfo import ZoneInfo

import jinja2
import pytest

from sheets_sync.deadlines import Deadline
from sheets_sync.inputs.cells import SourceRef
from sheets_sync.inputs.records import RoadmapItem
from sheets_sync.mail.delivery import OutboxDelivery
from sheets_sync.mail.message import build_message
from sheets_sync.mail.render import Email, MailContext, render, template_env
from sheets_sync.obligations import Obligation, Party, State
from sheets_sync.reminders import Digest, Reminder
from sheets_sync.stages import Stage

NOW = datetime(2020, 11, 25, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
CTX = MailContext(
    plan_title="План на 2020 год",
    today=date(2020, 11, 25),
    workbook_id="wb",
    spreadsheet_url="https://docs.example/sheet",
    contact="ribc@example.org",
)


def digest(
    title="Отчёт о работе",
    name="Школа № 1",
    due=date(2020, 12, 1),
    stage="before-7",
    kind="reminder",
):
    ref = SourceRef("Дорожная карта", 5)
    item = RoadmapItem(
        "VII.8", "8", "VII", title, Deadline("", "dates", (due,)), "", (), True, ref, ref.at(3)
    )
    left = (due - CTX.today).days
    party = Party("school", "01", name, ("s1@example.org",))
    ob = Obligation(
        item,
        due,
        party,
        State.OVERDUE if left < 0 else State.DUE_SOON,
        days_late=max(-left, 0),
        days_left=left,
    )
    recipient = "coordinator" if kind == "coordinator" else party.recipient
    reminder = Reminder(recipient, ob, Stage.parse(stage))
    return Digest(recipient, kind, name, party.emails, (reminder,))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def test_a_reminder_says_what_and_by_when_in_russian():
    mail = render(digest(), CTX, template_env(), "РИБЦ <ribc@example.org>")
    assert mail.subject == "Срок 01.12.2020: VII.8 «Отчёт о работе»"
    assert "Школа № 1, это напоминание по дорожной карте «План на 2020 год»" in mail.text
    assert "Срок — 01.12.2020, осталось 6 дней." in mail.text
    assert (
        "https://docs.example/sheet" in mail.text
        and 'href="https://docs.example/sheet"' in mail.html
    )


def test_an_overdue_reminder_says_how_late():
    mail = render(
        digest(due=date(2020, 11, 1), stage="overdue"), CTX, template_env(), "a@example.org"
    )
    assert mail.subject == "Просрочено (срок был 01.11.2020): VII.8 «Отчёт о работе»"
    assert "просрочено на 24 дня" in mail.text


def test_staff_text_is_escaped_in_html():
    mail = render(
        digest(title='<script>alert("x")</script> & «Отчёт»'), CTX, template_env(), "a@example.org"
    )
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; «Отчёт»" in mail.html


def test_a_missing_template_variable_is_an_error(tmp_path):
    (tmp_path / "reminder.subject.txt").write_text("{{ nobody }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render(digest(), CTX, template_env(tmp_path), "a@example.org")


def test_line_breaks_in_names_and_titles_cannot_inject_headers():
    evil = "Школа\r\nBcc: victim@example.org\r\nX-Evil: 1"
    mail = render(
        digest(name=evil, title="Отчёт\nBcc: x@example.org"), CTX, template_env(), "a@example.org"
    )
    msg = parse(build_message(mail, "Координатор\n<a@example.org>", "", NOW))
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert "\n" not in str(msg["Subject"])
    assert msg["To"].addresses[0].addr_spec == "s1@example.org"


def test_the_message_id_is_derived_from_the_content_key():
    env = template_env()
    first = render(digest(), CTX, env, "a@example.org")
    again = render(digest(), CTX, env, "a@example.org")
    other = render(digest(stage="before-1"), CTX, env, "a@example.org")
    assert first.message_id == again.message_id != other.message_id
    assert first.message_id.endswith("@example.org>")


def test_an_outbox_email_is_a_standard_message_any_client_opens(tmp_path):
    mail = render(digest(), CTX, template_env(), "РИБЦ ГАУ ДПО СОИРО <ribc@example.org>")
    raw = build_message(mail, "РИБЦ ГАУ ДПО СОИРО <ribc@example.org>", "ribc@example.org", NOW)
    with OutboxDelivery(tmp_path).session() as send:
        send(mail, raw)
    (path,) = tmp_path.glob("*.eml")
    msg = parse(path.read_bytes())
    assert str(msg["Subject"]) == mail.subject
    assert msg["From"].addresses[0].display_name == "РИБЦ ГАУ ДПО СОИРО"
    assert msg["To"].addresses[0].display_name == "Школа № 1"
    assert msg["Message-ID"] == mail.message_id
    assert msg["Date"].datetime == NOW
    assert msg.get_body(("plain",)).get_content() == mail.text
    assert msg.get_body(("html",)).get_content() == mail.html
    assert all(len(line) <= 998 for line in path.read_bytes().split(b"\r\n"))


def test_an_escalation_groups_long_overdue_items_by_party():
    mail = render(
        digest(due=date(2020, 10, 1), stage="escalation", kind="coordinator"),
        CTX,
        template_env(),
        "a@example.org",
    )
    assert mail.subject.startswith("Долгая просрочка: 1 обязательство у 1 адресата")
    assert (
        "Школа № 1:\n  • VII.8. Отчёт о работе — срок был 01.10.2020, просрочено на 55 дней."
        in mail.text
    )


def test_a_long_school_name_survives_encoding_whole():
    name = (
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 33» г. Смоленска"
    )
    mail = render(digest(name=name), CTX, template_env(), "a@example.org")
    msg = parse(build_message(mail, "a@example.org", "", NOW))
    assert msg["To"].addresses[0].display_name == name


def test_build_message_needs_no_rendering():
    mail = Email(
        "school:01", "Школа", ("s@example.org",), "Тема", "текст", "<p>текст</p>", "<id@x>", ("k",)
    )
    msg = parse(build_message(mail, "a@example.org", "", NOW))
    assert msg.get_body(("plain",)).get_content() == "текст"


WEEK = "coordinator|weekly-summary|2020-W48|summary"


def coordinators(*parts: Digest) -> Digest:
    """The coordinators' digest of this week, holding the lines of `parts`."""
    lines = tuple(r for part in parts for r in part.reminders)
    return Digest("coordinator", "coordinator", "Координатор", ("boss@example.org",), lines, WEEK)


def test_the_weekly_summary_lists_the_worst_first_and_what_is_due_soon():
    late = digest(due=date(2020, 11, 1), stage="summary", kind="coordinator")
    soon = digest(due=date(2020, 11, 30), stage="summary", kind="coordinator")
    mail = render(coordinators(late, soon), CTX, template_env(), "a@example.org")
    assert mail.subject.startswith("Сводка за неделю на 25.11.2020: просрочено 1, скоро срок 1")
    assert "Школа № 1 — 1: VII.8 (с 01.11.2020)" in mail.text
    assert "30.11.2020 — VII.8. Отчёт о работе: ждём от 1 адресата" in mail.text
    assert mail.keys == (WEEK,)


def test_escalations_and_the_weekly_summary_come_in_one_email():
    escalated = digest(due=date(2020, 10, 1), stage="escalation", kind="coordinator")
    weekly = digest(due=date(2020, 11, 1), stage="summary", kind="coordinator")
    mail = render(coordinators(escalated, weekly), CTX, template_env(), "a@example.org")
    assert mail.subject.startswith(
        "Долгая просрочка: 1 обязательство у 1 адресата, и сводка за неделю"
    )
    assert "просрочено на 55 дней" in mail.text and "Сводка за неделю." in mail.text
    assert mail.keys == (escalated.reminders[0].key, WEEK)
    assert mail.stages == "эскалация, сводка за неделю"
