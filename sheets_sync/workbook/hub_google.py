"""A Google spreadsheet as the hub uses it: a source (read, and written by its own cycle), or the
summary (one staff tab read, the hub's tabs written), and the Drive listing of when each
spreadsheet last changed. One signed-in session serves them all (`client=`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sheets_sync.errors import SheetsSyncError, WorkbookError
from sheets_sync.report.tabs import Tab

from .drive import DRIVE_FILES_URL, Listing, list_spreadsheets
from .google import READ_FIELDS, GoogleWorkbook, _info
from .google_cells import MAX_CELLS, grid_size, grids_from, header_requests, quote_title
from .google_cells import tab_requests as cell_requests
from .google_limits import fit_tabs
from .hub_book import TabsRead, header_of

logger = logging.getLogger(__name__)

SPREADSHEET_URL = "https://sheets.googleapis.com/v4/spreadsheets/%s"
BATCH_UPDATE_URL = SPREADSHEET_URL + ":batchUpdate"


class SourceError(WorkbookError):
    """Google refused a request: the message says why in English, `status` is the HTTP status
    (0 when Google did not answer), for the hub to say it in Russian."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class HubGoogleWorkbook(GoogleWorkbook):
    """A GoogleWorkbook whose errors carry their HTTP status, with the hub's two extra calls."""

    def _explain(self, exc: Exception, what: str) -> SheetsSyncError:
        error = super()._explain(exc, what)
        response = getattr(exc, "response", None)
        return SourceError(str(error), int(getattr(response, "status_code", 0) or 0))

    def list_spreadsheets(self, before_page: Callable[[], object] = lambda: None) -> Listing:
        """Return when every spreadsheet the account sees last changed (a request a page;
        `before_page` is called before each, to pace them)."""

        def page(params: dict[str, str]) -> Mapping[str, Any]:
            before_page()
            return self._call("get", DRIVE_FILES_URL, params=params, what="the Drive listing")

        return list_spreadsheets(page)

    def read_tab(self, name: str, marks: Sequence[str]) -> TabsRead:
        """Return the staff tab `name` and the sheets of `marks` (the tabs a write replaces) in
        one request; the tabs are listed first only when one of them is missing."""
        known: set[str] | None = None
        for _ in range(2):
            tabs = [t for t in (name, *marks) if known is None or t in known]
            ranges = [quote_title(t) if t == name else f"{quote_title(t)}!A1" for t in tabs]
            try:
                data = self._call(
                    "get",
                    SPREADSHEET_URL % self.key,
                    what=f"the tab «{name}»",
                    params=[
                        ("includeGridData", "true"),
                        ("fields", READ_FIELDS),
                        *(("ranges", r) for r in ranges),
                    ],
                )
            except WorkbookError as exc:
                if known is not None or "Unable to parse range" not in str(exc):
                    raise
                known = set(self._metadata())
                continue
            sheets = {s["properties"]["title"]: _info(s["properties"]) for s in data["sheets"]}
            grid = grids_from(data).get(name, []) if name in sheets else None
            return TabsRead(grid, sheets, str(data.get("spreadsheetUrl", "")))
        raise AssertionError("unreachable")

    def write_tabs(self, read: TabsRead, tabs: Sequence[Tab], staff: Tab | None) -> None:
        """Replace `tabs` in one batchUpdate, adding the staff tab `staff` with its header row
        and its columns' widths when it is missing. Nothing else is touched."""
        sheets = dict(read.sheets)
        taken = {s.sheet_id for s in sheets.values()}
        old = {t.name: (i.rows, i.cols) for t in tabs if (i := sheets.get(t.name))}
        fixed = sum(i.rows * i.cols for n, i in sheets.items() if n not in old)
        fitted, notes, over = fit_tabs(tabs, old, fixed, 0)
        for note in notes:
            logger.warning("Google Sheets limits: %s", note)
        if over:
            raise WorkbookError(
                f"the summary spreadsheet {self.key} would grow past Google's {MAX_CELLS:,} "
                "cells: delete empty rows and columns of its other tabs"
            )
        body: list[dict[str, Any]] = []
        if staff is not None and staff.name not in sheets:
            sheet_id = self._new_id(staff.name, taken)
            header = header_of(staff)
            body += header_requests(sheet_id, staff.name, header, exists=False, widths=staff.widths)
        for tab in fitted:
            info = sheets.get(tab.name)
            sheet_id = info.sheet_id if info else self._new_id(tab.name, taken)
            body += cell_requests(tab, sheet_id, exists=info is not None)
        self._call(
            "post",
            BATCH_UPDATE_URL % self.key,
            body={"requests": body},
            what="the summary tabs",
        )
        logger.info("Wrote %d summary tabs to %s (%s cells)", len(fitted), self.key, _cells(fitted))


def _cells(tabs: Sequence[Tab]) -> int:
    return sum(r * c for r, c in map(grid_size, tabs))
