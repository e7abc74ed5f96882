"""«Сводка»: totals, progress per section, a row per school and per executor. Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Records
from sheets_sync.inputs.sections import split_heading
from sheets_sync.obligations import DONE_STATES, Obligation, State
from sheets_sync.wording import DAYS, count, ru_date, text_of

from .context import ReportContext
from .tabs import Cell, Row, Style, Tab, row


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
