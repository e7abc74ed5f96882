"""Render digests with the jinja2 templates in `mail_templates/`: subject, plain text and HTML,
in Russian. Pure; `message.py` turns the result into MIME bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import jinja2

from sheets_sync.mail.message import one_line
from sheets_sync.reminders import Digest, Reminder
from sheets_sync.resources import shipped
from sheets_sync.stages import ESCALATION, SUMMARY
from sheets_sync.wording import DAYS, count, ru_date


@dataclass(frozen=True, slots=True)
class Email:
    """A rendered digest, ready to become a MIME message."""

    recipient: str
    to_name: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    message_id: str
    keys: tuple[str, ...]
    kind: str = "reminder"
    summary: str = ""  # the obligations, one line each, for «Журнал рассылки»
    stages: str = ""


@dataclass(frozen=True, slots=True)
class MailContext:
    """What every email says besides its items: the plan, the day, where to submit."""

    plan_title: str
    today: date
    workbook_id: str
    spreadsheet_url: str = ""
    submit_url: str = "{spreadsheet_url}"
    contact: str = ""


def template_env(folder: Path | None = None) -> jinja2.Environment:
    """Return the jinja2 environment over `folder` (default: the shipped mail_templates/):
    HTML autoescaped, a missing variable is an error."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder or shipped("mail_templates")),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ru_date"] = ru_date
    env.filters["days"] = lambda n: count(n, DAYS)
    env.filters["plural"] = lambda n, one, few, many: count(n, (one, few, many))
    return env


def message_id(workbook_id: str, keys: Sequence[str], domain: str) -> str:
    """Return a Message-ID derived from the email's content key: a resend is the same message."""
    digest = hashlib.sha256("\n".join([workbook_id, *sorted(keys)]).encode()).hexdigest()[:32]
    return f"<{digest}.sheets-sync@{domain}>"


def _item(reminder: Reminder, ctx: MailContext) -> dict[str, Any]:
    ob = reminder.obligation
    url = (
        ctx.submit_url.format(
            spreadsheet_url=ctx.spreadsheet_url, item=ob.item.key, school=ob.party.key
        )
        if ctx.submit_url
        else ""
    )
    return {
        "number": ob.item.key,
        "title": one_line(ob.item.title),
        "section": ob.item.section,
        "due": ob.due,
        "days_late": ob.days_late,
        "days_left": ob.days_left,
        "stage": reminder.stage,
        "stage_label": reminder.stage.label,
        "overdue": ob.days_late > 0,
        "party": one_line(ob.party.name),
        "url": url,
    }


def _worst_first(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Return overdue items grouped by party: the most items first, then the longest late."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item["party"], []).append(item)
    return dict(
        sorted(
            groups.items(), key=lambda kv: (-len(kv[1]), -max(i["days_late"] for i in kv[1]), kv[0])
        )
    )


def _coordinator_values(items: list[dict[str, Any]]) -> dict[str, Any]:
    escalated = [i for i in items if i["stage"] == ESCALATION]
    summary = [i for i in items if i["stage"] == SUMMARY]
    soon: dict[tuple[Any, str], dict[str, Any]] = {}
    for item in summary:
        if not item["overdue"]:
            entry = soon.setdefault((item["due"], item["number"]), {**item, "parties": []})
            entry["parties"].append(item["party"])
    late = [i for i in summary if i["overdue"]]
    return {
        "escalated": escalated,
        "escalated_groups": _worst_first(escalated),
        "late": late,
        "late_groups": _worst_first(late),
        "soon": [soon[k] for k in sorted(soon)],
        "soon_count": len(summary) - len(late),
    }


def render(digest: Digest, ctx: MailContext, env: jinja2.Environment, sender: str) -> Email:
    """Return the email for `digest`: subject, plain text and HTML, in Russian."""
    items = [_item(r, ctx) for r in digest.reminders]
    values: dict[str, Any] = {
        "name": one_line(digest.name),
        "plan_title": one_line(ctx.plan_title),
        "today": ctx.today,
        "items": items,
        "contact": ctx.contact,
        "overdue": [i for i in items if i["overdue"]],
        "upcoming": [i for i in items if not i["overdue"]],
        "weekly": bool(digest.summary_key),
    }
    kind = digest.kind
    if kind == "coordinator":
        values.update(_coordinator_values(items))
    subject = one_line(env.get_template(f"{kind}.subject.txt").render(values))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    lines = [i for i in items if i["stage"] != SUMMARY]
    return Email(
        recipient=digest.recipient,
        to_name=one_line(digest.name),
        to=digest.emails,
        subject=subject,
        text=env.get_template(f"{kind}.txt").render(values),
        html=env.get_template(f"{kind}.html").render(values),
        message_id=message_id(ctx.workbook_id, digest.keys, domain),
        keys=digest.keys,
        kind=kind,
        summary="\n".join(
            [
                f"{i['number']} до {ru_date(i['due'])} — {i['stage_label']}"
                + (f" ({i['party']})" if kind == "coordinator" else "")
                for i in lines
            ]
            + (["сводка за неделю"] if digest.summary_key else [])
        ),
        stages=", ".join(
            dict.fromkeys(
                [r.stage.group for r in digest.reminders if r.stage != SUMMARY]
                + (["сводка за неделю"] if digest.summary_key else [])
            )
        ),
    )
