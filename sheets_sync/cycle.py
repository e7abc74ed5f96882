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
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parseaddr
from pathlib import Path

from sheets_sync import cycle_steps as steps
from sheets_sync.errors import WorkbookChanged, WorkbookError
from sheets_sync.history import JournalHistory
from sheets_sync.inputs.plan import read_records
from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Records
from sheets_sync.mail.delivery import Delivery, DeliveryUnavailable
from sheets_sync.mail.render import Email, MailContext, render, template_env
from sheets_sync.obligations import Obligation, State, copied_forward_year, obligations_on
from sheets_sync.outcome import run_note, run_problems
from sheets_sync.reminders import Mailing, plan_mailing
from sheets_sync.report.build import build_tabs
from sheets_sync.report.context import ReportContext
from sheets_sync.report.tabs import Tab
from sheets_sync.sending import Sent, resend_in_flight, send_all
from sheets_sync.settings.types import Settings
from sheets_sync.state import FILE, LocalState
from sheets_sync.wording import ru_date
from sheets_sync.workbook import Snapshot, Workbook
from sheets_sync.workdays import WorkCalendar

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


def compute(snapshot: Snapshot, settings: Settings, today: date) -> Computed:
    """Return records, obligations and problems of a snapshot on `today` (no side effects)."""
    records = read_records(
        snapshot.tabs, settings.reading, title=snapshot.title, fallback_year=today.year
    )
    obligations, more = obligations_on(records, today, settings.reminders.due_soon_days)
    return Computed(records, obligations, (*records.problems, *more))


def mailing_for(
    computed: Computed,
    settings: Settings,
    sent: AbstractSet[str] | Callable[[set[str]], AbstractSet[str]],
    today: date,
) -> Mailing:
    """Return the digests to send today, or an empty mailing saying why nothing goes out.
    `sent`: the keys sent, or a lookup of which of the keys it is given were sent."""
    year = copied_forward_year(computed.records, today)
    if year is not None:
        return Mailing(
            (), hold_reason=f"все сроки плана в {year} году или раньше — план не обновлён"
        )
    calendar = WorkCalendar(settings.calendar)
    reason = calendar.holiday_name(today) or ""
    return plan_mailing(
        computed.obligations,
        sent,
        settings.reminders,
        today,
        calendar.is_working_day,
        day_off_reason=f"{ru_date(today)} — нерабочий день ({reason})",
    )


def render_all(
    mailing: Mailing,
    computed: Computed,
    settings: Settings,
    snapshot: Snapshot,
    workbook_id: str,
    today: date,
) -> list[Email]:
    """Return the rendered emails of `mailing`."""
    env = template_env()
    contact = parseaddr(settings.mail.reply_to or settings.mail.sender)[1]
    ctx = MailContext(
        plan_title=computed.records.title,
        today=today,
        workbook_id=workbook_id,
        spreadsheet_url=snapshot.url,
        submit_url=settings.mail.submit_url,
        contact=contact,
    )
    return [render(d, ctx, env, settings.mail.sender) for d in mailing.digests]


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
) -> RunResult:
    """Run one cycle on `workbook` as of `today`; `now` stamps emails and the summary."""
    result = RunResult(today)
    with collector_held(), LocalState(_state_folder(settings, dry_run)) as state:
        attempts = 0
        while attempts < MAX_ATTEMPTS:
            snapshot = steps.read_snapshot(workbook, state, settings.tabs.journal)
            result.reads += 1
            if result.reads == 1 and not dry_run:
                _resend(result, state, delivery, now)
            computed = compute(snapshot, settings, today)
            if (
                not dry_run
                and snapshot.journal_from > 1
                and steps.archive_due(state, computed.records, today)
            ):
                # Read the journal whole (once a year): last year's rows move out of it.
                JournalHistory(state).forget_cursor()
                continue
            attempts += 1
            mailing = mailing_for(computed, settings, state.sent_among, today)
            workbook_id = snapshot.identity or workbook.label
            _take(result, computed, mailing, settings, snapshot, workbook_id)
            result.over_cap = len(result.emails) > settings.reminders.max_emails_per_run
            if dry_run:
                result.problems = run_problems(result, computed, settings, dry_run=True)
                return result
            if result.emails and not result.over_cap and not result.delivery_error:
                try:
                    send_all(result.emails, state, delivery, settings.mail, now, result.outcome)
                except DeliveryUnavailable as exc:
                    result.delivery_error = str(exc)
            result.problems = run_problems(result, computed, settings)
            if _write(result, computed, snapshot, state, workbook, settings, now, delivery.name):
                return result
    raise WorkbookError(
        f"{workbook.label} kept changing while it was written ({MAX_ATTEMPTS} "
        "tries): run again when nobody is saving it"
    )


def _resend(result: RunResult, state: LocalState, delivery: Delivery, now: datetime) -> None:
    try:
        result.resent = resend_in_flight(state, delivery, now)
    except DeliveryUnavailable as exc:
        result.delivery_error = str(exc)


def _write(
    result: RunResult,
    computed: Computed,
    snapshot: Snapshot,
    state: LocalState,
    workbook: Workbook,
    settings: Settings,
    now: datetime,
    delivery_name: str,
) -> bool:
    """Write the generated tabs and the journal rows; False when the workbook changed since it
    was read (read it again)."""
    history = JournalHistory(state)
    finished = state.unjournaled()
    overdue = {o.id for o in computed.obligations if o.state == State.OVERDUE}
    ctx = ReportContext(
        today=result.today,
        built_at=now,
        source=snapshot.url or Path(workbook.label).name,
        sent_keys=frozenset(),
        last_sent=state.last_sent(),
        reminder_counts=state.reminder_counts(overdue),
        run_note=run_note(result, delivery_name),
    )
    result.tabs = build_tabs(
        computed.records,
        computed.obligations,
        result.problems,
        ctx,
        settings.tabs,
        settings.reminders.due_soon_days,
    )
    changed, hashes = steps.changed_tabs(result.tabs, snapshot, history)
    journal = settings.tabs.journal
    dropped, archive_tabs = steps.archive_old_rows(
        state, snapshot, computed.records, result.today, journal
    )
    rows = [row for entry in finished for row in entry.rows()]
    try:
        workbook.write(snapshot, [*archive_tabs, *changed], rows, drop_journal_rows=dropped)
    except WorkbookChanged as exc:
        # (An archive task left held is this run's own, or a dead run's: taken up again.)
        logger.warning("%s; reading it again", exc)
        return False
    state.mark_journaled(e.message_id for e in finished)
    history.save_tab_hashes({t.name: hashes[t.name] for t in changed})
    steps.archived(state, dropped, snapshot, journal)
    history.wrote(rows)
    result.written = True
    return True


def _take(
    result: RunResult,
    computed: Computed,
    mailing: Mailing,
    settings: Settings,
    snapshot: Snapshot,
    workbook_id: str,
) -> None:
    result.records, result.obligations, result.mailing = (
        computed.records,
        computed.obligations,
        mailing,
    )
    result.emails = render_all(mailing, computed, settings, snapshot, workbook_id, result.today)
    result.hold_reason = mailing.hold_reason
