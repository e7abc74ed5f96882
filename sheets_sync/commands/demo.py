"""`demo`: the two demo workbooks built from the seed roadmaps, and one cycle on each."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from pathlib import Path

from sheets_sync import demo
from sheets_sync.cycle import run_cycle
from sheets_sync.mail.delivery import delivery_for
from sheets_sync.workbook import open_workbook
from sheets_sync.workdays import WorkCalendar

from .running import describe, mail_line, written_line
from .shell import clock, shown


def cmd_demo(args: argparse.Namespace) -> int:
    region, school = demo.demo_settings(Path.cwd())
    if args.reset:
        demo.reset(region, school)
    books = demo.prepare(region, school, args.today)
    print("sheets_sync demo: the two seed roadmaps, each run as of a day inside its plan year.")
    total = 0
    for book in books:
        settings = book.settings
        # The demo plays a day of its plan year: its emails, journal and «Сводка» are stamped
        # with that day (at the time it runs), not a date years after the plan.
        _, real = clock(settings, book.day)
        now = datetime.combine(book.day, real.timetz())
        workbook = open_workbook(settings)
        result = run_cycle(settings, workbook, delivery_for(settings.mail), today=book.day, now=now)
        total += len(result.sent)
        state = "built" if book.built else "existing"
        print(
            f"\n{book.label}\n  {state} workbook {shown(settings.workbook.path)}, "
            f"as of {book.day:%Y-%m-%d (%a)}"
        )
        print("\n".join(describe(result)))
        print(mail_line(result, settings, dry_run=False))
        print(written_line(result, settings.tabs.journal))
    outbox = shown(region.mail.outbox)
    print(
        f"\nWhere to look:\n"
        f"  {shown(region.workbook.path)}, {shown(school.workbook.path)}: open them; the tabs «Сводка», "
        f"«Просрочено», «Сроки», «Проблемы», «Журнал рассылки» are the service's\n"
        f"  {outbox}/: one .eml per recipient, in Russian (open with any mail client)"
    )
    calendar = WorkCalendar(region.calendar)
    week = next(
        d
        for d in (books[0].day + timedelta(days=7 + n) for n in range(31))
        if calendar.is_working_day(d)
    )  # (reminders go out on working days only)
    later = f"python run.py demo --today {week:%Y-%m-%d}"
    if total == 0:
        print(
            "\nNothing new was sent: every reminder due on this day went out already. "
            f"Try `{later}` for the next week's reminders, or `--reset` to start over."
        )
    else:
        print(f"\nRun it again: nothing new is sent. A week later: {later}")
    return 0
