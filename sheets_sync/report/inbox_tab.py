"""«Входящие»: every message of the reply mailbox, the newest first, with what was made of it.
Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from sheets_sync.inbox import InboxRecord
from sheets_sync.replies import Reply

from .tabs import Cell, Row, Style, Tab, row

ACTIONS: dict[str, tuple[str, Style]] = {
    "marked": ("отмечено", "done"),
    "suggested": ("отметьте", "soon"),
    "reply": ("ответ", ""),
    "auto-reply": ("автоответ", "muted"),
    "bounce": ("не доставлено", "bad"),
    "unmatched": ("не распознано", "soon"),
    "own": ("наше письмо", "muted"),
}


def inbox_tab(
    messages: Sequence[tuple[InboxRecord, Reply]], name: str, zone: tzinfo, folder: str
) -> Tab:
    """Return «Входящие»: when, from whom, the subject, the items answered, the attachments
    (saved under `folder`), and what was done or is to do."""
    rows: list[Row] = [
        row(
            "Когда",
            "От кого",
            "Адрес",
            "Тема",
            "Пункты",
            "Вложения",
            "Итог",
            "Что сделано или что сделать",
            style="header",
        )
    ]
    newest = sorted(messages, key=lambda m: (m[0].date is None, m[0].date), reverse=True)
    for record, reply in newest:
        label, style = ACTIONS.get(reply.action, ("", ""))
        when = record.date.astimezone(zone).replace(tzinfo=None) if record.date else ""
        rows.append(
            (
                Cell(when),
                Cell(reply.party_name or record.sender_name or record.sender),
                Cell(record.sender),
                Cell(record.subject),
                Cell("\n".join(reply.items)),
                Cell(_attachments(record, folder)),
                Cell(label, style),
                Cell(reply.note),
            )
        )
    if not messages:
        rows.append(row("Писем пока нет", style="muted"))
    return Tab(
        name,
        tuple(rows),
        widths=(17, 28, 28, 36, 22, 40, 14, 60),
        frozen_rows=1,
        wrap=(2, 4, 6, 8),
        landscape=True,
    )


def _attachments(record: InboxRecord, folder: str) -> str:
    lines = []
    for a in record.attachments:
        lines.append(f"{folder}/{a.file}" if a.file else f"{a.name} — {a.refused}")
    return "\n".join(lines)
