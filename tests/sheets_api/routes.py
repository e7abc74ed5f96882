"""Google's URL surface: Sheets v4, the bits of Drive v3 gspread uses, OAuth and IAM credentials.

Paths are matched raw: a method suffix (``:append``, ``:clear``) is stripped first and only
then is the range percent-decoded with ``unquote`` (a ``+`` in a path is a literal plus).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from tests.sheets_api import fieldmask, spreadsheet_api, values_api
from tests.sheets_api.app import App, Request, Response, json_response
from tests.sheets_api.auth import Token, project_number
from tests.sheets_api.errors import (
    NO_PERMISSION_MESSAGE,
    NOT_FOUND_MESSAGE,
    UNAUTHENTICATED_MESSAGE,
    ApiError,
    drive_not_found,
    service_disabled,
)
from tests.sheets_api.model import Spreadsheet, new_spreadsheet
from tests.sheets_api.render import spreadsheet_json

SHEETS_MIME = "application/vnd.google-apps.spreadsheet"
_ID = r"(?P<id>[^/:]+)"


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    name: str
    handler: Callable[[App, Request, dict[str, str], Token | None], Response]
    # "Read"/"Write" for Sheets calls (quota, disabled API); None for auth and Drive.
    sheets_kind: str | None = None
    needs_token: bool = True


ROUTES: list[Route] = []


def route(
    method: str, pattern: str, name: str, *, kind: str | None = None, token: bool = True
) -> Any:
    def register(function: Any) -> Any:
        ROUTES.append(Route(method, re.compile(pattern), name, function, kind, token))
        return function

    return register


def match(request: Request) -> tuple[Route | None, dict[str, str], str]:
    """Find the route for a request; returns (route, path groups, stats name)."""
    for candidate in ROUTES:
        found = candidate.pattern.match(request.raw_path)
        if found and candidate.method == request.method:
            return candidate, found.groupdict(), f"{candidate.method} {candidate.name}"
    return None, {}, f"{request.method} {request.path}"


def dispatch(app: App, request: Request) -> tuple[Response, str | None]:
    """Handle a routed Google request; returns the response and the caller's email, if known."""
    found, groups, _ = match(request)
    if found is None:
        return json_response(404, ApiError(404, NOT_FOUND_MESSAGE).body()), None
    token = app.accounts.bearer(request.headers.get("authorization")) if found.needs_token else None
    if found.needs_token and token is None:
        return json_response(401, ApiError(401, UNAUTHENTICATED_MESSAGE).body()), None

    def handle() -> Response:
        if found.sheets_kind and token is not None:
            project = app.accounts.project_of(token.email)
            if project in app.disabled_projects:
                raise service_disabled(project_number(project))
            app.quota.charge(found.sheets_kind, token.email, project, project_number(project))
        return found.handler(app, request, groups, token)

    return app.run(handle), token.email if token else None


def _first(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def _flat(params: dict[str, list[str]]) -> dict[str, Any]:
    return {key: values[-1] for key, values in params.items()}


def _timestamp(app: App) -> str:
    moment = dt.datetime.fromtimestamp(app.now(), tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _spreadsheet(
    app: App, spreadsheet_id: str, token: Token | None, *, drive: bool = False
) -> Spreadsheet:
    spreadsheet = app.spreadsheets.get(spreadsheet_id)
    if spreadsheet is None or spreadsheet_id in app.deleted:
        raise drive_not_found(spreadsheet_id) if drive else ApiError(404, NOT_FOUND_MESSAGE)
    allowed = spreadsheet.shared_with is None or (
        token is not None and token.email in spreadsheet.shared_with
    )
    if not allowed:
        # Drive hides files you cannot see; Sheets says so.
        raise drive_not_found(spreadsheet_id) if drive else ApiError(403, NO_PERMISSION_MESSAGE)
    return spreadsheet


def _commit(app: App, spreadsheet: Spreadsheet) -> None:
    spreadsheet.touch(_timestamp(app))
    app.spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet


def _write(
    app: App, groups: dict[str, str], token: Token | None, change: Callable[[Spreadsheet], Any]
) -> Response:
    """Apply ``change`` to a copy and keep it only if it succeeds (all or nothing)."""
    working = _spreadsheet(app, groups["id"], token).clone()
    result = change(working)
    _commit(app, working)
    return json_response(200, result)


def _range(groups: dict[str, str], suffix: str = "") -> str:
    raw = groups["range"]
    return unquote(raw[: -len(suffix)] if suffix and raw.endswith(suffix) else raw)


# --- OAuth and IAM credentials ------------------------------------------------------------


@route("POST", r"^/token$", "/token", token=False)
def token_exchange(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    status, body = app.accounts.exchange(form)
    return json_response(status, body)


@route("GET", r"^/v1/projects/-/serviceAccounts/(?P<email>[^/]+)/allowedLocations$",
       "/v1/projects/-/serviceAccounts/{email}/allowedLocations")  # fmt: skip
def allowed_locations(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    # google-auth's own "no restriction" answer (spec §2.5).
    return json_response(200, {"locations": [], "encodedLocations": "0x0"})


# --- Sheets v4 ----------------------------------------------------------------------------


@route("POST", r"^/v4/spreadsheets$", "/v4/spreadsheets", kind="Write")
def create(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    assert token is not None
    spreadsheet = spreadsheet_api.create(request.json(), app.ids.spreadsheet_id(), app.ids)
    spreadsheet.shared_with = {token.email, *app.auto_share}
    spreadsheet.created_time = _timestamp(app)
    _commit(app, spreadsheet)
    return json_response(200, spreadsheet_json(spreadsheet))


@route("GET", rf"^/v4/spreadsheets/{_ID}$", "/v4/spreadsheets/{id}", kind="Read")
def get(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    spreadsheet = _spreadsheet(app, groups["id"], token)
    return json_response(200, spreadsheet_api.get(spreadsheet, request.params()))


@route(
    "POST",
    rf"^/v4/spreadsheets/{_ID}:batchUpdate$",
    "/v4/spreadsheets/{id}:batchUpdate",
    kind="Write",
)
def batch_update(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    assert token is not None
    spreadsheet = _spreadsheet(app, groups["id"], token)
    working, response = spreadsheet_api.batch_update(
        spreadsheet, request.json(), app.ids, token.email
    )
    _commit(app, working)
    return json_response(200, response)


@route(
    "GET",
    rf"^/v4/spreadsheets/{_ID}/values:batchGet$",
    "/v4/spreadsheets/{id}/values:batchGet",
    kind="Read",
)
def values_batch_get(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    spreadsheet = _spreadsheet(app, groups["id"], token)
    params = request.params()
    result = values_api.batch_get(spreadsheet, params.get("ranges") or [], _flat(params))
    return json_response(200, result)


@route("POST", rf"^/v4/spreadsheets/{_ID}/values:batchUpdate$", "/v4/spreadsheets/{id}/values:batchUpdate",
       kind="Write")  # fmt: skip
def values_batch_update(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    body = request.json()
    return _write(app, groups, token, lambda s: values_api.batch_update(s, body))


@route("POST", rf"^/v4/spreadsheets/{_ID}/values:batchClear$", "/v4/spreadsheets/{id}/values:batchClear",
       kind="Write")  # fmt: skip
def values_batch_clear(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    body = request.json()
    return _write(app, groups, token, lambda s: values_api.batch_clear(s, body))


@route("POST", rf"^/v4/spreadsheets/{_ID}/values/(?P<range>.+):append$", "/v4/spreadsheets/{id}/values/{range}:append",
       kind="Write")  # fmt: skip
def values_append(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    body, params = request.json(), _flat(request.params())
    return _write(app, groups, token, lambda s: values_api.append(s, _range(groups), params, body))


@route("POST", rf"^/v4/spreadsheets/{_ID}/values/(?P<range>.+):clear$", "/v4/spreadsheets/{id}/values/{range}:clear",
       kind="Write")  # fmt: skip
def values_clear(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    return _write(app, groups, token, lambda s: values_api.clear(s, _range(groups)))


@route(
    "GET",
    rf"^/v4/spreadsheets/{_ID}/values/(?P<range>.+)$",
    "/v4/spreadsheets/{id}/values/{range}",
    kind="Read",
)
def values_get(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    spreadsheet = _spreadsheet(app, groups["id"], token)
    return json_response(200, values_api.get(spreadsheet, _range(groups), _flat(request.params())))


@route(
    "PUT",
    rf"^/v4/spreadsheets/{_ID}/values/(?P<range>.+)$",
    "/v4/spreadsheets/{id}/values/{range}",
    kind="Write",
)
def values_update(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    body, params = request.json(), _flat(request.params())
    return _write(app, groups, token, lambda s: values_api.update(s, _range(groups), params, body))


# --- Drive v3 (create/get/delete/copy/list of spreadsheets) ----------------------------------


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
    spreadsheet.created_time = _timestamp(app)
    _commit(app, spreadsheet)
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
            resource, _first(request.params(), "fields"), ("kind", "id", "name", "mimeType")
        ),
    )


@route("POST", r"^/drive/v3/files/(?P<id>[^/]+)/copy$", "/drive/v3/files/{id}/copy")
def drive_copy(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    assert token is not None
    source = _spreadsheet(app, groups["id"], token, drive=True)
    name = request.json().get("name") or f"Copy of {source.title}"
    resource = _drive_file(app, _new_file(app, token, name, source))
    return json_response(
        200,
        _drive_fields(
            resource, _first(request.params(), "fields"), ("kind", "id", "name", "mimeType")
        ),
    )


@route("GET", r"^/drive/v3/files/(?P<id>[^/]+)$", "/drive/v3/files/{id}")
def drive_get(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    resource = _drive_file(app, _spreadsheet(app, groups["id"], token, drive=True))
    return json_response(
        200,
        _drive_fields(
            resource, _first(request.params(), "fields"), ("kind", "id", "name", "mimeType")
        ),
    )


@route("DELETE", r"^/drive/v3/files/(?P<id>[^/]+)$", "/drive/v3/files/{id}")
def drive_delete(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    _spreadsheet(app, groups["id"], token, drive=True)
    app.deleted.add(groups["id"])
    return Response(204)


@route("GET", r"^/drive/v3/files$", "/drive/v3/files")
def drive_list(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    assert token is not None
    params = request.params()
    wanted = re.search(r'name\s*=\s*"((?:[^"\\]|\\.)*)"', _first(params, "q") or "")
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
    fields = _first(params, "fields")
    return json_response(
        200, fieldmask.project(listing, fieldmask.parse(fields)) if fields else listing
    )
