"""The command line: a thin shell over the library. Reads the clock once, here.

Exit codes: 0 success, 1 a user error (the message names the fix), 2 a bug (a traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from sheets_sync import __version__
from sheets_sync.cycle import RunResult, compute, run_cycle
from sheets_sync.deadlines import parse_deadline, reading_line
from sheets_sync.errors import SheetsSyncError
from sheets_sync.inputs.records import Records
from sheets_sync.mail.delivery import delivery_for
from sheets_sync.obligations import State
from sheets_sync.settings.load import DEFAULT_CONFIG, load_settings
from sheets_sync.settings.types import Settings
from sheets_sync.workbook import open_workbook
from sheets_sync.workbook.layout import input_headers, sync_additions


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"Error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(1)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2020-11-25"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sheets-sync",
        description=(
            "Run a school roadmap from a shared spreadsheet: read every deadline, flag what is "
            "overdue, email one Russian digest per recipient, write summary tabs."
        ),
    )
    parser.add_argument("--version", action="version", version=f"sheets_sync {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every step (DEBUG)")
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help)

    def config(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--config",
            type=Path,
            default=None,
            metavar="PATH",
            help=f"settings file (default: $SHEETS_SYNC_CONFIG or {DEFAULT_CONFIG})",
        )

    def today(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--today",
            type=_day,
            metavar="YYYY-MM-DD",
            help="run as of this day instead of today (a backfill or a rehearsal)",
        )

    p = command("demo", "build demo workbooks from the two seed roadmaps and run one cycle on each")
    today(p)
    p.add_argument(
        "--reset",
        action="store_true",
        help="delete the demo workbooks, outbox and state first, and start over",
    )

    p = command("once", "run one cycle: read, send the reminders due, write the summary tabs")
    config(p)
    today(p)
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="read and compute, print what would be sent; send and write nothing",
    )

    p = command("check", "validate the settings and read the workbook; send and write nothing")
    config(p)
    today(p)

    p = command("preview", "show what the next run would send, per recipient, without sending")
    config(p)
    today(p)
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="also write each email as an HTML file into DIR"
    )

    p = command("init", "add the input tabs with their headers to a new workbook or spreadsheet")
    config(p)

    p = command(
        "sync",
        "append «Сдача отчётов» columns for new obligations and rows for new "
        "schools; never moves or rewrites anything",
    )
    config(p)
    today(p)

    p = command("deadlines", "print how a deadline phrase is read")
    p.add_argument(
        "text",
        help='the phrase, e.g. "до 01.03.2020; до 01.06.2020"; '
        "- reads one phrase a line from standard input",
    )
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="plan year for dates without a year (default: this year)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else 1
    # The demo prints its own report; per-email log lines would drown it.
    quiet = args.quiet or (args.command == "demo" and not args.verbose)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    if not args.command:
        parser.print_help()
        return 1
    try:
        handler = {
            "init": cmd_init,
            "sync": cmd_sync,
            "demo": cmd_demo,
            "once": cmd_once,
            "check": cmd_check,
            "preview": cmd_preview,
            "deadlines": cmd_deadlines,
        }[args.command]
        return handler(args)
    except SheetsSyncError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - a bug: show everything
        traceback.print_exc()
        print(
            "\nThis is a bug in sheets_sync; please report it with the text above.", file=sys.stderr
        )
        return 2


def shown(path: Path | str | None) -> str:
    """Return a path relative to the current folder when it lies inside it."""
    if path is None:
        return ""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _clock(settings: Settings, today: date | None) -> tuple[date, datetime]:
    """Return (today, now) in the configured time zone; --today keeps the time of day."""
    now = datetime.now(ZoneInfo(settings.timezone))
    if today is None:
        return now.date(), now
    return today, datetime.combine(today, now.time().replace(microsecond=0), now.tzinfo)


def _plan(records: Records) -> str:
    if records.school_year:
        return f"{records.plan_year}/{records.plan_year + 1}, a school year"
    return str(records.plan_year)


def describe(result: RunResult) -> list[str]:
    """Return a few lines on what a run found and did."""
    records = result.records
    if records is None:
        return []
    states = Counter(o.state for o in result.obligations if o.due is not None)
    done = states[State.DONE] + states[State.DONE_LATE]
    active = sum(1 for s in records.schools if s.active)
    lines = [
        (
            f"  read: {len(records.items)} roadmap lines (plan year {_plan(records)}), "
            f"schools: {active} active of {len(records.schools)}, executors: {len(records.executors)}"
        ),
        (
            f"  obligations: {sum(states.values())} with a date: {done} done, "
            f"{states[State.DUE_SOON]} due soon, {states[State.OVERDUE]} overdue, "
            f"{states[State.UPCOMING]} later; "
            f"{sum(1 for o in result.obligations if o.due is None)} without a date"
        ),
        f"  problems in the data: {len(result.problems)}"
        + (" (see the «Проблемы» tab)" if result.problems else ""),
    ]
    return lines


def _mail_line(result: RunResult, settings: Settings, *, dry_run: bool) -> str:
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
    line = f"  emails: {len(result.sent)} {where}"
    if result.failed:
        line += f"; {len(result.failed)} not delivered (kept for the next run)"
    if result.resent:
        line += f"; {result.resent} resent (in flight when the last run stopped)"
    return line


def cmd_once(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    today, now = _clock(settings, args.today)
    workbook = open_workbook(settings)
    result = run_cycle(
        settings, workbook, delivery_for(settings.mail), today=today, now=now, dry_run=args.dry_run
    )
    print(f"sheets_sync: {shown(workbook.label)} as of {today:%Y-%m-%d (%a)}")
    print("\n".join(describe(result)))
    print(_mail_line(result, settings, dry_run=args.dry_run))
    if args.dry_run:
        for email in result.emails:
            print(f"    would send to {', '.join(email.to)}: {email.subject}")
    elif result.written:
        print(
            f"  wrote the tabs {', '.join('«' + t.name + '»' for t in result.tabs)} "
            f"and «{settings.tabs.journal}»"
        )
    if result.delivery_error:
        raise SheetsSyncError(f"no email was sent: {result.delivery_error}")
    if result.over_cap:
        raise SheetsSyncError(
            f"nothing was sent: this run would send {len(result.emails)} emails, more than "
            f"reminders.max_emails_per_run = {settings.reminders.max_emails_per_run}. Check the "
            "dates and the submission table (see «Проблемы»); if all is right, raise the cap"
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    print(f"settings: {settings.source} is valid")
    today, now = _clock(settings, args.today)
    workbook = open_workbook(settings)
    result = run_cycle(
        settings, workbook, delivery_for(settings.mail), today=today, now=now, dry_run=True
    )
    print(f"workbook: {shown(workbook.label)} read as of {today:%Y-%m-%d}")
    print("\n".join(describe(result)))
    for p in result.problems[:20]:
        where = " ".join(x for x in (p.tab and f"«{p.tab}»", p.cell) if x)
        print(f"    {where}: {p.what}. {p.fix}")
    if len(result.problems) > 20:
        print(f"    … and {len(result.problems) - 20} more")
    print(_mail_line(result, settings, dry_run=True))
    delivery = delivery_for(settings.mail)
    if settings.mail.delivery == "smtp":
        with delivery.session():  # connect and log in; raises with the fix when it can't
            pass
        smtp = settings.mail.smtp
        print(
            f"mail: logged in to {smtp.host}:{smtp.port} ({smtp.security}) as "
            f"{smtp.user or 'nobody (no login)'}"
        )
    else:
        print(
            f'mail: emails are written to {shown(settings.mail.outbox)} (mail.delivery = "outbox")'
        )
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    today, now = _clock(settings, args.today)
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
    return 0


def cmd_deadlines(args: argparse.Namespace) -> int:
    year = args.year or datetime.now().year  # noqa: DTZ005 - only the year is used
    if args.text == "-":
        for line in sys.stdin:
            phrase = line.rstrip("\n")
            print(reading_line(parse_deadline(phrase, year)) if phrase.strip() else "")
        return 0
    print(reading_line(parse_deadline(args.text, year)))
    return 0


def _demo_config(name: str) -> Path:
    """Return the demo's config file: ./config/NAME, else the one beside the package."""
    here = Path("config") / name
    if here.is_file():
        return here
    return Path(__file__).resolve().parent.parent / "config" / name


def cmd_demo(args: argparse.Namespace) -> int:
    from sheets_sync import demo

    region = load_settings(_demo_config("settings.toml"))
    school = load_settings(_demo_config("demo-school.toml"))
    for settings in (region, school):  # the demo must never mail real schools or edit a sheet
        if settings.workbook.backend != "xlsx" or settings.mail.delivery != "outbox":
            raise SheetsSyncError(
                f"{settings.source} is not a demo configuration any more (it uses "
                f"{settings.workbook.backend} and {settings.mail.delivery}): the demo only runs on "
                ".xlsx files with the outbox; run your own configuration with `python run.py once`"
            )
    if args.reset:
        demo.reset(region, school)
    books = demo.prepare(region, school, args.today)
    print("sheets_sync demo: the two seed roadmaps, each run as of a day inside its plan year.")
    total = 0
    for book in books:
        settings = book.settings
        _, now = _clock(settings, book.day)
        workbook = open_workbook(settings)
        result = run_cycle(settings, workbook, delivery_for(settings.mail), today=book.day, now=now)
        total += len(result.sent)
        state = "built" if book.built else "existing"
        print(
            f"\n{book.label}\n  {state} workbook {shown(settings.workbook.path)}, "
            f"as of {book.day:%Y-%m-%d (%a)}"
        )
        print("\n".join(describe(result)))
        print(_mail_line(result, settings, dry_run=False))
    outbox = shown(region.mail.outbox)
    print(
        f"\nWhere to look:\n"
        f"  {shown(region.workbook.path)}, {shown(school.workbook.path)}: open them; the tabs «Сводка», "
        f"«Просрочено», «Сроки», «Проблемы», «Журнал рассылки» were written by this run\n"
        f"  {outbox}/: one .eml per recipient, in Russian (open with any mail client)"
    )
    if total == 0:
        print(
            "\nNothing new was sent: every reminder due on this day went out already. "
            "Try `python run.py demo --today 2020-12-02` for the next week's reminders, "
            "or `--reset` to start over."
        )
    else:
        print(
            "\nRun it again: nothing new is sent. A week later: "
            "python run.py demo --today 2020-12-02"
        )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    workbook = open_workbook(settings)
    added = workbook.init(input_headers(settings.tabs, settings.columns))
    if added:
        print(
            f"{workbook.label}: added the tabs {', '.join('«' + t + '»' for t in added)} "
            "with their headers"
        )
    else:
        print(f"{workbook.label}: every input tab is there already; nothing changed")
    print(
        "Next: fill in «Дорожная карта», «Школы» and «Ответственные», then run "
        "`python run.py sync` to add the report columns, and `python run.py check`."
    )
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    today, _ = _clock(settings, args.today)
    workbook = open_workbook(settings)
    tab = settings.tabs.submissions
    snapshot = workbook.read()
    if tab not in snapshot.tabs:
        workbook.init({tab: input_headers(settings.tabs, settings.columns)[tab]})
        snapshot = workbook.read()
    computed = compute(snapshot, settings, today)
    plan = sync_additions(
        computed.records, snapshot.tabs.get(tab, []), settings.tabs, settings.columns
    )
    if plan.empty:
        print(f"«{tab}» already has a column for every report and a row for every school")
        return 0
    workbook.extend(snapshot, tab, plan.header_row, plan.headers, plan.rows)
    print(
        f"«{tab}»: added {len(plan.headers)} column(s) and {len(plan.rows)} school row(s); "
        "nothing existing was moved"
    )
    for header in plan.headers:
        print(f"  + column «{header}»")
    for row in plan.rows:
        print(f"  + row {' '.join(v for v in row if v)}")
    return 0
