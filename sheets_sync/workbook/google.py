"""Google Sheets through gspread + google-auth with a service account.

Two requests per cycle: one spreadsheets.get reads every input tab (formatted values, as a
person sees them) and the journal rows added since the last cycle, with the sheet metadata the
write needs; one spreadsheets.batchUpdate creates missing generated tabs, rewrites those whose
content changed, colours them and appends to the journal. A write over Google's 10 MB per
request is split into as few batchUpdates as stay under it (`google_write.py`), each applied
whole, the journal first. Journal rows are appended and de-duplicated in the same batchUpdate,
so a retried write never journals an email twice. Staff tabs are never written, so nothing a
person saves meanwhile can be overwritten; the write raises WorkbookChanged only when a tab it
was to add was added meanwhile (another run's first write), so the cycle reads again. 429, 5xx,
timeouts and outages of the token endpoint are retried with exponential backoff and jitter,
honouring Retry-After, within `google.retry_seconds`.
"""

from __future__ import annotations

import logging
import random
import re
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import gspread
import requests
from google.auth.exceptions import RefreshError, TransportError
from gspread.exceptions import APIError
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL, SPREADSHEET_URL

from sheets_sync.errors import SheetsSyncError, WorkbookChanged, WorkbookError
from sheets_sync.inputs.cells import CellMark, Grid, column_letter
from sheets_sync.report.journal import HEADER as JOURNAL_HEADER
from sheets_sync.report.journal import KEYS_COLUMN
from sheets_sync.report.journal import WIDTHS as JOURNAL_WIDTHS
from sheets_sync.report.tabs import Row, Tab
from sheets_sync.settings.types import Settings
from sheets_sync.workbook import SheetInfo, Snapshot, input_tabs

from .google_cells import (
    MAX_CELLS,
    grids_from,
    header_requests,
    quote_title,
)
from .google_limits import extension_problem, fit_write
from .google_marks import MARK_FIELDS, filled_cells, mark_ranges, still_empty
from .google_session import authorized_session
from .google_write import (
    MAX_REQUEST_BYTES,
    hidden_column,
    journal_parts,
    mark_requests,
    pack,
    tab_parts,
)

logger = logging.getLogger(__name__)

_KEY_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_KEY = re.compile(r"^[A-Za-z0-9_-]{10,}$")
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
READ_FIELDS = (
    "properties.title,spreadsheetUrl,"
    "sheets(properties(sheetId,title,index,gridProperties),merges,"
    "data(startRow,startColumn,rowData.values.formattedValue))"
)


JSON_UTF8 = "application/json; charset=UTF-8"


class GoogleUnavailable(WorkbookError):
    """Google did not answer within the retry budget."""


def spreadsheet_key(text: str) -> str:
    """Return the key of a spreadsheet named by its URL or by the key itself."""
    match = _KEY_IN_URL.search(text)
    key = match.group(1) if match else text.strip()
    if not _KEY.match(key):
        raise WorkbookError(
            f'"{text}" is neither a Google Sheets URL nor a spreadsheet key: copy the address '
            "from the browser (https://docs.google.com/spreadsheets/d/.../edit) into "
            "`workbook.spreadsheet`"
        )
    return key


class GoogleWorkbook:
    """The workbook backend for a Google spreadsheet."""

    max_request_bytes = MAX_REQUEST_BYTES

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        client: gspread.Client | None = None,
    ) -> None:
        """`client`: another workbook's, to share its signed-in session (the hub's sources)."""
        info = settings.google.credentials_info
        if not info:
            raise WorkbookError(
                "Google credentials are missing: set `google.credentials` or "
                "SHEETS_SYNC_GOOGLE_CREDENTIALS_FILE (see `python run.py check`)"
            )
        self.key = spreadsheet_key(settings.workbook.spreadsheet or "")
        self.label = self.key
        self.names = settings.tabs
        self.account = str(info.get("client_email", ""))
        self.timeout = settings.google.timeout_seconds
        self.budget = settings.google.retry_seconds
        self.sleep, self.clock, self.jitter = sleep, clock, jitter
        self.requests = 0
        self.sizes: list[int] = []  # the bytes of each write request sent
        self.received: list[int] = []  # the bytes of each answer
        # Tabs a read does not ask for: the hub, only summarizing a source, skips the generated
        # tabs and the journal (which such a source does not have: asking costs two requests).
        self.skip_tabs: frozenset[str] = frozenset()
        if client is not None:
            self.client = client
            return
        try:
            session = authorized_session(info, settings.google.api_endpoint)
        except ValueError as exc:  # an unparsable private key
            raise WorkbookError(
                f"the service-account key cannot be used ({exc}): create a new "
                "JSON key for the service account"
            ) from exc
        self.client = gspread.Client(auth=None, session=session)  # type: ignore[arg-type]
        self.client.set_timeout(self.timeout)

    # -- the wire ---------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        body: Mapping[str, Any] | None = None,
        data: bytes | None = None,
        what: str,
    ) -> dict[str, Any]:
        """Send one API request and return its JSON, retrying what is worth retrying."""
        deadline = self.clock() + self.budget
        attempt = 0
        while True:
            attempt += 1
            self.requests += 1
            problem = ""
            wait = min(2.0 ** (attempt - 1), 32.0) * (0.5 + self.jitter() / 2)
            try:
                response = self.client.http_client.request(
                    method,
                    url,
                    params=params,
                    json=body,
                    data=data,
                    headers={"Content-Type": JSON_UTF8} if data is not None else None,
                )
                self.received.append(len(response.content))
                return dict(response.json())
            except APIError as exc:
                status = exc.response.status_code
                if status not in _RETRY_STATUSES:
                    raise self._explain(exc, what) from exc
                problem = f"HTTP {status}"
                wait = max(wait, _retry_after(exc.response))
            except (requests.Timeout, requests.ConnectionError) as exc:
                problem = f"no answer ({exc.__class__.__name__})"
            except (RefreshError, TransportError) as exc:
                # Only invalid_grant says the key is bad; anything else from the token endpoint
                # (a 5xx, an HTML error page, no answer) is an outage, retried like a 5xx.
                if "invalid_grant" in str(exc):
                    raise self._explain(exc, what) from exc
                problem = f"Google's sign-in service failed ({' '.join(str(exc).split())[:80]})"
            except ValueError:  # a 200 whose body is not JSON: a proxy hiccup
                problem = "a reply that is not JSON"
            except Exception as exc:
                raise self._explain(exc, what) from exc
            if self.clock() + wait > deadline:
                raise GoogleUnavailable(
                    f"Google Sheets did not answer {what} ({problem}, {attempt} tries in "
                    f"{self.budget:.0f} s): try again later, or raise `google.retry_seconds`"
                )
            logger.info("Google Sheets: %s on %s; retrying in %.1f s", problem, what, wait)
            self.sleep(wait)

    def _explain(self, exc: Exception, what: str) -> SheetsSyncError:
        """Turn an error from Google into what a coordinator can act on."""
        if not isinstance(exc, APIError):
            text = str(exc)
            if "invalid_grant" in text:
                return WorkbookError(
                    f"Google refused the service-account key ({text}): the key was deleted or "
                    "is not this account's; create a new JSON key and point "
                    "`google.credentials` at it"
                )
            return WorkbookError(f"cannot reach Google Sheets for {what}: {text}")
        status = exc.response.status_code
        message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else ""
        if status == 403 and (
            "has not been used" in message or "SERVICE_DISABLED" in str(exc.error)
        ):
            link = re.search(r"https://console\.developers\.google\.com/\S+?(?=\s|$)", message)
            where = link.group(0).rstrip(".") if link else "Google Cloud Console > APIs > Sheets"
            return WorkbookError(
                "the Google Sheets API is not enabled for the service account's project: open "
                f"{where}, press Enable, wait a minute and run again"
            )
        if status == 403:
            return WorkbookError(
                f"the spreadsheet {self.key} is not shared with the service account: open it in "
                f"Google Sheets, press Share and add {self.account} as an Editor"
            )
        if status == 404:
            return WorkbookError(
                f"there is no spreadsheet with the key {self.key}: check `workbook.spreadsheet` "
                "(copy the address from the browser)"
            )
        if status == 401:
            return WorkbookError(
                f"Google did not accept the service account's credentials ({message}): create a "
                "new JSON key for the account"
            )
        return WorkbookError(f"Google Sheets refused {what}: HTTP {status}: {message}")

    # -- reading ----------------------------------------------------------------------------

    def _metadata(self) -> dict[str, SheetInfo]:
        data = self._call(
            "get",
            SPREADSHEET_URL % self.key,
            params={"fields": "sheets.properties(sheetId,title,gridProperties)"},
            what="the list of tabs",
        )
        return {s["properties"]["title"]: _info(s["properties"]) for s in data.get("sheets", [])}

    def read(
        self, journal_from: int = 1, journal_width: int = 0, journal_mark: str = ""
    ) -> Snapshot:  # (a spreadsheet has no cheap fingerprint: journal_mark is not used)
        wanted = [t for t in input_tabs(self.names) if t not in self.skip_tabs]
        generated = [
            t for t in self.names.generated if t != self.names.journal and t not in self.skip_tabs
        ]
        known: set[str] | None = None
        for _ in range(3):
            names = [n for n in wanted if known is None or n in known]
            marks = [n for n in generated if known is None or n in known]
            ranges = [*self._ranges(names, journal_from, journal_width)]
            ranges += [f"{quote_title(n)}!A1" for n in marks]
            try:
                data = self._call(
                    "get",
                    SPREADSHEET_URL % self.key,
                    what="the input tabs",
                    params=[
                        ("includeGridData", "true"),
                        ("fields", READ_FIELDS),
                        *(("ranges", r) for r in ranges),
                    ],
                )
            except WorkbookError as exc:
                if journal_from > 1 and "exceeds grid limits" in str(exc):
                    journal_from = 1  # the journal is shorter than the state knew: read it all
                    continue
                if known is not None or "Unable to parse range" not in str(exc):
                    raise
                # A tab is missing (a first run has no generated tabs yet): list the tabs.
                known = set(self._metadata())
                continue
            return self._snapshot(data, names, journal_from)
        raise AssertionError("unreachable")

    def _ranges(self, names: Sequence[str], journal_from: int, width: int) -> list[str]:
        """Return the ranges to read: each input tab whole, the journal's header row and its
        rows from `journal_from` on."""
        ranges = []
        for name in names:
            if name != self.names.journal or journal_from <= 1:
                ranges.append(quote_title(name))
                continue
            last = column_letter(max(width, len(JOURNAL_HEADER)))
            ranges += [
                f"{quote_title(name)}!1:1",
                f"{quote_title(name)}!A{journal_from + 1}:{last}",
            ]
        return ranges

    def _snapshot(
        self, data: Mapping[str, Any], names: Sequence[str], journal_from: int
    ) -> Snapshot:
        sheets = {s["properties"]["title"]: _info(s["properties"]) for s in data.get("sheets", [])}
        grids = grids_from(data)
        tabs: dict[str, Grid] = {n: grids.get(n, []) for n in names if n in sheets}
        journal = tabs.get(self.names.journal)
        if journal and journal_from > 1:
            tabs[self.names.journal] = journal[:1] + journal[journal_from:]
        if self.names.roadmap not in tabs:
            raise WorkbookError(
                f"the spreadsheet has no tab «{self.names.roadmap}»: add it (or run "
                "`python run.py init`), or name the tab in `tabs.roadmap`"
            )
        return Snapshot(
            title=data.get("properties", {}).get("title", self.key),
            tabs=tabs,
            version="",
            url=data.get("spreadsheetUrl", ""),
            all_tabs=tuple(sheets),
            sheets=sheets,
            identity=self.key,
            journal_from=journal_from,
        )

    # -- writing ----------------------------------------------------------------------------

    def _new_id(self, title: str, taken: set[int]) -> int:
        sheet_id = zlib.crc32(title.encode()) & 0x3FFFFFFF
        while sheet_id in taken:
            sheet_id += 1
        taken.add(sheet_id)
        return sheet_id

    def _fit(self, snapshot: Snapshot, tabs: Sequence[Tab], journal: Sequence[Row]) -> list[Tab]:
        """Cut the tabs to Google's size limits, logging what was cut; refuse a write that
        cannot fit even so (Google would refuse it whole)."""
        fitted, notes, over = fit_write(snapshot, tabs, self.names.journal, journal)
        for note in notes:
            logger.warning("Google Sheets limits: %s", note)
        if over:
            raise WorkbookError(
                f"the spreadsheet {self.key} would grow past Google's {MAX_CELLS:,} cells by "
                f"{over:,} even with the generated tabs cut: delete empty rows and columns "
                "on the staff tabs, or start a new journal tab"
            )
        return fitted

    def write(
        self,
        snapshot: Snapshot,
        tabs: Sequence[Tab],
        journal: Sequence[Row],
        *,
        drop_journal_rows: int = 0,
        marks: Sequence[CellMark] = (),
    ) -> None:
        tabs = self._fit(snapshot, tabs, journal)
        sheets = dict(snapshot.sheets)
        if any(t.name not in sheets and t.name not in self.names.generated for t in tabs):
            sheets = {**self._metadata(), **sheets}  # tabs the read did not ask for (archives)
        taken = {s.sheet_id for s in sheets.values()}
        ids = {}
        for tab in tabs:
            info = sheets.get(tab.name)
            ids[tab.name] = info.sheet_id if info else self._new_id(tab.name, taken)
        name = self.names.journal
        info = sheets.get(name)
        journal_id = info.sheet_id if info else self._new_id(name, taken)
        limit = self.max_request_bytes
        # Archived rows reach their tab before they leave the journal; the journal comes before
        # the summary tabs, so a write cut short leaves it complete.
        first = [t for t in tabs if t.name not in self.names.generated]
        staff = {n: s.sheet_id for n, s in snapshot.sheets.items()}
        marks = self._still_empty([m for m in marks if m.ref.tab in staff])
        units = [[p] for p in mark_requests(marks, staff)]
        units += [[p] for t in first for p in tab_parts(t, ids[t.name], t.name in sheets, limit)]
        # (A journal tab made by this write comes last, as it does in the tab bar.)
        journal_units = journal_parts(
            journal_id, name, info is not None, journal, drop_journal_rows, limit
        )
        units += journal_units if info else []
        units += [
            [p]
            for t in tabs
            if t.name in self.names.generated
            for p in tab_parts(t, ids[t.name], t.name in sheets, limit)
        ]
        units += [] if info else journal_units
        bodies = pack(units, limit)
        for n, body in enumerate(bodies, start=1):
            what = "the summary tabs" + (f" (part {n} of {len(bodies)})" if len(bodies) > 1 else "")
            self.sizes.append(len(body))
            try:
                self._call("post", SPREADSHEET_BATCH_UPDATE_URL % self.key, data=body, what=what)
            except WorkbookError as exc:
                if n == 1 and "already exists" in str(exc):  # another run added the tab first
                    raise WorkbookChanged(f"the tabs of {self.key} changed: {exc}") from exc
                raise
        logger.info(
            "Wrote %d tabs and %d journal rows to %s in %d request(s)",
            len(tabs),
            len(journal),
            self.key,
            len(bodies),
        )

    def _still_empty(self, marks: Sequence[CellMark]) -> list[CellMark]:
        """Return the marks whose cells are still empty now, read back just before the write
        (`google_marks.py`), a hundred cells a request."""
        filled: set[tuple[str, int, int]] = set()
        for start in range(0, len(marks), 100):
            ranges = mark_ranges(marks[start : start + 100])
            data = self._call(
                "get",
                SPREADSHEET_URL % self.key,
                what="the cells the replies' dates go to",
                params=[
                    ("includeGridData", "true"),
                    ("fields", MARK_FIELDS),
                    *(("ranges", r) for r in ranges),
                ],
            )
            filled |= filled_cells(data)
        kept = still_empty(marks, filled)
        if len(kept) < len(marks):
            logger.warning(
                "%d date(s) from replies not written: their cells were filled since the read",
                len(marks) - len(kept),
            )
        return kept

    def init(self, headers: dict[str, tuple[str, ...]]) -> list[str]:
        sheets = self._metadata()
        taken = {s.sheet_id for s in sheets.values()}
        added = [name for name in headers if name not in sheets]
        requests_: list[dict[str, Any]] = []
        for name in added:
            sheet_id = self._new_id(name, taken)
            journal = name == self.names.journal
            requests_ += header_requests(
                sheet_id,
                name,
                headers[name],
                exists=False,
                color=journal,
                widths=JOURNAL_WIDTHS if journal else (),
            )
            if journal:
                requests_.append(hidden_column(sheet_id, KEYS_COLUMN - 1))
        if requests_:
            self._call(
                "post",
                SPREADSHEET_BATCH_UPDATE_URL % self.key,
                body={"requests": requests_},
                what="the new tabs",
            )
        return added

    def extend(
        self,
        snapshot: Snapshot,
        tab: str,
        header_row: int,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
    ) -> None:
        info = snapshot.sheets.get(tab)
        if info is None:
            raise WorkbookError(f"the spreadsheet has no tab «{tab}»")
        grid = snapshot.tabs.get(tab, [])
        width = max((len(r) for r in grid[:header_row]), default=0)
        problem = extension_problem(snapshot, tab, width + len(headers), len(rows))
        if problem:
            raise WorkbookError(problem)
        requests_: list[dict[str, Any]] = []
        if width + len(headers) > info.cols:
            requests_.append(
                {
                    "appendDimension": {
                        "sheetId": info.sheet_id,
                        "dimension": "COLUMNS",
                        "length": width + len(headers) - info.cols,
                    }
                }
            )
        if headers:
            requests_.append(
                {
                    "updateCells": {
                        "start": {
                            "sheetId": info.sheet_id,
                            "rowIndex": header_row - 1,
                            "columnIndex": width,
                        },
                        "rows": [
                            {
                                "values": [
                                    {
                                        "userEnteredValue": {"stringValue": h},
                                        "userEnteredFormat": {"textFormat": {"bold": True}},
                                    }
                                    for h in headers
                                ]
                            }
                        ],
                        "fields": "userEnteredValue,userEnteredFormat.textFormat.bold",
                    }
                }
            )
        if rows:
            requests_.append(
                {
                    "appendCells": {
                        "sheetId": info.sheet_id,
                        "fields": "userEnteredValue",
                        "rows": [
                            {
                                "values": [
                                    {"userEnteredValue": {"stringValue": v}} if v else {} for v in r
                                ]
                            }
                            for r in rows
                        ],
                    }
                }
            )
        if requests_:
            self._call(
                "post",
                SPREADSHEET_BATCH_UPDATE_URL % self.key,
                body={"requests": requests_},
                what=f"the new columns of «{tab}»",
            )

    def put_tab(
        self, snapshot: Snapshot, name: str, rows: Sequence[Sequence[str]], header_row: int
    ) -> None:
        """Rewrite (or add) the staff tab `name` in one batchUpdate; other tabs are not
        addressed (workbook/google_tab.py)."""
        from .google_tab import put_tab_requests

        sheets = self._metadata()  # the snapshot holds only the tabs a cycle reads
        existing = sheets.get(name)
        taken = {s.sheet_id for s in sheets.values()}
        sheet_id = existing.sheet_id if existing else self._new_id(name, taken)
        self._call(
            "post",
            SPREADSHEET_BATCH_UPDATE_URL % self.key,
            body={"requests": put_tab_requests(name, rows, header_row, sheet_id, existing, sheets)},
            what=f"the tab «{name}»",
        )


def _info(props: Mapping[str, Any]) -> SheetInfo:
    grid = props.get("gridProperties", {})
    return SheetInfo(
        int(props.get("sheetId", 0)), int(grid.get("rowCount", 0)), int(grid.get("columnCount", 0))
    )


def _retry_after(response: requests.Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 0.0
