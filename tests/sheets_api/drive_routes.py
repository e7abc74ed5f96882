"""Handlers for the Drive v3 calls gspread makes on spreadsheets: create, get, delete, copy, list.

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


def _drive_file(app: App, spreadsheet: Spreadsheet) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": spreadsheet.spreadsheet_id,
        "name": spreadsheet.title,
        "mimeType": SHEETS_MIME,
        "createdTime": spreadsheet.created_time,
        "modifiedTime": spreadsheet.modified_time,
    }


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
    commit(app, spreadsheet)
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
    assert token is not None
    params = request.params()
    wanted = re.search(r'name\s*=\s*"((?:[^"\\]|\\.)*)"', first(params, "q") or "")
    files = []
    for spreadsheet in app.spreadsheets.values():
        if spreadsheet.spreadsheet_id in app.deleted:
            continue
        if spreadsheet.shared_with is not None and token.email not in spreadsheet.shared_with:
            continue
        if wanted and spreadsheet.title != wanted.group(1).replace('\\"', '"'):
            continue
        files.append(_drive_file(app, spreadsheet))
    listing = {"kind": "drive#fileList", "files": list(reversed(files))}
    fields = first(params, "fields")
    return json_response(
        200, fieldmask.project(listing, fieldmask.parse(fields)) if fields else listing
    )
