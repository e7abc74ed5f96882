"""The command line: a thin shell over the library. Reads the clock once, here.

Exit codes: 0 success, 1 a user error (the message names the fix), 2 a bug (a traceback),
3 `once` finished but some emails were not delivered (each is listed: refused for good, or to
be sent again by the next run).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from sheets_sync import __version__, logs
from sheets_sync.commands import (
    check,
    deadlines,
    demo,
    hub,
    importing,
    running,
    serve,
    setup,
    year_report,
)
from sheets_sync.errors import SheetsSyncError
from sheets_sync.hub import hub_view
from sheets_sync.service.lock import instance_lock
from sheets_sync.settings.load import DEFAULT_CONFIG, load_settings

# Commands that write to the workbook or send: one at a time per workbook (a dry run writes
# nothing and takes no lock).
LOCKED = frozenset({"serve", "once", "sync", "init", "hub"})


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
    parser.add_argument(
        "--log-format",
        choices=logs.LOG_FORMATS,
        default="text",
        help="log lines as plain text (default) or one JSON object a line, for log collectors",
    )
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

    p = command(
        "serve",
        "run as a service: send every working day at service.send_at, refresh the tabs every "
        "service.refresh_minutes; stops on SIGTERM or Ctrl-C once the cycle in progress ends",
    )
    config(p)

    p = command(
        "hub",
        "run one cycle of the regional hub: each source's own cycle where it is due, then the "
        "summary tabs over all of them ([hub] in the settings)",
    )
    config(p)
    today(p)
    p.add_argument(
        "--refresh",
        action="store_true",
        help="send nothing: run only the sources that changed, and write the summary",
    )

    p = command(
        "check",
        "check the settings and the workbook before a run: list what would stop or shrink it "
        "(exit 1), send and write nothing",
    )
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

    p = command(
        "import",
        "read a roadmap document (.docx, .xlsx, tab-separated text) into a new workbook, or "
        "into the roadmap tab of an existing workbook or spreadsheet",
    )
    p.add_argument("file", type=Path, help="the document: .docx, .xlsx or tab-separated .txt")
    p.add_argument(
        "--into",
        metavar="WORKBOOK",
        help="an .xlsx path (a new one gets every input tab) or a Google spreadsheet's URL or "
        "key (default: a new .xlsx beside the document)",
    )
    p.add_argument("--tab", metavar="NAME", help="the roadmap tab to write (default: tabs.roadmap)")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace an existing roadmap tab (the changes are printed first)",
    )
    p.add_argument(
        "--force", action="store_true", help="write even if some lines could not be placed"
    )
    config(p)

    p = command("report", "write the year-end report: the roadmap with what was done, in Word")
    p.add_argument("--docx", type=Path, required=True, metavar="OUT.docx", help="the file to write")
    p.add_argument(
        "--as-of",
        type=_day,
        metavar="YYYY-MM-DD",
        help="report as of this day (default: today)",
    )
    config(p)

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
    logs.configure(
        logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        args.log_format,
        timestamps=args.command == "serve",
    )
    if not args.command:
        parser.print_help()
        return 1
    try:
        handler = {
            "init": setup.cmd_init,
            "sync": setup.cmd_sync,
            "demo": demo.cmd_demo,
            "once": running.cmd_once,
            "serve": serve.cmd_serve,
            "hub": hub.cmd_hub,
            "check": check.cmd_check,
            "preview": running.cmd_preview,
            "deadlines": deadlines.cmd_deadlines,
            "import": importing.cmd_import,
            "report": year_report.cmd_report,
        }[args.command]
        return _locked(handler, args, argv)
    except SheetsSyncError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `... | head` stopped reading: not an error of ours
        _quiet_stdout()
        return 0
    except Exception:  # noqa: BLE001 - a bug: show everything
        traceback.print_exc()
        print(
            "\nThis is a bug in sheets_sync; please report it with the text above.", file=sys.stderr
        )
        return 2


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit raises no second BrokenPipeError (as
    the Python documentation advises for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _locked(
    handler: Callable[[argparse.Namespace], int],
    args: argparse.Namespace,
    argv: Sequence[str] | None,
) -> int:
    """Run `handler`, holding the workbook's lock when the command writes or sends."""
    if args.command not in LOCKED or getattr(args, "dry_run", False):
        return handler(args)
    settings = load_settings(args.config)
    if args.command in ("hub", "serve"):
        settings = hub_view(settings)  # with [hub], they lock the summary workbook
    logs.REDACT.add(logs.settings_secrets(settings))
    words = list(sys.argv[1:] if argv is None else argv)
    started = datetime.now(ZoneInfo(settings.timezone))
    with instance_lock(settings, " ".join(words), started):
        return handler(args)
