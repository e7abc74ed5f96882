"""Sending through an SMTP server with yagmail: one connection per run, bounded retries.

yagmail holds the connection (SSL or STARTTLS, login) and sends the MIME bytes `message.py`
built, so the outbox and the server get the very same message. A permanent refusal (5xx) is
recorded for that email and the others go on; a temporary failure (4xx, a dropped connection, a
timeout) is retried a bounded number of times on a fresh connection, then left for the next run.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import parseaddr
from typing import Any

import yagmail

from sheets_sync.errors import DeliveryError
from sheets_sync.settings.types import SmtpSettings

from .delivery import DeliveryUnavailable, Sender
from .render import Email

logger = logging.getLogger(__name__)


class SmtpDelivery:
    """Sends through an SMTP server with yagmail: one connection per run, bounded retries."""

    name = "smtp"

    def __init__(
        self, smtp: SmtpSettings, sender: str, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.smtp = smtp
        address = parseaddr(sender)[1]
        # Providers (Yandex, Mail.ru, Gmail) want the envelope sender to be the logged-in user.
        self.envelope = smtp.user if "@" in smtp.user else address
        self.sleep = sleep
        self._client: Any = None

    def _connect(self) -> Any:
        smtp = self.smtp
        context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
        kwargs: dict[str, Any] = {"timeout": smtp.timeout_seconds}
        if smtp.security == "ssl":
            kwargs["context"] = context
        client = yagmail.SMTP(
            user=smtp.user or None,
            password=smtp.password or "",
            host=smtp.host,
            port=smtp.port,
            smtp_ssl=smtp.security == "ssl",
            smtp_starttls={"context": context} if smtp.security == "starttls" else False,
            smtp_skip_login=not smtp.user,
            soft_email_validation=False,
            **kwargs,
        )
        client.set_logging(logging.CRITICAL)  # we log; yagmail must not print
        try:
            client.login()
        except (OSError, smtplib.SMTPException, UnicodeEncodeError) as exc:
            _close(client)
            raise self._unavailable(exc) from exc
        logger.info("Connected to %s:%d (%s)", smtp.host, smtp.port, smtp.security)
        return client

    def _unavailable(self, exc: Exception) -> DeliveryUnavailable:
        """Say why the server cannot be used at all, and what to change."""
        smtp = self.smtp
        if isinstance(exc, UnicodeEncodeError):
            return DeliveryUnavailable(
                "the SMTP password has letters outside ASCII, which an SMTP login cannot send: "
                "set SHEETS_SYNC_SMTP_PASSWORD to a password (or an app password) of Latin "
                "letters, digits and signs"
            )
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return DeliveryUnavailable(
                f"the SMTP server {smtp.host} refused the login of {smtp.user} ({exc.smtp_code}): "
                "check `mail.smtp.user` and the password in SHEETS_SYNC_SMTP_PASSWORD; some "
                "providers (Yandex, Mail.ru, Gmail) need an app password"
            )
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return DeliveryUnavailable(
                f"the SMTP server {smtp.host} does not offer {smtp.security.upper()} or login "
                f"here: check `mail.smtp.security` and `mail.smtp.port` ({exc})"
            )
        if isinstance(exc, ssl.SSLError):
            return DeliveryUnavailable(
                f"cannot make a secure connection to {smtp.host}:{smtp.port} ({exc.reason}): "
                'port 465 takes security = "ssl", port 587 "starttls"; a server with its own '
                "certificate authority needs `mail.smtp.ca_file`"
            )
        return DeliveryUnavailable(
            f"cannot connect to the SMTP server {smtp.host}:{smtp.port} ({exc}): check "
            "`mail.smtp.host` and `mail.smtp.port`; the reminders go out next run"
        )

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            _close(client)

    @contextmanager
    def session(self) -> Iterator[Sender]:
        self._client = self._connect()
        try:
            yield self._send
        finally:
            self._drop()

    def _send(self, email: Email, raw: bytes) -> str:
        to = ", ".join(email.to)
        for attempt in range(1, max(self.smtp.retries, 1) + 1):
            try:
                if self._client is None:
                    self._client = self._connect()
                refused = self._client.smtp.sendmail(self.envelope, list(email.to), raw)
            except smtplib.SMTPRecipientsRefused as exc:  # every recipient was refused
                codes = [code for code, _ in exc.recipients.values()]
                reason = _reasons(exc.recipients)
                if all(code >= 500 for code in codes):
                    raise DeliveryError(to, reason, permanent=True) from exc
                problem = reason
                self._drop()  # after a 421 smtplib has closed the socket already
            except smtplib.SMTPResponseException as exc:  # refused sender, data, or 421
                reason = f"{exc.smtp_code} {_text(exc.smtp_error)}"
                if exc.smtp_code >= 500:
                    raise DeliveryError(to, reason, permanent=True) from exc
                problem = reason
                self._drop()
            except DeliveryUnavailable as exc:  # could not reconnect
                problem = str(exc)
            except (smtplib.SMTPException, OSError) as exc:  # dropped, reset, timed out
                problem = f"{exc.__class__.__name__}: {exc}"
                self._drop()
            else:
                if refused:  # some addresses refused, the others have it
                    logger.warning("Delivered to %s except %s", to, _reasons(refused))
                    return f"не приняты адреса: {_reasons(refused)}"
                return ""
            if attempt < self.smtp.retries:
                logger.info("Temporary failure for %s (%s); try %d", to, problem, attempt + 1)
                self.sleep(min(2.0 ** (attempt - 1), 10.0))
        raise DeliveryError(to, f"{problem} (after {self.smtp.retries} tries)", permanent=False)


def _close(client: Any) -> None:
    try:
        client.close()
    except Exception:
        logger.debug("closing a dead SMTP connection failed", exc_info=True)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _reasons(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {code} {_text(text)}" for addr, (code, text) in recipients.items())
