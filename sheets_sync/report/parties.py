"""«Сводка»'s blocks of schools and executors: the late ones first, worst first, then every
school by code; each row says how late its worst item is and, when emails cannot reach it,
why and which cell to fix. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sheets_sync.inputs.records import Records
from sheets_sync.inputs.sections import number_order
from sheets_sync.obligations import DONE_STATES, Obligation, State, cannot_reach
from sheets_sync.tally import come_due, tally
from sheets_sync.wording import item_label, ru_date

from .context import ReportContext
from .tabs import Cell, Row, row

LATE_FIRST = 15  # the late schools listed before the full list


@dataclass(frozen=True, slots=True)
class _Line:
    code: str
    name: str
    recipient: str
    obligations: tuple[Obligation, ...]
    cannot_reach: str  # why emails do not reach it, and the cell to fix; "" when they do

    @property
    def late(self) -> list[Obligation]:
        return [o for o in self.obligations if o.state == State.OVERDUE]

    @property
    def worst(self) -> int:
        return max((o.days_late for o in self.late), default=0)


def party_blocks(
    records: Records, obligations: Sequence[Obligation], ctx: ReportContext
) -> list[Row]:
    """Return the school blocks (late first, then all by code) and the executors block."""
    by_party: dict[str, list[Obligation]] = defaultdict(list)
    for ob in obligations:
        if ob.due is not None:
            by_party[ob.party.recipient].append(ob)
    rows: list[Row] = []
    schools = [
        _Line(
            s.code,
            s.name,
            f"school:{s.code}",
            tuple(by_party.get(f"school:{s.code}", ())),
            cannot_reach(s.emails, s.bad_emails, s.email_ref or s.ref, s.bounced),
        )
        for s in records.schools
        if s.active
    ]
    if records.schools:
        late = sorted((s for s in schools if s.late), key=lambda s: (-len(s.late), -s.worst))
        if late:
            rows += [(), row("", "Школы с просрочкой: сначала отстающие", style="section")]
            rows += [_header("Код", "Школа"), *(_row(s, ctx) for s in late[:LATE_FIRST])]
            if len(late) > LATE_FIRST:
                rest = len(late) - LATE_FIRST
                rows.append(row("", f"и ещё {rest} — в полном списке ниже", style="muted"))
        rows += [(), row("", "Все школы", style="section"), _header("Код", "Школа")]
        rows += [_row(s, ctx) for s in sorted(schools, key=lambda s: number_order(s.code))]
        rows += [
            (Cell(s.code), Cell(s.name), Cell("не участвует (Активна = нет)", "muted"))
            for s in sorted(records.schools, key=lambda s: number_order(s.code))
            if not s.active
        ]
    executors = [
        _Line(
            "",
            e.name,
            f"executor:{e.name}",
            tuple(by_party.get(f"executor:{e.name}", ())),
            cannot_reach(e.emails, e.bad_emails, e.email_ref or e.ref, e.bounced),
        )
        for e in records.executors
    ]
    if executors:
        executors.sort(key=lambda e: (-len(e.late), -e.worst, e.name))
        rows += [(), row("", "Исполнители: сначала отстающие", style="section")]
        rows += [_header("", "Исполнитель"), *(_row(e, ctx) for e in executors)]
    return rows


def _header(code: str, name: str) -> Row:
    return row(
        code,
        name,
        "Обязательств",
        "Срок наступил",
        "Сдано из наступивших",
        "из них в срок",
        "Просрочено",
        "Худшая просрочка, дней",
        "Просроченные пункты",
        "Последнее напоминание",
        style="header",
    )


def _row(line: _Line, ctx: ReportContext) -> Row:
    counts = tally(line.obligations)
    came = come_due(line.obligations, ctx.today)  # each done or overdue: the row adds up
    late = line.late
    done = sum(1 for o in came if o.state in DONE_STATES)
    on_time = sum(1 for o in came if o.state == State.DONE)
    all_done = bool(came) and done == len(came)
    last = ctx.last_sent.get(line.recipient)
    reminded = Cell(line.cannot_reach, "bad") if line.cannot_reach else Cell(last if last else "—")
    return (
        Cell(line.code),
        Cell(line.name),
        Cell(counts.dated, "", "center"),
        Cell(len(came), "", "center"),
        Cell(done, "done" if all_done else "", "center"),
        Cell(on_time, "", "center"),
        Cell(len(late), "overdue" if late else "", "center"),
        Cell(line.worst if late else "", "overdue" if late else "", "center"),
        Cell(late_items(late), "overdue" if late else ""),
        reminded,
    )


def late_items(late: Sequence[Obligation]) -> str:
    """Return overdue items with their dates, in item order: «VII.5 (01.03.2020, 09.05.2020),
    VII.8 (01.09.2020)»."""
    dates: dict[str, list[date]] = defaultdict(list)
    for ob in late:
        if ob.due is not None:
            dates[ob.item.key].append(ob.due)
    return ", ".join(
        f"{item_label(key)} ({', '.join(ru_date(d) for d in sorted(dates[key]))})"
        for key in sorted(dates, key=number_order)
    )
