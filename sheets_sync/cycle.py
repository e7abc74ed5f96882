"""One run: read -> compute -> send -> write.

Emails go out before the tabs are written: the local state records each one before and after
sending, so a failed write loses nothing (its journal rows are written next time) and a rerun
sends nothing twice. If the workbook changed on disk meanwhile, it is read again and the tabs
recomputed; what was already sent is not sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sheets_sync.errors import WorkbookChanged, WorkbookError
from sheets_sync.inputs.plan import read_records
from sheets_sync.inputs.problems import Problem, Problems
from sheets_sync.inputs.records import Records
from sheets_sync.mail.delivery import Delivery, DeliveryUnavailable
from sheets_sync.mail.render import Email
from sheets_sync.mailing import coordinator_addresses, mailing_for, render_all
from sheets_sync.obligations import Obligation, obligations_on
from sheets_sync.reminders import Mailing
from sheets_sync.report.build import build_tabs
from sheets_sync.report.context import Health, ReportContext
from sheets_sync.report.journal import JournalLog, read_journal
from sheets_sync.report.tabs import Tab
from sheets_sync.sending import Sent, resend_in_flight, send_all
from sheets_sync.settings.types import Settings
from sheets_sync.state import LocalState
from sheets_sync.wording import LETTERS, count
from sheets_sync.workbook import Snapshot, Workbook

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
REFRESH_NOTE = "Листы обновлены без рассылки; рассылка — по расписанию службы."


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
    log: JournalLog


def compute(snapshot: Snapshot, settings: Settings, today: date) -> Computed:
    """Return records, obligations and problems of a snapshot on `today` (no side effects)."""
    records = read_records(
        snapshot.tabs,
        settings.reading,
        title=snapshot.title,
        fallback_year=today.year,
        uncalculated=snapshot.uncalculated,
    )
    obligations, more = obligations_on(
        records, today, settings.reminders.due_soon_days, coordinator_addresses(settings)
    )
    log = read_journal(snapshot.tabs.get(settings.tabs.journal, []))
    return Computed(records, obligations, (*records.problems, *more), log)


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
    if dry_run:
        return _dry_run(settings, workbook, result)
    with LocalState(settings.state_dir, workbook.label) as state:
        try:
            result.resent = resend_in_flight(state, delivery, now) if send else 0
        except DeliveryUnavailable as exc:
            result.delivery_error = str(exc)
        for _attempt in range(MAX_ATTEMPTS):
            snapshot = workbook.read()
            result.reads += 1
            computed = compute(snapshot, settings, today)
            sent = computed.log.sent_keys | state.sent_keys()
            earlier = computed.log.sent_before(today) | state.sent_before(today)
            mailing = mailing_for(computed, settings, sent, today, state.first_sent(), earlier)
            _take(result, computed, mailing, settings, snapshot, workbook.label)
            result.over_cap = len(result.emails) > settings.reminders.max_emails_per_run
            if send and result.emails and not result.over_cap and not result.delivery_error:
                try:
                    send_all(result.emails, state, delivery, settings.mail, now, result.outcome)
                except DeliveryUnavailable as exc:
                    result.delivery_error = str(exc)
            result.problems = run_problems(result, computed, settings, dry_run=not send)
            # Rows already in the tab (a run killed after its write) are not written twice.
            finished = state.unjournaled()
            journal = [e for e in finished if e.identity not in computed.log.rows_seen]
            ctx = ReportContext(
                today=today,
                built_at=now,
                source=snapshot.url or Path(workbook.label).name,
                sent_keys=frozenset(computed.log.sent_keys | state.sent_keys()),
                last_sent={**computed.log.last_sent, **state.last_sent()},
                run_note=_run_note(result, delivery) if send else REFRESH_NOTE,
                health=health,
            )
            result.tabs = build_tabs(
                computed.records,
                computed.obligations,
                result.problems,
                ctx,
                settings.tabs,
                settings.reminders.due_soon_days,
            )
            try:
                workbook.write(snapshot, result.tabs, [e.row() for e in journal])
            except WorkbookChanged as exc:
                logger.warning("%s; reading it again", exc)
                continue
            state.mark_journaled(e.message_id for e in finished)
            result.written = True
            return result
    raise WorkbookError(
        f"{workbook.label} kept changing while it was written ({MAX_ATTEMPTS} "
        "tries): run again when nobody is saving it"
    )


def _dry_run(settings: Settings, workbook: Workbook, result: RunResult) -> RunResult:
    snapshot = workbook.read()
    result.reads = 1
    computed = compute(snapshot, settings, result.today)
    sent = set(computed.log.sent_keys)
    earlier = computed.log.sent_before(result.today)
    first_sent = None
    if (settings.state_dir / "sheets_sync.sqlite3").exists():
        with LocalState(settings.state_dir, workbook.label) as state:
            sent |= state.sent_keys()
            earlier |= state.sent_before(result.today)
            first_sent = state.first_sent()
    mailing = mailing_for(computed, settings, sent, result.today, first_sent, earlier)
    _take(result, computed, mailing, settings, snapshot, workbook.label)
    result.over_cap = len(result.emails) > settings.reminders.max_emails_per_run
    result.problems = run_problems(result, computed, settings, dry_run=True)
    return result


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


def run_problems(
    result: RunResult, computed: Computed, settings: Settings, *, dry_run: bool = False
) -> list[Problem]:
    """Return the data problems, then the run's own: parties with no address, the cap, the
    mail server, and each email that was not delivered."""
    problems = Problems(computed.problems)
    for party, missed in result.mailing.unreachable:
        what = f"{party.name}: не отправлено напоминаний — {missed}: {party.no_email}"
        fix = (
            "Исправьте адрес в этой ячейке (вид: name@example.ru)."
            if party.bad_emails
            else "Впишите в эту ячейку адрес электронной почты."
        )
        if party.fix_cell:
            problems.at(party.fix_cell, what, fix)
        else:
            problems.on_tab("", what, fix)
    if result.over_cap and not dry_run:
        cap = settings.reminders.max_emails_per_run
        problems.on_tab(
            "",
            f"рассылка остановлена: {len(result.emails)} писем, больше лимита {cap} за один запуск",
            "Проверьте сроки и отметки о сдаче (ошибка в дате или в столбце может разослать "
            "письма всем школам); если всё верно — увеличьте reminders.max_emails_per_run в "
            "настройках.",
        )
    if result.delivery_error:
        problems.on_tab(
            "",
            "не удалось подключиться к почтовому серверу: письма этого запуска не "
            "отправлены, они уйдут при следующем запуске",
            "Администратору: проверьте раздел [mail.smtp] настроек и пароль (подробности — в "
            "выводе команды `python run.py once`).",
        )
    for email, note in result.outcome.partly_refused:
        problems.on_tab(
            "",
            f"письмо для «{email.to_name}» доставлено не на все адреса: {note}",
            "Исправьте или удалите отклонённый адрес в листе школ или ответственных.",
        )
    for email, reason in result.outcome.failed:
        problems.on_tab(
            "",
            f"письмо для «{email.to_name}» ({', '.join(email.to)}) не доставлено: {reason}",
            "Проверьте адрес получателя; при временной ошибке письмо уйдёт при следующем запуске.",
        )
    return list(problems)


def _run_note(result: RunResult, delivery: Delivery) -> str:
    if result.delivery_error:
        return "Рассылка не удалась: почтовый сервер недоступен (см. «Проблемы»)."
    if result.hold_reason:
        return f"Рассылка сегодня не проводилась: {result.hold_reason}."
    if result.over_cap:
        return f"Рассылка остановлена: {len(result.emails)} писем — больше лимита (см. «Проблемы»)."
    sent, failed = len(result.sent), len(result.failed)
    if not sent and not failed:
        return "Новых напоминаний нет: всё уже разослано или сроки не подошли."
    where = "в папку" if delivery.name == "outbox" else "по почте"
    note = f"Разослано {where}: {count(sent, LETTERS)}"
    return note + (f"; не доставлено: {failed}." if failed else ".")
