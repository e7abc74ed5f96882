"""Render digests with the jinja2 templates in `mail_templates/`: subject, plain text and HTML,
in Russian. Pure; `message.py` turns the result into MIME bytes."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import jinja2

from sheets_sync.escalation import MUNICIPAL
from sheets_sync.mail.message import one_line
from sheets_sync.mail.values import coordinator_values, item_values, submit_link
from sheets_sync.reminders import Digest, Reminder
from sheets_sync.resources import shipped
from sheets_sync.settings.types import ReminderPolicy
from sheets_sync.stages import BACKLOG, SUMMARY
from sheets_sync.wording import (
    DAYS,
    count,
    inner_quotes,
    item_label,
    name_and_patronymic,
    ru_date,
)

JOURNAL_LINES = 50  # obligations listed in «Журнал рассылки» for one email


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


def _every_day(day: date) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class MailContext:
    """What every email says besides its items: the plan, the day, where to submit, when the
    next reminder comes, who signs."""

    plan_title: str
    today: date
    workbook_id: str
    spreadsheet_url: str = ""
    submit_url: str = "{spreadsheet_url}"
    contact: str = ""
    policy: ReminderPolicy = field(default_factory=ReminderPolicy)
    is_working_day: Callable[[date], bool] = _every_day
    signature: tuple[str, ...] = ()
    plan_over: bool = False  # the plan's year has ended: once escalated, an item is not chased


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
    env.filters["inner"] = inner_quotes  # a name inside «»: its own quotes become „“
    env.filters["item"] = item_label  # «п. 2», «VII.8»
    return env


def message_id(workbook_id: str, keys: Sequence[str], domain: str) -> str:
    """Return a Message-ID derived from the email's content key: a resend is the same message."""
    digest = hashlib.sha256("\n".join([workbook_id, *sorted(keys)]).encode()).hexdigest()[:32]
    return f"<{digest}.sheets-sync@{domain}>"


def _values(reminder: Reminder, ctx: MailContext) -> dict[str, Any]:
    ob = reminder.obligation
    link = submit_link(ctx.submit_url, ctx.spreadsheet_url, ob.item.key, ob.party.key)
    return item_values(reminder, ctx.policy, ctx.is_working_day, link, plan_over=ctx.plan_over)


def render(digest: Digest, ctx: MailContext, env: jinja2.Environment, sender: str) -> Email:
    """Return the email for `digest`: subject, plain text and HTML, in Russian."""
    every = [_values(r, ctx) for r in digest.reminders]
    # A party's debts from before reminders started are listed apart (the coordinators have
    # them); the coordinators' own digest sorts its lines itself.
    old = [i for i in every if i["stage"] == BACKLOG] if digest.kind == "reminder" else []
    items = [i for i in every if i not in old]
    upcoming = [i for i in items if not i["overdue"]]
    contacts = {r.obligation.party.contact for r in digest.reminders} - {""}
    person = name_and_patronymic(contacts.pop()) if len(contacts) == 1 else ""
    values: dict[str, Any] = {
        "name": one_line(digest.name),
        "greeting": f"Здравствуйте, {person}!" if person else "Здравствуйте!",
        "plan_title": one_line(ctx.plan_title),
        "today": ctx.today,
        "items": items,
        "old_debts": old,
        "school": digest.recipient.startswith("school:"),
        "contact": ctx.contact,
        "overdue": [i for i in items if i["overdue"]],
        "upcoming": upcoming,
        "soonest": min((i["days_left"] for i in upcoming), default=None),
        "next_on": min((i["next_on"] for i in items if i["next_on"]), default=None),
        "weekly": bool(digest.summary_key),
        "spreadsheet_url": ctx.spreadsheet_url,
        "signature": ctx.signature,
    }
    kind = digest.kind
    if kind == "coordinator":
        values.update(coordinator_values(items))
        # A municipality's coordinator: their summary covers their municipality only (named
        # as most of its schools write it).
        places = Counter(i["municipality"] for i in items if i["municipality"])
        local = digest.recipient.startswith(MUNICIPAL) and places
        values["municipality"] = places.most_common(1)[0][0] if local else ""
    subject = one_line(env.get_template(f"{kind}.subject.txt").render(values))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    listed = [i for i in every if i["stage"] != SUMMARY]
    lines, more = listed[:JOURNAL_LINES], len(listed) - JOURNAL_LINES
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
            + ([f"… и ещё {more}"] if more > 0 else [])
            + (["сводка за неделю"] if digest.summary_key else [])
        ),
        stages=", ".join(
            dict.fromkeys(
                [r.stage.group for r in digest.reminders if r.stage != SUMMARY]
                + (["сводка за неделю"] if digest.summary_key else [])
            )
        ),
    )
