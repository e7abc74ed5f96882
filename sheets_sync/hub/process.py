"""One source in one hub cycle: kept, recomputed, read, or run through its own cycle (`once`'s
`run_cycle`: its reminders, its generated tabs), then its row of the summary and its problems.
Whatever goes wrong with it becomes a row of the hub's «Проблемы»; it never stops the others."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sheets_sync.cycle import RunResult, compute, run_cycle
from sheets_sync.errors import SheetsSyncError
from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Records
from sheets_sync.mail.delivery import Delivery
from sheets_sync.obligations import Obligation
from sheets_sync.service.lock import instance_lock
from sheets_sync.settings.types import Settings
from sheets_sync.workbook import Snapshot

from .access import HubAccess
from .changes import Action, Stamp, decide
from .failures import Failure, explain
from .figures import Figures, figures_of
from .lists import HubProblem
from .report import SourceRow
from .sources import Source
from .store import HubStore, SourceState

logger = logging.getLogger("sheets_sync.hub")


@dataclass(frozen=True, slots=True)
class Run:
    """What one hub cycle processes its sources with."""

    settings: Settings
    access: HubAccess
    delivery: Delivery
    store: HubStore
    today: date
    now: datetime


@dataclass(slots=True)
class Outcome:
    """What became of one source: its summary row, its problems, what its cycle sent."""

    row: SourceRow
    action: Action
    problems: list[HubProblem] = field(default_factory=list)
    sent: int = 0
    delivery_error: str = ""


@dataclass(slots=True)
class _Done:
    figures: Figures
    state: SourceState
    snapshot: Snapshot | None = None
    status: str = ""
    result: RunResult | None = None


def _unreadable(records: Records, problems: list[Problem], tab: str) -> tuple[str, str]:
    """Return why a roadmap has no line (and the fix), or ("", "")."""
    if records.items:
        return "", ""
    first = next((p for p in problems if p.tab == tab), None)
    if first is None:
        return f"на листе «{tab}» нет ни одной строки плана", "Заполните лист с планом."
    return f"«{first.tab}», {first.cell}: {first.what}", first.fix


def _figures(
    run: Run,
    title: str,
    records: Records,
    obligations: list[Obligation],
    problems: list[Problem],
) -> Figures:
    """Return a source's figures; `title` is its workbook's (the spreadsheet's name)."""
    hub = run.settings.hub
    assert hub is not None
    return figures_of(
        title or records.title,
        obligations,
        len(problems),
        run.today,
        hub.due_within_days,
        _unreadable(records, problems, run.settings.tabs.roadmap),
    )


def _from_snapshot(run: Run, source: Source, snapshot: Snapshot) -> Figures:
    computed = compute(snapshot, run.access.settings_for(source), run.today)
    problems = list(computed.problems)
    return _figures(run, snapshot.title, computed.records, computed.obligations, problems)


def _read(run: Run, source: Source, state: SourceState, stamp: Stamp | None) -> _Done:
    book = run.access.workbook(source)
    before = stamp or Stamp("")
    snapshot = book.read()
    new = replace(
        state, stamp=before.modified, wrote=False, read_at=run.now, failure="", failing_since=None
    )
    return _Done(_from_snapshot(run, source, snapshot), new, snapshot, "прочитан")


def _cycle(run: Run, source: Source, state: SourceState, stamp: Stamp | None, send: bool) -> _Done:
    settings = run.access.settings_for(source)
    book = run.access.workbook(source)
    with instance_lock(settings, "hub", run.now):
        result = run_cycle(settings, book, run.delivery, today=run.today, now=run.now, send=send)
    assert result.records is not None
    title = book.snapshot.title if book.snapshot else ""
    figures = _figures(run, title, result.records, result.obligations, result.problems)
    sent_ok = send and not result.delivery_error
    new = replace(
        state,
        stamp=_after_write(source, stamp),
        wrote=result.written and source.kind == "google",
        send_day=run.today if sent_ok else state.send_day,
        read_at=run.now,
        failure="",
        failing_since=None,
    )
    if not send:
        status = "прочитан, листы обновлены"
    elif result.hold_reason:
        status = f"прочитан; рассылки нет: {result.hold_reason}"
    else:
        status = f"прочитан; писем отправлено: {len(result.sent)}"
    return _Done(figures, new, book.snapshot, status, result)


def _after_write(source: Source, stamp: Stamp | None) -> str:
    """Return the stamp to remember after the cycle wrote the source: a file's own (the write
    is done: any later save is a change), Drive's as listed before it (the hub's own write is
    told apart by modifiedByMeTime next time)."""
    if source.kind == "xlsx":
        try:
            st = Path(source.location).stat()
        except OSError:
            return ""
        return f"{st.st_mtime_ns}:{st.st_size}"
    return stamp.modified if stamp else ""


def process(run: Run, source: Source, stamp: Stamp | None, *, send: bool) -> Outcome:
    """Process `source` this cycle (`send`: a sending cycle) and record it in the store."""
    old = run.store.get(source.identity)
    state = old or SourceState()
    action = decide(source, old, stamp, run.today, send)
    try:
        done = _keep(run, source, state) if action in (Action.KEEP, Action.RECOMPUTE) else None
        if done is None:
            action = Action.READ if source.read_only else Action.CYCLE
            if source.read_only:
                done = _read(run, source, state, stamp)
            else:
                done = _cycle(run, source, state, stamp, send)
    except Exception as exc:  # one bad source never stops the others
        if not isinstance(exc, SheetsSyncError):
            logger.exception("%s: an unexpected error", source.link)
        return _failed(run, source, old, explain(exc, source, run.access.account), action)
    run.store.save(source.identity, replace(done.state, figures=done.figures), done.snapshot)
    return _outcome(source, old, done, action)


def _keep(run: Run, source: Source, state: SourceState) -> _Done | None:
    """Return the figures of an unchanged source, or None when its snapshot is gone."""
    if state.figures is not None and state.figures.day == run.today:
        return _Done(state.figures, state, status="без изменений")
    snapshot = run.store.snapshot(source.identity)
    if snapshot is None:
        return None
    return _Done(_from_snapshot(run, source, snapshot), state, status="без изменений")


def _outcome(source: Source, old: SourceState | None, done: _Done, action: Action) -> Outcome:
    figures = done.figures
    name = source.name or figures.title or Path(source.location).name
    row = SourceRow(
        source, name, done.status, figures, done.state.read_at, bool(figures.unreadable)
    )
    outcome = Outcome(row, action)
    if figures.unreadable:
        was = old.figures.unreadable if old and old.figures else ""
        outcome.problems.append(
            HubProblem(name, source.link, figures.unreadable, figures.unreadable_fix, new=not was)
        )
    result = done.result
    if result is not None:
        outcome.sent = len(result.sent)
        outcome.delivery_error = result.delivery_error
        outcome.problems += _run_problems(name, source, result)
    return outcome


def _run_problems(name: str, source: Source, result: RunResult) -> list[HubProblem]:
    problems = []
    if result.over_cap:
        problems.append(
            HubProblem(
                name,
                source.link,
                f"рассылка источника остановлена: {len(result.emails)} писем — больше лимита",
                "Проверьте сроки и отметки в таблице источника (лист «Проблемы»); если всё "
                "верно — увеличьте reminders.max_emails_per_run.",
            )
        )
    if result.delivery_error:
        problems.append(
            HubProblem(
                name,
                source.link,
                "почтовый сервер недоступен: письма источника не отправлены",
                "Администратору: проверьте [mail.smtp]; письма уйдут при следующей рассылке.",
            )
        )
    return problems


def _failed(
    run: Run, source: Source, old: SourceState | None, failure: Failure, action: Action
) -> Outcome:
    """Record and report a source that could not be processed; its last figures stay shown."""
    state = old or SourceState()
    since = state.failing_since or run.now
    new = old is not None and not old.failure and old.read_at is not None
    figures = _last_figures(run, source, state)
    run.store.save(
        source.identity, replace(state, failing_since=since, failure=failure.what, figures=figures)
    )
    name = source.name or (figures.title if figures else "") or Path(source.location).name
    logger.warning("%s: %s", source.link, failure.what)
    row = SourceRow(source, name, "не прочитан (см. «Проблемы»)", figures, state.read_at, True)
    problem = HubProblem(name, source.link, failure.what, failure.fix, new, since)
    return Outcome(row, action, [problem])


def _last_figures(run: Run, source: Source, state: SourceState) -> Figures | None:
    """Return a failed source's figures as last read, for today when its snapshot allows."""
    snapshot = run.store.snapshot(source.identity) if state.has_snapshot else None
    if snapshot is None or (state.figures is not None and state.figures.day == run.today):
        return state.figures
    try:
        return _from_snapshot(run, source, snapshot)
    except Exception:  # the snapshot itself is the trouble: keep what was shown
        logger.exception("%s: its last snapshot cannot be summarized", source.link)
        return state.figures


def skipped(run: Run, source: Source) -> Outcome:
    """Return a source left as it was (the cycle is stopping): its last figures, no request."""
    state = run.store.get(source.identity) or SourceState()
    figures = state.figures
    name = source.name or (figures.title if figures else "") or Path(source.location).name
    row = SourceRow(source, name, "не проверен: цикл прерван", figures, state.read_at)
    return Outcome(row, Action.KEEP)
