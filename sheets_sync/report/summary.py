"""«Сводка»: what a coordinator asks in ten seconds — the totals (they add up), what is due in
the next two weeks, progress per section, and who is late and how badly. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sheets_sync.inputs.problems import Problem, unreadable_note
from sheets_sync.inputs.records import Records
from sheets_sync.inputs.sections import number_order, split_heading
from sheets_sync.obligations import DONE_STATES, Obligation
from sheets_sync.settings.types import TabNames
from sheets_sync.tally import Tally, come_due, tally
from sheets_sync.wording import DAYS, count, ru_date, text_of

from .context import ReportContext
from .health import health_rows
from .parties import party_blocks
from .tabs import PERCENT, Cell, Row, Style, Tab, row

UPCOMING_DAYS = 14
WIDTHS = (9, 43, 15, 15, 17, 14, 13, 14, 40, 30)
NO_SECTION = "(без раздела)"


def summary_tab(
    records: Records,
    obligations: Sequence[Obligation],
    problems: Sequence[Problem],
    ctx: ReportContext,
    name: str,
    due_soon_days: int = 7,
) -> Tab:
    """Return «Сводка»: totals, the next two weeks, sections, schools and executors."""
    built = f"Построено {text_of(ctx.built_at)} на дату {ru_date(ctx.today)} из {ctx.source}"
    rows: list[Row] = [row(f"Сводка: {records.title}", style="title"), row(built, style="muted")]
    if ctx.run_note:
        rows.append(row(ctx.run_note, style="muted"))
    rows += health_rows(ctx.health)
    rows += _totals(tally(obligations), problems, records, due_soon_days)
    rows += _upcoming(obligations, ctx.today)
    rows += _sections(records, obligations, ctx.today)
    rows += party_blocks(records, obligations, ctx)
    return Tab(name, tuple(rows), widths=WIDTHS, wrap=(2, 9, 10), landscape=True)


def held_summary_tab(records: Records, ctx: ReportContext, names: TabNames) -> Tab:
    """Return «Сводка» while an input tab cannot be read: why nothing was sent, and that the
    other tabs are as the last good reading left them."""
    built = f"Построено {text_of(ctx.built_at)} на дату {ru_date(ctx.today)} из {ctx.source}"
    rows: list[Row] = [
        row(f"Сводка: {records.title}", style="title"),
        row(built, style="muted"),
        row(f"Рассылка остановлена — {unreadable_note(records.unreadable)}.", style="bad"),
        row(
            f"Листы «{names.overdue}» и «{names.deadlines}» не обновлялись: на них — последнее "
            f"удачное чтение таблицы. Исправьте то, что названо на листе «{names.problems}», и "
            "при следующем запуске всё пересчитается.",
            style="muted",
        ),
    ]
    rows += health_rows(ctx.health)
    return Tab(names.summary, tuple(rows), widths=WIDTHS, landscape=True)


def _totals(
    counts: Tally, problems: Sequence[Problem], records: Records, due_soon_days: int
) -> list[Row]:
    def line(label: str, value: int, style: Style = "", indent: bool = True) -> Row:
        shown: Style = style if value else ""
        return (Cell(), Cell(("    " if indent else "") + label), Cell(value, shown, "center"))

    unreachable = sum(1 for s in records.schools if s.active and not s.emails) + sum(
        1 for e in records.executors if not e.emails
    )
    rows = [
        (),
        row("", "Итого", style="section"),
        line("Обязательств со сроком", counts.dated, indent=False),
        line("выполнено в срок", counts.on_time, "done"),
        line("выполнено с опозданием", counts.late, "done"),
        line("просрочено", counts.overdue, "overdue"),
        line(f"срок в ближайшие {count(due_soon_days, DAYS)}", counts.due_soon, "soon"),
        line("срок позже", counts.later),
        line("не требуется (н/т)", counts.not_required),
    ]
    if counts.unclear:
        rows.append(line("отметка о сдаче не читается (лист «Проблемы»)", counts.unclear, "bad"))
    rows += [
        line("Без срока: по запросу, по событию, периодически", counts.no_date, indent=False),
        line("Срок не распознан (листы «Сроки» и «Проблемы»)", counts.unreadable, "bad", False),
        line("Не доходят письма: нет или неверный адрес", unreachable, "bad", False),
        line("Проблем в данных (лист «Проблемы»)", len(problems), "bad", False),
    ]
    return rows


def _upcoming(obligations: Sequence[Obligation], today: date) -> list[Row]:
    """Return «Ближайшие сроки»: each item and date due in the next two weeks, with how many
    parties still owe it."""
    until = today + timedelta(days=UPCOMING_DAYS)
    owed: dict[tuple[date, str], list[Obligation]] = defaultdict(list)
    for ob in obligations:
        if ob.is_open and ob.due is not None and today <= ob.due <= until:
            owed[(ob.due, ob.item.key)].append(ob)
    rows: list[Row] = [
        (),
        row("", f"Ближайшие сроки ({count(UPCOMING_DAYS, DAYS)})", style="section"),
    ]
    if not owed:
        return [*rows, row("", "В ближайшие две недели сроков нет", style="muted")]
    rows.append(
        row("№", "Мероприятие", "Срок", "Ещё должны", "", "", "", "", "Кто", style="header")
    )
    for (due, _), obs in sorted(owed.items(), key=lambda kv: (kv[0][0], number_order(kv[0][1]))):
        names = sorted(o.party.name for o in obs)
        who = ", ".join(names[:5]) + (f" и ещё {len(names) - 5}" if len(names) > 5 else "")
        item = obs[0].item
        title = f"{obs[0].what}: {item.title}" if obs[0].what else item.title
        rows.append(
            (
                Cell(item.key),
                Cell(title),
                Cell(due, "soon" if (due - today).days <= 7 else "", "center"),
                Cell(len(obs), "", "center"),
                *(Cell() for _ in range(4)),
                Cell(who),
            )
        )
    return rows


def _sections(records: Records, obligations: Sequence[Obligation], today: date) -> list[Row]:
    by_section: dict[str, list[Obligation]] = defaultdict(list)
    for ob in obligations:
        if ob.due is not None:
            by_section[ob.item.section or NO_SECTION].append(ob)
    order = [*records.sections, NO_SECTION]
    rows: list[Row] = [
        (),
        row("", "Ход по разделам", style="section"),
        row(
            "№",
            "Раздел",
            "Обязательств",
            "Выполнено",
            "Выполнено из наступивших, %",
            "Просрочено",
            "Скоро срок",
            "Н/т",
            style="header",
        ),
    ]
    for section in sorted(by_section, key=lambda s: order.index(s) if s in order else len(order)):
        counts = tally(by_section[section])
        number, title = split_heading(section)
        # Done of what has come due (as the year-end report counts): nothing due, no share.
        came = come_due(by_section[section], today)
        share = sum(1 for o in came if o.state in DONE_STATES) / len(came) if came else None
        all_done = share == 1
        rows.append(
            (
                Cell(number),
                Cell(title),
                Cell(counts.dated, "", "center"),
                Cell(counts.done, "done" if counts.done else "", "center"),
                Cell(
                    share if share is not None else "—",
                    "done" if all_done else "",
                    "center",
                    PERCENT,
                ),
                Cell(counts.overdue, "overdue" if counts.overdue else "", "center"),
                Cell(counts.due_soon, "soon" if counts.due_soon else "", "center"),
                Cell(counts.not_required, "", "center"),
            )
        )
    return rows
