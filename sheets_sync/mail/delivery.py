"""Where emails go: an outbox folder of .eml files (the default), or an SMTP server (`smtp.py`).

Both get the very same MIME bytes (`message.py`), one session per run.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from sheets_sync.errors import DeliveryError, SheetsSyncError
from sheets_sync.settings.types import MailSettings

from .render import Email

logger = logging.getLogger(__name__)


class DeliveryUnavailable(SheetsSyncError):
    """The mail server cannot be reached or refuses the login: nothing can be sent this run."""


class Sender(Protocol):
    """Delivers one email; returns a note when some of its addresses were refused, else ""."""

    def __call__(self, email: Email, raw: bytes) -> str: ...


class Delivery(Protocol):
    """Where emails go. `session()` holds one connection for a whole run and yields a sender
    that raises DeliveryError (permanent or not) when an email is not delivered."""

    name: str

    def session(self) -> Any: ...


NAME_BYTES = 100  # of the recipient in a file name: far under the 255 bytes a name may have


def _cut(text: str, limit: int) -> str:
    """Return `text` cut to at most `limit` bytes of UTF-8, on a character boundary."""
    return text.encode()[:limit].decode(errors="ignore")


class OutboxDelivery:
    """Writes one standard .eml file per email into a folder (the folder and the files are
    readable by their owner only: emails name people and their addresses)."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextmanager
    def session(self) -> Iterator[Sender]:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryUnavailable(
                f"cannot create the outbox {self.folder}: {exc.strerror}; check `mail.outbox`"
            ) from exc
        yield self._write

    def path_for(self, email: Email) -> Path:
        slug = re.sub(r"[^\w.-]+", "-", email.recipient, flags=re.UNICODE).strip("-")
        slug = _cut(slug, NAME_BYTES).strip("-.") or "email"
        return self.folder / f"{slug}-{email.message_id.strip('<>').split('.')[0][:12]}.eml"

    def _write(self, email: Email, raw: bytes) -> str:
        path = self.path_for(email)
        tmp = path.with_suffix(".eml.tmp")
        try:
            # Atomic (rename), not fsynced: the local state is the durable record of what was
            # sent, and an outbox is a folder to read or hand on, not a mail server.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            os.replace(tmp, path)
        except OSError as exc:
            raise DeliveryError(
                ", ".join(email.to), f"cannot write {path}: {exc.strerror}"
            ) from exc
        logger.debug("Wrote %s to %s", email.recipient, path)
        return ""


def delivery_for(settings: MailSettings, **kwargs: Any) -> Delivery:
    """Return the configured delivery."""
    if settings.delivery == "smtp":
        from .smtp import SmtpDelivery  # imported lazily: yagmail is slow to import

        return SmtpDelivery(settings.smtp, settings.sender, **kwargs)
    return OutboxDelivery(settings.outbox)
