"""`init` and `sync`: a new workbook's input tabs, and «Сдача отчётов» columns and rows for
reports and schools added since."""

from __future__ import annotations

import argparse

from sheets_sync.cycle import compute
from sheets_sync.settings.load import load_settings
from sheets_sync.workbook import open_workbook
from sheets_sync.workbook.layout import input_headers, sync_additions

from .shell import clock


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
    today, _ = clock(settings, args.today)
    workbook = open_workbook(settings)
    tab = settings.tabs.submissions
    snapshot = workbook.read()
    if tab not in snapshot.tabs:
        records = compute(snapshot, settings, today).records
        if not any(i.school_report and i.deadline.due_dates for i in records.items):
            print(f"no line of the roadmap is a dated school report: «{tab}» is not needed")
            return 0
        workbook.init({tab: input_headers(settings.tabs, settings.columns)[tab]})
        print(f"added the tab «{tab}»")
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
