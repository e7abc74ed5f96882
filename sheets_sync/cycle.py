"""One run: read -> compute -> send -> write.

Emails go out before the tabs are written: the local state records each one before and after
sending, so a failed write loses nothing (its journal rows are written next time) and a rerun
sends nothing twice. If the workbook changed on disk meanwhile, it is read again and the tabs
recomputed; what was already sent is not sent again.

The journal is read from where the last run stopped (`cycle_steps.read_snapshot`): what was sent
is asked of the local state, for the reminders due today only. Only the generated tabs whose
content changed are written. Python's garbage collector is held back during a cycle: its objects
live until the cycle ends, and collecting them early only costs time.
"""

from __future__ import annotations

import gc
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sheets_sync import cycle_steps as steps
from sheets_sync.errors import WorkbookChanged, WorkbookError
from sheets_sync.history import JournalHistory
from sheets_sync.inputs.plan import read_records
from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Records
from sheets_sync.mail.delivery import Delivery, DeliveryUnavailable
from sheets_sync.mail.render import Email
from sheets_sync.mailbox import Adjust, Mailbox, adjuster, inbox_tabs, mailbox_for
from sheets_sync.mailing import coordinator_addresses, mailing_for, render_all
from sheets_sync.obligations import Obligation, State, obligations_on
from sheets_sync.outcome import REFRESH_NOTE, run_note, run_problems
from sheets_sync.reminders import Mailing
from sheets_sync.report.build import build_tabs
from sheets_sync.report.context import Health, ReportContext
from sheets_sync.report.tabs import Tab
from sheets_sync.sending import Sent, resend_in_flight, send_all
from sheets_sync.sent_keys import SentLookup, former_ids
from sheets_sync.settings.types import Settings
from sheets_sync.state import FILE, LocalState
from sheets_sync.workbook import Snapshot, Workbook

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


@dataclass(slots=True)
class RunResult:
    """What one run found, sent and wrote."""

    today: date
    records: Records | None = None
    obligations: list[Obligation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mailing: Mailing = field(default_factory=lambda: Mailing(()))
    emails: list[Email] = field(default_factory=list)
    outcome: Sent = field(default_factory=Sent)
    resent: int = 0
    tabs: list[Tab] = field(default_factory=list)
    hold_reason: str = ""  # why nothing was sent, if so
    over_cap: bool = False
    delivery_error: str = ""  # the mail server could not be used at all
    written: bool = False
    written_tabs: list[str] = field(default_factory=list)  # those whose content changed
    journal_rows: int = 0  # rows appended to the journal
    marked: int = 0  # dates replies brought, written into «Сдача отчётов»
    reads: int = 0

    @property
    def sent(self) -> list[Email]:
        return self.outcome.sent

    @property
    def failed(self) -> list[tuple[Email, str]]:
        return self.outcome.failed


@dataclass(frozen=True, slots=True)
class Computed:
    records: Records
    obligations: list[Obligation]
    problems: tuple[Problem, ...]


def compute(
    snapshot: Snapshot, settings: Settings, today: date, adjust: Adjust | None = None
) -> Computed:
    """Return records, obligations and problems of a snapshot on `today` (no side effects but
    `adjust`'s)."""
    records = read_records(
        snapshot.tabs,
        settings.reading,
        title=snapshot.title,
        fallback_year=today.year,
        uncalculated=snapshot.uncalculated,
        all_tabs=snapshot.all_tabs,
    )
    found: list[Problem] = []
    if adjust is not None:
        records, found = adjust(records)
    obligations, more = obligations_on(
        records, today, settings.reminders.due_soon_days, coordinator_addresses(settings)
    )
    return Computed(records, obligations, (*records.problems, *found, *more))


@contextmanager
def collector_held() -> Iterator[None]:
    """Keep Python's cyclic garbage collector out of the way for a cycle: what exists is frozen
    (never scanned again) and what the cycle makes is collected only in rare, large batches."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(200_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _state_folder(settings: Settings, dry_run: bool) -> Path | None:
    """A dry run never creates the state: it works on a copy in memory when there is none."""
    folder = settings.state_dir
    return None if dry_run and not (folder / FILE).exists() else folder


def run_cycle(
    settings: Settings,
    workbook: Workbook,
    delivery: Delivery,
    *,
    today: date,
    now: datetime,
    dry_run: bool = False,
    send: bool = True,
    health: Health | None = None,
) -> RunResult:
    """Run one cycle on `workbook` as of `today`; `now` stamps emails and the summary.
    `send=False` refreshes the tabs and sends nothing (the service between its daily sends);
    `health` is the service's, shown in «Сводка»."""
    result = RunResult(today)
    with collector_held(), LocalState(_state_folder(settings, dry_run)) as state:
        attempts = 0
        mailbox: Mailbox | None = None
        while attempts < MAX_ATTEMPTS:
            snapshot = steps.read_snapshot(workbook, state, settings.tabs.journal)
            result.reads += 1
            if result.reads == 1 and send and not dry_run:
                _resend(result, state, delivery, now)
            if mailbox is None:
                mailbox = mailbox_for(settings, state, now, dry_run)
            computed = compute(
                snapshot, settings, today, adjuster(mailbox, settings, state, today, dry_run)
            )
            if (
                not dry_run
                and snapshot.journal_from > 1
                and steps.archive_due(state, computed.records, today)
            ):
                # Read the journal whole (once a year): last year's rows move out of it.
                JournalHistory(state).forget_cursor()
                continue
            attempts += 1
            _plan(result, computed, settings, snapshot, state, workbook.label)
            if dry_run:
                result.problems = run_problems(result, computed, settings, dry_run=True)
                return result
            if send and result.emails and not result.over_cap and not result.delivery_error:
                try:
                    send_all(
                        result.emails, state, delivery, settings.mail, now, result.outcome, today
                    )
                except DeliveryUnavailable as exc:
                    result.delivery_error = str(exc)
            result.problems = run_problems(result, computed, settings, dry_run=not send)
            note = run_note(result, delivery.name) if send else REFRESH_NOTE
            where = _Target(settings, state, workbook, now, health, mailbox)
            if _write(where, result, computed, snapshot, note):
                mailbox.written(now)
                return result
    raise WorkbookError(
        f"{workbook.label} kept changing while it was written ({MAX_ATTEMPTS} "
        "tries): run again when nobody is saving it"
    )


def _plan(
    result: RunResult,
    computed: Computed,
    settings: Settings,
    snapshot: Snapshot,
    state: LocalState,
    label: str,
) -> None:
    """Plan today's mailing from what the state says was sent, and render its emails."""
    lookup = SentLookup(
        state.sent_among,
        lambda ids: state.reminder_counts(ids, before=result.today),
        lambda ids: state.last_reminded(ids, before=result.today),
    )
    mailing = mailing_for(computed, settings, lookup, result.today, state.first_sent())
    result.records, result.obligations, result.mailing = (
        computed.records,
        computed.obligations,
        mailing,
    )
    workbook_id = snapshot.identity or label
    result.emails = render_all(mailing, computed, settings, snapshot, workbook_id, result.today)
    result.hold_reason = mailing.hold_reason
    result.over_cap = len(result.emails) > settings.reminders.max_emails_per_run


def _resend(result: RunResult, state: LocalState, delivery: Delivery, now: datetime) -> None:
    try:
        result.resent = resend_in_flight(state, delivery, now)
    except DeliveryUnavailable as exc:
        result.delivery_error = str(exc)


def reminder_counts(state: LocalState, obligations: Sequence[Obligation]) -> Counter[str]:
    """Return how many reminders each overdue obligation's party had, under former codes too."""
    overdue = [o for o in obligations if o.state == State.OVERDUE]
    counts = state.reminder_counts({a for o in overdue for a in (o.id, *former_ids(o))})
    return Counter({o.id: sum(counts[a] for a in (o.id, *former_ids(o))) for o in overdue})


@dataclass(frozen=True, slots=True)
class _Target:
    """Where a cycle writes, and what it writes besides the computed tabs."""

    settings: Settings
    state: LocalState
    workbook: Workbook
    now: datetime
    health: Health | None
    mailbox: Mailbox


def _write(
    to: _Target, result: RunResult, computed: Computed, snapshot: Snapshot, note: str
) -> bool:
    """Write the generated tabs, the journal rows and the dates replies brought; False when
    the workbook changed since it was read (read it again)."""
    state, settings = to.state, to.settings
    history = JournalHistory(state)
    finished = state.unjournaled()
    ctx = ReportContext(
        today=result.today,
        built_at=to.now,
        source=snapshot.url or Path(to.workbook.label).name,
        sent_keys=frozenset(),
        last_sent=state.last_sent(),
        reminder_counts=reminder_counts(state, computed.obligations),
        run_note=note,
        health=to.health,
    )
    result.tabs = build_tabs(
        computed.records,
        computed.obligations,
        result.problems,
        ctx,
        settings.tabs,
        settings.reminders.due_soon_days,
    ) + inbox_tabs(to.mailbox, settings)
    changed, hashes = steps.changed_tabs(result.tabs, snapshot, history)
    journal = settings.tabs.journal
    dropped, archive_tabs = steps.archive_old_rows(
        state, snapshot, computed.records, result.today, journal
    )
    rows = [row for entry in finished for row in entry.rows()]
    try:
        to.workbook.write(
            snapshot,
            [*archive_tabs, *changed],
            rows,
            drop_journal_rows=dropped,
            marks=to.mailbox.marks,
        )
    except WorkbookChanged as exc:
        # (An archive task left held is this run's own, or a dead run's: taken up again.)
        logger.warning("%s; reading it again", exc)
        return False
    state.mark_journaled(e.message_id for e in finished)
    history.save_tab_hashes({t.name: hashes[t.name] for t in changed})
    steps.archived(state, dropped, snapshot, journal)
    history.wrote(rows)
    result.written = True
    result.written_tabs = [t.name for t in (*archive_tabs, *changed)]
    result.journal_rows = len(rows)
    result.marked = len(to.mailbox.marks)
    return True
