"""What the local state keeps of a received message: enough for a «Входящие» row and for
matching, without the attachments' bytes (those are saved as files). Pure.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from .classify import Bounce
from .message import InboxMessage
from .text import fresh_text

MAX_TEXT = 4000  # characters of what the sender wrote, kept for matching and the tab


@dataclass(frozen=True, slots=True)
class SavedAttachment:
    """An attachment as handled: saved under `file` (relative to `inbox.attachments_dir`),
    or refused with the reason (Russian) and no file."""

    name: str  # as the sender named it
    content_type: str
    size: int
    file: str = ""
    refused: str = ""


@dataclass(frozen=True, slots=True)
class InboxRecord:
    mailbox: str
    uidvalidity: int
    uid: int
    key: str  # the Message-ID, or "sha256:..." of the bytes when there is none
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    sender: str
    sender_name: str
    subject: str
    date: datetime | None
    text: str  # what the sender wrote above any quote (a bounce: its notice), MAX_TEXT at most
    kind: Literal["reply", "auto-reply", "bounce"]
    reason: str
    bounce: Bounce | None
    attachments: tuple[SavedAttachment, ...]

    @property
    def saved(self) -> tuple[SavedAttachment, ...]:
        """The attachments that were saved as files."""
        return tuple(a for a in self.attachments if a.file)

    def to_json(self) -> str:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> InboxRecord:
        data: dict[str, Any] = json.loads(text)
        bounce = data["bounce"]
        return cls(
            **{
                **data,
                "references": tuple(data["references"]),
                "date": datetime.fromisoformat(data["date"]) if data["date"] else None,
                "bounce": Bounce(**{**bounce, "addresses": tuple(bounce["addresses"])})
                if bounce
                else None,
                "attachments": tuple(SavedAttachment(**a) for a in data["attachments"]),
            }
        )


def record_of(
    message: InboxMessage,
    mailbox: str,
    uidvalidity: int,
    attachments: tuple[SavedAttachment, ...],
) -> InboxRecord:
    """Return the record kept of `message` once its attachments are handled."""
    return InboxRecord(
        mailbox=mailbox,
        uidvalidity=uidvalidity,
        uid=message.uid,
        key=message.key,
        message_id=message.message_id,
        in_reply_to=message.in_reply_to,
        references=message.references,
        sender=message.sender,
        sender_name=message.sender_name,
        subject=message.subject,
        date=message.date,
        text=(message.text if message.kind == "bounce" else fresh_text(message.text))[:MAX_TEXT],
        kind=message.kind,
        reason=message.reason,
        bounce=message.bounce,
        attachments=attachments,
    )
