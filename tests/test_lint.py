"""`check`, the pre-send lint: what «Проблемы» would show and what would stop or silently
shrink a run, grouped by tab with cells and fixes; exit 1 when anything would."""

from __future__ import annotations

from datetime import date

import pytest

from sheets_sync import cli
from sheets_sync.inputs.plan import read_records
from sheets_sync.lint import RunFacts, is_placeholder, lint
from sheets_sync.obligations import obligations_on
from sheets_sync.settings.types import ReadingSettings
from sheets_sync.wording import text_of
from tests.service_data import TABS

REAL = [["Код", "Школа", "Email"], ["01", "Школа № 1", "s1@school1.ru"]]


def findings(tabs, today=date(2020, 9, 8), facts=None):
    """Return the lint of `tabs` (cells as people see them) on `today`."""
    grids = {name: [[text_of(v) for v in row] for row in rows] for name, rows in tabs.items()}
    records = read_records(grids, ReadingSettings(plan_year=2020), fallback_year=2020)
    _, more = obligations_on(records, today, 7)
    return lint(records, [*records.problems, *more], facts or RunFacts(), today)


def whats(found, severity="error"):
    return [f.what for f in found if f.severity == severity]


def test_an_empty_roadmap_stops_a_run():
    found = findings({**TABS, "Дорожная карта": [["№", "Мероприятие", "Срок", "Ответственные"]]})
    assert any("нет ни одного мероприятия" in w for w in whats(found))


def test_a_plan_whose_dates_have_all_passed_is_an_error():
    found = findings(TABS, today=date(2020, 12, 1))  # the last date is 10.09.2020
    (past,) = [f for f in found if "все сроки плана прошли" in f.what]
    assert past.tab == "Дорожная карта" and "последний — 10.09.2020" in past.what
    assert not any("все сроки плана прошли" in w for w in whats(findings(TABS)))


def test_school_reports_without_an_active_school_shrink_the_run_to_nothing():
    tabs = {
        **TABS,
        "Школы": [["Код", "Школа", "Email", "Активна"], ["01", "Школа", "a@b.ru", "нет"]],
    }
    assert any("нет ни одной активной школы" in w for w in whats(findings(tabs)))


def test_a_run_over_the_cap_is_an_error_in_the_settings():
    (cap,) = [f for f in findings(TABS, facts=RunFacts(emails=61, cap=60)) if "лимит" in f.what]
    assert cap.in_settings and cap.cell == "reminders.max_emails_per_run"
    assert cap.severity == "error" and "61 писем — больше лимита 60" in cap.what


def test_placeholder_addresses_warn_for_the_outbox_and_stop_real_mail():
    facts = RunFacts(addresses={"mail.from": ["ribc@example.org"], "service.admin_email": [""]})
    outbox = [f for f in findings(TABS, facts=facts) if "адреса-примеры" in f.what]
    assert {(f.tab, f.cell, f.severity) for f in outbox} == {
        ("Школы", "", "warning"),
        ("Ответственные", "", "warning"),
        ("", "mail.from", "warning"),
    }
    schools = next(f for f in outbox if f.tab == "Школы")
    assert "(2): строка 2: s1@example.org; строка 3: s2@example.org" in schools.what
    smtp = RunFacts(real_mail=True, addresses=facts.addresses)
    assert all(
        f.severity == "error" for f in findings(TABS, facts=smtp) if "адреса-примеры" in f.what
    )
    assert not any(
        "адреса-примеры" in f.what for f in findings({**TABS, "Школы": REAL}) if f.tab == "Школы"
    )


@pytest.mark.parametrize(
    ("address", "placeholder"),
    [
        ("s1@example.org", True),
        ("a@example.com", True),
        ("ibc@sosh4.example.org", True),
        ("coordinator@school.example.ru", True),
        ("x@school.test", True),
        ("test@school1.ru", True),
        ("s1@school1.ru", False),
        ("ribc@soiro.ru", False),
        ("examples@mail.ru", False),
    ],
)
def test_what_counts_as_a_placeholder_address(address, placeholder):
    assert is_placeholder(address) is placeholder


def test_check_lists_by_tab_what_a_run_would_stop_or_shrink_and_exits_1(project, capsys):
    tabs = {
        **TABS,
        # A duplicate code, an executor without an address, a column for a removed item.
        "Школы": [*TABS["Школы"], ["02", "Школа № 2 (повтор)", "s2b@school.ru"]],
        "Ответственные": [*TABS["Ответственные"], ["Методист", ""]],
        "Сдача отчётов": [
            [*TABS["Сдача отчётов"][0], "9 до 01.05.2020"],
            *TABS["Сдача отчётов"][1:],
        ],
    }
    project.workbook(tabs, header_rows={"Дорожная карта": 3})
    config = project.root / "config" / "settings.toml"
    project.settings()
    code = cli.main(["check", "--config", str(config), "--today", "2020-09-08"])
    out = capsys.readouterr().out

    assert code == 1
    to_fix = out[out.index("To fix before a run (3):") : out.index("Warnings")]
    assert "«Школы»\n    A4: код «02» повторяется (первый раз — A3)" in to_fix
    assert "«Ответственные»\n    B3: у исполнителя «Методист» нет адреса" in to_fix
    assert "«Сдача отчётов»\n    F1: в дорожной карте нет мероприятия 9. Исправьте номер" in to_fix
    assert to_fix.index("«Школы»") < to_fix.index("«Ответственные»") < to_fix.index("«Сдача")
    assert "check: 3 finding(s) would stop or shrink a run" in out
    assert project.outbox() == []  # check sends nothing


def test_check_on_clean_data_exits_0_and_still_names_the_example_addresses(project, capsys):
    project.workbook(TABS, header_rows={"Дорожная карта": 3})
    project.settings()
    code = cli.main(
        ["check", "--config", str(project.root / "config/settings.toml"), "--today", "2020-09-08"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "check: nothing would stop or shrink a run (see the warnings)" in out
    assert "Warnings (4):" in out and "reminders.escalate_to: адреса-примеры" in out
