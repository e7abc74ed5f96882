"""Scenarios the cassettes cannot show (spec §7.3): atomicity, quotas, size limits, grid errors,
access control. Each asserts Google's message text, so the product's error handling is
exercised on realistic bodies."""

from __future__ import annotations

import pytest
import requests

from sheets_sync.workbook.google_session import authorized_session

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


@pytest.fixture
def api(sheets_api, service_account_info, no_egress):
    """An authorized session as the product builds it; URLs are Google's, routed to loopback."""
    return authorized_session(service_account_info, sheets_api.base_url)


@pytest.fixture
def key(sheets_api, service_account_info):
    rows = [["Школа", "Срок"], ["№1", "до 25.11.2024"]]
    return sheets_api.create_spreadsheet(
        "Roadmap", {"Sheet1": rows}, shared_with=[service_account_info["client_email"]]
    )


def error_of(response: requests.Response) -> dict:
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    return response.json()["error"]


def test_values_batch_update_with_a_bad_third_range_writes_nothing(api, key, sheets_api):
    body = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "Sheet1!A5", "values": [["new"]]},
            {"range": "Sheet1!B5", "values": [["new"]]},
            {"range": "'Нет такой'!A1", "values": [["new"]]},
        ],
    }
    response = api.post(f"{SHEETS}/{key}/values:batchUpdate", json=body)
    assert response.status_code == 400
    assert error_of(response)["message"] == "Invalid data[2]: Unable to parse range: 'Нет такой'!A1"
    assert sheets_api.values(key, "Sheet1") == [["Школа", "Срок"], ["№1", "до 25.11.2024"]]


def test_a_batch_update_error_names_the_request_and_nothing_is_applied(api, key, sheets_api):
    requests_ = [
        {"addSheet": {"properties": {"title": "Сводка"}}},
        {"addSheet": {"properties": {"title": "сводка"}}},
    ]
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": requests_})
    assert error_of(response) == {
        "code": 400,
        "message": 'Invalid requests[1].addSheet: A sheet with the name "сводка" already exists. '
        "Please enter another name.",
        "status": "INVALID_ARGUMENT",
    }
    assert sheets_api.sheet_titles(key) == ["Sheet1"]


def test_reads_are_limited_per_user_per_minute_and_refill_in_the_next_minute(api, key, sheets_api):
    sheets_api.set_quota(read_per_user=3)
    for _ in range(3):
        assert api.get(f"{SHEETS}/{key}").status_code == 200
    response = api.get(f"{SHEETS}/{key}/values/Sheet1")
    assert response.status_code == 429
    error = error_of(response)
    number = sheets_api.project_number("test-project")
    assert error["status"] == "RESOURCE_EXHAUSTED"
    assert error["message"] == (
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' "
        f"of service 'sheets.googleapis.com' for consumer 'project_number:{number}'."
    )
    assert error["details"][0]["metadata"]["quota_limit_value"] == "3"
    # Writes have their own bucket.
    assert api.post(f"{SHEETS}/{key}/values/Sheet1!A9:clear").status_code == 200
    sheets_api.advance_clock(60)
    assert api.get(f"{SHEETS}/{key}").status_code == 200


def test_the_project_quota_is_shared_by_every_account_of_the_project(sheets_api, key, no_egress):
    sheets_api.set_quota(read_per_project=2)
    first = authorized_session(
        sheets_api.service_account_info("a@test-project.iam.gserviceaccount.com"),
        sheets_api.base_url,
    )
    second = authorized_session(
        sheets_api.service_account_info("b@test-project.iam.gserviceaccount.com"),
        sheets_api.base_url,
    )
    sheets_api.share(key, "a@test-project.iam.gserviceaccount.com")
    assert (
        first.get(f"{SHEETS}/{key}").status_code == first.get(f"{SHEETS}/{key}").status_code == 200
    )
    response = second.get(f"{SHEETS}/{key}")
    assert response.status_code == 429
    assert (
        error_of(response)["details"][0]["metadata"]["quota_limit"]
        == "ReadRequestsPerMinutePerProject"
    )


def test_a_batch_update_of_many_requests_counts_as_one_write(api, key, sheets_api):
    sheets_api.set_quota(write_per_user=1)
    many = [{"addSheet": {"properties": {"title": f"Tab {n}"}}} for n in range(5)]
    assert api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": many}).status_code == 200
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": [{"addSheet": {}}]})
    assert response.status_code == 429
    assert "'Write requests'" in error_of(response)["message"]


def test_the_workbook_cannot_grow_beyond_ten_million_cells(api, key, sheets_api):
    huge = {
        "addSheet": {
            "properties": {
                "title": "Huge",
                "gridProperties": {"rowCount": 400_000, "columnCount": 25},
            }
        }
    }
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": [huge]})
    assert error_of(response)["message"] == (
        "Invalid requests[0].addSheet: This action would increase the number of cells in the "
        "workbook above the limit of 10000000 cells."
    )
    grow = {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 400_000}}
    assert api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": [grow]}).status_code == 400
    assert sheets_api.sheet_titles(key) == ["Sheet1"]


def test_a_cell_holds_at_most_fifty_thousand_characters(api, key, sheets_api):
    url = f"{SHEETS}/{key}/values/Sheet1!A3?valueInputOption=RAW"
    assert api.put(url, json={"values": [["x" * 50_000]]}).status_code == 200
    response = api.put(url, json={"values": [["x" * 50_001]]})
    assert error_of(response)["message"] == (
        "Your input contains more than the maximum of 50000 characters in a single cell."
    )
    too_long = {"stringValue": "y" * 50_001}
    update = {"updateCells": {"start": {"sheetId": 0}, "rows": [{"values": [{"userEnteredValue": too_long}]}],
                              "fields": "userEnteredValue"}}  # fmt: skip
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": [update]})
    assert error_of(response)["message"].startswith(
        "Invalid requests[0].updateCells: Your input contains more than"
    )


def test_writing_below_the_grid_is_refused_with_googles_grid_limit_text(api, key):
    response = api.put(
        f"{SHEETS}/{key}/values/Sheet1!A1000?valueInputOption=RAW", json={"values": [["a"], ["b"]]}
    )
    assert error_of(response)["message"] == (
        "Range (Sheet1!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    )
    response = api.get(f"{SHEETS}/{key}/values/Sheet1!A1:AA2")
    assert (
        error_of(response)["message"]
        == "Range (Sheet1!AA1) exceeds grid limits. Max rows: 1000, max columns: 26"
    )


def test_values_wider_or_taller_than_an_explicit_range_are_refused(api, key):
    url = f"{SHEETS}/{key}/values/Sheet1!A1:B1?valueInputOption=RAW"
    wide = api.put(url, json={"values": [["a", "b", "c"]]})
    assert error_of(wide)["message"] == (
        "Requested writing within range [Sheet1!A1:B1], but tried writing to column [C]"
    )
    tall = api.put(url, json={"values": [["a"], ["b"]]})
    assert (
        error_of(tall)["message"]
        == "Requested writing within range [Sheet1!A1:B1], but tried writing to row [2]"
    )


def test_update_cells_cannot_write_past_its_own_range(api, key):
    cells = [{"userEnteredValue": {"stringValue": s}} for s in "abc"]
    update = {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2},
              "rows": [{"values": cells}], "fields": "userEnteredValue"}  # fmt: skip
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": [{"updateCells": update}]})
    assert error_of(response)["message"] == (
        "Invalid requests[0].updateCells: Attempting to write column: 2, beyond the last requested column of: 1"
    )


def test_removing_or_hiding_every_sheet_is_refused(api, key):
    delete = api.post(
        f"{SHEETS}/{key}:batchUpdate", json={"requests": [{"deleteSheet": {"sheetId": 0}}]}
    )
    assert (
        error_of(delete)["message"]
        == "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document."
    )
    hide = {
        "updateSheetProperties": {"properties": {"sheetId": 0, "hidden": True}, "fields": "hidden"}
    }
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": [hide]})
    assert error_of(response)["message"] == (
        "Invalid requests[0].updateSheetProperties: You can't hide all the sheets in a document."
    )


def test_freezing_every_row_or_clearing_the_row_count_is_refused(api, key):
    grid = {"rowCount": 1, "columnCount": 2, "frozenRowCount": 1}
    update = {
        "properties": {"sheetId": 0, "gridProperties": grid},
        "fields": "gridProperties(rowCount,columnCount,frozenRowCount)",
    }
    response = api.post(
        f"{SHEETS}/{key}:batchUpdate", json={"requests": [{"updateSheetProperties": update}]}
    )
    assert error_of(response)["message"] == (
        "Invalid requests[0].updateSheetProperties: You can't freeze all visible rows on the sheet."
    )
    # A bare "gridProperties" mask replaces the whole object, so the counts it omits become 0.
    only_frozen = {
        "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
        "fields": "gridProperties",
    }
    response = api.post(
        f"{SHEETS}/{key}:batchUpdate", json={"requests": [{"updateSheetProperties": only_frozen}]}
    )
    assert error_of(response)["message"] == (
        "Invalid requests[0].updateSheetProperties: You can't delete all the rows on the sheet."
    )


def test_access_follows_sharing(api, key, sheets_api, service_account_info):
    email = service_account_info["client_email"]
    sheets_api.unshare(key, email)
    assert error_of(api.get(f"{SHEETS}/{key}")) == {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }
    sheets_api.share(key, email)
    assert api.get(f"{SHEETS}/{key}").status_code == 200
    assert error_of(api.get(f"{SHEETS}/1Unknown")) == {
        "code": 404,
        "message": "Requested entity was not found.",
        "status": "NOT_FOUND",
    }


def test_a_disabled_api_answers_every_sheets_call_with_service_disabled(api, key, sheets_api):
    sheets_api.disable_api("test-project")
    number = sheets_api.project_number("test-project")
    error = error_of(api.post(f"{SHEETS}/{key}/values/Sheet1:clear"))
    url = f"https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project={number}"
    assert error["code"] == 403 and error["status"] == "PERMISSION_DENIED"
    assert error["message"] == (
        f"Google Sheets API has not been used in project {number} before or it is disabled. Enable it "
        f"by visiting {url} then retry. If you enabled this API recently, wait a few minutes for the "
        "action to propagate to our systems and retry."
    )
    info = error["details"][0]
    assert (info["reason"], info["domain"], info["metadata"]["consumer"]) == (
        "SERVICE_DISABLED",
        "googleapis.com",
        f"projects/{number}",
    )
    sheets_api.enable_api("test-project")
    assert api.get(f"{SHEETS}/{key}").status_code == 200


def test_a_call_without_a_valid_token_gets_googles_401(sheets_api, key):
    response = requests.get(
        f"{sheets_api.base_url}/v4/spreadsheets/{key}", headers={"Authorization": "Bearer forged"}
    )
    assert response.status_code == 401
    assert error_of(response)["message"].startswith(
        "Request had invalid authentication credentials."
    )


def test_malformed_requests_get_a_400_rather_than_crashing_the_emulator(api, key):
    url = f"{SHEETS}/{key}:batchUpdate"
    typo = api.post(url, json={"requests": [{"addShet": {}}]})
    assert error_of(typo)["message"] == (
        "Invalid JSON payload received. Unknown name \"addShet\" at 'requests[0]': Cannot find field."
    )
    wrong_type = {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": "many"}}
    assert api.post(url, json={"requests": [wrong_type]}).status_code == 400
    not_an_object = api.post(url, data=b"[]", headers={"Content-Type": "application/json"})
    assert error_of(not_an_object)["message"] == (
        "Invalid JSON payload received. Root element must be a message."
    )
    values = api.put(f"{SHEETS}/{key}/values/Sheet1!A1?valueInputOption=RAW", json={"values": "X"})
    assert error_of(values)["message"] == (
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\""
    )


def test_injected_faults_are_finite(api, key, sheets_api):
    # Scoped to /v4/: an unscoped fault would hit POST /token first, which google-auth retries
    # after real ~1 s sleeps.
    sheets_api.inject(status=503, count=2, path=r"^/v4/")
    assert [api.get(f"{SHEETS}/{key}").status_code for _ in range(3)] == [503, 503, 200]
    with pytest.raises(ValueError, match="count >= 1"):
        sheets_api.inject(status=500, count=0)
