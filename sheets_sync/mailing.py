"""What goes out today: the mailing planned from the computed records (or held, and why), and
its emails rendered. Pure but for the production calendar it reads."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import date
from email.utils import parseaddr
from typing import TYPE_CHECKING

from sheets_sync.escalation import routing_of
from sheets_sync.inputs.problems import unreadable_note
from sheets_sync.inputs.records import Records
from sheets_sync.mail.render import Email, MailContext, render, template_env
from sheets_sync.obligations import copied_forward_year
from sheets_sync.reminders import Mailing, plan_mailing
from sheets_sync.sent_keys import SentLookup
from sheets_sync.settings.types import Settings
from sheets_sync.wording import ru_date
from sheets_sync.workbook import Snapshot
from sheets_sync.workdays import WorkCalendar

if TYPE_CHECKING:
    from sheets_sync.cycle import Computed


def coordinator_addresses(settings: Settings) -> frozenset[str]:
    """Return the coordinating body's addresses: the sender, the reply address, and the
    coordinators who get escalations."""
    own = (parseaddr(settings.mail.sender)[1], parseaddr(settings.mail.reply_to)[1])
    return frozenset(a for a in (*own, *settings.reminders.escalate_to) if a)


def mailing_for(
    computed: Computed,
    settings: Settings,
    sent: AbstractSet[str] | SentLookup,
    today: date,
    first_sent: date | None = None,
    earlier: AbstractSet[str] | None = None,
) -> Mailing:
    """Return the digests to send today, or an empty mailing saying why nothing goes out.
    `sent`: the keys sent (`earlier`: those sent before today), or a lookup of the local
    state. Reminders start on `reminders.start_date`, else on the day of the first reminder
    sent (`first_sent`), else today."""
    if computed.records.unreadable:
        return Mailing((), hold_reason=unreadable_note(computed.records.unreadable))
    year = copied_forward_year(computed.records)
    if year is not None:
        plan_year = computed.records.plan_year
        return Mailing(
            (),
            hold_reason=f"план — на {plan_year} год, а все его сроки — в {year} году или раньше: "
            "похоже, он скопирован без новых дат (см. «Проблемы»)",
        )
    calendar = WorkCalendar(settings.calendar)
    reason = calendar.holiday_name(today) or ""
    start = settings.reminders.start_date or min(first_sent or today, today)
    return plan_mailing(
        computed.obligations,
        sent,
        settings.reminders,
        today,
        calendar.is_working_day,
        day_off_reason=f"{ru_date(today)} — нерабочий день ({reason})",
        start=start,
        plan_over=today > plan_end(computed.records),
        earlier=earlier,
        routing=routing_of(computed.records),
    )


def _every_day(day: date) -> bool:
    return True


def plan_end(records: Records) -> date:
    """Return the last day of the plan's year (31 August for a school-year plan)."""
    if records.school_year:
        return date(records.plan_year + 1, 8, 31)
    return date(records.plan_year, 12, 31)


def render_all(
    mailing: Mailing,
    computed: Computed,
    settings: Settings,
    snapshot: Snapshot,
    workbook_id: str,
    today: date,
) -> list[Email]:
    """Return the rendered emails of `mailing`."""
    env = template_env()
    contact = parseaddr(settings.mail.reply_to or settings.mail.sender)[1]
    ctx = MailContext(
        plan_title=computed.records.title,
        today=today,
        workbook_id=workbook_id,
        spreadsheet_url=snapshot.url,
        submit_url=settings.mail.submit_url,
        contact=contact,
        policy=settings.reminders,
        is_working_day=WorkCalendar(settings.calendar).is_working_day
        if settings.reminders.working_days_only
        else _every_day,
        signature=settings.mail.signature,
        plan_over=today > plan_end(computed.records),
    )
    return [render(d, ctx, env, settings.mail.sender) for d in mailing.digests]
