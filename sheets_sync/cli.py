"""The command line: a thin shell over the library. Reads the clock once, here.

Exit codes: 0 success, 1 a user error (the message names the fix), 2 a bug (a traceback),
3 `once` finished but some emails were not delivered (each is listed: refused for good, or to
be sent again by the next run).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from sheets_sync import __version__
from sheets_sync.commands import deadlines, demo, running, setup
from sheets_sync.errors import SheetsSyncError
from sheets_sync.settings.load import DEFAULT_CONFIG


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
            "init": setup.cmd_init,
            "sync": setup.cmd_sync,
            "demo": demo.cmd_demo,
            "once": running.cmd_once,
            "check": running.cmd_check,
            "preview": running.cmd_preview,
            "deadlines": deadlines.cmd_deadlines,
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
