"""One run: read -> compute -> send -> write.

Emails go out before the tabs are written: the local state records each one before and after
sending, so a failed write loses nothing (its journal rows are written next time) and a rerun
sends nothing twice. If the workbook changed on disk meanwhile, it is read again and the tabs
recomputed; what was already sent is not sent again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parseaddr
from pathlib import Path

from sheets_sync.errors import DeliveryError, WorkbookChanged, WorkbookError
from sheets_sync.inputs.records import Problem, Records
from sheets_sync.inputs.roadmap import read_records
from sheets_sync.mail.delivery import Delivery, DeliveryUnavailable
from sheets_sync.mail.render import Email, MailContext, build_message, render, template_env
from sheets_sync.obligations import Obligation, copied_forward_year, obligations_on
from sheets_sync.reminders import Plan, plan_reminders
from sheets_sync.report.journal import JournalLog, read_journal
from sheets_sync.report.summary import ReportContext, build_tabs
from sheets_sync.report.tabs import Tab
from sheets_sync.settings.types import Settings
from sheets_sync.state import LocalState
from sheets_sync.wording import LETTERS, count, ru_date
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
    plan: Plan = field(default_factory=lambda: Plan(()))
    emails: list[Email] = field(default_factory=list)
    sent: list[Email] = field(default_factory=list)
    failed: list[tuple[Email, str]] = field(default_factory=list)
    resent: int = 0
    tabs: list[Tab] = field(default_factory=list)
    held: str = ""  # why nothing was sent, if so
    over_cap: bool = False
    delivery_error: str = ""  # the mail server could not be used at all
    partly_refused: list[tuple[Email, str]] = field(default_factory=list)
    written: bool = False
    reads: int = 0


@dataclass(frozen=True, slots=True)
class Computed:
    records: Records
    obligations: list[Obligation]
    problems: list[Problem]
    log: JournalLog


def compute(snapshot: Snapshot, settings: Settings, today: date) -> Computed:
    """Return records, obligations and problems of a snapshot on `today` (no side effects)."""
    records = read_records(snapshot.tabs, settings, title=snapshot.title, fallback_year=today.year)
    obligations, more = obligations_on(records, today, settings.reminders.due_soon_days)
    log = read_journal(snapshot.tabs.get(settings.tabs.journal, []))
    return Computed(records, obligations, [*records.problems, *more], log)


def plan_for(computed: Computed, settings: Settings, sent: set[str], today: date) -> Plan:
    """Return the digests to send today, or an empty plan saying why nothing goes out."""
    year = copied_forward_year(computed.records, today)
    if year is not None:
        return Plan((), held=f"все сроки плана в {year} году или раньше — план не обновлён")
    calendar = WorkCalendar(settings.calendar)
    reason = calendar.holiday_name(today) or ""
    return plan_reminders(
        computed.obligations,
        sent,
        settings.reminders,
        today,
        calendar.is_working_day,
        day_off_reason=f"{ru_date(today)} — нерабочий день ({reason})",
    )


def render_all(
    plan: Plan,
    computed: Computed,
    settings: Settings,
    snapshot: Snapshot,
    workbook_id: str,
    today: date,
) -> list[Email]:
    """Return the rendered emails of `plan`."""
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
    return [render(d, ctx, env, settings.mail.sender) for d in plan.digests]


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
    if dry_run:
        return _dry_run(settings, workbook, result)
    with LocalState(settings.state_dir, workbook.label) as state:
        try:
            result.resent = _resend_in_flight(state, delivery, now)
        except DeliveryUnavailable as exc:
            result.delivery_error = str(exc)
        for _attempt in range(MAX_ATTEMPTS):
            snapshot = workbook.read()
            result.reads += 1
            computed = compute(snapshot, settings, today)
            sent = set(computed.log.sent_keys) | state.sent_keys()
            plan = plan_for(computed, settings, sent, today)
            emails = render_all(plan, computed, settings, snapshot, workbook.label, today)
            _take(result, computed, plan, emails)
            if len(emails) > settings.reminders.max_emails_per_run:
                result.over_cap = True
                result.problems.append(_cap_problem(len(emails), settings))
            elif emails and not result.delivery_error:
                try:
                    _send(emails, state, delivery, settings, now, result)
                except DeliveryUnavailable as exc:
                    result.delivery_error = str(exc)
            result.problems += _delivery_problems(result)
            # Rows already in the tab (a run killed after its write) are not written twice.
            finished = state.unjournaled()
            journal = [e for e in finished if e.identity not in computed.log.rows_seen]
            last_sent = {**computed.log.last_sent, **state.last_sent()}
            ctx = ReportContext(
                today=today,
                built_at=now,
                source=snapshot.url or Path(workbook.label).name,
                sent_keys=frozenset(computed.log.sent_keys | state.sent_keys()),
                last_sent=last_sent,
                run_note=_run_note(result, delivery),
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
    if (settings.state_dir / "sheets_sync.sqlite3").exists():
        with LocalState(settings.state_dir, workbook.label) as state:
            sent |= state.sent_keys()
    plan = plan_for(computed, settings, sent, result.today)
    _take(
        result,
        computed,
        plan,
        render_all(plan, computed, settings, snapshot, workbook.label, result.today),
    )
    result.over_cap = len(result.emails) > settings.reminders.max_emails_per_run
    return result


def _take(result: RunResult, computed: Computed, plan: Plan, emails: list[Email]) -> None:
    result.records, result.obligations, result.plan = computed.records, computed.obligations, plan
    result.problems = list(computed.problems)
    result.emails, result.held = emails, plan.held
    for party, missed in plan.unreachable:
        result.problems.append(
            Problem(
                party.ref.tab if party.ref else "",
                party.ref.cell if party.ref else "",
                f"{party.name}: не отправлено напоминаний — {missed}: нет адреса электронной почты",
                "Впишите Email в лист школ или ответственных.",
            )
        )


def _delivery_problems(result: RunResult) -> list[Problem]:
    """Return a «Проблемы» row for the mail server being unusable and for each lost email."""
    problems = []
    if result.delivery_error:
        problems.append(
            Problem(
                "",
                "",
                "не удалось подключиться к почтовому серверу: письма этого запуска не "
                "отправлены, они уйдут при следующем запуске",
                "Администратору: проверьте раздел [mail.smtp] настроек и пароль (подробности — в "
                "выводе команды `python run.py once`).",
            )
        )
    for email, note in result.partly_refused:
        problems.append(
            Problem(
                "",
                "",
                f"письмо для «{email.to_name}» доставлено не на все адреса: {note}",
                "Исправьте или удалите отклонённый адрес в листе школ или ответственных.",
            )
        )
    for email, reason in result.failed:
        problems.append(
            Problem(
                "",
                "",
                f"письмо для «{email.to_name}» ({', '.join(email.to)}) не доставлено: {reason}",
                "Проверьте адрес получателя; при временной ошибке письмо уйдёт при следующем запуске.",
            )
        )
    return problems


def _cap_problem(count: int, settings: Settings) -> Problem:
    cap = settings.reminders.max_emails_per_run
    return Problem(
        "",
        "",
        f"рассылка остановлена: {count} писем, больше лимита {cap} за один запуск",
        "Проверьте сроки и отметки о сдаче (ошибка в дате или в столбце может разослать письма "
        "всем школам); если всё верно — увеличьте reminders.max_emails_per_run в настройках.",
    )


def _send(
    emails: Sequence[Email],
    state: LocalState,
    delivery: Delivery,
    settings: Settings,
    now: datetime,
    result: RunResult,
) -> None:
    with delivery.session() as send:
        for email in emails:
            raw = build_message(email, settings.mail.sender, settings.mail.reply_to, now)
            state.record_pending(email, raw, now)
            try:
                note = send(email, raw) or ""
            except DeliveryError as exc:
                status = "refused" if exc.permanent else "failed"
                state.record_result(email.message_id, status, now, exc.reason)
                result.failed.append((email, exc.reason))
                logger.warning("Not delivered to %s: %s", email.recipient, exc.reason)
                continue
            state.record_result(email.message_id, "sent", now, note)
            result.sent.append(email)
            if note:
                result.partly_refused.append((email, note))
            logger.info(
                "Sent %s (%d reminders) to %s",
                email.recipient,
                len(email.keys),
                ", ".join(email.to),
            )


def _resend_in_flight(state: LocalState, delivery: Delivery, now: datetime) -> int:
    """Resend the very emails a previous run died sending (same bytes, same Message-ID)."""
    stored = state.in_flight()
    if not stored:
        return 0
    with delivery.session() as send:
        for item in stored:
            email = Email(item.recipient, "", item.to, "", "", "", item.message_id, item.keys)
            try:
                note = send(email, item.raw) or ""
            except DeliveryError as exc:
                state.record_result(
                    item.message_id, "refused" if exc.permanent else "failed", now, exc.reason
                )
                continue
            state.record_result(item.message_id, "sent", now, note)
            logger.info("Resent %s (in flight when the last run stopped)", item.message_id)
    return len(stored)


def _run_note(result: RunResult, delivery: Delivery) -> str:
    if result.delivery_error:
        return "Рассылка не удалась: почтовый сервер недоступен (см. «Проблемы»)."
    if result.held:
        return f"Рассылка сегодня не проводилась: {result.held}."
    if result.over_cap:
        return f"Рассылка остановлена: {len(result.emails)} писем — больше лимита (см. «Проблемы»)."
    sent, failed = len(result.sent), len(result.failed)
    if not sent and not failed:
        return "Новых напоминаний нет: всё уже разослано или сроки не подошли."
    where = "в папку" if delivery.name == "outbox" else "по почте"
    note = f"Разослано {where}: {count(sent, LETTERS)}"
    return note + (f"; не доставлено: {failed}." if failed else ".")
