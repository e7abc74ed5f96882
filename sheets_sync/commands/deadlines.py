"""`deadlines`: how a deadline phrase (or a column of them) is read."""

from __future__ import annotations

import argparse
import sys

from sheets_sync.deadlines import parse_deadline, reading_line

from .shell import this_year


def cmd_deadlines(args: argparse.Namespace) -> int:
    year = args.year or this_year()
    if args.text == "-":
        for line in sys.stdin:
            phrase = line.rstrip("\n")
            print(reading_line(parse_deadline(phrase, year)) if phrase.strip() else "")
        return 0
    print(reading_line(parse_deadline(args.text, year)))
    return 0
