"""One hub cycle: read «Источники» from the summary workbook, list when every source last
changed (one Drive request for up to 1,000 spreadsheets), process each active source (kept,
recomputed, read, or run through its own cycle), and write the hub's four tabs to the summary
in one request. A cycle where nothing changed costs three requests."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sheets_sync.errors import WorkbookChanged
from sheets_sync.inputs.problems import Problems
from sheets_sync.mail.delivery import Delivery
from sheets_sync.report.context import Health
from sheets_sync.report.tabs import Tab
from sheets_sync.settings.hub import HubSettings
from sheets_sync.settings.load import project_root
from sheets_sync.settings.types import Settings

from .access import HubAccess
from .changes import Action
from .lists import HubProblem, overdue_tab, problems_tab
from .process import Outcome, Run, process, skipped
from .report import HubContext, municipalities_tab, summary_tab
from .sources import Source, from_settings, from_tab, make_source, merge, sources_tab
from .store import HubStore

logger = logging.getLogger("sheets_sync.hub")


@dataclass(slots=True)
class HubResult:
    """What one hub cycle found, did and wrote."""

    today: date
    sources: list[Source] = field(default_factory=list)  # the active ones
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[HubProblem] = field(default_factory=list)
    tabs: list[Tab] = field(default_factory=list)
    requests: int = 0  # Google requests (Sheets and Drive) this cycle
    waited: float = 0.0  # seconds spent pacing
    delivery_error: str = ""

    @property
    def sent(self) -> int:
        return sum(o.sent for o in self.outcomes)

    def count(self, *actions: Action) -> int:
        return sum(1 for o in self.outcomes if o.action in actions and not o.row.failed)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.row.failed)


def hub_identity(hub: HubSettings) -> str:
    """Return the summary workbook's identity: the hub's state is kept under it."""
    book = hub.workbook
    text = (book.spreadsheet if book.backend == "google" else str(book.path)) or ""
    source = make_source(text, Path("."))  # a summary .xlsx path is absolute already
    return source.identity if source else text


def _sources(
    settings: Settings, grid: list[list[str]] | None, problems: Problems
) -> tuple[list[Source], int]:
    """Return the active sources (the settings' and the tab's, merged) and how many are not."""
    hub = settings.hub
    assert hub is not None
    root = project_root(settings.source)
    rows = []
    if grid is not None:
        rows = from_tab(hub.tabs.sources, grid, settings.columns["sources"], root, problems)
    merged = merge(from_settings(hub.sources, root), rows)
    summary = hub_identity(hub)
    for s in merged:
        if s.identity == summary and s.ref is not None:
            problems.at(
                s.ref,
                "это сама сводная таблица: её листы пишет хаб, источником она быть не может",
                "Удалите строку.",
            )
    active = [s for s in merged if s.active and s.identity != summary]
    return active, sum(1 for s in merged if not s.active)


def run_hub(
    settings: Settings,
    access: HubAccess,
    delivery: Delivery,
    *,
    today: date,
    now: datetime,
    send: bool = True,
    health: Health | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> HubResult:
    """Run one hub cycle as of `today`; `send=False` (the service's refreshes) runs no source's
    sending cycle, only what changed; `stop` ends the cycle early, the rest left as they were."""
    hub = settings.hub
    assert hub is not None
    result = HubResult(today)
    start = access.requests
    waited = access.buckets.reads.waited + access.buckets.writes.waited
    with HubStore(settings.state_dir, hub_identity(hub)) as store:
        read = access.read_summary()
        tab_problems = Problems()
        sources, inactive = _sources(settings, read.grid, tab_problems)
        result.sources = sources
        stamps, listing_error = access.stamps(sources)
        run = Run(settings, access, delivery, store, today, now)
        sending = send
        for source in sources:
            if stop():
                result.outcomes.append(skipped(run, source))
                continue
            outcome = process(run, source, stamps.get(source.identity), send=sending)
            if outcome.delivery_error and sending:
                result.delivery_error, sending = outcome.delivery_error, False
            result.outcomes.append(outcome)
        result.problems = _problems(hub, tab_problems, listing_error, result.outcomes)
        result.requests = access.requests - start
        note = _note(result, inactive, access)
        ctx = HubContext(today, now, hub.due_within_days, note, health)
        result.tabs = _tabs(hub, result, ctx)
        staff = sources_tab(hub.tabs.sources, settings.columns["sources"])
        try:
            access.write_summary(read, result.tabs, staff)
        except WorkbookChanged:  # someone saved the summary file meanwhile: write over the new one
            access.write_summary(access.read_summary(), result.tabs, staff)
    result.requests = access.requests - start
    result.waited = access.buckets.reads.waited + access.buckets.writes.waited - waited
    return result


def _problems(
    hub: HubSettings, tab: Problems, listing_error: str, outcomes: list[Outcome]
) -> list[HubProblem]:
    problems = [
        HubProblem(f"«{hub.tabs.sources}»", f"«{p.tab}», {p.cell}", p.what, p.fix) for p in tab
    ]
    if listing_error:
        problems.append(
            HubProblem(
                "",
                "Google Drive",
                "не удалось узнать, какие таблицы изменились: каждый источник прочитан заново",
                "Администратору: включите Google Drive API в проекте служебного аккаунта "
                f"(подробности: {listing_error}).",
            )
        )
    for outcome in outcomes:
        problems += outcome.problems
    return problems


def _note(result: HubResult, inactive: int, access: HubAccess) -> str:
    read = result.count(Action.READ, Action.CYCLE)
    kept = result.count(Action.KEEP, Action.RECOMPUTE)
    google = 1 if access.hub.workbook.backend == "google" else 0
    off = f" (не участвуют: {inactive})" if inactive else ""
    return (
        f"Источников: {len(result.sources)}{off}; прочитано: {read}, без изменений: {kept}, "
        f"не прочитано: {result.failed}; запросов к Google за цикл: {result.requests + google}"
    )


def _tabs(hub: HubSettings, result: HubResult, ctx: HubContext) -> list[Tab]:
    rows = [o.row for o in result.outcomes]
    names = hub.tabs
    return [
        summary_tab(rows, ctx, names.summary),
        overdue_tab(rows, names.overdue),
        municipalities_tab(rows, ctx, names.municipalities),
        problems_tab(result.problems, names.problems),
    ]
