"""The test-facing facade: start a loopback Sheets API, seed it, break it, and look inside."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Self

from tests.sheets_api import auth, values_api
from tests.sheets_api.a1 import quote_title
from tests.sheets_api.app import App
from tests.sheets_api.cells import Evaluator
from tests.sheets_api.limits import Fault
from tests.sheets_api.model import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    Sheet,
    Spreadsheet,
    new_sheet,
    new_spreadsheet,
)
from tests.sheets_api.protojson import order
from tests.sheets_api.ranges import resolve
from tests.sheets_api.render import spreadsheet_json
from tests.sheets_api.routing import commit
from tests.sheets_api.server import EmulatorServer
from tests.sheets_api.sheet_ops import check_limits
from tests.sheets_api.values_io import write_rows

DEFAULT_EMAIL = "sheets-sync@test-project.iam.gserviceaccount.com"
STAFF_EMAIL = "coordinator@school.example.org"  # a person editing in the browser


class Emulator:
    """A stateful Google Sheets API v4 on ``http://127.0.0.1:PORT``, served from a daemon thread."""

    def __init__(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        *,
        clock: Callable[[], float] | None = None,
        seed: int = 0,
    ) -> None:
        self.host = host
        self.port = port
        self.app = App(clock, seed)
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._server = EmulatorServer((self.host, self.port), self.app, self)
        self.port = int(self._server.server_address[1])
        self.app.base_url = self.base_url
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="sheets-api-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def reset(self) -> None:
        """Forget all spreadsheets, principals, tokens, faults, quotas and stats; keep serving."""
        self.app.reset()

    # --- service accounts --------------------------------------------------------------------

    def service_account_info(
        self, email: str = DEFAULT_EMAIL, project_id: str = "test-project"
    ) -> dict[str, str]:
        """Generate a key file for ``email`` whose token_uri is this emulator, and register it."""
        key_id, pem, _ = auth.new_key()
        info = auth.key_file(email, project_id, key_id, pem, f"{self.base_url}/token")
        self.register_service_account(info)
        return info

    def register_service_account(self, info: Mapping[str, Any]) -> None:
        """Accept tokens signed with the key in ``info`` (e.g. again after ``reset()``)."""
        with self.app.lock:
            self.app.accounts.register(
                info["client_email"], info.get("project_id", "test-project"), info.get("private_key_id", ""),
                auth.public_key_of(dict(info)),
            )  # fmt: skip

    def expire_tokens(self) -> None:
        """Make every issued token invalid: the next call gets 401 and google-auth re-POSTs /token."""
        with self.app.lock:
            self.app.accounts.expire_all()

    def project_number(self, project_id: str = "test-project") -> str:
        return auth.project_number(project_id)

    def disable_api(self, project_id: str = "test-project") -> None:
        """From now on, Sheets calls by this project's accounts get 403 SERVICE_DISABLED."""
        with self.app.lock:
            self.app.disabled_projects.add(project_id)

    def enable_api(self, project_id: str = "test-project") -> None:
        with self.app.lock:
            self.app.disabled_projects.discard(project_id)

    # --- spreadsheets ------------------------------------------------------------------------

    def create_spreadsheet(
        self,
        title: str,
        sheets: Mapping[str, Iterable[Iterable[Any]]] | None = None,
        *,
        shared_with: Iterable[str] | None = None,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
        spreadsheet_id: str | None = None,
    ) -> str:
        """Create a spreadsheet with tabs seeded from rows of RAW values; return its id.

        Strings are stored as typed (``"=1+1"`` stays text), ints and floats as numbers, bools as
        booleans, None as an empty cell. ``shared_with=None`` lets any authenticated account in.
        """
        with self.app.lock:
            spreadsheet_id = spreadsheet_id or self.app.ids.spreadsheet_id()
            spreadsheet = new_spreadsheet(spreadsheet_id, title, locale=locale, time_zone=time_zone)
            if sheets:
                spreadsheet.sheets.clear()
                for position, (sheet_title, rows) in enumerate(sheets.items()):
                    taken = {s.sheet_id for s in spreadsheet.sheets}
                    sheet_id = 0 if position == 0 else self.app.ids.sheet_id(taken)
                    spreadsheet.sheets.append(
                        _seeded_sheet(sheet_id, sheet_title, position, rows, locale)
                    )
            check_limits(spreadsheet)
            spreadsheet.shared_with = None if shared_with is None else set(shared_with)
            spreadsheet.created_time = spreadsheet.modified_time = "2024-01-01T00:00:00.000Z"
            self.app.spreadsheets[spreadsheet_id] = spreadsheet
            return spreadsheet_id

    def _spreadsheet(self, key: str) -> Spreadsheet:
        spreadsheet = self.app.spreadsheets.get(key)
        if spreadsheet is None or key in self.app.deleted:
            raise KeyError(f"no spreadsheet {key!r} in the emulator")
        return spreadsheet

    def _sheet(self, key: str, title: str) -> tuple[Spreadsheet, Sheet]:
        spreadsheet = self._spreadsheet(key)
        sheet = spreadsheet.sheet_by_title(title)
        if sheet is None:
            raise KeyError(
                f"no sheet {title!r} in {key!r}; tabs: {[s.title for s in spreadsheet.ordered_sheets()]}"
            )
        return spreadsheet, sheet

    def sheet_titles(self, key: str) -> list[str]:
        with self.app.lock:
            return [s.title for s in self._spreadsheet(key).ordered_sheets()]

    def values(self, key: str, title: str) -> list[list[str]]:
        """The tab's formatted values, trailing empty cells and rows trimmed (as Google sends them)."""
        with self.app.lock:
            spreadsheet, _ = self._sheet(key, title)
            result = values_api.get(spreadsheet, quote_title(title), {})
            rows: list[list[str]] = result.get("values", [])
            return rows

    def cell(self, key: str, title: str, a1: str) -> dict[str, Any]:
        """One cell's CellData (userEnteredValue, effectiveValue, formattedValue, userEnteredFormat,
        note...); ``{}`` for an empty cell."""
        with self.app.lock:
            spreadsheet, sheet = self._sheet(key, title)
            target = resolve(spreadsheet, f"{quote_title(title)}!{a1}")
            default = spreadsheet.properties.get("defaultFormat", {})
            fields = (
                "userEnteredValue",
                "effectiveValue",
                "formattedValue",
                "userEnteredFormat",
                "note",
            )
            data = Evaluator(spreadsheet).cell_data(sheet, target.r0, target.c0, default, fields)
            return data

    def sheet_properties(self, key: str, title: str) -> dict[str, Any]:
        """The tab's SheetProperties as ``spreadsheets.get`` reports them."""
        with self.app.lock:
            _, sheet = self._sheet(key, title)
            props: dict[str, Any] = order("SheetProperties", sheet.properties)
            return props

    def spreadsheet(self, key: str) -> dict[str, Any]:
        """The whole Spreadsheet resource, grid data included (for debugging and assertions)."""
        with self.app.lock:
            return spreadsheet_json(self._spreadsheet(key), include_grid=True)

    def share(self, key: str, email: str) -> None:
        with self.app.lock:
            spreadsheet = self._spreadsheet(key)
            if spreadsheet.shared_with is not None:
                spreadsheet.shared_with.add(email)

    def unshare(self, key: str, email: str) -> None:
        """Revoke ``email``; a spreadsheet open to anyone becomes closed to everybody else too."""
        with self.app.lock:
            spreadsheet = self._spreadsheet(key)
            if spreadsheet.shared_with is None:
                spreadsheet.shared_with = {a.email for a in self.app.accounts.principals.values()}
            spreadsheet.shared_with.discard(email)

    def edit(
        self,
        key: str,
        title: str,
        rows: Iterable[Iterable[Any]],
        *,
        row: int = 1,
        column: int = 1,
        by: str = STAFF_EMAIL,
    ) -> None:
        """Write RAW values into a tab from (row, column), as `by` would in the browser: the
        spreadsheet's modifiedTime moves on (and `by`'s modifiedByMeTime), not the caller's."""
        with self.app.lock:
            spreadsheet, sheet = self._sheet(key, title)
            grid = [list(r) for r in rows]
            write_rows(sheet, row - 1, column - 1, grid, "RAW", spreadsheet.locale)
            commit(self.app, spreadsheet, by)

    def delete(self, key: str) -> None:
        """Delete a spreadsheet (Drive then lists it no more; reading it says 404)."""
        with self.app.lock:
            self._spreadsheet(key)
            self.app.deleted.add(key)

    def set_drive_page_limit(self, files: int) -> None:
        """Give files.list pages of at most `files` (to drive paging with few spreadsheets)."""
        with self.app.lock:
            self.app.drive_page_limit = files

    def modified_time(self, key: str) -> str:
        with self.app.lock:
            return self._spreadsheet(key).modified_time

    def queue_ids(
        self,
        spreadsheets: Iterable[str] = (),
        sheets: Iterable[int] = (),
        named_ranges: Iterable[str] = (),
        protected_ranges: Iterable[int] = (),
    ) -> None:
        """Ids to hand out next, in order (for deterministic replays of recordings)."""
        with self.app.lock:
            self.app.ids.queue("spreadsheets", list(spreadsheets))
            self.app.ids.queue("sheets", list(sheets))
            self.app.ids.queue("namedRanges", list(named_ranges))
            self.app.ids.queue("protectedRanges", list(protected_ranges))

    # --- faults, quotas, clock ---------------------------------------------------------------

    def inject(
        self,
        status: int | None = None,
        count: int = 1,
        method: str | None = None,
        path: str | None = None,
        *,
        retry_after: int | str | None = None,
        delay: float | None = None,
        drop: bool = False,
        malformed: bool = False,
        html: bool = False,
        body: Any = None,
        applied: bool = False,
    ) -> None:
        """Make the next ``count`` requests matching ``method`` and the ``path`` regex misbehave.

        ``status`` alone gives Google's usual body for it (429 quota, 500 INTERNAL, 400 bad
        range...); ``body`` overrides it. ``delay`` (seconds) slows the real answer down;
        ``drop`` closes the connection unanswered; ``malformed`` sends broken JSON; ``html``
        sends the HTML error page of Google's front end (status 502 unless given). With
        ``applied`` the request takes effect first and only its answer is delayed or lost: a
        client that gives up and retries sends it twice.
        Faults match every route, ``POST /token`` included (google-auth retries a 5xx there after
        real ~1 s sleeps), so scope them with ``path`` (e.g. ``r"^/v4/"``).
        """
        fault = Fault(
            count, method, path, status, retry_after, delay, drop, malformed, html, body, applied
        )
        with self.app.lock:
            self.app.faults.add(fault)

    def clear_faults(self) -> None:
        with self.app.lock:
            self.app.faults.clear()

    def set_quota(
        self,
        read_per_user: int | None = None,
        read_per_project: int | None = None,
        write_per_user: int | None = None,
        write_per_project: int | None = None,
    ) -> None:
        """Change per-minute limits (defaults: 60 per user and 300 per project, reads and writes)."""
        changes = {
            "read_per_user": read_per_user,
            "read_per_project": read_per_project,
            "write_per_user": write_per_user,
            "write_per_project": write_per_project,
        }
        with self.app.lock:
            for name, value in changes.items():
                if value is not None:
                    setattr(self.app.quota.limits, name, int(value))

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock (quota windows, token expiry, Drive times) forward."""
        self.app.advance(seconds)

    def set_clock(self, clock: Callable[[], float]) -> None:
        self.app.set_clock(clock)

    # --- observation -------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Requests seen (control calls excluded): ``{"total": n, "by_route": {"GET /v4/...": n}}``."""
        with self.app.lock:
            return {"total": self.app.total, "by_route": dict(self.app.by_route)}

    def reset_stats(self) -> None:
        """Zero the counters and the request log, keeping spreadsheets, accounts and faults."""
        with self.app.lock:
            self.app.total = 0
            self.app.by_route.clear()
            self.app.log.clear()

    def requests(self) -> list[dict[str, Any]]:
        """Every request seen: method, decoded path, route, params, body, status, principal."""
        with self.app.lock:
            return [dict(entry) for entry in self.app.log]

    @property
    def internal_errors(self) -> list[str]:
        """Tracebacks of crashes inside the emulator (each also answered 500)."""
        return list(self.app.internal_errors)


def _seeded_sheet(
    sheet_id: int, title: str, position: int, rows: Iterable[Iterable[Any]], locale: str
) -> Sheet:
    grid = [list(row) for row in rows]
    height = max(DEFAULT_ROWS, len(grid))
    width = max(DEFAULT_COLUMNS, max((len(row) for row in grid), default=0))
    sheet = new_sheet(sheet_id, title, position, height, width)
    write_rows(sheet, 0, 0, grid, "RAW", locale)
    return sheet
