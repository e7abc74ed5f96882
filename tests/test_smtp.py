"""SMTP delivery for real: yagmail against the loopback aiosmtpd server (STARTTLS or TLS, AUTH).

First `SmtpDelivery` alone, then whole cycles on a real .xlsx workbook: what arrives on the wire,
what the state and «Журнал рассылки» say, and what happens when the server misbehaves.
"""

from __future__ import annotations

import base64
import logging
import sqlite3
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.cli import main
from sheets_sync.cycle import RunResult, run_cycle
from sheets_sync.errors import DeliveryError
from sheets_sync.mail.delivery import DeliveryUnavailable
from sheets_sync.mail.message import build_message
from sheets_sync.mail.render import Email
from sheets_sync.mail.smtp import SmtpDelivery
from sheets_sync.settings.credentials import SMTP_ENV as SMTP_PASSWORD_ENV
from sheets_sync.settings.types import Settings, SmtpSettings
from sheets_sync.state import LocalState
from sheets_sync.workbook.xlsx import XlsxWorkbook
from tests.conftest import BASE_CONFIG, merged, toml
from tests.smtp_server import PASSWORD, USER, LoopbackSmtp, free_port, logged_in

SENDER = "Координатор <coordinator@example.org>"
REPLY_TO = "РИБЦ <ribc@example.org>"
TODAY = date(2020, 9, 8)
NOW = datetime(2020, 9, 8, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))

ROADMAP = [
    ["План мероприятий на 2020 год"],
    [],
    ["№", "Мероприятие", "Срок", "Ответственные"],
    ["I. Отчётность"],
    ["1", "Отчёт о работе интернет-страницы", "До 01.03.2020; До 01.06.2020", "СОИРО, ШИБЦ ОО"],
    ["2", "План работы на учебный год", "До 10.09.2020", "ШИБЦ ОО"],
]
SCHOOLS = [
    ["Код", "Школа", "Email", "Активна"],
    ["01", "Школа № 1", "s1@example.org", "да"],
    ["02", "Школа № 2", "s2@example.org", "да"],
]
EXECUTORS = [["Исполнитель", "Email"], ["СОИРО", "soiro@example.org"]]
SUBMISSIONS = [
    ["Код", "Школа", "1 до 01.03.2020", "1 до 01.06.2020", "2 до 10.09.2020"],
    ["01", "Школа № 1", date(2020, 2, 20), "сдано", ""],
    ["02", "Школа № 2", "", "н/т", date(2020, 9, 1)],
]
# On 08.09.2020: Школа № 1 owes item 2 in two days, Школа № 2 and СОИРО are long overdue on
# item 1, so the coordinator gets an escalation: four digests, one per recipient.
RECIPIENTS = ["coordinator@example.org", "s1@example.org", "s2@example.org", "soiro@example.org"]


def make(project, roadmap=ROADMAP, schools=SCHOOLS):
    project.workbook(
        {
            "Дорожная карта": roadmap,
            "Школы": schools,
            "Ответственные": EXECUTORS,
            "Сдача отчётов": SUBMISSIONS,
        },
        header_rows={"Дорожная карта": 3},
    )


def smtp_settings(project, server: LoopbackSmtp, **smtp) -> Settings:
    """Settings from config/settings.toml pointing at `server`, with the login the environment
    would give."""
    extra = {"mail": {"delivery": "smtp", "reply_to": REPLY_TO, "smtp": server.config(**smtp)}}
    return logged_in(project.settings(extra))


def run(project, settings: Settings) -> RunResult:
    delivery = SmtpDelivery(settings.mail.smtp, settings.mail.sender, sleep=lambda s: None)
    return run_cycle(
        settings,
        XlsxWorkbook(project.workbook_path, settings.tabs),
        delivery,
        today=TODAY,
        now=NOW,
    )


def stored(project) -> dict[str, tuple[str, bytes]]:
    """Return (status, raw bytes) of every email in the local state, by Message-ID."""
    db = sqlite3.connect(project.root / "state" / "sheets_sync.sqlite3")
    try:
        rows = db.execute("SELECT message_id, status, raw FROM emails").fetchall()
    finally:
        db.close()
    return {m: (status, bytes(raw)) for m, status, raw in rows}


def journal(project) -> list[list[str]]:
    return project.read_tab("Журнал рассылки")[1:]


def letter(to: str = "s1@example.org") -> tuple[Email, bytes]:
    email = Email(
        recipient="school:01",
        to_name="Школа № 1",
        to=(to,),
        subject="Напоминание о сроке 10.09.2020: п. 2 «План работы на учебный год»",
        text="Здравствуйте!\n\nСрок — 10.09.2020, осталось 2 дня.\n",
        html="<p>Здравствуйте!</p><p>Срок — 10.09.2020, осталось 2 дня.</p>\n",
        message_id=f"<{to.split('@')[0]}.sheets-sync@example.org>",
        keys=(f"school:01|2|2020-09-10|{to}|before-7",),
    )
    return email, build_message(email, SENDER, REPLY_TO, NOW)


def wire(raw: bytes) -> bytes:
    """Return `raw` as the server stores it: DATA ends with CRLF."""
    return raw if raw.endswith(b"\r\n") else raw + b"\r\n"


# -- SmtpDelivery alone ----------------------------------------------------------------------


def test_a_message_goes_over_starttls_with_a_login_and_arrives_byte_for_byte(smtp_server):
    email, raw = letter()
    delivery = SmtpDelivery(smtp_server.smtp_settings(), SENDER, sleep=[].append)
    with delivery.session() as send:
        send(email, raw)

    [got] = smtp_server.messages
    assert got.data == wire(raw)
    assert (got.mail_from, got.rcpt_tos) == (USER, ("s1@example.org",))
    assert got.tls and got.login == USER
    assert smtp_server.connections == 1 and smtp_server.logins == [("PLAIN", USER)]


def test_a_message_goes_over_implicit_tls_with_a_login(smtps_server):
    email, raw = letter()
    delivery = SmtpDelivery(smtps_server.smtp_settings(), SENDER, sleep=[].append)
    with delivery.session() as send:
        send(email, raw)

    [got] = smtps_server.messages
    assert got.data == wire(raw) and got.tls and got.login == USER


def test_a_server_offering_only_auth_login_is_logged_in_too(smtp_certificates):
    email, raw = letter()
    with LoopbackSmtp(smtp_certificates, mechanisms=("LOGIN",)) as server:
        with SmtpDelivery(server.smtp_settings(), SENDER, sleep=[].append).session() as send:
            send(email, raw)

        assert server.logins == [("LOGIN", USER)] and len(server.messages) == 1


def test_a_wrong_password_is_refused_at_the_start_naming_the_fix(smtp_server):
    delivery = SmtpDelivery(smtp_server.smtp_settings(password="not-the-password"), SENDER)

    with pytest.raises(DeliveryUnavailable) as caught, delivery.session():
        pass

    message = str(caught.value)
    assert message.startswith(
        f"the SMTP server 127.0.0.1 refused the login of {USER} (535): check `mail.smtp.user` "
        "and the password in SHEETS_SYNC_SMTP_PASSWORD"
    )
    assert "app password" in message and "not-the-password" not in message
    assert smtp_server.failed_logins >= 1 and smtp_server.messages == []


def test_a_certificate_nobody_trusts_is_refused_naming_ca_file(smtp_server):
    delivery = SmtpDelivery(smtp_server.smtp_settings(ca_file=None), SENDER)

    with pytest.raises(DeliveryUnavailable) as caught, delivery.session():
        pass

    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert "needs `mail.smtp.ca_file`" in str(caught.value)
    assert smtp_server.logins == []


def test_implicit_tls_against_a_starttls_port_names_the_right_setting(smtp_server):
    delivery = SmtpDelivery(smtp_server.smtp_settings(security="ssl"), SENDER)

    with pytest.raises(DeliveryUnavailable) as caught, delivery.session():
        pass

    assert 'port 465 takes security = "ssl", port 587 "starttls"' in str(caught.value)


def test_a_port_with_nothing_listening_is_unavailable_naming_host_and_port():
    port = free_port()
    smtp = SmtpSettings(host="127.0.0.1", port=port, security="starttls", timeout_seconds=2.0)
    with pytest.raises(DeliveryUnavailable) as caught, SmtpDelivery(smtp, SENDER).session():
        pass

    assert str(caught.value).startswith(f"cannot connect to the SMTP server 127.0.0.1:{port} (")
    assert "check `mail.smtp.host` and `mail.smtp.port`" in str(caught.value)


@pytest.mark.parametrize(
    ("command", "code"),
    [("MAIL", 421), ("RCPT", 421), ("DATA", 421), ("RCPT", 451), ("DATA", 451)],
)
def test_a_temporary_answer_is_retried_and_the_message_delivered_once(smtp_server, command, code):
    email, raw = letter()
    smtp_server.fail(command, code)
    sleeps: list[float] = []
    with SmtpDelivery(smtp_server.smtp_settings(), SENDER, sleep=sleeps.append).session() as send:
        send(email, raw)

    assert [m.data for m in smtp_server.messages] == [wire(raw)]
    assert sleeps and all(s <= 10 for s in sleeps)


def test_a_temporary_answer_on_every_try_gives_up_after_the_configured_tries(smtp_server):
    email, raw = letter()
    smtp_server.fail("MAIL", 451, times=10)
    sleeps: list[float] = []
    delivery = SmtpDelivery(smtp_server.smtp_settings(retries=3), SENDER, sleep=sleeps.append)

    with pytest.raises(DeliveryError) as caught, delivery.session() as send:
        send(email, raw)

    assert not caught.value.permanent
    assert caught.value.reason == "451 4.3.0 Try again later (after 3 tries)"
    assert smtp_server.commands["MAIL"] == 3 and sleeps == [1.0, 2.0]
    assert smtp_server.messages == []


@pytest.mark.parametrize("code", [550, 553])
def test_a_refused_recipient_is_a_permanent_failure_and_not_retried(smtp_server, code):
    email, raw = letter("gone@example.org")
    smtp_server.refuse("gone@example.org", code)
    sleeps: list[float] = []

    with (
        pytest.raises(DeliveryError) as caught,
        SmtpDelivery(smtp_server.smtp_settings(), SENDER, sleep=sleeps.append).session() as send,
    ):
        send(email, raw)

    assert caught.value.permanent and caught.value.recipient == "gone@example.org"
    assert caught.value.reason.startswith(f"gone@example.org: {code} 5.1.1 <gone@example.org>")
    assert smtp_server.commands["RCPT"] == 1 and sleeps == []


def test_after_a_refused_recipient_the_same_connection_delivers_the_next_email(smtp_server):
    gone, gone_raw = letter("gone@example.org")
    email, raw = letter()
    smtp_server.refuse("gone@example.org")

    with SmtpDelivery(smtp_server.smtp_settings(), SENDER, sleep=[].append).session() as send:
        with pytest.raises(DeliveryError):
            send(gone, gone_raw)
        send(email, raw)

    assert [m.rcpt_tos for m in smtp_server.messages] == [("s1@example.org",)]
    assert smtp_server.connections == 1


def test_a_connection_dropped_during_data_is_reopened_and_the_message_delivered_once(
    smtp_server,
):
    email, raw = letter()
    smtp_server.drop_during_data()
    with SmtpDelivery(smtp_server.smtp_settings(), SENDER, sleep=[].append).session() as send:
        send(email, raw)

    assert [m.data for m in smtp_server.messages] == [wire(raw)]
    assert smtp_server.connections == 2 and smtp_server.commands["DATA"] == 2


def test_a_421_to_rcpt_costs_one_try_not_two(smtp_server):
    email, raw = letter()
    smtp_server.fail("RCPT", 421)
    delivery = SmtpDelivery(smtp_server.smtp_settings(retries=2), SENDER, sleep=[].append)

    with delivery.session() as send:
        send(email, raw)

    assert len(smtp_server.messages) == 1 and smtp_server.connections == 2


def test_a_password_with_cyrillic_letters_is_a_clear_error_not_a_crash(smtp_server):
    delivery = SmtpDelivery(smtp_server.smtp_settings(password="пароль-2020"), SENDER)

    with pytest.raises(DeliveryUnavailable) as caught, delivery.session():
        pass

    assert "SHEETS_SYNC_SMTP_PASSWORD" in str(caught.value)


# -- whole cycles on a real workbook -----------------------------------------------------------


def test_a_cycle_delivers_one_russian_digest_per_recipient_over_one_connection(
    project, smtp_server
):
    make(project)
    result = run(project, smtp_settings(project, smtp_server))

    assert smtp_server.connections == 1 and len(smtp_server.logins) == 1
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == RECIPIENTS
    assert {m.mail_from for m in smtp_server.messages} == {USER}
    state = stored(project)
    for email in result.sent:
        [got] = smtp_server.to(email.to[0])
        msg = got.message
        assert got.data == wire(state[email.message_id][1])  # the bytes the state keeps
        assert msg["Subject"] == email.subject
        assert msg["From"] == SENDER and msg["Reply-To"] == REPLY_TO
        assert msg["To"] == f"{email.to_name} <{email.to[0]}>"
        assert msg["Message-ID"] == email.message_id
        assert parsedate_to_datetime(msg["Date"]) == NOW
        assert msg["Auto-Submitted"] == "auto-generated"
        assert msg.get_body(("plain",)).get_content() == email.text
        assert msg.get_body(("html",)).get_content() == email.html
    by_to = {m.rcpt_tos[0]: m.message for m in smtp_server.messages}
    school = by_to["s1@example.org"]
    assert school["Subject"] == "Напоминание о сроке 10.09.2020: п. 2 «План работы на учебный год»"
    assert school["To"] == "Школа № 1 <s1@example.org>"
    text = school.get_body(("plain",)).get_content()
    assert text.startswith("Здравствуйте!\n\nНапоминание для «Школа № 1» по дорожной карте")
    assert "2. План работы на учебный год\n    Срок — 10.09.2020, осталось 2 дня." in text
    html = school.get_body(("html",)).get_content()
    assert '<html lang="ru">' in html and "<td>План работы на учебный год</td>" in html
    late = by_to["s2@example.org"]
    assert (
        late["Subject"]
        == "Просрочено (срок был 01.03.2020): п. 1 «Отчёт о работе интернет-страницы»"
    )
    assert "просрочено на 191 день" in late.get_body(("plain",)).get_content()
    assert by_to["coordinator@example.org"]["Subject"].startswith("Сводка за неделю на 08.09.2020:")
    assert [row[5] for row in journal(project)] == ["отправлено"] * 4
    assert {status for status, _ in state.values()} == {"sent"}


def test_a_cycle_over_implicit_tls_delivers_every_digest(project, smtps_server):
    make(project)
    result = run(project, smtp_settings(project, smtps_server))

    assert len(result.sent) == 4 and smtps_server.connections == 1
    assert sorted(a for m in smtps_server.messages for a in m.rcpt_tos) == RECIPIENTS
    assert all(m.tls for m in smtps_server.messages)


def test_a_second_run_the_same_day_sends_nothing_more(project, smtp_server):
    make(project)
    settings = smtp_settings(project, smtp_server)
    run(project, settings)
    again = run(project, settings)

    assert again.sent == [] and len(smtp_server.messages) == 4
    assert len(journal(project)) == 4


def test_a_wrong_password_sends_nothing_records_nothing_and_the_next_run_sends_all(
    project, smtp_server
):
    make(project)
    settings = smtp_settings(project, smtp_server)
    result = run(project, logged_in(settings, password="not-the-password"))

    assert result.sent == [] and result.written
    assert "refused the login" in result.delivery_error
    assert "SHEETS_SYNC_SMTP_PASSWORD" in result.delivery_error
    with LocalState(settings.state_dir, str(project.workbook_path)) as state:
        assert state.sent_keys() == set() and state.in_flight() == []
    assert stored(project) == {}
    assert journal(project) == []
    problems = [row[2] for row in project.read_tab("Проблемы")[1:]]
    assert any(p.startswith("не удалось подключиться к почтовому серверу") for p in problems)
    assert smtp_server.messages == []

    fixed = run(project, settings)
    assert len(fixed.sent) == 4 and len(smtp_server.messages) == 4


def test_once_exits_1_when_nothing_listens_and_still_writes_the_tabs(project, capsys, monkeypatch):
    make(project)
    port = free_port()
    config = project.root / "config" / "settings.toml"
    config.parent.mkdir(exist_ok=True)
    smtp = {"host": "127.0.0.1", "port": port, "security": "starttls", "user": USER}
    data = merged(
        {"plan_year": 2020, **BASE_CONFIG},
        {"mail": {"delivery": "smtp", "smtp": {**smtp, "timeout_seconds": 2}}},
    )
    config.write_text(toml(data), encoding="utf-8")
    monkeypatch.setenv(SMTP_PASSWORD_ENV, PASSWORD)

    code = main(["once", "--config", str(config), "--today", "2020-09-08"])

    out, err = capsys.readouterr()
    assert code == 1
    assert err.startswith(
        f"Error: no email was sent: cannot connect to the SMTP server 127.0.0.1:{port} ("
    )
    assert "check `mail.smtp.host` and `mail.smtp.port`" in err
    assert "emails: 0 sent via 127.0.0.1" in out
    assert PASSWORD not in out + err
    summary = project.read_tab("Сводка")
    assert ["Рассылка не удалась: почтовый сервер недоступен (см. «Проблемы»)."] in summary
    assert project.read_tab("Журнал рассылки") == [project.read_tab("Журнал рассылки")[0]]
    assert not (project.root / "outbox").exists()


def test_a_421_once_is_retried_and_every_digest_delivered(project, smtp_server):
    make(project)
    smtp_server.fail("RCPT", 421, address="s2@example.org")
    result = run(project, smtp_settings(project, smtp_server))

    assert len(result.sent) == 4 and result.failed == []
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == RECIPIENTS
    assert [row[5] for row in journal(project)] == ["отправлено"] * 4


def test_a_421_on_every_try_leaves_the_digest_failed_and_the_next_run_sends_it(
    project, smtp_server
):
    make(project)
    settings = smtp_settings(project, smtp_server)
    smtp_server.fail("RCPT", 421, address="s2@example.org", times=3)
    first = run(project, settings)

    [(email, reason)] = first.failed
    assert email.to == ("s2@example.org",) and reason.startswith("s2@example.org: 421 ")
    assert len(first.sent) == 3 and smtp_server.to("s2@example.org") == []
    assert stored(project)[email.message_id][0] == "failed"
    rows = {row[2]: row[5] for row in journal(project)}
    assert rows["s2@example.org"].startswith("не доставлено: s2@example.org: 421 ")
    problems = [row[2] for row in project.read_tab("Проблемы")[1:]]
    assert any(
        p.startswith("письмо для «Школа № 2» (s2@example.org) не доставлено") for p in problems
    )

    smtp_server.behave()
    second = run(project, settings)

    assert [e.message_id for e in second.sent] == [email.message_id]
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == RECIPIENTS
    assert smtp_server.to("s2@example.org")[0].message["Message-ID"] == email.message_id
    results = [(row[2], row[5].split(":")[0]) for row in journal(project)]
    assert results.count(("s2@example.org", "не доставлено")) == 1
    assert results.count(("s2@example.org", "отправлено")) == 1
    assert len(results) == 5


def test_a_550_for_one_recipient_is_recorded_as_refused_and_the_others_delivered(
    project, smtp_server
):
    make(project)
    smtp_server.refuse("s2@example.org", 550)
    result = run(project, smtp_settings(project, smtp_server))

    assert len(result.sent) == 3 and [e.to for e, _ in result.failed] == [("s2@example.org",)]
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == [
        "coordinator@example.org",
        "s1@example.org",
        "soiro@example.org",
    ]
    rows = {row[2]: row[5] for row in journal(project)}
    assert rows["s2@example.org"] == (
        "отклонено сервером: s2@example.org: 550 5.1.1 <s2@example.org>: "
        "Recipient address rejected: no such mailbox"
    )
    assert [rows[a] for a in RECIPIENTS if a != "s2@example.org"] == ["отправлено"] * 3
    problems = {row[2]: row[3] for row in project.read_tab("Проблемы")[1:]}
    [what] = [p for p in problems if p.startswith("письмо для «Школа № 2» (s2@example.org)")]
    assert "550" in what and problems[what].startswith("Проверьте адрес получателя")
    assert {s for s, _ in stored(project).values()} == {"sent", "refused"}


def test_a_drop_mid_session_reconnects_and_delivers_every_digest_once(project, smtp_server):
    make(project)
    smtp_server.drop_during_data()
    result = run(project, smtp_settings(project, smtp_server))

    assert len(result.sent) == 4 and result.failed == []
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == RECIPIENTS
    assert smtp_server.connections == 2
    assert len({m.message["Message-ID"] for m in smtp_server.messages}) == 4


def test_the_password_never_appears_in_logs_errors_or_the_workbook(
    project, smtp_server, caplog, capsys
):
    caplog.set_level(logging.DEBUG)
    make(project)
    settings = smtp_settings(project, smtp_server)
    wrong = "Wr0ng-but-secret-too"
    refused = run(project, logged_in(settings, password=wrong))
    smtp_server.fail("RCPT", 421, address="s1@example.org")
    smtp_server.drop_during_data()
    smtp_server.refuse("s2@example.org")
    sent = run(project, settings)

    assert refused.delivery_error and len(sent.sent) == 3  # every path was taken
    assert "Connected to 127.0.0.1" in caplog.text  # and the logs were captured
    secrets = [PASSWORD, wrong]
    for secret in (PASSWORD, wrong):
        for blob in (f"\0{USER}\0{secret}", secret):
            secrets.append(base64.b64encode(blob.encode()).decode())
    logged = caplog.text + "".join(f"{r.args!r}" for r in caplog.records)
    errors = [refused.delivery_error, *(reason for _, reason in sent.failed)]
    workbook = [
        cell
        for tab in ("Сводка", "Проблемы", "Журнал рассылки")
        for row in project.read_tab(tab)
        for cell in row
    ]
    out, err = capsys.readouterr()
    for secret in secrets:
        assert secret not in logged
        assert not any(secret in e for e in errors)
        assert not any(secret in cell for cell in workbook)
        assert secret not in out + err
        assert secret not in repr(settings)


def test_a_school_name_with_line_breaks_cannot_add_headers_on_the_wire(project, smtp_server):
    schools = [
        SCHOOLS[0],
        ["01", "Школа № 1\r\nBcc: spy@evil.example", "s1@example.org", "да"],
        ["02", "School 2\r\nBcc: spy@evil.example\r\nX-Injected: yes", "s2@example.org", "да"],
    ]
    roadmap = [
        *ROADMAP[:5],
        ["2", "План работы\r\nBcc: spy@evil.example", "До 10.09.2020", "ШИБЦ ОО"],
    ]
    make(project, roadmap=roadmap, schools=schools)
    result = run(project, smtp_settings(project, smtp_server))

    assert len(result.sent) == 4
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == RECIPIENTS
    for got in smtp_server.messages:
        head = got.data.split(b"\r\n\r\n", 1)[0]
        lines = head.split(b"\r\n")
        names = [line.split(b":", 1)[0].lower() for line in lines if not line[:1].isspace()]
        assert b"bcc" not in names and b"x-injected" not in names
        assert got.message["Bcc"] is None and got.message["X-Injected"] is None
        assert "\n" not in got.message["To"] and "\n" not in got.message["Subject"]
    school = smtp_server.to("s2@example.org")[0].message
    assert school["To"] == '"School 2 Bcc: spy@evil.example X-Injected: yes" <s2@example.org>'
    first = smtp_server.to("s1@example.org")[0].message
    assert (
        first["Subject"]
        == "Напоминание о сроке 10.09.2020: п. 2 «План работы Bcc: spy@evil.example»"
    )


def test_a_refused_second_address_of_a_school_shows_up_in_problems(project, smtp_server):
    schools = [SCHOOLS[0], ["01", "Школа № 1", "s1@example.org; old@example.org", "да"]]
    make(project, schools=schools)
    smtp_server.refuse("old@example.org", 550)
    result = run(project, smtp_settings(project, smtp_server))

    assert smtp_server.to("s1@example.org") and not smtp_server.to("old@example.org")
    assert any(e.to == ("s1@example.org", "old@example.org") for e in result.sent)
    problems = [row[2] for row in project.read_tab("Проблемы")[1:]]
    assert any("old@example.org" in p and "550" in p for p in problems)
