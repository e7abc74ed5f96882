"""Handlers for OAuth (``POST /token``), IAM credentials (``allowedLocations``) and Sheets v4."""

from __future__ import annotations

from urllib.parse import parse_qsl

from tests.sheets_api import spreadsheet_api, values_api
from tests.sheets_api.app import App, Request, Response, json_response
from tests.sheets_api.auth import Token
from tests.sheets_api.render import spreadsheet_json
from tests.sheets_api.routing import (
    commit,
    flat,
    open_spreadsheet,
    range_text,
    route,
    timestamp,
    write,
)

_ID = r"(?P<id>[^/:]+)"


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
    spreadsheet.created_time = timestamp(app)
    commit(app, spreadsheet, token.email)
    return json_response(200, spreadsheet_json(spreadsheet))


@route("GET", rf"^/v4/spreadsheets/{_ID}$", "/v4/spreadsheets/{id}", kind="Read")
def get(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    spreadsheet = open_spreadsheet(app, groups["id"], token)
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
    spreadsheet = open_spreadsheet(app, groups["id"], token)
    working, response = spreadsheet_api.batch_update(
        spreadsheet, request.json(), app.ids, token.email
    )
    commit(app, working, token.email)
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
    spreadsheet = open_spreadsheet(app, groups["id"], token)
    params = request.params()
    result = values_api.batch_get(spreadsheet, params.get("ranges") or [], flat(params))
    return json_response(200, result)


@route("POST", rf"^/v4/spreadsheets/{_ID}/values:batchUpdate$", "/v4/spreadsheets/{id}/values:batchUpdate",
       kind="Write")  # fmt: skip
def values_batch_update(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    body = request.json()
    return write(app, groups, token, lambda s: values_api.batch_update(s, body))


@route("POST", rf"^/v4/spreadsheets/{_ID}/values:batchClear$", "/v4/spreadsheets/{id}/values:batchClear",
       kind="Write")  # fmt: skip
def values_batch_clear(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    body = request.json()
    return write(app, groups, token, lambda s: values_api.batch_clear(s, body))


@route("POST", rf"^/v4/spreadsheets/{_ID}/values/(?P<range>.+):append$", "/v4/spreadsheets/{id}/values/{range}:append",
       kind="Write")  # fmt: skip
def values_append(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    body, params = request.json(), flat(request.params())
    return write(
        app, groups, token, lambda s: values_api.append(s, range_text(groups), params, body)
    )


@route("POST", rf"^/v4/spreadsheets/{_ID}/values/(?P<range>.+):clear$", "/v4/spreadsheets/{id}/values/{range}:clear",
       kind="Write")  # fmt: skip
def values_clear(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    return write(app, groups, token, lambda s: values_api.clear(s, range_text(groups)))


@route(
    "GET",
    rf"^/v4/spreadsheets/{_ID}/values/(?P<range>.+)$",
    "/v4/spreadsheets/{id}/values/{range}",
    kind="Read",
)
def values_get(app: App, request: Request, groups: dict[str, str], token: Token | None) -> Response:
    spreadsheet = open_spreadsheet(app, groups["id"], token)
    return json_response(
        200, values_api.get(spreadsheet, range_text(groups), flat(request.params()))
    )


@route(
    "PUT",
    rf"^/v4/spreadsheets/{_ID}/values/(?P<range>.+)$",
    "/v4/spreadsheets/{id}/values/{range}",
    kind="Write",
)
def values_update(
    app: App, request: Request, groups: dict[str, str], token: Token | None
) -> Response:
    body, params = request.json(), flat(request.params())
    return write(
        app, groups, token, lambda s: values_api.update(s, range_text(groups), params, body)
    )
