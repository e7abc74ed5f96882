"""The emulator's Drive listing as the hub reads it: modifiedTime moves on with every change and
only then, modifiedByMeTime is the caller's own last change, the query's terms filter, pages
follow nextPageToken (checked against the drive.v3 reference by the schema on every request)."""

from __future__ import annotations

from sheets_sync.workbook.google_session import authorized_session

FILES = "https://www.googleapis.com/drive/v3/files"
QUERY = "mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false"
FIELDS = "nextPageToken,files(id,modifiedTime,modifiedByMeTime)"


def listing(session, **params):
    answer = session.get(FILES, params={"q": QUERY, "fields": FIELDS, **params})
    assert answer.ok, answer.text
    return answer.json()


def test_modified_time_moves_on_with_a_change_and_not_with_a_read(sheets_api, service_account_info):
    session = authorized_session(service_account_info, sheets_api.base_url)
    key = sheets_api.create_spreadsheet("Школа", {"Лист1": [["a"]]})
    created = sheets_api.modified_time(key)
    sheets_api.advance_clock(5)
    assert session.get(f"https://sheets.googleapis.com/v4/spreadsheets/{key}").ok
    assert sheets_api.modified_time(key) == created
    sheets_api.edit(key, "Лист1", [["b"]])

    [file] = listing(session)["files"]
    assert file["modifiedTime"] == sheets_api.modified_time(key) > created
    assert "modifiedByMeTime" not in file  # a person changed it, not the caller


def test_modified_by_me_time_is_the_callers_own_last_change(sheets_api, service_account_info):
    session = authorized_session(service_account_info, sheets_api.base_url)
    key = sheets_api.create_spreadsheet("Школа", {"Лист1": [["a"]]})
    sheets_api.advance_clock(5)
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{key}/values/A1?valueInputOption=RAW"
    assert session.put(url, json={"values": [["b"]]}).ok
    ours = sheets_api.modified_time(key)
    first = listing(session)["files"][0]
    sheets_api.advance_clock(5)
    sheets_api.edit(key, "Лист1", [["c"]])
    second = listing(session)["files"][0]

    assert first["modifiedTime"] == first["modifiedByMeTime"] == ours
    assert second["modifiedByMeTime"] == ours < second["modifiedTime"]


def test_the_query_filters_and_the_pages_follow_the_token(sheets_api, service_account_info):
    session = authorized_session(service_account_info, sheets_api.base_url)
    keys = [sheets_api.create_spreadsheet(f"Школа {n}", None) for n in range(5)]
    sheets_api.set_drive_page_limit(2)
    seen, token, pages = [], None, 0
    while True:
        page = listing(session, pageSize=1000, **({"pageToken": token} if token else {}))
        seen += [f["id"] for f in page["files"]]
        pages += 1
        token = page.get("nextPageToken")
        if not token:
            break

    assert sorted(seen) == sorted(keys) and pages == 3
    other = session.get(FILES, params={"q": "mimeType = 'application/pdf'", "fields": FIELDS})
    assert other.json()["files"] == []
    trashed = session.get(FILES, params={"q": "trashed = true", "fields": FIELDS})
    assert trashed.json()["files"] == []
