"""`check`: the pre-send lint. Validates the settings, reads the workbook and plans the run as a
dry run would, logs in to the mail server, then lists by tab every finding of `lint.py`: what
«Проблемы» would show and what would stop or silently shrink a run. Exit 1 when any would."""

from __future__ import annotations

import argparse
import os
from itertools import groupby

from sheets_sync.cycle import RunResult, run_cycle
from sheets_sync.lint import Finding, RunFacts, lint
from sheets_sync.mail.delivery import delivery_for
from sheets_sync.settings.credentials import credential_warnings
from sheets_sync.settings.load import load_settings
from sheets_sync.settings.mail import address_part
from sheets_sync.settings.types import Settings
from sheets_sync.workbook import open_workbook

from .mailbox_check import check_replies
from .running import describe, mail_line
from .shell import clock, shown

PER_GROUP = 20


def cmd_check(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    print(f"settings: {shown(settings.source)} is valid")
    for warning in credential_warnings(settings.google.credentials, os.environ):
        print(f"warning: {warning}")
    today, now = clock(settings, args.today)
    workbook = open_workbook(settings)
    result = run_cycle(
        settings, workbook, delivery_for(settings.mail), today=today, now=now, dry_run=True
    )
    print(f"workbook: {shown(workbook.label)} read as of {today:%Y-%m-%d}")
    print("\n".join(describe(result)))
    print(mail_line(result, settings, dry_run=True))
    _check_mail(settings)
    replies = check_replies(settings)
    assert result.records is not None
    findings = lint(result.records, result.problems, facts(settings, result), today)
    return report([*replies, *findings], settings)


def facts(settings: Settings, result: RunResult) -> RunFacts:
    return RunFacts(
        emails=len(result.emails),
        cap=settings.reminders.max_emails_per_run,
        real_mail=settings.mail.delivery == "smtp",
        addresses={
            "mail.from": [address_part(settings.mail.sender)],
            "mail.reply_to": [address_part(settings.mail.reply_to)],
            "reminders.escalate_to": list(settings.reminders.escalate_to),
            "service.admin_email": [settings.service.admin_email],
        },
        roadmap_tab=settings.tabs.roadmap,
        schools_tab=settings.tabs.schools,
    )


def _check_mail(settings: Settings) -> None:
    if settings.mail.delivery == "smtp":
        with delivery_for(settings.mail).session():  # log in; raises with the fix when it can't
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


def report(findings: list[Finding], settings: Settings) -> int:
    """Print the findings grouped by tab; return the exit code (1 when any is an error)."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    for title, group in (("To fix before a run", errors), ("Warnings", warnings)):
        if group:
            print(f"\n{title} ({len(group)}):")
            _print_by_tab(group, settings)
    if errors:
        print(
            f"\ncheck: {len(errors)} finding(s) would stop or shrink a run: fix them, then run "
            "`check` again"
        )
        return 1
    print(
        "\ncheck: nothing would stop or shrink a run" + (" (see the warnings)" if warnings else "")
    )
    return 0


def _group(finding: Finding, settings: Settings) -> tuple[int, str]:
    """Return where a finding is shown: the settings first, then the tabs in their order, then
    the run as a whole."""
    if finding.in_settings:
        return (0, f"settings ({shown(settings.source)})")
    if not finding.tab:
        return (9, "the run")
    tabs = list(settings.tabs.inputs)
    return (1 + tabs.index(finding.tab) if finding.tab in tabs else 8, f"«{finding.tab}»")


def _print_by_tab(findings: list[Finding], settings: Settings) -> None:
    ordered = sorted(findings, key=lambda f: _group(f, settings))
    for (_, title), group in groupby(ordered, key=lambda f: _group(f, settings)):
        items = list(group)
        print(f"  {title}")
        for f in items[:PER_GROUP]:
            where = f"{f.cell}: " if f.cell else ""
            print(f"    {where}{f.what}" + (f". {f.fix}" if f.fix else ""))
        if len(items) > PER_GROUP:
            print(
                f"    … and {len(items) - PER_GROUP} more (the «{settings.tabs.problems}» tab lists them)"
            )
