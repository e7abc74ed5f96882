"""Every request the product sends to Google fits Google's published schema, and every kind of
request it uses is listed below with what backs the emulator's answer to it.

The emulator refuses a request that does not fit (tests/sheets_api/schema.py), so a misspelt
field fails here, not in front of a real spreadsheet. The table keeps the other half honest: a
request kind the product starts using must be added, with the recording or the schema and
reference that the emulator's behaviour for it follows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest

from sheets_sync import cli
from sheets_sync.inputs.cells import CellMark, SourceRef
from sheets_sync.report.tabs import Tab, row
from sheets_sync.workbook.google import GoogleWorkbook
from sheets_sync.workbook.google_session import authorized_session
from sheets_sync.workbook.hub_google import HubGoogleWorkbook
from sheets_sync.workbook.layout import input_headers
from tests.sample_workbook import TODAY, Sleeps, cycle, staff
from tests.sheets_api import discovery, replay, schema

BATCH = "sheets.spreadsheets.batchUpdate"


@dataclass(frozen=True)
class Backing:
    """What the emulator's answer to a request kind follows."""

    cassette: str | None  # a recording of real Google that the replay reproduces identically
    schema: str  # the discovery method or message that defines the request
    note: str = ""


CALLS: dict[str, Backing] = {
    "POST /token": Backing(
        None, "OAuth 2.0 JWT-bearer grant (no discovery document)",
        "google-auth's own call; the emulator follows google-auth's source (spec §2.4)",
    ),
    "GET allowedLocations": Backing(
        None, "IAM credentials allowedLocations (no bundled document)",
        "google-auth >= 2.55 looks it up in the background; answered with its no-op (spec §2.5)",
    ),
    "sheets.spreadsheets.get": Backing(
        "WorksheetTest.test_get_notes.json", "sheets.v4 spreadsheets.get",
        "fields= with repeated ranges=, as the read sends them",
    ),
    BATCH: Backing("SpreadsheetTest.test_add_del_worksheet.json", "sheets.v4 spreadsheets.batchUpdate"),
    "batchUpdate.addSheet": Backing("SpreadsheetTest.test_add_del_worksheet.json", "AddSheetRequest"),
    "batchUpdate.updateSheetProperties": Backing("WorksheetTest.test_freeze.json", "UpdateSheetPropertiesRequest"),
    "batchUpdate.updateCells": Backing("WorksheetTest.test_worksheet_notes.json", "UpdateCellsRequest"),
    "batchUpdate.updateDimensionProperties": Backing(
        "WorksheetTest.test_hide_columns_rows.json", "UpdateDimensionPropertiesRequest"
    ),
    "batchUpdate.appendCells": Backing(
        None, "AppendCellsRequest",
        "not recorded: the reference's 'after the last row with data in a sheet, inserting new "
        "rows if necessary', never columns (OpenRefine#2760); tests/test_google_limits.py",
    ),
    "batchUpdate.deleteDuplicates": Backing(
        None, "DeleteDuplicatesRequest",
        "not recorded: the reference's 'the first instance of each duplicate row scanning from "
        "the top downwards is kept', letter case and formatting ignored; after each journal "
        "append, so a retried write leaves each row once (tests/test_journal_google.py)",
    ),
    "batchUpdate.deleteDimension": Backing(
        None, "DeleteDimensionRequest",
        "not recorded: rows [startIndex, endIndex) removed, the rows below move up; last "
        "year's journal rows leaving the tab (tests/test_journal_google.py)",
    ),
    "batchUpdate.appendDimension": Backing(
        None, "AppendDimensionRequest",
        "not recorded: rows or columns added at the end, within Google's cell and column limits",
    ),
    "drive.files.list": Backing(
        "ClientTest.test_list_spreadsheet_files.json", "drive.v3 files.list",
        "the hub's listing of when every spreadsheet changed (workbook/drive.py); recorded, but "
        "the replay does not compare listings: paging (pageSize, pageToken, nextPageToken), "
        "the q terms and modifiedByMeTime follow the drive.v3 reference",
    ),
}  # fmt: skip

# Calls that are planned but not built: none now (the hub's Drive listing is in CALLS).
PLANNED: dict[str, Backing] = {}
OPTIONAL = {"GET allowedLocations"}  # google-auth's background thread may not have run yet


def kinds_of(entry: dict[str, Any]) -> list[str]:
    if entry["route"] == "POST /token":
        return ["POST /token"]
    if entry["route"].endswith("/allowedLocations"):
        return ["GET allowedLocations"]
    found = [str(entry["api_method"])]
    if entry["api_method"] == BATCH:
        found += [f"batchUpdate.{next(iter(r))}" for r in entry["body"]["requests"]]
    return found


def narrow(google: Any, key: str, tab: str, columns: int) -> None:
    """Give a staff tab fewer columns, so that `sync` has to add some (appendDimension)."""
    session = authorized_session(google.key_info, google.emulator.base_url)
    sheet_id = google.emulator.sheet_properties(key, tab)["sheetId"]
    resize = {"properties": {"sheetId": sheet_id, "gridProperties": {"columnCount": columns}},
              "fields": "gridProperties.columnCount"}  # fmt: skip
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{key}:batchUpdate"
    assert session.post(url, json={"requests": [{"updateSheetProperties": resize}]}).ok


def product_requests(google: Any) -> list[dict[str, Any]]:
    """Drive every path of the product that talks to Google; return what reached the emulator."""
    emulator = google.emulator
    # `init` on an empty spreadsheet.
    empty = google.spreadsheet({"Лист1": []})
    settings = google.settings(empty)
    GoogleWorkbook(settings).init(input_headers(settings.tabs, settings.columns))
    # The first cycle (generated tabs created, journal rows appended), then a later one.
    submissions = [["Код", "Школа", "1 до 01.03.2020"], ["01", "Школа № 1", "сдано"]]
    key = google.spreadsheet(staff(submissions=submissions))
    settings = google.settings(key)
    assert cycle(settings).sent
    cycle(settings, today=date(2020, 9, 15))
    # Writes with and without journal rows, straight through the backend.
    workbook = GoogleWorkbook(settings, sleep=Sleeps())
    workbook.write(workbook.read(), [Tab("Пусто", (row("№", style="header"),), frozen_rows=1)], [])
    workbook.write(workbook.read(), [], [row("08.09.2020", "Школа № 1", "school1@example.org")])
    workbook.write(workbook.read(journal_from=2, journal_width=8), [], [], drop_journal_rows=1)
    # A date a reply brought, into an empty cell of «Сдача отчётов»; a tab with a hidden column.
    mark = CellMark(SourceRef("Сдача отчётов", 2, 3), date(2020, 9, 7))
    hidden = Tab("Скрыто", (row("a", "b"),), hidden=(2,))
    workbook.write(workbook.read(), [hidden], [], marks=[mark])
    # `python run.py sync`: report columns past the tab's grid, and a new school row.
    narrow(google, key, "Сдача отчётов", 3)
    config = str(settings.source)
    assert cli.main(["sync", "--config", config, "--today", TODAY.isoformat()]) == 0
    # The hub: its Drive listing, and its summary's staff tab read and its tabs written.
    hub = HubGoogleWorkbook(settings, sleep=Sleeps())
    assert key in hub.list_spreadsheets().files
    read = hub.read_tab("Источники", ["Сводка по источникам"])
    sources = Tab("Источники", (row("Таблица (URL или путь)", "Название", style="header"),))
    hub.write_tabs(read, [Tab("Сводка по источникам", (row("Источник", style="header"),))], sources)
    return emulator.requests()


def test_every_request_the_product_sends_fits_googles_schema_and_is_listed(google):
    requests = product_requests(google)
    used: set[str] = set()
    for entry in requests:
        assert entry["violations"] == [], entry
        again = schema.check(
            entry["method"], entry["raw_path"], entry["params"], entry["body"], strict=True
        )
        assert again == [], entry
        kinds = kinds_of(entry)
        unlisted = [k for k in kinds if k not in CALLS]
        assert not unlisted, f"add {unlisted} to CALLS with what backs the emulator's answer"
        used.update(kinds)
    assert set(CALLS) - OPTIONAL <= used, f"listed but never sent: {set(CALLS) - OPTIONAL - used}"


def recorded_kinds(cassette: str) -> set[str]:
    found: set[str] = set()
    for raw in json.loads((replay.CASSETTES / cassette).read_text())["interactions"]:
        request = raw["request"]
        method = discovery.find(request["method"], urlsplit(request["uri"]).path)
        if method is None or raw["response"]["status"]["code"] >= 400:
            continue
        found.add(method[1].id)
        if method[1].id == BATCH:
            body = json.loads(request["body"])
            found.update(f"batchUpdate.{next(iter(r))}" for r in body["requests"])
    return found


@pytest.mark.skipif(not replay.CASSETTES.is_dir(), reason="gspread cassettes not found")
@pytest.mark.parametrize("kind", sorted(k for k, b in {**CALLS, **PLANNED}.items() if b.cassette))
def test_every_listed_recording_holds_a_successful_call_of_its_kind(kind):
    backing = {**CALLS, **PLANNED}[kind]
    assert kind in recorded_kinds(str(backing.cassette))


@pytest.mark.parametrize(
    "kind", sorted(k for k in {**CALLS, **PLANNED} if "/" not in k and " " not in k)
)
def test_every_listed_kind_is_one_googles_schema_defines(kind):
    backing = {**CALLS, **PLANNED}[kind]
    if kind.startswith("batchUpdate."):
        request = schema.sheets().schemas["Request"]["properties"][kind.split(".", 1)[1]]
        assert request["$ref"] == backing.schema
    else:
        api_name, method = kind.split(".", 1)
        api = schema.sheets() if api_name == "sheets" else schema.drive()
        assert api.method(kind).id == kind
        assert backing.schema == f"{api_name}.{api.document['version']} {method}"


def test_the_hubs_drive_listing_fits_the_schema_strictly_and_pages(google):
    """The hub's listing, page by page: each request fits drive.v3 strictly, and the pages
    follow nextPageToken to the end."""
    keys = {google.spreadsheet(staff()) for _ in range(3)}
    google.emulator.set_drive_page_limit(2)
    listing = HubGoogleWorkbook(google.settings(min(keys)), sleep=Sleeps()).list_spreadsheets()

    assert keys <= set(listing.files) and listing.pages == 2 and listing.complete
    pages = [e for e in google.emulator.requests() if e["route"] == "GET /drive/v3/files"]
    for entry in pages:
        assert schema.check("GET", entry["raw_path"], entry["params"], None, strict=True) == []
    assert [e["params"].get("pageToken") for e in pages] == [None, ["2"]]
