"""Obligations -> the generated tabs «Сводка», «Просрочено», «Сроки», «Проблемы». Pure.

Rows are sorted so a rerun on the same data gives the same tabs (only the build time differs).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sheets_sync.deadlines import KIND_LABELS
from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Records
from sheets_sync.inputs.sections import split_heading
from sheets_sync.obligations import DONE_STATES, Obligation, State
from sheets_sync.reminders import COORDINATOR, ReminderKey
from sheets_sync.settings.types import TabNames
from sheets_sync.wording import DAYS, count, ru_date, text_of

from .tabs import Cell, Row, Style, Tab, row


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What the report needs besides obligations: when, from where, and the mailing history."""

    today: date
    built_at: datetime
    source: str
    sent_keys: frozenset[str]
    last_sent: Mapping[str, datetime]
    run_note: str = ""


def build_tabs(
    records: Records,
    obligations: Sequence[Obligation],
    problems: Sequence[Problem],
    ctx: ReportContext,
    names: TabNames,
    due_soon_days: int = 7,
) -> list[Tab]:
    """Return «Сводка», «Просрочено», «Сроки» and «Проблемы» for this run."""
    return [
        summary_tab(records, obligations, problems, ctx, names.summary, due_soon_days),
        overdue_tab(obligations, ctx, names.overdue),
        deadlines_tab(records, names.deadlines),
        problems_tab(problems, names.problems),
    ]


def _reminder_counts(sent_keys: Iterable[str]) -> Counter[str]:
    """Return how many stages were sent per obligation id (coordinator escalations excluded)."""
    counts: Counter[str] = Counter()
    for text in sent_keys:
        key = ReminderKey.parse(text)
        if key and key.recipient != COORDINATOR:
            counts[key.about] += 1
    return counts


def _pct(done: int, total: int) -> str:
    return f"{round(100 * done / total)}%" if total else "—"


def summary_tab(
    records: Records,
    obligations: Sequence[Obligation],
    problems: Sequence[Problem],
    ctx: ReportContext,
    name: str,
    due_soon_days: int = 7,
) -> Tab:
    """Return «Сводка»: totals, progress per section, a row per school and per executor."""
    dated = [o for o in obligations if o.due is not None and o.state != State.NOT_REQUIRED]
    states = Counter(o.state for o in dated)
    done = states[State.DONE] + states[State.DONE_LATE]
    unclear = sum(1 for o in obligations if o.state == State.UNCLEAR)
    built = f"Построено {text_of(ctx.built_at)} на дату {ru_date(ctx.today)} из {ctx.source}"
    rows: list[Row] = [row(f"Сводка: {records.title}", style="title"), row(built, style="muted")]
    if ctx.run_note:
        rows.append(row(ctx.run_note, style="muted"))

    def total(label: str, value: int, style: Style = "") -> Row:
        return (Cell(), Cell(label), Cell(value, style if value else ""))

    soon = f"Срок в ближайшие {count(due_soon_days, DAYS)}"
    rows += [
        (),
        row("", "Итого", style="section"),
        total("Обязательств со сроком", len(dated)),
        total("Выполнено", done, "done"),
        total("  из них с опозданием", states[State.DONE_LATE]),
        total(soon, states[State.DUE_SOON], "soon"),
        total("Просрочено", states[State.OVERDUE], "overdue"),
        total(
            "Без срока (по запросу, периодически)",
            sum(1 for o in obligations if o.state == State.NO_DATE),
        ),
        total("Неясно (срок или отметка не читаются)", unclear, "bad"),
        (
            Cell(),
            Cell("Проблем в данных (лист «Проблемы»)"),
            Cell(len(problems), "bad" if problems else "done"),
        ),
        (),
        row("", "Ход по разделам", style="section"),
        row(
            "№",
            "Раздел",
            "Обязательств",
            "Выполнено",
            "Выполнено, %",
            "Скоро срок",
            "Просрочено",
            style="header",
        ),
    ]
    by_section: dict[str, list[Obligation]] = defaultdict(list)
    for ob in dated:
        by_section[ob.item.section or "(без раздела)"].append(ob)
    order = [*records.sections, "(без раздела)"]
    for section in sorted(by_section, key=lambda s: order.index(s) if s in order else len(order)):
        rows.append(_progress_row(section, by_section[section]))
    rows += _party_rows(records, dated, ctx)
    return Tab(name, tuple(rows), widths=(9, 52, 15, 15, 15, 15, 15, 28, 18), wrap=(2,))


def _progress_row(label: str, obs: Sequence[Obligation]) -> Row:
    done = sum(1 for o in obs if o.state in DONE_STATES)
    soon = sum(1 for o in obs if o.state == State.DUE_SOON)
    late = sum(1 for o in obs if o.state == State.OVERDUE)
    number, title = split_heading(label)
    return (
        Cell(number),
        Cell(title),
        Cell(len(obs)),
        Cell(done, "done" if done else ""),
        Cell(_pct(done, len(obs)), "done" if obs and done == len(obs) else ""),
        Cell(soon, "soon" if soon else ""),
        Cell(late, "overdue" if late else ""),
    )


def _party_rows(records: Records, dated: Sequence[Obligation], ctx: ReportContext) -> list[Row]:
    by_party: dict[str, list[Obligation]] = defaultdict(list)
    for ob in dated:
        by_party[ob.party.recipient].append(ob)
    rows: list[Row] = []
    if records.schools:
        rows += [
            (),
            row("", "Школы", style="section"),
            row(
                "Код",
                "Школа",
                "Отчётов в плане",
                "Срок наступил",
                "Сдано",
                "Сдано в срок",
                "Просрочено",
                "Просроченные пункты",
                "Последнее напоминание",
                style="header",
            ),
        ]
        for school in sorted(records.schools, key=lambda s: s.code):
            obs = by_party.get(f"school:{school.code}", [])
            if not school.active:
                rows.append(
                    (
                        Cell(school.code),
                        Cell(school.name),
                        Cell("не участвует (Активна = нет)", "muted"),
                    )
                )
                continue
            rows.append(_party_row(school.code, school.name, f"school:{school.code}", obs, ctx))
    if records.executors:
        rows += [
            (),
            row("", "Исполнители", style="section"),
            row(
                "",
                "Исполнитель",
                "Обязательств",
                "Срок наступил",
                "Выполнено",
                "Выполнено в срок",
                "Просрочено",
                "Просроченные пункты",
                "Последнее напоминание",
                style="header",
            ),
        ]
        for ex in sorted(records.executors, key=lambda e: e.name):
            obs = by_party.get(f"executor:{ex.name}", [])
            rows.append(_party_row("", ex.name, f"executor:{ex.name}", obs, ctx))
    return rows


def _party_row(
    code: str,
    name: str,
    recipient: str,
    obs: Sequence[Obligation],
    ctx: ReportContext,
) -> Row:
    due_now = [o for o in obs if o.due is not None and o.due <= ctx.today]
    done = [o for o in obs if o.state in DONE_STATES]
    on_time = [o for o in done if o.state == State.DONE]
    late = [o for o in obs if o.state == State.OVERDUE]
    items = ", ".join(dict.fromkeys(o.item.key for o in sorted(late, key=_due_key)))
    last = ctx.last_sent.get(recipient)
    return (
        Cell(code),
        Cell(name),
        Cell(len(obs)),
        Cell(len(due_now)),
        Cell(len(done), "done" if obs and len(done) == len(obs) else ""),
        Cell(len(on_time)),
        Cell(len(late), "overdue" if late else ""),
        Cell(items, "overdue" if late else ""),
        Cell(last if last else "—"),
    )


def _due_key(ob: Obligation) -> tuple[date, str]:
    return (ob.due or date.max, ob.item.key)


def overdue_tab(obligations: Sequence[Obligation], ctx: ReportContext, name: str) -> Tab:
    """Return «Просрочено»: every overdue obligation, the latest first."""
    counts = _reminder_counts(ctx.sent_keys)
    late = sorted(
        (o for o in obligations if o.state == State.OVERDUE),
        key=lambda o: (-o.days_late, o.item.key, o.party.name),
    )
    rows: list[Row] = [
        row(
            "№",
            "Мероприятие",
            "Кто должен",
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
        rows.append(
            (
                Cell(ob.item.key),
                Cell(ob.item.title),
                Cell(ob.party.name),
                Cell(ob.due),
                Cell(ob.days_late, "overdue"),
                Cell(counts[ob.id]),
                Cell(where),
                Cell(ob.item.section),
            )
        )
    if not late:
        rows.append(row("Просроченных обязательств нет", style="done"))
    return Tab(name, tuple(rows), widths=(8, 60, 36, 12, 15, 14, 22, 40), frozen_rows=1)


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
                Cell(item.ref.row),
                Cell(item.key),
                Cell(item.title),
                Cell(d.text),
                Cell(reading, style),
                Cell(KIND_LABELS.get(d.kind, d.kind), style),
                Cell("да" if item.school_report else "нет"),
                Cell(", ".join(item.executors)),
            )
        )
    return Tab(
        name, tuple(rows), widths=(8, 8, 60, 40, 50, 18, 11, 30), frozen_rows=1, wrap=(3, 4, 5)
    )


def problems_tab(problems: Sequence[Problem], name: str) -> Tab:
    """Return «Проблемы»: every data problem with the tab, the cell and the fix."""
    rows: list[Row] = [row("Лист", "Ячейка", "Что не так", "Как исправить", style="header")]
    for p in problems:
        rows.append((Cell(p.tab), Cell(p.cell), Cell(p.what, "bad"), Cell(p.fix)))
    if not problems:
        rows.append(row("Проблем в данных нет", style="done"))
    return Tab(name, tuple(rows), widths=(20, 12, 70, 80), frozen_rows=1, wrap=(3, 4))
