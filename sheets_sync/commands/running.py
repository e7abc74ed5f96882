"""`once` and `preview`: one cycle, and the emails the next run would send. (`check` is in
`check.py`.)"""

from __future__ import annotations

import argparse
import sys

from sheets_sync.cycle import RunResult, run_cycle
from sheets_sync.errors import SheetsSyncError
from sheets_sync.inputs.records import Records
from sheets_sync.mail.delivery import delivery_for
from sheets_sync.settings.load import load_settings
from sheets_sync.settings.types import Settings
from sheets_sync.tally import tally
from sheets_sync.workbook import open_workbook

from .mailbox_check import check_replies
from .shell import clock, shown

EXIT_NOT_DELIVERED = 3  # the run finished, but some emails were not delivered


def _plan(records: Records) -> str:
    if records.school_year:
        return f"{records.plan_year}/{records.plan_year + 1}, a school year"
    return str(records.plan_year)


def describe(result: RunResult) -> list[str]:
    """Return a few lines on what a run found and did."""
    records = result.records
    if records is None:
        return []
    counts = tally(result.obligations)
    active = sum(1 for s in records.schools if s.active)
    unclear = f", {counts.unclear} unreadable marks" if counts.unclear else ""
    lines = [
        (
            f"  read: {len(records.items)} roadmap lines (plan year {_plan(records)}), "
            f"schools: {active} active of {len(records.schools)}, executors: {len(records.executors)}"
        ),
        (
            f"  obligations: {counts.dated} with a date: {counts.on_time} done on time, "
            f"{counts.late} done late, {counts.overdue} overdue, {counts.due_soon} due soon, "
            f"{counts.later} later, {counts.not_required} not required{unclear}; "
            f"{counts.no_date} without a date, {counts.unreadable} with a deadline not understood"
        ),
        f"  problems in the data: {len(result.problems)}"
        + (" (see the «Проблемы» tab)" if result.problems else ""),
    ]
    return lines


def mail_line(result: RunResult, settings: Settings, *, dry_run: bool) -> str:
    if result.hold_reason:
        return f"  emails: none today: {result.hold_reason}"
    if result.over_cap:
        return (
            f"  emails: NONE SENT: {len(result.emails)} would exceed "
            f"reminders.max_emails_per_run = {settings.reminders.max_emails_per_run}"
        )
    if dry_run:
        return f"  emails: {len(result.emails)} would be sent (dry run: nothing sent or written)"
    where = (
        f"written to {shown(settings.mail.outbox)}"
        if settings.mail.delivery == "outbox"
        else f"sent via {settings.mail.smtp.host}"
    )
    outcome = result.outcome
    line = f"  emails: {len(result.sent)} {where}"
    if outcome.refused:
        line += f"; {len(outcome.refused)} REFUSED for good (wrong address: see «Проблемы»)"
    if outcome.to_retry:
        line += f"; {len(outcome.to_retry)} not delivered (sent again by the next run)"
    if outcome.taken:
        line += f"; {len(outcome.taken)} left to another run that was sending them"
    if result.resent:
        line += f"; {result.resent} resent (in flight when the last run stopped)"
    return line


def failure_lines(result: RunResult) -> list[str]:
    """Return a line per email not delivered: refused for good, or to be retried."""
    refused = {e.message_id for e, _ in result.outcome.refused}
    return [
        f"    {'refused for good' if e.message_id in refused else 'not delivered, retried next run'}"
        f": {e.to_name} <{', '.join(e.to)}>: {why}"
        for e, why in result.failed
    ]


def written_line(result: RunResult, journal: str) -> str:
    """Return what the run wrote: the tabs that changed, the journal rows it added."""
    tabs = ", ".join(f"«{name}»" for name in result.written_tabs)
    wrote = f"wrote the tabs {tabs}" if tabs else "the tabs were already up to date"
    rows = f"{result.journal_rows} row(s) added to «{journal}»" if result.journal_rows else ""
    return "  " + "; ".join(x for x in (wrote, rows) if x)


def cmd_once(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    today, now = clock(settings, args.today)
    workbook = open_workbook(settings)
    result = run_cycle(
        settings, workbook, delivery_for(settings.mail), today=today, now=now, dry_run=args.dry_run
    )
    print(f"sheets_sync: {shown(workbook.label)} as of {today:%Y-%m-%d (%a)}")
    print("\n".join(describe(result)))
    print(mail_line(result, settings, dry_run=args.dry_run))
    print("\n".join(failure_lines(result)), end="\n" if result.failed else "")
    if args.dry_run:
        for email in result.emails:
            print(f"    would send to {', '.join(email.to)}: {email.subject}")
    elif result.written:
        print(written_line(result, settings.tabs.journal))
    if result.delivery_error:
        raise SheetsSyncError(f"no email was sent: {result.delivery_error}")
    if result.over_cap:
        raise SheetsSyncError(
            f"nothing was sent: this run would send {len(result.emails)} emails, more than "
            f"reminders.max_emails_per_run = {settings.reminders.max_emails_per_run}. Check the "
            "dates and the submission table (see «Проблемы»); if all is right, raise the cap"
        )
    if result.records is not None and result.records.unreadable:
        first = result.records.unreadable[0]
        raise SheetsSyncError(
            f"nothing was sent: the tab «{first.tab}» cannot be read "
            f"({first.cell + ': ' if first.cell else ''}{first.what}); fix it as «Проблемы» "
            "says and run again"
        )
    if result.failed:
        print(
            f"sheets_sync: {len(result.failed)} email(s) not delivered (listed above); "
            f"exit code {EXIT_NOT_DELIVERED}",
            file=sys.stderr,
        )
        return EXIT_NOT_DELIVERED
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    today, now = clock(settings, args.today)
    workbook = open_workbook(settings)
    result = run_cycle(
        settings, workbook, delivery_for(settings.mail), today=today, now=now, dry_run=True
    )
    print(f"Preview of the run on {workbook.label} as of {today:%Y-%m-%d}:")
    if result.hold_reason:
        print(f"  nothing would be sent: {result.hold_reason}")
    for email in result.emails:
        print()
        print(f"To: {email.to_name} <{', '.join(email.to)}>")
        print(f"Subject: {email.subject}")
        print()
        print(email.text.rstrip())
        print("-" * 72)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for email in result.emails:
            slug = "".join(c if c.isalnum() or c in "-_" else "-" for c in email.recipient)
            (args.out / f"{slug}.html").write_text(email.html, encoding="utf-8")
        print(f"Wrote {len(result.emails)} HTML files to {args.out}")
    print(
        f"{len(result.emails)} email(s) would be sent"
        + (" — over the cap: a real run would send none" if result.over_cap else "")
    )
    if settings.inbox is not None:
        for finding in check_replies(settings):
            print(f"  {finding.what}")
    return 0
