"""The emulator's own surface: the Python API, the /_emulator/ HTTP control routes,
spreadsheets.create and the standalone ``python -m tests.sheets_api`` mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import requests

from sheets_sync.workbook.google_session import authorized_session
from tests.sheets_api import Emulator

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
ROOT = Path(__file__).resolve().parent.parent


def test_the_python_api_seeds_and_reads_back_a_spreadsheet(sheets_api):
    key = sheets_api.create_spreadsheet(
        "Дорожная карта 2020",
        {"Дорожная карта": [["№", "Мероприятие", None, 3], ["1.1", "=1+1", True]], "Школы": []},
        locale="ru_RU",
        time_zone="Europe/Moscow",
    )
    assert sheets_api.sheet_titles(key) == ["Дорожная карта", "Школы"]
    assert sheets_api.values(key, "Дорожная карта") == [
        ["№", "Мероприятие", "", "3"],
        ["1.1", "=1+1", "ИСТИНА"],
    ]
    assert sheets_api.values(key, "Школы") == []
    assert sheets_api.cell(key, "Дорожная карта", "D1") == {
        "userEnteredValue": {"numberValue": 3},
        "effectiveValue": {"numberValue": 3},
        "formattedValue": "3",
    }
    assert sheets_api.cell(key, "Дорожная карта", "C1") == {}
    assert sheets_api.sheet_properties(key, "Дорожная карта")["sheetId"] == 0
    properties = sheets_api.spreadsheet(key)["properties"]
    assert (properties["locale"], properties["timeZone"]) == ("ru_RU", "Europe/Moscow")


def test_stats_count_requests_by_route(sheets_api, service_account_info, no_egress):
    key = sheets_api.create_spreadsheet("S")
    api = authorized_session(service_account_info, sheets_api.base_url)
    api.get(f"{SHEETS}/{key}")
    api.get(f"{SHEETS}/{key}/values/Sheet1!A1")
    routes = sheets_api.stats()["by_route"]
    assert routes["GET /v4/spreadsheets/{id}"] == 1
    assert routes["GET /v4/spreadsheets/{id}/values/{range}"] == 1
    assert routes["POST /token"] == 1
    assert requests.get(f"{sheets_api.base_url}/_emulator/stats", timeout=5).json()["total"] >= 3


def test_the_http_control_api_seeds_breaks_and_inspects(sheets_api):
    control = f"{sheets_api.base_url}/_emulator"
    key_file = requests.post(
        f"{control}/principals",
        json={"email": "svc@p.iam.gserviceaccount.com", "project_id": "p"},
        timeout=10,
    ).json()
    seeded = requests.post(
        f"{control}/spreadsheets",
        json={"title": "T", "sheets": {"A": [["x"]]}, "shared_with": [key_file["client_email"]]},
        timeout=5,
    )
    key = seeded.json()["spreadsheetId"]
    api = authorized_session(key_file, sheets_api.base_url)
    assert requests.post(
        f"{control}/faults", json={"status": 500, "count": 1, "path": "^/v4/"}, timeout=5
    ).json()["pending"]
    assert api.get(f"{SHEETS}/{key}").status_code == 500
    assert api.get(f"{SHEETS}/{key}/values/A").json()["values"] == [["x"]]
    dump = requests.get(f"{control}/spreadsheets/{key}", timeout=5).json()
    assert dump["sharedWith"] == ["svc@p.iam.gserviceaccount.com"]
    requests.post(f"{control}/projects/p/disable", timeout=5)
    assert api.get(f"{SHEETS}/{key}").status_code == 403
    requests.post(f"{control}/reset", timeout=5)
    assert requests.get(f"{control}/stats", timeout=5).json() == {"total": 0, "by_route": {}}
    assert requests.get(f"{control}/nope", timeout=5).status_code == 400


def test_queued_ids_make_creation_deterministic(sheets_api, service_account_info):
    sheets_api.queue_ids(spreadsheets=["1FixedIdForReplay"], sheets=[123])
    api = authorized_session(service_account_info, sheets_api.base_url)
    created = api.post(
        f"{SHEETS}", json={"properties": {"title": "New"}, "sheets": [{}, {}]}
    ).json()
    assert created["spreadsheetId"] == "1FixedIdForReplay"
    assert [s["properties"]["sheetId"] for s in created["sheets"]] == [0, 123]


def test_spreadsheets_create_takes_title_locale_time_zone_and_tabs(
    sheets_api, service_account_info, no_egress
):
    api = authorized_session(service_account_info, sheets_api.base_url)
    body = {
        "properties": {"title": "Сводка 2024", "locale": "ru_RU", "timeZone": "Europe/Moscow"},
        "sheets": [
            {
                "properties": {
                    "title": "Сводка",
                    "gridProperties": {"rowCount": 10, "columnCount": 3},
                }
            }
        ],
    }
    created = api.post(SHEETS, json=body).json()
    assert created["properties"]["title"] == "Сводка 2024"
    assert (created["properties"]["locale"], created["properties"]["timeZone"]) == (
        "ru_RU",
        "Europe/Moscow",
    )
    assert created["sheets"] == [
        {
            "properties": {
                "sheetId": 0,
                "title": "Сводка",
                "index": 0,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": 10, "columnCount": 3},
            }
        }
    ]
    assert (
        created["spreadsheetUrl"]
        == f"https://docs.google.com/spreadsheets/d/{created['spreadsheetId']}/edit"
    )
    # Only the creator may use it.
    other = authorized_session(
        sheets_api.service_account_info("other@test-project.iam.gserviceaccount.com"),
        sheets_api.base_url,
    )
    assert other.get(f"{SHEETS}/{created['spreadsheetId']}").status_code == 403


def test_standalone_mode_prints_its_url_and_writes_a_usable_key(tmp_path):
    key_path = tmp_path / "sa.json"
    command = [
        sys.executable,
        "-m",
        "tests.sheets_api",
        "--port",
        "0",
        "--write-key",
        str(key_path),
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Sheets API emulator listening on http://127.0.0.1:")
        base_url = first.rsplit(" ", 1)[1].strip()
        assert "written to" in process.stdout.readline()
        info = json.loads(key_path.read_text())
        assert info["token_uri"] == f"{base_url}/token"
        api = authorized_session(info, base_url)
        created = api.post(SHEETS, json={"properties": {"title": "Standalone"}}).json()
        assert api.get(f"{SHEETS}/{created['spreadsheetId']}").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_an_emulator_can_run_on_its_own_port_as_a_context_manager():
    with Emulator() as emu:
        assert emu.base_url.startswith("http://127.0.0.1:")
        assert requests.get(f"{emu.base_url}/_emulator/stats", timeout=5).status_code == 200
    assert emu.port > 0
