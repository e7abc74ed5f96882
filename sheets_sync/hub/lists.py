"""The hub's list tabs: «Просрочено (все)» (every overdue obligation of every source, the most
overdue first, with the cell to mark) and its «Проблемы» (the sources it could not read, and the
mistakes in «Источники»). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sheets_sync.inputs.sections import number_order
from sheets_sync.report.tabs import Cell, Row, Tab, row
from sheets_sync.wording import ru_datetime, shorten

from .report import NO_MUNICIPALITY, SourceRow


@dataclass(frozen=True, slots=True)
class HubProblem:
    """A row of the hub's «Проблемы»: which source (or «Источники» and its cell), what
    happened, how to fix it; `new` when the source was read fine the cycle before."""

    source: str
    where: str
    what: str
    fix: str
    new: bool = False
    since: datetime | None = None


def overdue_tab(rows: Sequence[SourceRow], name: str) -> Tab:
    """Return «Просрочено (все)»: every overdue obligation of every source, worst first."""
    lines = [(r, line) for r in rows if r.figures is not None for line in r.figures.overdue]
    lines.sort(
        key=lambda rl: (
            -rl[1].days_late,
            rl[0].name.casefold(),
            number_order(rl[1].number),
            rl[1].party,
        )
    )
    out: list[Row] = [
        row(
            "Дней просрочки",
            "Источник",
            "Муниципалитет",
            "№",
            "Мероприятие",
            "Кто должен",
            "Контакт",
            "Срок",
            "Где отметить",
            "Ссылка",
            style="header",
        )
    ]
    for r, line in lines:
        out.append(
            (
                Cell(line.days_late, "overdue", "center"),
                Cell(r.name),
                Cell(r.source.municipality or NO_MUNICIPALITY),
                Cell(line.number),
                Cell(shorten(line.title, 120)),  # (the whole title is in the source)
                Cell(line.party),
                Cell(line.contact),
                Cell(line.due, "", "center"),
                Cell(line.where),
                Cell(r.source.link),
            )
        )
    if not lines:
        out.append(row("", "Просроченных обязательств нет", style="done"))
    widths = (11, 26, 20, 8, 50, 28, 24, 12, 20, 32)
    wrap = (2, 3, 5, 6, 7, 9, 10)
    return Tab(name, tuple(out), widths, frozen_rows=1, wrap=wrap, landscape=True)


def problems_tab(problems: Sequence[HubProblem], name: str) -> Tab:
    """Return the hub's «Проблемы»: the new ones first."""
    out: list[Row] = [
        row("Источник", "Где", "Что случилось", "Как исправить", "Новая", "Впервые", style="header")
    ]
    for p in sorted(problems, key=lambda p: (not p.new, p.source.casefold())):
        out.append(
            (
                Cell(p.source),
                Cell(p.where),
                Cell(p.what, "bad"),
                Cell(p.fix),
                Cell("новая" if p.new else "", "bad" if p.new else ""),
                Cell(ru_datetime(p.since) if p.since else ""),
            )
        )
    if not problems:
        out.append(
            row(
                "Все источники прочитаны. Ошибки в данных каждого источника — на листе "
                "«Проблемы» его таблицы (их число — в «Сводка по источникам»).",
                style="done",
            )
        )
    widths = (26, 30, 50, 56, 9, 17)
    return Tab(name, tuple(out), widths, frozen_rows=1, wrap=(1, 2, 3, 4), landscape=True)
