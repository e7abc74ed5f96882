"""Health people see without asking: the administrator gets one email after N failed cycles in a
row and one when it works again (through the outbox or a real SMTP server on loopback), the
dead-man's-switch ping reaches a loopback HTTP server, and «Сводка»'s health rows."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sheets_sync.report.context import Health
from sheets_sync.report.health import health_rows
from sheets_sync.service.alerts import Alerts
from sheets_sync.service.loop import Service
from sheets_sync.service.ping import ping
from sheets_sync.service.runner import CycleRunner
from sheets_sync.service.slots import sending_days
from sheets_sync.service.status import StatusFile
from sheets_sync.settings.types import Settings
from tests.service_data import TABS, FakeClock, at
from tests.smtp_server import LoopbackSmtp, logged_in

ADMIN = "admin@school.example.ru"


def serve(settings: Settings, start: datetime, until: datetime) -> None:
    stop = threading.Event()
    Service(
        settings=settings.service,
        sends_on=sending_days(settings),
        cycle=CycleRunner(settings),
        status=StatusFile(settings.state_dir / "service.json"),
        clock=FakeClock(start, until, stop),
        stop=stop,
        alerts=Alerts(settings, str(settings.workbook.path)),
    ).run()


def alerts_in(project) -> list[EmailMessage]:
    return [m for m in project.outbox() if ADMIN in str(m["To"])]


SERVICE = {"service": {"refresh_minutes": 60, "alert_after_failures": 3, "admin_email": ADMIN}}


def test_one_alert_after_n_failures_in_a_row_and_one_on_recovery(project):
    settings = project.settings(SERVICE)  # no workbook yet: every cycle fails
    serve(settings, at("2020-09-08", "08:50"), at("2020-09-08", "14:00"))

    (alert,) = alerts_in(project)  # six failures (09:00, then each hour at :50), one email
    assert alert["Subject"].startswith("sheets_sync не работает: 3 неудачных запуска подряд")
    body = alert.get_body(("plain",)).get_content()
    assert "таблица недоступна" in body  # the cause, in Russian
    assert "there is no workbook at" in body  # the program's own message
    assert "Что сделать: Проверьте, что таблица на месте" in body  # the fix
    assert "начиная с 08.09.2020 09:00" in body
    assert alert["Auto-Submitted"] == "auto-generated"
    status = StatusFile(settings.state_dir / "service.json").load()
    assert status.failures == 6 and status.alerted

    project.workbook(TABS, header_rows={"Дорожная карта": 3})  # fixed
    serve(settings, at("2020-09-08", "14:00"), at("2020-09-09", "10:00"))

    alert, recovery = sorted(alerts_in(project), key=lambda m: m["Date"])
    assert recovery["Subject"].startswith("sheets_sync снова работает")
    assert "6 неудачных запусков подряд" in recovery.get_body(("plain",)).get_content()
    assert len(alerts_in(project)) == 2  # later good cycles say nothing
    status = StatusFile(settings.state_dir / "service.json").load()
    assert status.failures == 0 and not status.alerted
    assert status.last_failure == at("2020-09-08", "13:50")  # kept for «Сводка»


def test_failures_below_the_threshold_send_nothing(project):
    settings = project.settings(SERVICE)
    serve(settings, at("2020-09-08", "08:50"), at("2020-09-08", "10:00"))  # two failures
    project.workbook(TABS, header_rows={"Дорожная карта": 3})
    serve(settings, at("2020-09-08", "10:00"), at("2020-09-08", "11:00"))
    assert alerts_in(project) == []


def test_without_an_admin_address_the_alert_is_a_log_line_once(project, caplog):
    caplog.set_level(logging.ERROR, logger="sheets_sync.service")
    settings = project.settings({"service": {"refresh_minutes": 60}})
    serve(settings, at("2020-09-08", "08:50"), at("2020-09-08", "14:00"))
    told = [r for r in caplog.records if "set service.admin_email" in r.getMessage()]
    assert len(told) == 1 and alerts_in(project) == []


def test_the_alert_goes_through_the_smtp_server_and_an_undelivered_one_is_tried_again(
    project, smtp_server: LoopbackSmtp
):
    extra = {
        **SERVICE,
        "mail": {"delivery": "smtp", "smtp": smtp_server.config()},
    }
    settings = logged_in(project.settings(extra))
    # The first alert does not get through (451 to each of its 3 tries): the next cycle's does.
    smtp_server.fail("RCPT", 451, address=ADMIN, times=3)
    serve(settings, at("2020-09-08", "08:50"), at("2020-09-08", "13:00"))

    (received,) = smtp_server.to(ADMIN)  # failures 3 (refused) and 4 (delivered)
    assert received.message["Subject"].startswith("sheets_sync не работает: 4 неудачных запуска")
    assert StatusFile(settings.state_dir / "service.json").load().alerted


class _Monitor(BaseHTTPRequestHandler):
    def _take(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        self.server.pings.append((self.command, self.path, self.rfile.read(size).decode()))  # type: ignore[attr-defined]
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.end_headers()
        self.wfile.write(b"OK")

    do_GET = do_POST = _take

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def monitor():
    """A healthchecks.io stand-in on 127.0.0.1 recording each ping (method, path, body)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Monitor)
    server.pings, server.status = [], 200  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_ping_says_success_with_a_get_and_failure_with_the_reason(project, monitor):
    url = f"http://127.0.0.1:{monitor.server_port}/ping/3f1c-uuid"
    settings = project.settings({"service": {"refresh_minutes": 60, "ping_url": url}})
    serve(settings, at("2020-09-08", "08:50"), at("2020-09-08", "09:30"))  # fails: no workbook
    project.workbook(TABS, header_rows={"Дорожная карта": 3})
    serve(settings, at("2020-09-08", "09:30"), at("2020-09-08", "10:00"))

    (fail, fine) = monitor.pings
    assert fail[0] == "POST" and fail[1] == "/ping/3f1c-uuid/fail"
    assert fail[2].startswith("таблица недоступна") and "there is no workbook" in fail[2]
    assert fine == ("GET", "/ping/3f1c-uuid", "")


def test_a_failing_ping_never_fails_the_cycle(project, monitor, caplog):
    monitor.status = 500
    url = f"http://127.0.0.1:{monitor.server_port}/ping/abc"
    project.workbook(TABS, header_rows={"Дорожная карта": 3})
    settings = project.settings({"service": {"ping_url": url, "refresh_minutes": 0}})
    serve(settings, at("2020-09-08", "08:50"), at("2020-09-08", "09:30"))

    assert len(monitor.pings) == 1
    assert "ping (success) to 127.0.0.1 failed: HTTP 500" in caplog.text
    assert "abc" not in caplog.text  # the URL is the check's password: never logged
    status = StatusFile(settings.state_dir / "service.json").load()
    assert status.failures == 0 and status.last_success is not None


def test_a_monitor_that_is_not_there_is_a_warning_not_an_error():
    with ThreadingHTTPServer(("127.0.0.1", 0), _Monitor) as gone:
        port = gone.server_port  # closed when the block ends: nothing listens there
    assert ping(f"http://127.0.0.1:{port}/x", timeout=2.0) is False
    assert ping(f"http://127.0.0.1:{port}/x", "reason", timeout=2.0) is False


def test_health_rows_show_the_last_success_the_next_send_and_the_last_failure():
    now = at("2025-09-12", "09:00")
    rows = health_rows(
        Health(
            last_success=now,
            next_run=now + timedelta(days=3),
            last_failure=now - timedelta(days=1),
            failure_reason="почтовый сервер недоступен: письма не отправлены",
            failures_in_a_row=0,
        )
    )
    texts = [[c.value for c in r] for r in rows]
    assert texts[1][1] == "Служба рассылки"
    assert texts[2][1:] == ["Последний успешный запуск", "12.09.2025 09:00"]
    assert texts[3][1:] == ["Следующая рассылка", "15.09.2025 09:00"]
    assert texts[4][2] == "11.09.2025 09:00: почтовый сервер недоступен: письма не отправлены"
    assert rows[4][2].style == "muted"  # over: it worked since

    failing = health_rows(
        Health(last_failure=now, failure_reason="таблица недоступна", failures_in_a_row=2)
    )
    assert failing[2][2].value == "ещё не было" and failing[3][2].value == "не запланирована"
    assert failing[4][2].style == "bad" and "(неудачных запусков подряд: 2)" in failing[4][2].value
    assert health_rows(None) == []
