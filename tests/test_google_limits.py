"""Google's size limits the product can reach: 10,000,000 cells per spreadsheet, 18,278 columns
per sheet, 50,000 characters per cell. The emulator refuses past them with Google's words; the
product cuts its generated tabs before them, says so, and refuses only what cannot fit."""

from __future__ import annotations

import logging

import pytest

from sheets_sync.errors import WorkbookError
from sheets_sync.report.tabs import Tab, row
from sheets_sync.workbook import SheetInfo, Snapshot
from sheets_sync.workbook.google import GoogleWorkbook
from sheets_sync.workbook.google_cells import CUT_MARK, MAX_CELLS, MAX_COLUMNS, fit_text
from sheets_sync.workbook.google_limits import fit_tabs, peak_cells
from sheets_sync.workbook.google_session import authorized_session

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


@pytest.fixture
def api(sheets_api, service_account_info, no_egress):
    return authorized_session(service_account_info, sheets_api.base_url)


@pytest.fixture
def key(sheets_api, service_account_info):
    return sheets_api.create_spreadsheet(
        "Roadmap", {"Sheet1": [["a"]]}, shared_with=[service_account_info["client_email"]]
    )


def batch(api, key, *requests):
    return api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": list(requests)})


def message(response) -> str:
    assert response.status_code == 400
    return str(response.json()["error"]["message"])


# --- the emulator -----------------------------------------------------------------------------


def test_a_sheet_cannot_have_more_than_18278_columns(api, key):
    wide = {"addSheet": {"properties": {"title": "Wide", "gridProperties": {"rowCount": 1, "columnCount": MAX_COLUMNS}}}}  # fmt: skip
    reply = batch(api, key, wide).json()["replies"][0]
    sheet_id = reply["addSheet"]["properties"]["sheetId"]
    more = {"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": 1}}
    # The wording is [unverified]; the limit (column ZZZ) is the one commonly cited.
    assert message(batch(api, key, more)) == (
        "Invalid requests[0].appendDimension: This action would increase the number of columns "
        "in sheet Wide above the limit of 18278."
    )


def test_append_cells_adds_rows_below_the_last_data_but_never_columns(api, key, sheets_api):
    cells = {"values": [{"userEnteredValue": {"stringValue": "b"}}]}
    append = {"appendCells": {"sheetId": 0, "rows": [cells] * 1000, "fields": "userEnteredValue"}}
    assert batch(api, key, append).status_code == 200
    assert sheets_api.values(key, "Sheet1")[:2] == [["a"], ["b"]]
    assert sheets_api.sheet_properties(key, "Sheet1")["gridProperties"]["rowCount"] == 1001
    wide = {"values": [{"userEnteredValue": {"stringValue": "x"}}] * 27}
    too_wide = {"appendCells": {"sheetId": 0, "rows": [wide], "fields": "userEnteredValue"}}
    # Google's words, OpenRefine/OpenRefine#2760.
    assert message(batch(api, key, too_wide)) == (
        "Invalid requests[0].appendCells: Attempting to write column: 26, beyond the last "
        "requested column of: 25"
    )
    unmasked = {"appendCells": {"sheetId": 0, "rows": [cells]}}
    assert "At least one field" in message(batch(api, key, unmasked))


def test_more_rows_with_fewer_columns_is_refused_if_the_rows_alone_pass_the_limit(api, key):
    # Google applies rowCount before columnCount (robin900/gspread-dataframe#38).
    resize = {"updateSheetProperties": {
        "properties": {"sheetId": 0, "gridProperties": {"rowCount": 500_000, "columnCount": 2}},
        "fields": "gridProperties(rowCount,columnCount)"}}  # fmt: skip
    assert "above the limit of 10000000 cells" in message(batch(api, key, resize))
    narrow = {"updateSheetProperties": {
        "properties": {"sheetId": 0, "gridProperties": {"columnCount": 2}}, "fields": "gridProperties.columnCount"}}  # fmt: skip
    assert batch(api, key, narrow).status_code == 200
    assert batch(api, key, resize).status_code == 200


# --- the product ------------------------------------------------------------------------------


def test_a_text_longer_than_a_cell_takes_is_cut_with_a_visible_mark():
    assert fit_text("x" * 50_000) == "x" * 50_000
    cut = fit_text("y" * 70_000)
    assert len(cut) == 50_000 and cut.endswith(CUT_MARK)
    assert "50 000 знаков" in CUT_MARK


def test_a_tab_wider_than_google_allows_loses_its_last_columns_and_says_so():
    tab = Tab("Сводка", (row(*range(MAX_COLUMNS + 5)), row("a")))
    (cut,), notes, over = fit_tabs([tab], {}, 0, 0)
    assert over == 0 and len(cut.rows[0]) == MAX_COLUMNS
    assert cut.rows[-1][0].value == (
        "Вкладка обрезана: не поместилось столбцов — 5. В листе Google Таблиц не больше "
        "18 278 столбцов."
    )
    assert notes == ["«Сводка»: 5 columns past Google's 18,278 were left out"]


def test_tabs_are_cut_largest_first_until_every_step_of_the_write_fits():
    small = Tab("Проблемы", tuple(row("p", "q") for _ in range(10)), frozen_rows=1)
    big = Tab("Сроки", tuple(row("a", "b", "c", "d") for _ in range(5_000)), frozen_rows=1)
    fixed = MAX_CELLS - 30_000
    fitted, notes, over = fit_tabs([small, big], {}, fixed, 26_000)
    assert over == 0
    assert fitted[0] == small
    assert len(fitted[1].rows) == 995  # 994 rows of data and the note: 995 × 4 + 20 ≤ 4,000
    assert fitted[1].rows[-1][0].value.startswith("Вкладка обрезана: не поместилось строк — 4006.")
    assert notes == [
        "«Сроки»: 4006 rows were left out to stay within Google's 10,000,000 cells per spreadsheet"
    ]
    assert peak_cells(fitted, {}, fixed, 26_000)[0] <= MAX_CELLS


def test_a_tab_that_grows_while_a_later_one_shrinks_is_counted_at_its_own_step():
    grows = Tab("Сводка", tuple(row("a") for _ in range(3_000)))
    shrinks = Tab("Сроки", (row("b"),))
    old = {"Сводка": (1, 1), "Сроки": (3_000, 1)}
    # The end fits (the total stays the same), but while «Сводка» is written «Сроки» is still big.
    assert peak_cells([grows, shrinks], old, MAX_CELLS - 3_002, 0) == (MAX_CELLS + 2_998, 0)
    fitted, _, over = fit_tabs([grows, shrinks], old, MAX_CELLS - 3_002, 0)
    assert over == 0 and len(fitted[0].rows) == 2  # a row of data and the note


def near_the_limit(api, key, sheets_api, room: int) -> Snapshot:
    """Grow Sheet1 (25 columns) so that `room` cells are left; return the snapshot a write needs."""
    rows = (MAX_CELLS - room) // 25
    narrow = {"updateSheetProperties": {
        "properties": {"sheetId": 0, "gridProperties": {"columnCount": 25}},
        "fields": "gridProperties.columnCount"}}  # fmt: skip
    grow = {"updateSheetProperties": {
        "properties": {"sheetId": 0, "gridProperties": {"rowCount": rows}},
        "fields": "gridProperties.rowCount"}}  # fmt: skip
    assert batch(api, key, narrow, grow).status_code == 200
    return Snapshot("Roadmap", {"Sheet1": [["a"]]}, "", sheets={"Sheet1": SheetInfo(0, rows, 25)})


def test_a_write_near_the_cell_limit_is_cut_logged_and_accepted_by_google(
    api, key, sheets_api, google, caplog
):
    snapshot = near_the_limit(api, key, sheets_api, room=40_000)
    workbook = GoogleWorkbook(google.settings(key))
    deadlines = Tab("Сроки", (row("№", "Срок", style="header"), *(row(str(i), "до 01.03.2020") for i in range(20_000))), frozen_rows=1)  # fmt: skip
    long = Tab("Проблемы", (row("Проблема"), row("z" * 60_000)))
    with caplog.at_level(logging.WARNING, logger="sheets_sync.workbook.google"):
        workbook.write(snapshot, [long, deadlines], [row("08.09.2020", "Школа № 1")])
    values = sheets_api.values(key, "Сроки")
    assert values[-1][0].startswith("Вкладка обрезана: не поместилось строк —")
    assert len(values) < 20_001
    assert len(sheets_api.values(key, "Проблемы")[1][0]) == 50_000
    assert sheets_api.values(key, "Журнал рассылки")[1][:2] == ["08.09.2020", "Школа № 1"]
    logged = [r.getMessage() for r in caplog.records]
    assert any("«Сроки»:" in m and "rows were left out" in m for m in logged)
    assert (
        "Google Sheets limits: «Проблемы» row 2, column 1 (60,000 characters) was cut to 50,000 characters"
        in logged
    )


def test_a_write_that_cannot_fit_even_cut_is_refused_before_it_is_sent(
    api, key, sheets_api, google
):
    snapshot = near_the_limit(api, key, sheets_api, room=10_000)  # less than a new journal takes
    workbook = GoogleWorkbook(google.settings(key))
    sheets_api.reset_stats()
    with pytest.raises(WorkbookError, match=r"would grow past Google's 10,000,000 cells by 16,001"):
        workbook.write(snapshot, [Tab("Сроки", (row("a"),))], [row("08.09.2020")])
    assert sheets_api.stats()["by_route"].get("POST /v4/spreadsheets/{id}:batchUpdate", 0) == 0


def test_sync_refuses_report_columns_past_googles_limits_before_sending(google, sheets_api):
    key = google.spreadsheet({"Сдача отчётов": [["Код", "Школа"], ["01", "Школа № 1"]]})
    workbook = GoogleWorkbook(google.settings(key))
    sheets = {"Сдача отчётов": SheetInfo(0, 1000, 26)}
    snapshot = Snapshot("Roadmap", {"Сдача отчётов": [["Код", "Школа"]]}, "", sheets=sheets)
    sheets_api.reset_stats()
    with pytest.raises(WorkbookError, match="past the 18,278 a Google sheet can have"):
        workbook.extend(snapshot, "Сдача отчётов", 1, ["отчёт"] * MAX_COLUMNS, [])
    with pytest.raises(WorkbookError, match="past Google's 10,000,000 cells"):
        workbook.extend(snapshot, "Сдача отчётов", 1, ["отчёт"] * 10_000, [])
    assert sheets_api.stats()["total"] == 0
