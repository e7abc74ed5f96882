"""Rendering digests with the templates, and the standard .eml files they become."""

from __future__ import annotations

import email
from dataclasses import replace
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
from sheets_sync.settings.types import ReminderPolicy
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
    note="",
    contact="",
    what="",
    number="VII.8",
    emails=("s1@example.org",),
    municipality="",
):
    ref = SourceRef("Дорожная карта", 5)
    item = RoadmapItem(
        number, "8", "VII", title, Deadline("", "dates", (due,)), "", (), True, ref, ref.at(3),
        note=note,
    )  # fmt: skip
    left = (due - CTX.today).days
    party = Party(
        "school",
        "01",
        name,
        emails,
        ref,
        contact,
        ("s1@example,org",) if not emails else (),
        municipality=municipality,
    )
    ob = Obligation(
        item,
        due,
        party,
        State.OVERDUE if left < 0 else State.DUE_SOON,
        days_late=max(-left, 0),
        days_left=left,
        what=what,
    )
    recipient = "coordinator" if kind == "coordinator" else party.recipient
    reminder = Reminder(recipient, ob, Stage.parse(stage))
    return Digest(recipient, kind, name, party.emails, (reminder,))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def test_a_reminder_says_what_and_by_when_in_russian():
    mail = render(digest(), CTX, template_env(), "РИБЦ <ribc@example.org>")
    assert mail.subject == "Напоминание о сроке 01.12.2020: VII.8 «Отчёт о работе»"
    assert "Напоминание для «Школа № 1» по дорожной карте «План на 2020 год»" in mail.text
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
    assert mail.subject.startswith("Долгая просрочка: 1 обязательство у 1 ответственного")
    assert (
        "  • Школа № 1 — VII.8. Отчёт о работе: срок был 01.10.2020, просрочено на 55 дней.\n"
        "    Напоминаний отправлено: 0." in mail.text
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
    assert "Школа № 1 — 1: VII.8 (срок 01.11.2020)" in mail.text
    assert "30.11.2020 — VII.8. Отчёт о работе: ещё не сдали 1" in mail.text
    assert mail.keys == (WEEK,)


def test_the_weekly_summary_names_the_parties_mail_cannot_reach():
    lost = digest(due=date(2020, 11, 1), stage="summary", kind="coordinator", emails=())
    fine = digest(due=date(2020, 11, 1), stage="summary", kind="coordinator", name="Школа 2")
    mail = render(coordinators(lost, fine), CTX, template_env(), "a@example.org")
    assert "Не доходят письма: Школа № 1 (неверный адрес «s1@example,org»" in mail.text
    assert "Не доходят письма: Школа № 1 (неверный адрес «s1@example,org»" in mail.html
    assert "Школа 2 (" not in mail.text


def test_the_backlog_is_said_to_be_named_once_to_its_parties():
    old = digest(due=date(2020, 3, 1), stage="backlog", kind="coordinator")
    mail = render(coordinators(old), CTX, template_env(), "a@example.org")
    assert "названы один раз, в ближайшем письме, без повторных напоминаний" in mail.text
    assert "не пишется" not in mail.text + mail.html


def test_the_weekly_summary_counts_the_overdue_by_municipality_when_schools_name_one():
    late = [
        digest(due=date(2020, 11, 1), stage="summary", kind="coordinator", name=n, municipality=m)
        for n, m in (("Школа 1", "Вязьма"), ("Школа 2", "Вязьма"), ("Школа 3", "Гагарин"))
    ]
    mail = render(coordinators(*late), CTX, template_env(), "a@example.org")
    assert "По муниципалитетам: Вязьма — 2; Гагарин — 1." in mail.text
    assert "По муниципалитетам: Вязьма — 2; Гагарин — 1." in mail.html
    plain = render(
        coordinators(digest(stage="summary", kind="coordinator")), CTX, template_env(), ""
    )
    assert "По муниципалитетам" not in plain.text


def test_a_municipal_coordinators_summary_names_their_municipality_and_no_breakdown():
    late = [
        digest(due=date(2020, 11, 1), stage="summary", kind="coordinator", name=n, municipality=m)
        for n, m in (("Школа 1", "Вязьма"), ("Школа 2", "Вязьма"))
    ]
    lines = tuple(r for part in late for r in part.reminders)
    week = "municipal:вязьма|weekly-summary|2020-W48|summary"
    municipal = Digest("municipal:вязьма", "coordinator", "Отдел", ("ro@example.org",), lines, week)
    mail = render(municipal, CTX, template_env(), "a@example.org")
    assert mail.subject.startswith("Сводка за неделю (Вязьма) на 25.11.2020: просрочено 2")
    late = digest(
        due=date(2020, 10, 1), stage="escalation", kind="coordinator", municipality="Вязьма"
    )
    escalated = replace(municipal, reminders=(*late.reminders, *lines))
    subject = render(escalated, CTX, template_env(), "a@example.org").subject
    assert subject.startswith("Долгая просрочка (Вязьма): 1 обязательство у 1 ответственного")
    assert "СВОДКА ЗА НЕДЕЛЮ — Вязьма" in mail.text
    assert "Сводка за неделю: Вязьма" in mail.html
    assert "По муниципалитетам" not in mail.text
    assert mail.keys == (week,)


def test_escalations_and_the_weekly_summary_come_in_one_email():
    escalated = digest(due=date(2020, 10, 1), stage="escalation", kind="coordinator")
    weekly = digest(due=date(2020, 11, 1), stage="summary", kind="coordinator")
    mail = render(coordinators(escalated, weekly), CTX, template_env(), "a@example.org")
    assert mail.subject.startswith(
        "Долгая просрочка: 1 обязательство у 1 ответственного и сводка за неделю"
    )
    assert "просрочено на 55 дней" in mail.text and "СВОДКА ЗА НЕДЕЛЮ" in mail.text
    assert mail.keys == (escalated.reminders[0].key, WEEK)
    assert mail.stages == "эскалация, сводка за неделю"


POLICY = ReminderPolicy(escalate_to=("boss@example.org",))


def with_policy(**changes):
    return replace(CTX, policy=POLICY, **changes)


@pytest.mark.parametrize(
    ("due", "stage", "subject"),
    [
        (date(2020, 12, 2), "before-7", "Напоминание о сроке 02.12.2020: VII.8 «Отчёт о работе»"),
        (date(2020, 11, 26), "before-1", "Завтра срок: VII.8 «Отчёт о работе»"),
        (date(2020, 11, 25), "before-1", "Сегодня срок: VII.8 «Отчёт о работе»"),
        (date(2020, 11, 20), "overdue", "Просрочено (срок был 20.11.2020): VII.8 «Отчёт о работе»"),
    ],
)
def test_each_stage_has_a_subject_that_says_what_is_new(due, stage, subject):
    assert (
        render(digest(due=due, stage=stage), CTX, template_env(), "a@example.org").subject
        == subject
    )


def test_the_email_says_when_the_next_reminder_comes_and_when_escalation_follows():
    week_before = render(digest(stage="before-7"), with_policy(), template_env(), "a@example.org")
    assert "следующее напоминание придёт 30.11.2020." in week_before.text
    late = digest(due=date(2020, 11, 20), stage="overdue")  # sent 5 days late: the next
    mail = render(late, with_policy(), template_env(), "a@example.org")  # keeps a week's gap
    assert "следующее напоминание придёт 02.12.2020." in mail.text
    assert "04.12.2020 о просрочке будет сообщено координатору." in mail.text
    assert "повторных писем не будет" not in mail.text


def test_once_the_escalation_date_has_come_the_email_says_the_coordinator_is_told():
    late = digest(due=date(2020, 11, 4), stage="overdue+21")  # 21 days late, escalated at 14
    mail = render(late, with_policy(), template_env(), "a@example.org")
    assert "О просрочке сообщается координатору." in mail.text
    assert "будет сообщено" not in mail.text + mail.html
    assert "следующее напоминание придёт 02.12.2020." in mail.text  # they still come


def test_once_the_plan_year_is_over_no_reminder_is_promised_past_the_escalation():
    late = digest(due=date(2020, 11, 4), stage="overdue+21")
    mail = render(late, with_policy(plan_over=True), template_env(), "a@example.org")
    assert "О просрочке сообщается координатору." in mail.text
    assert "следующее напоминание" not in mail.text + mail.html  # only the coordinators chase it
    assert "напоминания повторяются" not in mail.text + mail.html
    assert mail.text.rstrip().endswith("о просроченных пунктах сообщено координатору.")


def test_after_a_caught_up_reminder_the_next_one_is_promised_a_full_interval_later():
    late = digest(due=date(2020, 10, 28), stage="overdue+21")  # the +28 window opens today
    mail = render(late, with_policy(), template_env(), "a@example.org")
    assert "следующее напоминание придёт 02.12.2020." in mail.text  # not «25.11.2020», today


def test_a_schools_debts_from_before_reminders_started_are_named_apart_once():
    current = digest(due=date(2020, 11, 20), stage="overdue")
    old = digest(due=date(2020, 3, 1), stage="backlog", number="V.1.3", title="План")
    both = replace(current, reminders=current.reminders + old.reminders)
    mail = render(both, CTX, template_env(), "a@example.org")
    assert mail.subject == "Просрочено (срок был 20.11.2020): VII.8 «Отчёт о работе»"
    assert "просроченные ещё до начала рассылки" in mail.text
    assert "  • V.1.3. План — срок был 01.03.2020." in mail.text
    assert "V.1.3. План — срок был 01.03.2020." in mail.html
    assert set(both.keys) <= set(mail.keys)


def test_an_executor_is_asked_whether_the_item_is_done_and_a_school_whether_it_is_handed_in():
    school = render(digest(), CTX, template_env(), "a@example.org")
    executor = replace(digest(), recipient="executor:СОИРО")
    assert "Если отчёт уже сдан, ответьте" in school.text
    assert "Если пункт уже выполнен, ответьте" in render(executor, CTX, template_env(), "").text


def test_a_name_in_quotes_keeps_its_quotes_apart_and_a_bare_item_number_reads_as_one():
    mail = render(digest(name="МБОУ «СШ № 2»", number="2"), CTX, template_env(), "a@example.org")
    assert "Напоминание для «МБОУ „СШ № 2“»" in mail.text
    assert mail.subject.startswith("Напоминание о сроке 01.12.2020: п. 2 «")


def test_the_next_reminder_falls_on_a_working_day():
    ctx = with_policy(is_working_day=lambda d: d.weekday() < 5)
    mail = render(digest(due=date(2020, 11, 30), stage="before-7"), ctx, template_env(), "a@e.org")
    assert "следующее напоминание придёт 30.11.2020." in mail.text  # the day before: a Sunday


def test_the_note_sits_beside_its_item_and_the_contact_is_greeted_by_name():
    mail = render(
        digest(note="Форма МТБ-2020", contact="Иванова Ирина Петровна, зав. ШИБЦ"),
        CTX,
        template_env(),
        "a@example.org",
    )
    assert mail.text.startswith("Здравствуйте, Ирина Петровна!\n")
    assert "Примечание: Форма МТБ-2020" in mail.text and "Примечание: Форма МТБ-2020" in mail.html
    initials = render(digest(contact="Иванова И. П."), CTX, template_env(), "a@example.org")
    assert initials.text.startswith("Здравствуйте!\n")


def test_a_signature_closes_every_email():
    ctx = with_policy(signature=("Смирнова Ольга Викторовна", "методист", "тел. +7 000"))
    for mail in (
        render(digest(), ctx, template_env(), "a@example.org"),
        render(digest(stage="escalation", kind="coordinator", due=date(2020, 10, 1)), ctx, template_env(), "a@e.org"),
    ):  # fmt: skip
        assert "Смирнова Ольга Викторовна\nметодист\nтел. +7 000\n" in mail.text
        assert "Смирнова Ольга Викторовна<br>методист<br>тел. +7 000" in mail.html


def test_a_submit_link_encodes_the_item_and_the_school_so_neither_can_retarget_it():
    ctx = replace(CTX, submit_url="https://example.org/s?punkt={item}&shkola={school}")
    mail = render(digest(number="1&shkola=evil#x"), ctx, template_env(), "a@example.org")
    assert "https://example.org/s?punkt=1%26shkola%3Devil%23x&shkola=01" in mail.text


def test_a_date_with_its_own_task_shows_that_task_not_only_the_long_title():
    mail = render(
        digest(what="План мероприятий представить", title="А" * 300), CTX, template_env(), "a@e.org"
    )
    assert "VII.8. План мероприятий представить (из пункта «" in mail.text
    assert "А" * 170 not in mail.text


def test_an_escalation_says_when_the_party_cannot_be_emailed_not_that_it_was_reminded():
    escalated = digest(due=date(2020, 10, 1), stage="escalation", kind="coordinator", emails=())
    mail = render(escalated, CTX, template_env(), "a@example.org")
    assert (
        "письма не уходят: неверный адрес «s1@example,org» — исправьте «Дорожная карта», строка 5"
        in mail.text
    )
    assert "Напоминаний отправлено" not in mail.text


def test_the_coordinators_email_stays_a_screenful_however_many_are_late():
    parts = [
        digest(due=date(2020, 10, 1), stage="escalation", kind="coordinator", name=f"Школа {n}")
        for n in range(1000)
    ]
    mail = render(coordinators(*parts), CTX, template_env(), "a@example.org")
    assert mail.text.count("\n  • ") <= 40 and len(mail.html) < 40_000
    assert "… и ещё 985 — на листе «Просрочено» таблицы: https://docs.example/sheet" in mail.text


def test_a_backlog_is_listed_once_by_item_with_how_many_still_owe_it():
    parts = [
        digest(due=date(2020, 3, 1), stage="backlog", kind="coordinator", name=f"Школа {n}")
        for n in range(12)
    ]
    mail = render(coordinators(*parts), CTX, template_env(), "a@example.org")
    assert "ДОЛГИ ДО НАЧАЛА РАССЫЛКИ" in mail.text
    assert "VII.8 (срок был 01.03.2020) — Отчёт о работе: не сдали 12" in mail.text
