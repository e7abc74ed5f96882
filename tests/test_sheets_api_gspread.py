"""Contract tests: the real gspread 6 + google-auth against the emulator (spec §7.2).

They pin the outcomes the product relies on, through gspread's public API and the product's own
session factory, so a drift in the emulator (or in gspread) shows up here first.
"""

from __future__ import annotations

import google.auth.exceptions
import gspread
import pytest
import requests

from sheets_sync.workbook.google_session import authorized_session

ROADMAP = "Дорожная карта"
SCHOOLS = "Школы"
# Faults are scoped to Sheets calls: google-auth's background allowedLocations GET could
# otherwise take a fault meant for the test's own request.
V4 = r"^/v4/"
READ_FIELDS = (
    "properties.title,sheets(properties(sheetId,title,index,gridProperties),"
    "data.rowData.values.formattedValue)"
)


def client(info, emu, http_client=gspread.HTTPClient):
    session = authorized_session(info, emu.base_url)
    return gspread.Client(auth=None, session=session, http_client=http_client)


@pytest.fixture
def gc(sheets_api, service_account_info, no_egress):
    return client(service_account_info, sheets_api)


@pytest.fixture
def key(sheets_api, service_account_info):
    return sheets_api.create_spreadsheet(
        "Дорожная карта 2020",
        {
            ROADMAP: [["№", "Мероприятие", "Срок"], ["1.1", "", "до 25.11.2024"]],
            SCHOOLS: [["Школа"]],
        },
        shared_with=[service_account_info["client_email"]],
        locale="ru_RU",
        time_zone="Europe/Moscow",
    )


def test_open_by_key_of_an_unknown_spreadsheet_raises_spreadsheet_not_found(gc):
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open_by_key("1NoSuchSpreadsheetXXXXXXXXXXXXXXXXXXXXXXXXX")


def test_open_by_key_of_a_spreadsheet_not_shared_with_the_account_raises_permission_error(
    gc, sheets_api
):
    private = sheets_api.create_spreadsheet("Private", shared_with=["someone@else.example"])
    with pytest.raises(PermissionError) as raised:
        gc.open_by_key(private)
    cause = raised.value.__cause__
    assert isinstance(cause, gspread.exceptions.APIError)
    assert cause.error == {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }


def test_a_disabled_sheets_api_reaches_gspread_as_a_service_disabled_403(gc, sheets_api, key):
    sheets_api.disable_api("test-project")
    number = sheets_api.project_number("test-project")
    # open_by_key hides the body behind a bare PermissionError; the cause keeps Google's details.
    with pytest.raises(PermissionError) as raised:
        gc.open_by_key(key)
    error = raised.value.__cause__.error
    assert error["message"].startswith(
        f"Google Sheets API has not been used in project {number} before"
    )
    assert error["details"][0]["reason"] == "SERVICE_DISABLED"
    assert error["details"][0]["metadata"]["service"] == "sheets.googleapis.com"


def test_get_all_values_pads_rows_and_gives_one_empty_row_for_an_empty_sheet(gc, key):
    sh = gc.open_by_key(key)
    assert sh.worksheet(ROADMAP).get_all_values() == [
        ["№", "Мероприятие", "Срок"],
        ["1.1", "", "до 25.11.2024"],
    ]
    empty = sh.add_worksheet("Пусто", rows=5, cols=5)
    assert empty.get_all_values() == [[]]


def test_update_reports_counts_of_non_null_cells_and_the_written_box(gc, key):
    ws = gc.open_by_key(key).worksheet(SCHOOLS)
    response = ws.update([["a", "b", "c"], [1, None]], "B2")
    assert response == {
        "spreadsheetId": key,
        "updatedRange": "'Школы'!B2:D3",
        "updatedRows": 2,
        "updatedColumns": 3,
        "updatedCells": 4,
    }
    assert ws.get_all_values()[1:] == [["", "a", "b", "c"], ["", "1", "", ""]]


@pytest.mark.parametrize(
    ("rows", "table_range", "expected_table", "expected_updated"),
    [
        ([], None, None, "Sheet1!A1:C1"),
        ([["x", "y", "z"]], None, "Sheet1!A1:C1", "Sheet1!A2:C2"),
        ([["x", "", "y"]], None, "Sheet1!C1", "Sheet1!C2:E2"),
        ([["x", "", "y"]], "A1", "Sheet1!A1", "Sheet1!A2:C2"),
        ([["x"], [], ["z"]], "A2", None, "Sheet1!A2:C2"),
    ],
)
def test_append_finds_the_table_as_google_does(
    sheets_api, gc, rows, table_range, expected_table, expected_updated
):
    key = sheets_api.create_spreadsheet("Append", {"Sheet1": rows})
    ws = gc.open_by_key(key).sheet1
    response = ws.append_rows([["1", "2", "3"]], table_range=table_range)
    assert response.get("tableRange") == expected_table
    assert response["updates"]["updatedRange"] == expected_updated


def test_values_batch_get_echoes_each_range_resolved_and_quoted(gc, key):
    result = gc.open_by_key(key).values_batch_get(
        [f"'{ROADMAP}'!A1:B", f"{SCHOOLS}!A1", "'Школы'!C3"]
    )
    assert result["valueRanges"] == [
        {
            "range": "'Дорожная карта'!A1:B1000",
            "majorDimension": "ROWS",
            "values": [["№", "Мероприятие"], ["1.1"]],
        },
        {"range": "'Школы'!A1", "majorDimension": "ROWS", "values": [["Школа"]]},
        {"range": "'Школы'!C3", "majorDimension": "ROWS"},
    ]


def test_add_worksheet_returns_a_worksheet_that_works(gc, key, sheets_api):
    sh = gc.open_by_key(key)
    ws = sh.add_worksheet("Сводка", rows=10, cols=4)
    ws.update([["Итого", 3]], "A1")
    assert (ws.title, ws.row_count, ws.col_count) == ("Сводка", 10, 4)
    assert sheets_api.values(key, "Сводка") == [["Итого", "3"]]
    assert sheets_api.sheet_titles(key) == [ROADMAP, SCHOOLS, "Сводка"]


def test_a_batch_update_with_a_bad_third_request_changes_nothing(gc, key, sheets_api):
    sh = gc.open_by_key(key)
    before = sheets_api.spreadsheet(key)
    requests_ = [
        {"addSheet": {"properties": {"title": "Сводка"}}},
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                         "rows": [{"values": [{"userEnteredValue": {"stringValue": "changed"}}]}],
                         "fields": "userEnteredValue"}},
        {"deleteSheet": {"sheetId": 424242}},
    ]  # fmt: skip
    with pytest.raises(gspread.exceptions.APIError) as raised:
        sh.batch_update({"requests": requests_})
    assert raised.value.code == 400
    assert (
        raised.value.error["message"] == "Invalid requests[2].deleteSheet: No sheet with id: 424242"
    )
    assert sheets_api.spreadsheet(key) == before


def test_one_token_serves_many_calls_and_a_401_makes_google_auth_fetch_another(gc, key, sheets_api):
    sh = gc.open_by_key(key)
    sh.worksheet(ROADMAP).get_all_values()
    sh.worksheet(SCHOOLS).get_all_values()
    assert sheets_api.stats()["by_route"]["POST /token"] == 1
    sheets_api.expire_tokens()
    assert sh.worksheet(SCHOOLS).get_all_values() == [["Школа"]]
    routes = sheets_api.stats()["by_route"]
    assert routes["POST /token"] == 2
    statuses = [
        (r["route"], r["status"]) for r in sheets_api.requests() if r["route"].startswith("GET /v4")
    ]
    assert ("GET /v4/spreadsheets/{id}", 401) in statuses


def test_an_injected_401_is_absorbed_by_google_auth_refreshing_its_token(gc, key, sheets_api):
    sh = gc.open_by_key(key)
    sheets_api.inject(status=401, count=1, path=V4)
    assert sh.worksheet(SCHOOLS).get_all_values() == [["Школа"]]
    assert sheets_api.stats()["by_route"]["POST /token"] == 2


def test_the_allowed_locations_lookup_gets_the_no_restriction_answer(sheets_api, gc, key):
    # google-auth may make this call (from a background thread, behind a flag in newer
    # releases); the emulator answers it as Google does for an unrestricted account.
    gc.open_by_key(key)
    url = f"{sheets_api.base_url}/v1/projects/-/serviceAccounts/a@b.iam.gserviceaccount.com"
    answer = gc.http_client.session.get(url + "/allowedLocations", timeout=5)
    assert answer.json() == {"locations": [], "encodedLocations": "0x0"}


def test_a_key_the_emulator_does_not_know_is_refused_with_invalid_grant(sheets_api, key, no_egress):
    stranger = sheets_api.service_account_info("stranger@test-project.iam.gserviceaccount.com")
    sheets_api.reset()
    with pytest.raises(
        google.auth.exceptions.RefreshError, match="invalid_grant: Invalid JWT Signature."
    ):
        client(stranger, sheets_api).open_by_key(key)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (500, "Internal error encountered."),
        (503, "The service is currently unavailable."),
        (400, None),
    ],
)
def test_injected_errors_reach_gspread_as_api_errors_with_google_bodies(
    gc, key, sheets_api, status, message
):
    ws = gc.open_by_key(key).worksheet(ROADMAP)
    sheets_api.inject(status=status, count=1, method="GET", path=r"/values/")
    with pytest.raises(gspread.exceptions.APIError) as raised:
        ws.get_all_values()
    assert raised.value.code == status
    if message:
        assert raised.value.error["message"] == message
    else:
        assert raised.value.error["message"] == "Unable to parse range: 'Дорожная карта'"
    assert ws.get_all_values()[0] == ["№", "Мероприятие", "Срок"]


def test_an_injected_429_carries_the_quota_body_and_the_retry_after_header(gc, key, sheets_api):
    sh = gc.open_by_key(key)
    sheets_api.inject(status=429, count=2, method="POST", path=r":batchUpdate$", retry_after=1)
    for _ in range(2):
        with pytest.raises(gspread.exceptions.APIError) as raised:
            sh.add_worksheet("Сводка", rows=1, cols=1)
        assert raised.value.code == 429
        assert raised.value.response.headers["Retry-After"] == "1"
        assert raised.value.error["status"] == "RESOURCE_EXHAUSTED"
    assert sh.add_worksheet("Сводка", rows=1, cols=1).title == "Сводка"


def test_broken_transports_surface_as_requests_errors(gc, key, sheets_api):
    sh = gc.open_by_key(key)
    sheets_api.inject(drop=True, method="GET", path=V4)
    with pytest.raises(requests.exceptions.ConnectionError):
        sh.fetch_sheet_metadata()
    sheets_api.inject(malformed=True, method="GET", path=V4)
    with pytest.raises(requests.exceptions.JSONDecodeError):
        sh.fetch_sheet_metadata()
    sheets_api.inject(html=True, method="GET", path=V4)
    with pytest.raises(gspread.exceptions.APIError) as raised:
        sh.fetch_sheet_metadata()
    assert raised.value.code == -1  # gspread's "not JSON" code
    assert raised.value.response.status_code == 502


def test_a_slow_answer_trips_the_client_timeout(gc, key, sheets_api):
    sh = gc.open_by_key(key)
    gc.set_timeout(0.1)
    sheets_api.inject(delay=0.3, method="GET", path=V4)
    with pytest.raises(requests.exceptions.ReadTimeout):
        sh.fetch_sheet_metadata()


def test_the_products_one_request_read_returns_formatted_values_of_the_named_tabs(gc, key):
    sh = gc.open_by_key(key)
    params = {
        "includeGridData": "true",
        "ranges": [f"'{ROADMAP}'", f"'{SCHOOLS}'"],
        "fields": READ_FIELDS,
    }
    grid = {"rowCount": 1000, "columnCount": 26}
    assert sh.fetch_sheet_metadata(params=params) == {
        "properties": {"title": "Дорожная карта 2020"},
        "sheets": [
            {
                "properties": {"sheetId": 0, "title": ROADMAP, "index": 0, "gridProperties": grid},
                "data": [
                    {
                        "rowData": [
                            {"values": [{"formattedValue": "№"}, {"formattedValue": "Мероприятие"},
                                        {"formattedValue": "Срок"}]},
                            {"values": [{"formattedValue": "1.1"}, {}, {"formattedValue": "до 25.11.2024"}]},
                        ]
                    }
                ],
            },
            {
                "properties": {"sheetId": sh.worksheet(SCHOOLS).id, "title": SCHOOLS, "index": 1, "gridProperties": grid},
                "data": [{"rowData": [{"values": [{"formattedValue": "Школа"}]}]}],
            },
        ],
    }  # fmt: skip


def test_reading_a_tab_that_does_not_exist_is_a_400_naming_the_range(gc, key):
    sh = gc.open_by_key(key)
    params = {
        "includeGridData": "true",
        "ranges": [f"'{ROADMAP}'", "'Нет такой'"],
        "fields": READ_FIELDS,
    }
    with pytest.raises(gspread.exceptions.APIError) as raised:
        sh.fetch_sheet_metadata(params=params)
    assert raised.value.error == {
        "code": 400,
        "message": "Unable to parse range: 'Нет такой'",
        "status": "INVALID_ARGUMENT",
    }


def test_a_full_gspread_session_stays_on_loopback(gc, key, no_egress):
    sh = gc.open_by_key(key)
    sh.worksheet(ROADMAP).get_all_values()
    sh.add_worksheet("Сводка", rows=2, cols=2).update([["ok"]], "A1")
    assert no_egress == []
