"""The hub's tabs «Сводка по источникам» (a row per source, worst first) and «Муниципалитеты»
(a row per municipality), each with an «Итого» row: a municipality's figures are the sum of its
sources', «Итого» the sum of the rows above. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sheets_sync.report.context import Health
from sheets_sync.report.health import health_rows
from sheets_sync.report.tabs import PERCENT, Cell, Row, Style, Tab, row
from sheets_sync.tally import Tally
from sheets_sync.wording import DAYS, count, ru_date, ru_datetime

from .figures import Figures
from .sources import Source

NO_MUNICIPALITY = "(не указан)"
# The figures' columns: wide enough for every word of their headers («Обязательств»,
# «Просрочено», «ближайшие 14») to print whole, however the header wraps.
FIGURE_WIDTHS = (14, 12, 12, 12, 12, 15, 11)


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One source as the hub found it this cycle."""

    source: Source
    name: str
    status: str
    figures: Figures | None  # None when it was never read
    read_at: datetime | None  # its last successful read
    failed: bool = False


@dataclass(frozen=True, slots=True)
class HubContext:
    today: date
    built_at: datetime
    due_within_days: int = 14
    note: str = ""  # what this cycle did: sources read, unchanged, failed; requests
    health: Health | None = None


@dataclass(frozen=True, slots=True)
class Totals:
    """Figures added up over several sources."""

    sources: int = 0
    failed: int = 0
    dated: int = 0
    done: int = 0
    required: int = 0
    overdue: int = 0
    worst: int = 0
    due_within: int = 0
    problems: int = 0

    def add(self, r: SourceRow) -> Totals:
        f = r.figures
        c = f.counts if f else Tally()
        return Totals(
            self.sources + 1,
            self.failed + r.failed,
            self.dated + c.dated,
            self.done + c.done,
            self.required + c.required,
            self.overdue + c.overdue,
            max(self.worst, f.worst if f else 0),
            self.due_within + (f.due_within if f else 0),
            self.problems + (f.problems if f else 0),
        )


def total(rows: Sequence[SourceRow]) -> Totals:
    result = Totals()
    for r in rows:
        result = result.add(r)
    return result


def _figures(t: Totals, style: Style = "") -> tuple[Cell, ...]:
    share = t.done / t.required if t.required else None
    return (
        Cell(t.dated, style, "center"),
        Cell(t.done, style or ("done" if t.done else ""), "center"),
        Cell(share, style, "center", PERCENT),
        Cell(t.overdue, style or ("overdue" if t.overdue else ""), "center"),
        Cell(t.worst, style or ("overdue" if t.worst else ""), "center"),
        Cell(t.due_within, style or ("soon" if t.due_within else ""), "center"),
        Cell(t.problems, style or ("bad" if t.problems else ""), "center"),
    )


def _headers(due_within_days: int) -> tuple[str, ...]:
    return (
        "Обязательств со сроком",
        "Выполнено",
        "Выполнено, %",
        "Просрочено",
        "Макс. просрочка, дней",
        f"Срок в ближайшие {count(due_within_days, DAYS)}",
        "Проблем в данных",
    )


def _worst_first(r: SourceRow) -> tuple[bool, int, int, str]:
    t = total([r])
    return (not r.failed, -t.overdue, -t.worst, r.name.casefold())


def summary_tab(rows: Sequence[SourceRow], ctx: HubContext, name: str) -> Tab:
    """Return «Сводка по источникам»: a row per source, the failed and the worst first."""
    header = ("Источник", "Муниципалитет", "Статус", *_headers(ctx.due_within_days))
    lines: list[Row] = [row(*header, "Последнее чтение", "Ссылка", style="header")]
    for r in sorted(rows, key=_worst_first):
        when = ru_datetime(r.read_at) if r.read_at else "не было"
        lines.append(
            (
                Cell(r.name),
                Cell(r.source.municipality or NO_MUNICIPALITY),
                Cell(r.status, "bad" if r.failed else ""),
                *(_figures(total([r])) if r.figures else (Cell(),) * len(_headers(0))),
                Cell(when, "bad" if r.failed else "muted"),
                Cell(r.source.link),
            )
        )
    lines.append((Cell("Итого", "section"), Cell(), Cell(), *_figures(total(rows), "section")))
    lines += [
        (),
        row(f"Построено {ru_datetime(ctx.built_at)} на дату {ru_date(ctx.today)}", style="muted"),
    ]
    if ctx.note:
        lines.append(row(ctx.note, style="muted"))
    lines += health_rows(ctx.health)
    widths = (32, 22, 28, *FIGURE_WIDTHS, 16, 36)
    return Tab(name, tuple(lines), widths, frozen_rows=1, wrap=(1, 2, 3, 12), landscape=True)


def municipalities(rows: Sequence[SourceRow]) -> list[tuple[str, Totals]]:
    """Return each municipality with its sources' figures added up, by name, the sources
    without a municipality last."""
    groups: dict[str, list[SourceRow]] = {}
    for r in rows:
        groups.setdefault(r.source.municipality or NO_MUNICIPALITY, []).append(r)
    names = sorted((n for n in groups if n != NO_MUNICIPALITY), key=str.casefold)
    names += [NO_MUNICIPALITY] if NO_MUNICIPALITY in groups else []
    return [(n, total(groups[n])) for n in names]


def municipalities_tab(rows: Sequence[SourceRow], ctx: HubContext, name: str) -> Tab:
    """Return «Муниципалитеты»: a row per municipality, then «Итого»."""
    header = ("Муниципалитет", "Источников", "Не прочитано", *_headers(ctx.due_within_days))
    lines: list[Row] = [row(*header, style="header")]
    for municipality, t in municipalities(rows):
        lines.append(
            (
                Cell(municipality),
                Cell(t.sources, "", "center"),
                Cell(t.failed, "bad" if t.failed else "", "center"),
                *_figures(t),
            )
        )
    t = total(rows)
    lines.append(
        (
            Cell("Итого", "section"),
            Cell(t.sources, "section", "center"),
            Cell(t.failed, "section", "center"),
            *_figures(t, "section"),
        )
    )
    widths = (26, 12, 11, *FIGURE_WIDTHS)
    return Tab(name, tuple(lines), widths, frozen_rows=1, wrap=(1,), landscape=True)
