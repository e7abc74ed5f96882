"""The cycle's steps between the workbook and the local state: read with only the journal's new
rows, choose the generated tabs that changed, and move last year's journal rows out of the tab.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import date

from sheets_sync.history import JournalHistory
from sheets_sync.inputs.records import Records
from sheets_sync.report.journal import HEADER, KEYS_COLUMN, WIDTHS, WRAP
from sheets_sync.report.tabs import Cell, Row, Tab
from sheets_sync.state import LocalState
from sheets_sync.workbook import Snapshot, Workbook

logger = logging.getLogger(__name__)

ARCHIVE = "archive"  # the named task of moving old journal rows out of the tab


def read_snapshot(workbook: Workbook, state: LocalState, journal: str) -> Snapshot:
    """Read the workbook with the journal rows the state has not seen yet, key the state by the
    workbook's identity, and take the new rows in; read the journal whole when the state
    cannot vouch for the rows it skipped."""
    history = JournalHistory(state)
    state.workbook = state.workbook_for(workbook.label)
    start, width, mark = history.read_from()
    snapshot = workbook.read(journal_from=start, journal_width=width, journal_mark=mark)
    state.bind(snapshot.identity or workbook.label, workbook.label)
    if history.ingest(snapshot, journal):
        return snapshot
    logger.info("«%s» is not as the local state last read it: reading it whole", journal)
    snapshot = workbook.read()
    history.ingest(snapshot, journal)
    # Not the tabs last written either, maybe (a restored copy): write them all this time.
    history.save_tab_hashes({}, replace=True)
    return snapshot


def tab_hash(tab: Tab) -> str:
    """Return a digest of everything a backend writes of `tab` (values by their repr, so 1,
    "1" and 1.0 differ, and a text's control characters are escaped, never a separator)."""
    digest = hashlib.sha256(repr((tab.name, tab.widths, tab.frozen_rows, tab.wrap)).encode())
    for row in tab.rows:  # row by row: a 500,000-row tab is never held twice as text
        cells = "".join(f"\x1d{c.value!r}\x1f{c.style}" for c in row)
        digest.update(f"{cells}\x1d\x1e".encode())
    return digest.hexdigest()


def changed_tabs(
    tabs: Sequence[Tab], snapshot: Snapshot, history: JournalHistory
) -> tuple[list[Tab], dict[str, str]]:
    """Return the tabs whose content differs from the last write (or that are missing from the
    workbook), and every tab's hash to keep once written."""
    old = history.tab_hashes()
    hashes = {t.name: tab_hash(t) for t in tabs}
    present = set(snapshot.all_tabs)
    return [t for t in tabs if old.get(t.name) != hashes[t.name] or t.name not in present], hashes


def plan_start(records: Records, today: date) -> date:
    """Return the first day of the current plan period: rows before it leave the journal tab
    (never a day of today's own period, whatever the plan's title says)."""
    if records.school_year:
        start = date(records.plan_year, 9, 1)
        own = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    else:
        start = date(records.plan_year, 1, 1)
        own = date(today.year, 1, 1)
    return min(start, own)


def archive_due(state: LocalState, records: Records, today: date) -> bool:
    return JournalHistory(state).archive_due(plan_start(records, today))


def archive_old_rows(
    state: LocalState, snapshot: Snapshot, records: Records, today: date, journal: str
) -> tuple[int, list[Tab]]:
    """Move the journal's rows from before the plan period into the state (`snapshot` holds the
    whole tab); return how many rows leave the tab, and a tab «<journal> <period>» per period
    they belong to. Nothing when another run is archiving."""
    history = JournalHistory(state)
    start = plan_start(records, today)
    if snapshot.journal_from > 1 or not history.archive_due(start) or not state.hold(ARCHIVE):
        return 0, []
    if not history.archive_due(start):  # done by another run meanwhile
        state.let_go(ARCHIVE)
        return 0, []
    grid = snapshot.tabs.get(journal, [])
    count, periods = history.archive(grid, start, records.school_year)
    tabs = [archive_tab(f"{journal} {period}", rows) for period, rows in periods.items()]
    logger.info(
        "Moving %d rows of «%s» from before %s to %s",
        count,
        journal,
        start,
        ", ".join(f"«{t.name}»" for t in tabs),
    )
    return count, tabs


def archived(state: LocalState, count: int, snapshot: Snapshot, journal: str) -> None:
    """Record a written archive (or give the task up when nothing was archived)."""
    if count:
        JournalHistory(state).archived(count, snapshot.tabs.get(journal, []))
    state.let_go(ARCHIVE)


def archive_tab(name: str, rows: Sequence[Sequence[str]]) -> Tab:
    """Return a tab of archived journal rows, as they read in the journal."""
    header: Row = tuple(Cell(h, "header") for h in HEADER)
    body = tuple(tuple(Cell(v) for v in cells) for cells in rows)
    return Tab(
        name,
        (header, *body),
        WIDTHS,
        frozen_rows=1,
        wrap=WRAP,
        landscape=True,
        hidden=(KEYS_COLUMN,),
    )
