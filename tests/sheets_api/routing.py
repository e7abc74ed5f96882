"""Routing Google's URLs to handlers, and what every handler shares: authentication, the
disabled-API and quota checks, access control, and copy-on-write commits.

Paths are matched raw: a method suffix (``:append``, ``:clear``) is stripped first and only
then is the range percent-decoded with ``unquote`` (a ``+`` in a path is a literal plus).
The handlers live in google_routes.py (OAuth, IAM, Sheets) and drive_routes.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from tests.sheets_api import schema
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
from tests.sheets_api.model import Spreadsheet

Handler = Callable[[App, Request, dict[str, str], Token | None], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    name: str
    handler: Handler
    # "Read"/"Write" for Sheets calls (quota, disabled API); None for auth and Drive.
    sheets_kind: str | None = None
    needs_token: bool = True


ROUTES: list[Route] = []


def route(
    method: str, pattern: str, name: str, *, kind: str | None = None, token: bool = True
) -> Callable[[Handler], Handler]:
    """Register a handler for ``method`` on raw paths matching ``pattern``."""

    def register(function: Handler) -> Handler:
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
        # Google parses the request into its proto before anything else looks at it.
        schema.enforce(request)
        if found.sheets_kind and token is not None:
            project = app.accounts.project_of(token.email)
            app.quota.charge(found.sheets_kind, token.email, project, project_number(project))
        return found.handler(app, request, groups, token)

    return app.run(handle), token.email if token else None


def first(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def flat(params: dict[str, list[str]]) -> dict[str, Any]:
    return {key: values[-1] for key, values in params.items()}


def timestamp(app: App) -> str:
    moment = dt.datetime.fromtimestamp(app.now(), tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def open_spreadsheet(
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


def commit(app: App, spreadsheet: Spreadsheet, by: str | None = None) -> None:
    """Keep a changed spreadsheet: its modifiedTime (and `by`'s modifiedByMeTime) is now."""
    spreadsheet.touch(timestamp(app), by)
    app.spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet


def write(
    app: App, groups: dict[str, str], token: Token | None, change: Callable[[Spreadsheet], Any]
) -> Response:
    """Apply ``change`` to a copy and keep it only if it succeeds (all or nothing)."""
    working = open_spreadsheet(app, groups["id"], token).clone()
    result = change(working)
    commit(app, working, token.email if token else None)
    return json_response(200, result)


def range_text(groups: dict[str, str]) -> str:
    """The range of a values URL, decoded only now that the route has split off any suffix."""
    return unquote(groups["range"])
