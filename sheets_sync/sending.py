"""Send a run's emails through one delivery session, recording each in the local state before and
after it goes: a run killed at any point loses no email and sends none twice (an email caught in
flight is resent next run as the very same bytes, with the same Message-ID).

Each email is claimed first (`LocalState.claim`, one transaction): an email, or any of its
reminders, that another run has claimed is not sent by this one, so two runs that overlap send
every reminder once between them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sheets_sync.errors import DeliveryError
from sheets_sync.logs import fields
from sheets_sync.mail.delivery import Delivery, Sender
from sheets_sync.mail.message import build_message
from sheets_sync.mail.render import Email
from sheets_sync.settings.types import MailSettings
from sheets_sync.state import LocalState

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Sent:
    """What happened to a run's emails."""

    sent: list[Email] = field(default_factory=list)
    failed: list[tuple[Email, str]] = field(default_factory=list)  # (email, why)
    partly_refused: list[tuple[Email, str]] = field(default_factory=list)  # (email, which)
    taken: list[Email] = field(default_factory=list)  # another run claimed them first
    permanent: set[str] = field(default_factory=set)  # Message-IDs of those refused for good

    @property
    def refused(self) -> list[tuple[Email, str]]:
        """The emails the server refused for good (a wrong address): retrying them as they
        are would be refused again."""
        return [(e, why) for e, why in self.failed if e.message_id in self.permanent]

    @property
    def to_retry(self) -> list[tuple[Email, str]]:
        """The emails that failed for a passing reason: the next run sends them again."""
        return [(e, why) for e, why in self.failed if e.message_id not in self.permanent]


def send_all(
    emails: Sequence[Email],
    state: LocalState,
    delivery: Delivery,
    mail: MailSettings,
    now: datetime,
    outcome: Sent,
    day: date | None = None,
) -> None:
    """Send `emails` in one session, adding each to `outcome` as it ends; `day` is the plan's
    day they are sent on (default: the day of `now`). Raises DeliveryUnavailable when the
    server cannot be used at all."""
    with delivery.session() as send:
        for email in emails:
            raw = build_message(email, mail.sender, mail.reply_to, now)
            if not state.claim(email, raw, now, day):
                outcome.taken.append(email)
                logger.info("Not sent to %s: another run is sending it", email.recipient)
                continue
            result = _send_and_record(send, email, raw, state, now)
            if isinstance(result, DeliveryError):
                outcome.failed.append((email, result.reason))
                if result.permanent:
                    outcome.permanent.add(email.message_id)
                _log_email(email, "not delivered", result.reason)
                continue
            outcome.sent.append(email)
            if result:
                outcome.partly_refused.append((email, result))
            _log_email(email, "sent", result)


def resend_in_flight(state: LocalState, delivery: Delivery, now: datetime) -> int:
    """Resend the very emails a previous run died sending (same bytes, same Message-ID); return
    how many there were."""
    stored = state.in_flight()
    if not stored:
        return 0
    resent = 0
    with delivery.session() as send:
        for item in stored:
            if not state.take_over(item):
                continue  # another run took it over first
            resent += 1
            email = Email(item.recipient, "", item.to, "", "", "", item.message_id, item.keys)
            if not isinstance(_send_and_record(send, email, item.raw, state, now), DeliveryError):
                logger.info("Resent %s (in flight when the last run stopped)", item.message_id)
    return resent


def _log_email(email: Email, result: str, note: str) -> None:
    """Log one line per email: the recipient, how many reminders, what became of it."""
    reminders = sum(1 for k in email.keys if "|weekly-summary|" not in k)
    weekly = " and the weekly summary" if reminders < len(email.keys) else ""
    logger.log(
        logging.WARNING if result != "sent" else logging.INFO,
        "email to %s (%s): %d reminder%s%s, %s%s",
        email.recipient,
        ", ".join(email.to),
        reminders,
        "" if reminders == 1 else "s",
        weekly,
        result,
        f": {note}" if note else "",
        extra=fields(
            event="email",
            recipient=email.recipient,
            to=list(email.to),
            reminders=reminders,
            weekly_summary=bool(weekly),
            result=result,
            note=note,
        ),
    )


def _send_and_record(
    send: Sender, email: Email, raw: bytes, state: LocalState, now: datetime
) -> DeliveryError | str:
    """Send one email and record how it ended: the error, or a note on refused addresses ("")."""
    try:
        note = send(email, raw) or ""
    except DeliveryError as exc:
        status = "refused" if exc.permanent else "failed"
        state.record_result(email.message_id, status, now, exc.reason)
        return exc
    state.record_result(email.message_id, "sent", now, note)
    return note
