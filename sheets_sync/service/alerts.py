"""The administrator's alerts: one email after `service.alert_after_failures` failed cycles in a
row, naming the cause and the fix, and one more when a cycle goes well again; never one per
failure. They go through the configured delivery (the outbox or the SMTP server), rendered from
`mail_templates/alert.*`. An alert that cannot be delivered is tried again after the next cycle.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import replace
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from sheets_sync.errors import SheetsSyncError
from sheets_sync.logs import fields
from sheets_sync.mail.delivery import Delivery, delivery_for
from sheets_sync.mail.message import build_message, one_line
from sheets_sync.mail.render import Email, message_id, template_env
from sheets_sync.settings.types import Settings
from sheets_sync.wording import ru_datetime

from .status import Status

logger = logging.getLogger(__name__)


class Alerts:
    """Decides after each cycle whether the administrator is told, and tells them."""

    def __init__(self, settings: Settings, workbook: str, delivery: Delivery | None = None):
        self.settings = settings
        self.workbook = workbook
        self.delivery = delivery or delivery_for(settings.mail)

    def after(self, before: Status, after: Status, now: datetime) -> Status:
        """Return `after` (the status once this cycle is counted), marked as alerted or not."""
        threshold = self.settings.service.alert_after_failures
        admin = self.settings.service.admin_email
        if after.failures:
            if after.failures < threshold or after.alerted:
                return after
            if not admin:
                if after.failures == threshold:
                    logger.error(
                        "%d cycles failed in a row; set service.admin_email to be told by email",
                        after.failures,
                        extra=fields(event="alert", alert="failure", sent=False),
                    )
                return after
            return replace(after, alerted=self._send(False, after, now))
        if not before.alerted:
            return after
        if not admin:
            return replace(after, alerted=False)
        return replace(after, alerted=not self._send(True, before, now))

    def _send(self, recovered: bool, status: Status, now: datetime) -> bool:
        kind = "recovery" if recovered else "failure"
        email = self._render(recovered, status, now)
        mail = self.settings.mail
        try:
            with self.delivery.session() as send:
                send(email, build_message(email, mail.sender, mail.reply_to, now))
        except SheetsSyncError as exc:
            logger.error(
                "could not email the administrator (%s alert): %s",
                kind,
                exc,
                extra=fields(event="alert", alert=kind, sent=False),
            )
            return False
        logger.info(
            "emailed the administrator %s: %s alert",
            email.to[0],
            kind,
            extra=fields(event="alert", alert=kind, sent=True, recipient=email.to[0]),
        )
        return True

    def _render(self, recovered: bool, status: Status, now: datetime) -> Email:
        env = template_env()
        values: dict[str, Any] = {
            "recovered": recovered,
            "workbook": self.workbook,
            "failures": status.failures,
            "since": ru_datetime(status.failing_since or now),
            "last_success": (
                ru_datetime(status.last_success) if status.last_success else "ещё не было"
            ),
            "reason": status.failure_reason,
            "fix": _fix(status),
            "detail": status.failure_detail,
            "now": ru_datetime(now),
            "host": socket.gethostname(),
        }
        domain = parseaddr(self.settings.mail.sender)[1].rpartition("@")[2] or "localhost"
        kind = "recovery" if recovered else "failure"
        return Email(
            recipient="administrator",
            to_name="Администратор sheets_sync",
            to=(self.settings.service.admin_email,),
            subject=one_line(env.get_template("alert.subject.txt").render(values)),
            text=env.get_template("alert.txt").render(values),
            html=env.get_template("alert.html").render(values),
            message_id=message_id(self.workbook, [f"alert:{kind}:{now.isoformat()}"], domain),
            keys=(),
            kind="alert",
        )


def _fix(status: Status) -> str:
    return status.failure_fix or "Проверьте журнал службы (`journalctl -u sheets-sync`)."
