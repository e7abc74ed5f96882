"""Delivery at the edges: a long recipient name still gets its .eml file, and a run with emails
not delivered says which (refused for good, or retried next run) and exits 3."""

from __future__ import annotations

from datetime import date

from sheets_sync.cli import main
from sheets_sync.commands.running import EXIT_NOT_DELIVERED
from sheets_sync.settings.credentials import SMTP_ENV
from tests.conftest import BASE_CONFIG, merged, toml
from tests.sample_workbook import EXECUTORS, ROADMAP, make
from tests.smtp_server import PASSWORD, USER

LONG = (
    "Отдел сопровождения информационно-библиотечных центров общеобразовательных организаций "
    "Смоленской области (региональный ресурсный центр)"
)


def test_an_executor_with_a_long_cyrillic_name_gets_a_reminder_in_the_outbox(project):
    assert len(f"executor-{LONG}".encode()) > 255
    roadmap = [*ROADMAP[:4], ["1", "Отчёт", "До 01.03.2020", LONG]]
    make(project, roadmap=roadmap, executors=[*EXECUTORS, [LONG, "long@example.org"]])

    result = project.run(date(2020, 9, 8))

    assert result.failed == []
    assert any("long@example.org" in str(m["To"]) for m in project.outbox())
    assert all(len(p.name.encode()) <= 255 for p in (project.root / "outbox").iterdir())


def test_once_with_an_email_refused_for_good_says_so_and_exits_3(
    project, smtp_server, capsys, monkeypatch
):
    make(project)
    smtp_server.refuse("s2@example.org", 550)
    config = project.root / "config" / "settings.toml"
    config.parent.mkdir(exist_ok=True)
    smtp = {**smtp_server.config(), "user": USER}
    data = merged({"plan_year": 2020, **BASE_CONFIG}, {"mail": {"delivery": "smtp", "smtp": smtp}})
    config.write_text(toml(data), encoding="utf-8")
    monkeypatch.setenv(SMTP_ENV, PASSWORD)

    code = main(["once", "--config", str(config), "--today", "2020-09-08"])

    out, err = capsys.readouterr()
    assert code == EXIT_NOT_DELIVERED == 3
    assert "1 REFUSED for good (wrong address: see «Проблемы»)" in out
    assert "kept for the next run" not in out
    assert "    refused for good: Школа № 2 <s2@example.org>: " in out
    assert "1 email(s) not delivered (listed above); exit code 3" in err


def test_once_with_an_email_that_failed_for_now_says_it_is_retried_and_exits_3(
    project, smtp_server, capsys, monkeypatch
):
    make(project)
    smtp_server.fail("RCPT", 451, times=20, address="s2@example.org")
    config = project.root / "config" / "settings.toml"
    config.parent.mkdir(exist_ok=True)
    smtp = {**smtp_server.config(), "user": USER, "retries": 1}
    data = merged({"plan_year": 2020, **BASE_CONFIG}, {"mail": {"delivery": "smtp", "smtp": smtp}})
    config.write_text(toml(data), encoding="utf-8")
    monkeypatch.setenv(SMTP_ENV, PASSWORD)

    code = main(["once", "--config", str(config), "--today", "2020-09-08"])

    out, _ = capsys.readouterr()
    assert code == 3
    assert "1 not delivered (sent again by the next run)" in out
    assert "    not delivered, retried next run: Школа № 2 <s2@example.org>: " in out
