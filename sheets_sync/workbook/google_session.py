"""An authorized HTTP session for Google APIs, optionally sent to another base URL.

gspread has no base-URL setting: its URLs are absolute ``https://sheets.googleapis.com/...``
constants. The supported seam is the ``requests`` session it is given, so we mount a transport
adapter that rewrites every Google host to ``google.api_endpoint`` (the loopback emulator in
tests, or a proxy in a closed network). The same adapter goes on the side session google-auth
uses for its token call and its background ``allowedLocations`` lookup, so nothing leaves the
configured endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2.service_account import Credentials
from requests.adapters import HTTPAdapter

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)

GOOGLE_HOSTS = (
    "https://sheets.googleapis.com/",
    "https://www.googleapis.com/",
    "https://oauth2.googleapis.com/",
    "https://iamcredentials.googleapis.com/",
)


class EndpointAdapter(HTTPAdapter):
    """Sends ``https://<google host>/path?query`` to ``<base>/path?query``."""

    # requests deep-copies adapters keeping only __attrs__; google-auth copies the side
    # session for its background lookup, and without this the copy would lose `base`.
    __attrs__ = [*HTTPAdapter.__attrs__, "base"]  # noqa: RUF012 - requests' own convention

    def __init__(self, base: str, **kwargs: Any) -> None:
        self.base = base.rstrip("/")
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = request.url or ""
        request.url = self.base + "/" + url.split("/", 3)[3]
        return super().send(request, **kwargs)


def route_to(session: requests.Session, base: str | None) -> requests.Session:
    """Mount the endpoint adapter for every Google host on ``session`` (no-op without ``base``)."""
    if base:
        adapter = EndpointAdapter(base)
        for host in GOOGLE_HOSTS:
            session.mount(host, adapter)
    return session


def authorized_session(
    service_account_info: Mapping[str, Any], api_endpoint: str | None = None
) -> AuthorizedSession:
    """Return a session that signs requests as the service account, routed to ``api_endpoint``."""
    credentials = Credentials.from_service_account_info(dict(service_account_info), scopes=SCOPES)
    side = route_to(requests.Session(), api_endpoint)
    session = AuthorizedSession(credentials, auth_request=Request(side))
    route_to(session, api_endpoint)
    return session
