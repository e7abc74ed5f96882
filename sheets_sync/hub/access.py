"""The hub's connections: its summary workbook, every source's workbook (one signed-in Google
session for all of them), and when each source last changed; every Google request paced."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sheets_sync.errors import SheetsSyncError
from sheets_sync.report.tabs import Tab
from sheets_sync.settings.hub import HubSettings
from sheets_sync.settings.types import Settings, WorkbookSettings
from sheets_sync.workbook.hub_book import SummaryBook, TabsRead, XlsxSummary
from sheets_sync.workbook.xlsx import XlsxWorkbook

from .changes import Stamp
from .pacing import Buckets, PaceClock, PacedBook, TokenBucket, requests_of
from .sources import Source

if TYPE_CHECKING:
    from sheets_sync.workbook.hub_google import HubGoogleWorkbook

logger = logging.getLogger(__name__)


class HubAccess:
    """Opens the summary and the sources as `settings` says, paced on `clock`."""

    def __init__(
        self, settings: Settings, clock: PaceClock, buckets: Buckets | None = None
    ) -> None:
        """`buckets`: the last cycle's, so that a cycle right after another one does not start
        with a full burst (the quota counts by the minute, not by the cycle)."""
        assert settings.hub is not None
        self.settings = settings
        self.hub = settings.hub
        self.clock = clock
        self.buckets = buckets or new_buckets(self.hub, clock)
        self._google: HubGoogleWorkbook | None = None
        self._books: list[object] = []
        self.summary: SummaryBook = self._summary()

    @property
    def account(self) -> str:
        info = self.settings.google.credentials_info or {}
        return str(info.get("client_email", ""))

    @property
    def requests(self) -> int:
        """Return the Google requests sent so far (Sheets and Drive)."""
        return sum(requests_of(b) for b in self._books)

    def settings_for(self, source: Source) -> Settings:
        """Return the settings of `source`'s own cycle: these settings, its workbook."""
        if source.kind == "google":
            book = WorkbookSettings("google", spreadsheet=source.location)
        else:
            book = WorkbookSettings("xlsx", path=Path(source.location))
        return replace(self.settings, workbook=book)

    def _new_google(self, settings: Settings) -> HubGoogleWorkbook:
        from sheets_sync.workbook.hub_google import HubGoogleWorkbook  # gspread: slow to import

        client = self._google.client if self._google else None
        book = HubGoogleWorkbook(
            settings, sleep=self.clock.sleep, clock=self.clock.monotonic, client=client
        )
        self._google = self._google or book
        self._books.append(book)
        return book

    def _summary(self) -> SummaryBook:
        book = self.hub.workbook
        if book.backend == "google":
            return self._new_google(replace(self.settings, workbook=book))
        assert book.path is not None
        return XlsxSummary(book.path, self.settings.tabs)

    def workbook(self, source: Source) -> PacedBook:
        """Return `source`'s workbook; a source only read is not asked for the generated tabs."""
        settings = self.settings_for(source)
        if source.kind == "xlsx":
            return PacedBook(XlsxWorkbook(Path(source.location), settings.tabs), None)
        book = self._new_google(settings)
        if source.read_only:
            book.skip_tabs = frozenset(settings.tabs.generated)
        return PacedBook(book, self.buckets)

    # -- the summary, paced -----------------------------------------------------------------

    def read_summary(self) -> TabsRead:
        before = self._take(self.summary, self.buckets.reads)
        try:
            return self.summary.read_tab(self.hub.tabs.sources, self.hub.tabs.generated)
        finally:
            self._settle(self.summary, self.buckets.reads, before)

    def write_summary(self, read: TabsRead, tabs: Sequence[Tab], staff: Tab) -> None:
        before = self._take(self.summary, self.buckets.writes)
        try:
            self.summary.write_tabs(read, tabs, staff)
        finally:
            self._settle(self.summary, self.buckets.writes, before)

    def _take(self, book: object, bucket: TokenBucket) -> int:
        if self.hub.workbook.backend == "google":
            bucket.take()
        return requests_of(book)

    def _settle(self, book: object, bucket: TokenBucket, before: int) -> None:
        if self.hub.workbook.backend == "google":
            bucket.charge(requests_of(book) - before - 1)

    # -- what changed -----------------------------------------------------------------------

    def stamps(self, sources: Sequence[Source]) -> tuple[dict[str, Stamp], str]:
        """Return when each source last changed (a source missing here is read), and why the
        Drive listing failed ("" when it did not)."""
        stamps = {s.identity: stamp for s in sources if (stamp := _file_stamp(s)) is not None}
        google = [s for s in sources if s.kind == "google"]
        if not google:
            return stamps, ""
        anchor = self._google or self._new_google(self.settings_for(google[0]))
        try:
            listing = anchor.list_spreadsheets(before_page=self.buckets.reads.take)
        except SheetsSyncError as exc:
            logger.warning("the Drive listing failed: %s; every Google source is read", exc)
            return stamps, str(exc)
        if not listing.complete:
            logger.warning("Drive searched only some drives: the sources it missed are read")
        for s in google:
            times = listing.files.get(s.location)
            if times is not None:
                stamps[s.identity] = Stamp(times.modified, times.modified_by_me)
        return stamps, ""


def new_buckets(hub: HubSettings, clock: PaceClock) -> Buckets:
    """Return full buckets for the hub's reads and writes."""
    return Buckets(
        TokenBucket(hub.reads_per_minute, hub.burst, clock),
        TokenBucket(hub.writes_per_minute, hub.burst, clock),
    )


def _file_stamp(source: Source) -> Stamp | None:
    """Return an .xlsx source's modification time and size, or None (not a file, or gone)."""
    if source.kind != "xlsx":
        return None
    try:
        st = Path(source.location).stat()
    except OSError:
        return None
    return Stamp(f"{st.st_mtime_ns}:{st.st_size}")
