"""`report --docx`: the year-end report, written as a Word document from the workbook as read
on the report's day."""

from __future__ import annotations

import argparse

from sheets_sync.cycle import compute
from sheets_sync.documents.year_report_docx import write_year_report
from sheets_sync.report.year_end import approved, year_end_report
from sheets_sync.settings.load import load_settings
from sheets_sync.workbook import open_workbook

from .shell import clock, shown


def cmd_report(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    as_of, _ = clock(settings, args.as_of)
    workbook = open_workbook(settings)
    snapshot = workbook.read()
    computed = compute(snapshot, settings, as_of)
    records = computed.records
    grid = snapshot.tabs.get(settings.tabs.roadmap, [])
    shown_cells = approved(grid, records, settings.tabs.roadmap, settings.columns["roadmap"])
    report = year_end_report(records, computed.obligations, as_of, shown_cells)
    write_year_report(report, args.docx)
    total = report.total
    more = [
        f"{total[name]} {label}"
        for name, label in (
            ("not_due", "not yet due"),
            ("no_date", "without a date"),
            ("unclear", "unclear"),
        )
        if total[name]
    ]
    print(
        f"wrote {shown(args.docx)}: {len(records.items)} lines in {len(report.sections)} "
        f"sections as of {as_of:%Y-%m-%d}; obligations: {total.total} ({total.done} done, "
        f"{total['late']} of them late; {total['not_done']} not done; "
        f"{total['not_required']} not required" + "".join(f"; {m}" for m in more) + ")"
    )
    if computed.problems:
        print(
            f"  {len(computed.problems)} problem(s) in the workbook (see `python run.py check`): "
            "the report shows what could be read"
        )
    return 0
