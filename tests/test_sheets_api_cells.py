"""Cell semantics of the emulator for what the product writes: updateCells and its masks,
formats, formatted values, dimensions and sheet properties."""

from __future__ import annotations

import pytest

from sheets_sync.workbook.google_session import authorized_session

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


@pytest.fixture
def api(sheets_api, service_account_info, no_egress):
    return authorized_session(service_account_info, sheets_api.base_url)


def spreadsheet(sheets_api, rows=(), locale="en_US"):
    return sheets_api.create_spreadsheet(
        "Cells", {"Sheet1": [list(r) for r in rows]}, locale=locale
    )


def batch(api, key, *requests_):
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json={"requests": list(requests_)})
    assert response.status_code == 200, response.text
    return response.json()


def cells(*values):
    return {"values": [{"userEnteredValue": v} for v in values]}


def test_a_string_starting_with_equals_stays_text_and_only_formula_values_compute(api, sheets_api):
    key = spreadsheet(sheets_api)
    row = cells(
        {"stringValue": "=1+1"},
        {"formulaValue": "=1+1"},
        {"formulaValue": "=(2+4)/3*A3"},
        {"formulaValue": "=1/0"},
    )
    third = cells({"numberValue": 5})
    batch(
        api,
        key,
        {
            "updateCells": {
                "start": {"sheetId": 0},
                "rows": [row, {}, third],
                "fields": "userEnteredValue",
            }
        },
    )
    assert sheets_api.values(key, "Sheet1") == [["=1+1", "2", "10", "#DIV/0!"], [], ["5"]]
    assert sheets_api.cell(key, "Sheet1", "A1")["userEnteredValue"] == {"stringValue": "=1+1"}


@pytest.mark.parametrize(
    ("value", "number_format", "locale", "shown"),
    [
        ({"numberValue": 2}, None, "en_US", "2"),
        ({"numberValue": 0.4}, None, "en_US", "0.4"),
        ({"numberValue": 0.4}, None, "ru_RU", "0,4"),
        ({"numberValue": 1 / 3}, None, "en_US", "0.3333333333"),
        ({"numberValue": 45621}, {"type": "DATE", "pattern": "dd.mm.yyyy"}, "ru_RU", "25.11.2024"),
        ({"numberValue": 45621}, {"type": "DATE", "pattern": "yyyy-mm-dd"}, "en_US", "2024-11-25"),
        ({"numberValue": 1234.5}, {"type": "NUMBER", "pattern": "#,##0.00"}, "en_US", "1,234.50"),
        ({"numberValue": 0.256}, {"type": "PERCENT", "pattern": "0.0%"}, "en_US", "25.6%"),
        ({"boolValue": True}, None, "en_US", "TRUE"),
        ({"boolValue": False}, None, "en_US", "FALSE"),
    ],
)
def test_formatted_values_follow_the_number_format_and_the_spreadsheet_locale(
    api, sheets_api, value, number_format, locale, shown
):
    key = spreadsheet(sheets_api, locale=locale)
    cell = {"userEnteredValue": value}
    if number_format:
        cell["userEnteredFormat"] = {"numberFormat": number_format}
    batch(
        api,
        key,
        {"updateCells": {"start": {"sheetId": 0}, "rows": [{"values": [cell]}], "fields": "*"}},
    )
    assert sheets_api.cell(key, "Sheet1", "A1")["formattedValue"] == shown


def test_typed_dates_and_numbers_are_parsed_in_the_spreadsheet_locale(api, sheets_api):
    key = spreadsheet(sheets_api, locale="ru_RU")
    url = f"{SHEETS}/{key}/values/Sheet1!A1?valueInputOption=USER_ENTERED"
    api.put(url, json={"values": [["25.11.2024", "0,5", "'007", "1 000"]]})
    assert sheets_api.values(key, "Sheet1") == [["25.11.2024", "0,5", "007", "1\u00a0000"]]
    unformatted = api.get(
        f"{SHEETS}/{key}/values/Sheet1!A1:D1?valueRenderOption=UNFORMATTED_VALUE"
    ).json()
    assert unformatted["values"] == [[45621, 0.5, "007", 1000]]


def test_values_update_can_echo_what_it_wrote(api, sheets_api):
    key = spreadsheet(sheets_api)
    params = "valueInputOption=USER_ENTERED&includeValuesInResponse=true&responseValueRenderOption=UNFORMATTED_VALUE"
    response = api.put(
        f"{SHEETS}/{key}/values/Sheet1!B2?{params}", json={"values": [["=2*3", "x"]]}
    ).json()
    assert response["updatedData"] == {
        "range": "Sheet1!B2:C2",
        "majorDimension": "ROWS",
        "values": [[6, "x"]],
    }


def test_update_cells_over_a_range_clears_what_its_rows_do_not_reach(api, sheets_api):
    key = spreadsheet(sheets_api, [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]])
    bold = {"userEnteredFormat": {"textFormat": {"bold": True}}}
    batch(
        api,
        key,
        {
            "repeatCell": {
                "range": {"sheetId": 0, "endRowIndex": 1},
                "cell": bold,
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
    )
    # An open-ended range (no end indices) covers the rest of the tab.
    update = {
        "range": {"sheetId": 0, "startRowIndex": 0},
        "rows": [cells({"stringValue": "new"})],
        "fields": "userEnteredValue",
    }
    batch(api, key, {"updateCells": update})
    assert sheets_api.values(key, "Sheet1") == [["new"]]
    # Only the masked fields were cleared: the bold format of row 1 stays.
    assert sheets_api.cell(key, "Sheet1", "C1") == {
        "userEnteredFormat": {"textFormat": {"bold": True}}
    }


def test_a_star_mask_rewrites_values_formats_and_notes_together(api, sheets_api):
    key = spreadsheet(sheets_api, [["old", "old"]])
    batch(api, key, {"updateCells": {"range": {"sheetId": 0, "endRowIndex": 1, "endColumnIndex": 1},
                                     "rows": [{"values": [{"note": "why"}]}], "fields": "note"}})  # fmt: skip
    fresh = {
        "userEnteredValue": {"stringValue": "Итого"},
        "userEnteredFormat": {"horizontalAlignment": "CENTER"},
    }
    batch(
        api,
        key,
        {"updateCells": {"range": {"sheetId": 0}, "rows": [{"values": [fresh]}], "fields": "*"}},
    )
    assert sheets_api.values(key, "Sheet1") == [["Итого"]]
    cell = sheets_api.cell(key, "Sheet1", "A1")
    assert cell["userEnteredFormat"] == {"horizontalAlignment": "CENTER"}
    assert "note" not in cell


def test_formats_are_stored_as_google_reports_them(api, sheets_api):
    key = spreadsheet(sheets_api, [["Просрочено"]])
    fmt = {
        "backgroundColor": {"red": 1, "green": 0.5, "blue": 0},
        "textFormat": {
            "bold": True,
            "italic": False,
            "fontSize": 11,
            "foregroundColor": {"red": 0.8},
        },
        "horizontalAlignment": "LEFT",
        "verticalAlignment": "TOP",
        "wrapStrategy": "WRAP",
        "numberFormat": {"type": "TEXT"},
    }
    batch(api, key, {"repeatCell": {"range": {"sheetId": 0, "endRowIndex": 1, "endColumnIndex": 1},
                                    "cell": {"userEnteredFormat": fmt}, "fields": "userEnteredFormat"}})  # fmt: skip
    assert sheets_api.cell(key, "Sheet1", "A1")["userEnteredFormat"] == {
        "numberFormat": {"type": "TEXT"},
        "backgroundColor": {"red": 1, "green": 0.49803922},
        "horizontalAlignment": "LEFT",
        "verticalAlignment": "TOP",
        "wrapStrategy": "WRAP",
        "textFormat": {
            "foregroundColor": {"red": 0.8},
            "fontSize": 11,
            "bold": True,
            "italic": False,
            "foregroundColorStyle": {"rgbColor": {"red": 0.8}},
        },
        "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 0.49803922}},
    }


def test_sheet_properties_take_title_index_frozen_rows_size_and_tab_color(api, sheets_api):
    key = spreadsheet(sheets_api, [["a"], ["b"], ["c"]])
    reply = batch(api, key, {"addSheet": {"properties": {"title": "Сводка", "index": 0}}})
    new_id = reply["replies"][0]["addSheet"]["properties"]["sheetId"]
    props = {"sheetId": 0, "title": "Данные", "gridProperties": {"rowCount": 2, "columnCount": 3, "frozenRowCount": 1},
             "tabColorStyle": {"rgbColor": {"red": 1}}}  # fmt: skip
    fields = "title,gridProperties(rowCount,columnCount,frozenRowCount),tabColorStyle"
    batch(api, key, {"updateSheetProperties": {"properties": props, "fields": fields}})
    assert sheets_api.sheet_titles(key) == ["Сводка", "Данные"]
    assert sheets_api.sheet_properties(key, "Данные") == {
        "sheetId": 0,
        "title": "Данные",
        "index": 1,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 2, "columnCount": 3, "frozenRowCount": 1},
        "tabColor": {"red": 1},
        "tabColorStyle": {"rgbColor": {"red": 1}},
    }
    # Shrinking dropped the third row; growing back does not bring it back.
    assert sheets_api.values(key, "Данные") == [["a"], ["b"]]
    grow = {
        "properties": {"sheetId": 0, "gridProperties": {"rowCount": 5}},
        "fields": "gridProperties.rowCount",
    }
    batch(api, key, {"updateSheetProperties": grow}, {"deleteSheet": {"sheetId": new_id}})
    assert sheets_api.values(key, "Данные") == [["a"], ["b"]]


def test_dimensions_insert_delete_append_and_resize(api, sheets_api):
    key = spreadsheet(sheets_api, [["1"], ["2"], ["3"]])
    rows = {"sheetId": 0, "dimension": "ROWS"}
    batch(
        api,
        key,
        {"insertDimension": {"range": {**rows, "startIndex": 1, "endIndex": 2}}},
        {"deleteDimension": {"range": {**rows, "startIndex": 3, "endIndex": 4}}},
        {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 4}},
        {"updateDimensionProperties": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 2},
                                       "properties": {"pixelSize": 250}, "fields": "pixelSize"}},
    )  # fmt: skip
    assert sheets_api.values(key, "Sheet1") == [["1"], [], ["2"]]
    assert sheets_api.sheet_properties(key, "Sheet1")["gridProperties"] == {
        "rowCount": 1000,
        "columnCount": 30,
    }
    widths = api.get(f"{SHEETS}/{key}?fields=sheets.data.columnMetadata.pixelSize").json()
    assert [c["pixelSize"] for c in widths["sheets"][0]["data"][0]["columnMetadata"][:3]] == [
        250,
        250,
        100,
    ]


def test_append_cells_writes_after_the_last_row_with_data_and_grows_the_grid(api, sheets_api):
    key = sheets_api.create_spreadsheet("Log", {"Журнал": [["when", "who"], ["1", "a"]]})
    sheet_id = 0
    batch(api, key, {"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": {"rowCount": 2}},
                                               "fields": "gridProperties.rowCount"}})  # fmt: skip
    batch(api, key, {"appendCells": {"sheetId": sheet_id, "rows": [cells({"stringValue": "2"}, {"stringValue": "b"})],
                                     "fields": "userEnteredValue"}})  # fmt: skip
    assert sheets_api.values(key, "Журнал") == [["when", "who"], ["1", "a"], ["2", "b"]]
    assert sheets_api.sheet_properties(key, "Журнал")["gridProperties"]["rowCount"] == 3


def test_merges_and_a_basic_filter_show_up_in_the_metadata(api, sheets_api):
    key = spreadsheet(sheets_api, [["Итого", "x"], ["a", "b"]])
    merge = {
        "sheetId": 0,
        "startRowIndex": 0,
        "endRowIndex": 1,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    batch(api, key, {"mergeCells": {"range": merge, "mergeType": "MERGE_ALL"}},
          {"setBasicFilter": {"filter": {"range": {"sheetId": 0, "startRowIndex": 1}}}})  # fmt: skip
    sheet = api.get(f"{SHEETS}/{key}?fields=sheets(merges,basicFilter)").json()["sheets"][0]
    assert sheet == {
        "merges": [
            {"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2}
        ],
        "basicFilter": {
            "range": {
                "startRowIndex": 1,
                "endRowIndex": 1000,
                "startColumnIndex": 0,
                "endColumnIndex": 26,
            }
        },
    }
    assert sheets_api.values(key, "Sheet1") == [["Итого"], ["a", "b"]]


def test_formatted_blank_cells_read_back_as_empty_objects_in_the_products_read(api, sheets_api):
    key = spreadsheet(sheets_api, [["a"]])
    yellow = {"userEnteredFormat": {"backgroundColor": {"red": 1, "green": 1}}}
    batch(api, key, {"repeatCell": {"range": {"sheetId": 0, "endRowIndex": 2, "endColumnIndex": 2}, "cell": yellow,
                                    "fields": "userEnteredFormat.backgroundColor"}})  # fmt: skip
    fields = "sheets(data.rowData.values.formattedValue)"
    data = api.get(f"{SHEETS}/{key}?includeGridData=true&ranges=Sheet1&fields={fields}").json()
    assert data["sheets"][0]["data"][0]["rowData"] == [
        {"values": [{"formattedValue": "a"}, {}]},
        {"values": [{}, {}]},
    ]
