"""The emulator's request pipeline, independent of the socket layer: state, stats, faults."""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from tests.sheets_api import discovery, schema
from tests.sheets_api.auth import Accounts
from tests.sheets_api.errors import (
    DEFAULT_MESSAGES,
    ApiError,
    html_error_page,
    quota_exceeded,
    unparsable_range,
)
from tests.sheets_api.limits import Fault, Faults, Quota
from tests.sheets_api.model import IdSource, Spreadsheet

JSON_TYPE = "application/json; charset=UTF-8"


@dataclass
class Request:
    method: str
    raw_path: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    # The body as parsed and put under its JSON names by schema.enforce, once it passed.
    parsed: Any = None

    @property
    def path(self) -> str:
        return unquote(self.raw_path)

    def params(self) -> dict[str, list[str]]:
        # Form decoding: "+" is a space here (unlike in the path), and "ranges" repeats.
        return parse_qs(self.query, keep_blank_values=True)

    def json(self) -> Any:
        if self.parsed is not None:
            return self.parsed
        if not self.body.strip():
            return {}
        try:
            parsed = json.loads(self.body)
        except ValueError as error:
            raise ApiError(400, f"Invalid JSON payload received. {error}") from None
        if not isinstance(parsed, dict):
            raise ApiError(400, "Invalid JSON payload received. Root element must be a message.")
        return parsed


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    return Response(status, body, {"Content-Type": JSON_TYPE, **(headers or {})})


def error_response(error: ApiError) -> Response:
    return json_response(error.code, error.body(), error.headers)


class App:
    """All emulator state behind one lock; the HTTP server calls ``begin``, ``run`` and ``finish``."""

    def __init__(self, clock: Callable[[], float] | None = None, seed: int = 0) -> None:
        self.lock = threading.RLock()
        self._clock = clock or time.time
        self._offset = 0.0
        self.seed = seed
        self.base_url = ""
        # Accounts every spreadsheet created over HTTP is also shared with (standalone mode).
        self.auto_share: set[str] = set()
        self._fresh_state()

    def _fresh_state(self) -> None:
        self.accounts = Accounts(self.now)
        self.quota = Quota(self.now)
        self.faults = Faults()
        self.ids = IdSource(self.seed)
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.deleted: set[str] = set()
        self.drive_page_limit = 1000  # Drive's most files in one page of files.list
        self.disabled_projects: set[str] = set()
        self.total = 0
        self.by_route: Counter[str] = Counter()
        self.log: list[dict[str, Any]] = []
        self.internal_errors: list[str] = []

    def now(self) -> float:
        return self._clock() + self._offset

    def set_clock(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    def reset(self) -> None:
        with self.lock:
            self._offset = 0.0
            self._fresh_state()

    def begin(self, request: Request, route: str) -> Fault | None:
        """Count the request and hand back the fault it should suffer, if one is pending."""
        with self.lock:
            self.total += 1
            self.by_route[route] += 1
            return self.faults.take(request.method, request.raw_path, request.path)

    def run(self, handler: Callable[[], Response]) -> Response:
        """Run a route handler under the state lock, turning errors into Google responses."""
        with self.lock:
            try:
                return handler()
            except ApiError as error:
                return error_response(error)
            except Exception:  # noqa: BLE001 - any crash must become a 500, not a hung client
                trace = traceback.format_exc()
                self.internal_errors.append(trace)
                # Printed so the crash shows up in pytest's captured output.
                print(trace)
                return error_response(ApiError(500, "Internal error encountered."))

    def finish(
        self, request: Request, route: str, response: Response, principal: str | None
    ) -> None:
        with self.lock:
            entry: dict[str, Any] = {
                "method": request.method,
                "path": request.path,
                "route": route,
                "params": request.params(),
                "status": response.status,
                "principal": principal,
            }
            try:
                entry["body"] = json.loads(request.body) if request.body else None
            except ValueError:
                entry["body"] = request.body.decode("utf-8", "replace")
            entry.update(_schema_entry(request, entry["body"]))
            self.log.append(entry)


def _schema_entry(request: Request, body: Any) -> dict[str, Any]:
    """The discovery method a request is, and what Google's schema says against it."""
    found = discovery.find(request.method, request.raw_path)
    violations = schema.check(request.method, request.raw_path, request.params(), body, strict=True)
    return {
        "raw_path": request.raw_path,
        "api_method": found[1].id if found else None,
        "violations": [v.message for v in violations],
    }


def fault_response(fault: Fault, request: Request) -> Response:
    """The response an injected fault produces instead of the real one."""
    if fault.drop:
        return Response(0, drop=True)
    headers = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    if fault.html:
        status = fault.status or 502
        return Response(
            status,
            html_error_page(status).encode(),
            {"Content-Type": "text/html; charset=UTF-8", **headers},
        )
    if fault.malformed:
        status = fault.status or 200
        return Response(
            status, b'{\n  "spreadsheetId": "1tru', {"Content-Type": JSON_TYPE, **headers}
        )
    status = fault.status or 500
    if isinstance(fault.body, dict | list):
        return json_response(status, fault.body, headers)
    if isinstance(fault.body, str):
        return Response(status, fault.body.encode(), {"Content-Type": JSON_TYPE, **headers})
    error = _typical_error(status, request)
    error.headers.update(headers)
    return error_response(error)


def _typical_error(status: int, request: Request) -> ApiError:
    if status == 429:
        kind = "Read" if request.method == "GET" else "Write"
        # Faults strike before authentication, so the caller's project is not known here.
        return quota_exceeded(kind, "user", "000000000000", 60)
    if status == 400:
        marker = "/values/"
        text = request.path.split(marker, 1)[1] if marker in request.path else "Sheet1!A1"
        return unparsable_range(
            text.rsplit(":", 1)[0] if text.endswith((":append", ":clear")) else text
        )
    return ApiError(status, DEFAULT_MESSAGES.get(status, "Error"))
