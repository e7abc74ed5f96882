"""`hub`: one cycle of the regional hub over every source (see `sheets_sync/hub/`)."""

from __future__ import annotations

import argparse

from sheets_sync.errors import SheetsSyncError
from sheets_sync.hub.changes import Action
from sheets_sync.hub.runner import HubRunner
from sheets_sync.settings.load import load_settings

from .shell import clock, shown


def cmd_hub(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if settings.hub is None:
        raise SheetsSyncError(
            "no hub in the settings: name its summary workbook in [hub] (spreadsheet = URL, or "
            "path = an .xlsx file) and its sources; see config/settings.example.toml"
        )
    today, now = clock(settings, args.today)
    result = HubRunner(settings).run(now, send=not args.refresh, today=today)
    book = settings.hub.workbook
    print(f"sheets_sync hub: {book.spreadsheet or shown(book.path)} as of {today:%Y-%m-%d (%a)}")
    print(
        f"  sources: {len(result.sources)}: {result.count(Action.READ, Action.CYCLE)} read, "
        f"{result.count(Action.KEEP, Action.RECOMPUTE)} unchanged, {result.failed} not read"
    )
    print(f"  emails sent by the sources' cycles: {result.sent}")
    print(f"  Google requests: {result.requests} ({result.waited:.0f} s waiting for the quota)")
    print(f"  problems: {len(result.problems)}" + (" (see «Проблемы»)" if result.problems else ""))
    print(f"  wrote the tabs {', '.join('«' + t.name + '»' for t in result.tabs)}")
    if result.delivery_error:
        raise SheetsSyncError(f"the sources' emails were not sent: {result.delivery_error}")
    return 0
