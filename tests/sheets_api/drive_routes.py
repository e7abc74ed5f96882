"""Handlers for the Drive v3 calls gspread makes on spreadsheets (create, get, delete, copy, list)
and the hub's listing (files.list paged, with modifiedTime and modifiedByMeTime).

Drive hides files a caller cannot see (404 with an ``errors[]`` array), where Sheets says 403.
"""

from __future__ import annotations

import re
from typing import Any

from tests.sheets_api import fieldmask
from tests.sheets_api.app import App, Request, Response, json_response
from tests.sheets_api.auth import Token
from tests.sheets_api.model import Spreadsheet, new_spreadsheet
from tests.sheets_api.routing import commit, first, open_spreadsheet, route, timestamp

SHEETS_MIME = "application/vnd.google-apps.spreadsheet"


def _drive_file(app: App, spreadsheet: Spreadsheet, viewer: str | None = None) -> dict[str, Any]:
    resource = {
        "kind": "drive#file",
        "id": spreadsheet.spreadsheet_id,
        "name": spreadsheet.title,
        "mimeType": SHEETS_MIME,
        "createdTime": spreadsheet.created_time,
        "modifiedTime": spreadsheet.modified_time,
        "modifiedByMe": viewer in spreadsheet.modified_by,
    }
    if viewer in spreadsheet.modified_by:  # absent for a file the caller never changed
        resource["modifiedByMeTime"] = spreadsheet.modified_by[viewer]
    return resource


def _drive_fields(
    resource: dict[str, Any], fields: str | None, default: tuple[str, ...]
) -> dict[str, Any]:
    if fields:
        return dict(fieldmask.project(resource, fieldmask.parse(fields)))
    return {key: resource[key] for key in default if key in resource}


def _new_file(app: App, token: Token, name: str, source: Spreadsheet | None = None) -> Spreadsheet:
    spreadsheet_id = app.ids.spreadsheet_id()
    if source is None:
        spreadsheet = new_spreadsheet(spreadsheet_id, name)
    else:
        spreadsheet = source.clone()
        spreadsheet.spreadsheet_id = spreadsheet_id
        spreadsheet.properties["title"] = name
    spreadsheet.shared_with = {token.email, *app.auto_share}
    spreadsheet.created_time = timestamp(app)
    commit(app, spreadsheet, token.email)
    return spreadsheet


@route("POST", r"^/drive/v3/files$", "/drive/v3/files")
def drive_create(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    assert token is not None
    body = request.json()
    spreadsheet = _new_file(app, token, body.get("name") or "Untitled spreadsheet")
    resource = _drive_file(app, spreadsheet)
    return json_response(
        200,
        _drive_fields(
            resource, first(request.params(), "fields"), ("kind", "id", "name", "mimeType")
        ),
    )


@route("POST", r"^/drive/v3/files/(?P<id>[^/]+)/copy$", "/drive/v3/files/{id}/copy")
def drive_copy(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    assert token is not None
    source = open_spreadsheet(app, groups["id"], token, drive=True)
    name = request.json().get("name") or f"Copy of {source.title}"
    resource = _drive_file(app, _new_file(app, token, name, source))
    return json_response(
        200,
        _drive_fields(
            resource, first(request.params(), "fields"), ("kind", "id", "name", "mimeType")
        ),
    )


@route("GET", r"^/drive/v3/files/(?P<id>[^/]+)$", "/drive/v3/files/{id}")
def drive_get(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    resource = _drive_file(app, open_spreadsheet(app, groups["id"], token, drive=True))
    return json_response(
        200,
        _drive_fields(
            resource, first(request.params(), "fields"), ("kind", "id", "name", "mimeType")
        ),
    )


@route("DELETE", r"^/drive/v3/files/(?P<id>[^/]+)$", "/drive/v3/files/{id}")
def drive_delete(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    open_spreadsheet(app, groups["id"], token, drive=True)
    app.deleted.add(groups["id"])
    return Response(204)


@route("GET", r"^/drive/v3/files$", "/drive/v3/files")
def drive_list(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    """files.list: the spreadsheets the caller sees that match `q` (the terms gspread and the hub
    send: name, mimeType, trashed), `pageSize` a page (at most 1000, and at most the emulator's
    `drive_page_limit`: "the service may return fewer"), `pageToken` from the last page."""
    assert token is not None
    params = request.params()
    query = first(params, "q") or ""
    files = []
    for spreadsheet in app.spreadsheets.values():
        if spreadsheet.spreadsheet_id in app.deleted:
            continue
        if spreadsheet.shared_with is not None and token.email not in spreadsheet.shared_with:
            continue
        if _matches(query, spreadsheet):
            files.append(_drive_file(app, spreadsheet, token.email))
    files.reverse()  # the newest first, as Drive lists by default
    asked = first(params, "pageSize")  # none: the whole list (for files not in a shared drive)
    size = min(min(int(asked), 1000) if asked else max(len(files), 1), app.drive_page_limit)
    start = int(first(params, "pageToken") or 0)
    listing: dict[str, Any] = {
        "kind": "drive#fileList",
        "incompleteSearch": False,
        "files": files[start : start + size],
    }
    if start + size < len(files):
        listing["nextPageToken"] = str(start + size)
    fields = first(params, "fields")
    return json_response(
        200, fieldmask.project(listing, fieldmask.parse(fields)) if fields else listing
    )


def _matches(query: str, spreadsheet: Spreadsheet) -> bool:
    """Return whether a spreadsheet fits the `q` terms the emulator knows (others are ignored)."""
    name = re.search(r'name\s*=\s*"((?:[^"\\]|\\.)*)"', query)
    if name and spreadsheet.title != name.group(1).replace('\\"', '"'):
        return False
    mime = re.search(r"mimeType\s*=\s*'([^']*)'", query)
    if mime and mime.group(1) != SHEETS_MIME:
        return False
    trashed = re.search(r"trashed\s*=\s*(true|false)", query)
    return not (trashed and trashed.group(1) == "true")  # nothing is in the emulator's trash
