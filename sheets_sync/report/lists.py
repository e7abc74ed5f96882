"""The list tabs: «Просрочено» (every overdue obligation, worst first), «Сроки» (how every
deadline was read) and «Проблемы» (every data problem with its cell and fix). Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from sheets_sync.deadlines import KIND_LABELS
from sheets_sync.escalation import is_coordinating
from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Records
from sheets_sync.inputs.sections import number_order
from sheets_sync.obligations import Obligation, State
from sheets_sync.stages import ReminderKey
from sheets_sync.wording import shorten

from .context import ReportContext
from .tabs import Cell, Row, Style, Tab, row


def _reminder_counts(sent_keys: Iterable[str]) -> Counter[str]:
    """Return how many stages were sent per obligation id (coordinator escalations excluded)."""
    counts: Counter[str] = Counter()
    for text in sent_keys:
        key = ReminderKey.parse(text)
        if key and not is_coordinating(key.recipient):
            counts[key.about] += 1
    return counts


def overdue_tab(obligations: Sequence[Obligation], ctx: ReportContext, name: str) -> Tab:
    """Return «Просрочено»: every overdue obligation, the most overdue first, with whom to
    phone and the cell to mark."""
    counts = ctx.reminder_counts or _reminder_counts(ctx.sent_keys)
    late = sorted(
        (o for o in obligations if o.state == State.OVERDUE),
        key=lambda o: (-o.days_late, number_order(o.item.key), o.party.name),
    )
    rows: list[Row] = [
        row(
            "№",
            "Мероприятие",
            "Кто должен",
            "Контакт",
            "Срок",
            "Дней просрочки",
            "Напоминаний отправлено",
            "Где отметить",
            "Раздел",
            style="header",
        )
    ]
    for ob in late:
        where = f"«{ob.mark_ref.tab}», {ob.mark_ref.cell}" if ob.mark_ref else ""
        title = shorten(ob.item.title, 120)  # the whole title is in «Сроки»
        title = f"{ob.what} (из п. {ob.item.key}: {title})" if ob.what else title
        unreachable = ob.party.cannot_reach
        rows.append(
            (
                Cell(ob.item.key),
                Cell(title),
                Cell(ob.party.name),
                Cell(
                    "\n".join(x for x in (ob.party.contact, unreachable) if x),
                    "bad" if unreachable else "",
                ),
                Cell(ob.due, "", "center"),
                Cell(ob.days_late, "overdue", "center"),
                Cell(counts[ob.id], "", "center"),
                Cell(where),
                Cell(ob.item.section),
            )
        )
    if not late:
        rows.append(row("Просроченных обязательств нет", style="done"))
    return Tab(
        name,
        tuple(rows),
        widths=(8, 56, 34, 30, 12, 11, 15, 22, 36),
        frozen_rows=1,
        wrap=(2, 3, 4, 9),
        landscape=True,
    )


def deadlines_tab(records: Records, name: str) -> Tab:
    """Return «Сроки»: every roadmap line, its deadline text and how it was read."""
    rows: list[Row] = [
        row(
            "Строка",
            "№",
            "Мероприятие",
            "Срок (как написано)",
            "Как понято",
            "Вид",
            "Отчёт школ",
            "Исполнители",
            style="header",
        )
    ]
    for item in records.items:
        d = item.deadline
        style: Style = "bad" if d.kind == "unknown" else ""
        reading = d.explain() + (" (из «Срок (дата)»)" if item.deadline_overridden else "")
        rows.append(
            (
                Cell(item.ref.row, "muted", "center"),
                Cell(item.key, "", "center"),
                Cell(item.title),
                Cell(d.text),
                Cell(reading, style),
                Cell(KIND_LABELS.get(d.kind, d.kind), style),
                Cell("да" if item.school_report else "нет"),
                Cell(", ".join(item.executors)),
            )
        )
    return Tab(
        name,
        tuple(rows),
        widths=(8, 8, 56, 32, 40, 18, 13, 24),
        frozen_rows=1,
        wrap=(3, 4, 5, 8),
        landscape=True,
    )


def problems_tab(problems: Sequence[Problem], name: str) -> Tab:
    """Return «Проблемы»: every data problem with the tab, the cell and the fix."""
    rows: list[Row] = [row("Лист", "Ячейка", "Что не так", "Как исправить", style="header")]
    for p in problems:
        rows.append((Cell(p.tab), Cell(p.cell), Cell(p.what, "bad"), Cell(p.fix)))
    if not problems:
        rows.append(row("Проблем в данных нет", style="done"))
    return Tab(
        name, tuple(rows), widths=(20, 12, 70, 80), frozen_rows=1, wrap=(3, 4), landscape=True
    )
