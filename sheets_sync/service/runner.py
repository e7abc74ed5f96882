"""One cycle as the service runs it: open the workbook and the delivery, run the cycle (sending,
or refreshing the tabs only), and log it: a line per step with its counts, then a summary line.
(The line per email comes from `sending.py` as each email goes.) Returns what failed, if the
cycle ran but could not do its job: the mail server unusable, or the safety cap hit."""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime

from sheets_sync.cycle import RunResult, run_cycle
from sheets_sync.logs import fields
from sheets_sync.mail.delivery import delivery_for
from sheets_sync.obligations import State
from sheets_sync.report.context import Health
from sheets_sync.settings.types import Settings
from sheets_sync.workbook import open_workbook

from .failures import Failure, delivery_failure, over_cap_failure, unreadable_failure

logger = logging.getLogger("sheets_sync.service")


class CycleRunner:
    """Runs the real cycle on the configured workbook and delivery."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, now: datetime, send: bool, health: Health) -> Failure | None:
        kind = "send" if send else "refresh"
        started = time.monotonic()
        result = run_cycle(
            self.settings,
            open_workbook(self.settings),
            delivery_for(self.settings.mail),
            today=now.date(),
            now=now,
            send=send,
            health=health,
        )
        failure = cycle_failure(result, self.settings, send=send)
        log_cycle(result, kind, time.monotonic() - started, failure)
        return failure


def cycle_failure(result: RunResult, settings: Settings, *, send: bool) -> Failure | None:
    """Return why a finished cycle did not do its job, or None."""
    if not send:
        return None
    if result.delivery_error:
        return delivery_failure(result.delivery_error)
    if result.over_cap:
        return over_cap_failure(len(result.emails), settings.reminders.max_emails_per_run)
    if result.records is not None and result.records.unreadable:
        first = result.records.unreadable[0]
        where = f"{first.cell}: " if first.cell else ""
        detail = f"the tab «{first.tab}» cannot be read: {where}{first.what}"
        return unreadable_failure(result.hold_reason, detail)
    return None


def log_cycle(result: RunResult, kind: str, seconds: float, failure: Failure | None) -> None:
    """Log a line per step of a finished cycle (read, plan, send, write) and a summary."""
    records = result.records
    if records is not None:
        states = Counter(o.state for o in result.obligations)
        active = sum(1 for s in records.schools if s.active)
        logger.info(
            "read: %d roadmap lines, %d schools (%d active), %d executors; %d obligations, "
            "%d overdue; %d problems",
            len(records.items),
            len(records.schools),
            active,
            len(records.executors),
            len(result.obligations),
            states[State.OVERDUE],
            len(result.problems),
            extra=fields(
                event="step",
                step="read",
                cycle=kind,
                items=len(records.items),
                schools=len(records.schools),
                active_schools=active,
                executors=len(records.executors),
                obligations=len(result.obligations),
                overdue=states[State.OVERDUE],
                problems=len(result.problems),
                reads=result.reads,
            ),
        )
    _plan_line(result, kind)
    if kind == "send":
        logger.info(
            "send: %d sent, %d not delivered, %d resent",
            len(result.sent),
            len(result.failed),
            result.resent,
            extra=fields(
                event="step",
                step="send",
                cycle=kind,
                sent=len(result.sent),
                failed=len(result.failed),
                resent=result.resent,
            ),
        )
    logger.info(
        "write: %s",
        f"{len(result.written_tabs)} of {len(result.tabs)} tabs changed, "
        f"{result.journal_rows} journal rows"
        if result.written
        else "nothing written",
        extra=fields(
            event="step",
            step="write",
            cycle=kind,
            written=result.written,
            tabs=len(result.written_tabs),
            journal_rows=result.journal_rows,
        ),
    )
    summary = fields(
        event="cycle",
        cycle=kind,
        ok=failure is None,
        seconds=round(seconds, 3),
        emails_sent=len(result.sent),
        emails_failed=len(result.failed),
        problems=len(result.problems),
    )
    if failure is None:
        logger.info(
            "cycle %s done in %.1f s: %d emails sent, %d not delivered, %d problems",
            kind,
            seconds,
            len(result.sent),
            len(result.failed),
            len(result.problems),
            extra=summary,
        )
    else:
        summary["fields"]["error"] = failure.detail
        logger.error("cycle %s failed: %s", kind, failure.detail, extra=summary)


def _plan_line(result: RunResult, kind: str) -> None:
    if result.hold_reason:
        text = f"nothing to send today: {result.hold_reason}"
    elif result.over_cap:
        text = f"{len(result.emails)} emails, over the cap: none sent"
    elif kind == "refresh":
        text = f"{len(result.emails)} emails due (not sent: a refresh)"
    else:
        text = f"{len(result.emails)} emails due"
    logger.info(
        "plan: %s",
        text,
        extra=fields(
            event="step",
            step="plan",
            cycle=kind,
            emails=len(result.emails),
            held=result.hold_reason,
            over_cap=result.over_cap,
        ),
    )
