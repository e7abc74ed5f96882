"""The year-end report as data: the roadmap as approved (sections, numbers, titles, deadlines as
written, executors), each line with what was done, and totals per section, per school and per
executor. Pure: Records, their obligations on the report's day, and the roadmap tab's grid (for
the group headings and deadline texts the records do not keep).

Every obligation falls in exactly one bucket (`BUCKETS`): done on time, done late, not done
(its date passed), not required (н/т), not yet due, no date (on request, ongoing), unclear (a
mark that does not read). So a row's buckets add up to its total, and the totals of the section
and school tables are the sums of their rows. «Выполнено, %» is done (on time or late) of those
whose date has passed and that were required.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sheets_sync.inputs.cells import Grid
from sheets_sync.inputs.problems import Problems
from sheets_sync.inputs.records import Records
from sheets_sync.inputs.sections import is_roman_heading, split_heading
from sheets_sync.inputs.table import find_table, header_key
from sheets_sync.obligations import Obligation, State

from .year_end_text import item_progress

BUCKETS = ("done", "late", "not_done", "not_required", "not_due", "no_date", "unclear")
LABELS = {
    "done": "Выполнено в срок",
    "late": "Выполнено с опозданием",
    "not_done": "Не выполнено",
    "not_required": "Не требуется (н/т)",
    "not_due": "Срок не истёк",
    "no_date": "Без срока",
    "unclear": "Неясно",
}
_BUCKET = {
    State.DONE: "done",
    State.DONE_LATE: "late",
    State.OVERDUE: "not_done",
    State.NOT_REQUIRED: "not_required",
    State.DUE_SOON: "not_due",
    State.UPCOMING: "not_due",
    State.NO_DATE: "no_date",
    State.UNCLEAR: "unclear",
}
NO_SECTION = "(без раздела)"


def bucket(ob: Obligation) -> str:
    """Return the bucket of an obligation."""
    return _BUCKET[ob.state]


@dataclass(frozen=True, slots=True)
class Tally:
    """How many obligations fall in each bucket."""

    counts: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, obligations: Iterable[Obligation]) -> Tally:
        counts = dict.fromkeys(BUCKETS, 0)
        for ob in obligations:
            counts[bucket(ob)] += 1
        return cls(counts)

    def __getitem__(self, name: str) -> int:
        return self.counts.get(name, 0)

    def __add__(self, other: Tally) -> Tally:
        return Tally({b: self[b] + other[b] for b in BUCKETS})

    @property
    def total(self) -> int:
        return sum(self[b] for b in BUCKETS)

    @property
    def done(self) -> int:
        return self["done"] + self["late"]

    @property
    def due(self) -> int:
        """Required obligations whose date has passed, done or not."""
        return self.done + self["not_done"]

    @property
    def percent(self) -> str:
        return f"{round(100 * self.done / self.due)} %" if self.due else "—"


def total_of(tallies: Iterable[Tally]) -> Tally:
    result = Tally.of(())
    for tally in tallies:
        result = result + tally
    return result


@dataclass(frozen=True, slots=True)
class ReportLine:
    """A row of the plan: a section, a group heading, or a line with its progress."""

    kind: Literal["section", "group", "item"]
    number: str
    title: str
    deadline: str = ""
    owners: str = ""
    progress: tuple[str, ...] = ()
    note: str = ""
    tally: Tally = field(default_factory=Tally)


@dataclass(frozen=True, slots=True)
class PartyRow:
    """A school's or an executor's totals; an inactive school has none."""

    code: str
    name: str
    tally: Tally
    active: bool = True


@dataclass(frozen=True, slots=True)
class YearEndReport:
    title: str
    plan_year: int
    school_year: bool
    as_of: date
    lines: tuple[ReportLine, ...]
    sections: tuple[tuple[str, str, Tally], ...]  # (numeral, title, tally)
    schools: tuple[PartyRow, ...]
    executors: tuple[PartyRow, ...]

    @property
    def total(self) -> Tally:
        return total_of(t for _, _, t in self.sections)

    @property
    def buckets(self) -> tuple[str, ...]:
        """The buckets any obligation fell in, always with the first three."""
        total = self.total
        return tuple(b for i, b in enumerate(BUCKETS) if i < 3 or total[b])


@dataclass(frozen=True, slots=True)
class Approved:
    """What the roadmap tab shows that the records do not keep: group headings (row, number,
    title) and each line's deadline as written (by key)."""

    groups: tuple[tuple[int, str, str], ...] = ()
    deadlines: Mapping[str, str] = field(default_factory=dict)


def approved(
    grid: Grid, records: Records, tab: str, columns: Mapping[str, Sequence[str]]
) -> Approved:
    """Return the group headings and written deadlines of the roadmap tab `grid`."""
    table = find_table(tab, grid, columns, ("number", "title"), Problems())
    if not table.header_row:
        return Approved()
    items = {item.ref.row: item for item in records.items}
    deadlines = {
        item.key: table.value(grid[row - 1], "deadline") or item.deadline.text
        for row, item in items.items()
        if row <= len(grid)
    }
    headers = [header_key(h) for h in table.headers]
    groups = []
    for ref, cells in table.rows():
        number, title = table.value(cells, "number"), table.value(cells, "title")
        if ref.row in items or not number or not title or is_roman_heading(number):
            continue
        if [header_key(c) for c in cells] == headers[: len(cells)]:
            continue  # the header again
        groups.append((ref.row, number.rstrip("."), title))
    return Approved(tuple(groups), deadlines)


def year_end_report(
    records: Records,
    obligations: Sequence[Obligation],
    as_of: date,
    shown: Approved | None = None,
) -> YearEndReport:
    """Return the year-end report of `records` with their `obligations` on `as_of`."""
    shown = shown or Approved()
    by_item: dict[str, list[Obligation]] = {}
    for ob in obligations:
        by_item.setdefault(ob.item.key, []).append(ob)
    active = sum(1 for s in records.schools if s.active)
    rows: list[tuple[int, ReportLine, str]] = []  # (tab row, line, section)
    for item in records.items:
        obs = by_item.get(item.key, [])
        line = ReportLine(
            "item",
            item.number,
            item.title,
            shown.deadlines.get(item.key, item.deadline.text),
            item.owners_text,
            item_progress(item, obs, as_of, active),
            item.note,
            Tally.of(obs),
        )
        rows.append((item.ref.row, line, item.section))
    in_order = sorted((row, section) for row, _, section in rows)
    for row, number, title in shown.groups:  # a group is in the section of the line under it
        section = next((s for r, s in in_order if r > row), "")
        rows.append((row, ReportLine("group", number, title), section))
    rows.sort(key=lambda x: x[0])
    lines: list[ReportLine] = []
    current = None
    for _, line, section in rows:
        if section != current and section:
            numeral, title = split_heading(section)
            lines.append(ReportLine("section", numeral, title))
        current = section
        lines.append(line)
    return YearEndReport(
        title=records.title,
        plan_year=records.plan_year,
        school_year=records.school_year,
        as_of=as_of,
        lines=tuple(lines),
        sections=_sections(records, obligations),
        schools=_schools(records, obligations),
        executors=tuple(row for row in _executors(records, obligations) if row.tally.total),
    )


def _executors(records: Records, obligations: Sequence[Obligation]) -> list[PartyRow]:
    """Return a row per executor (one that owes nothing in the plan, such as a municipal
    coordinator, is left out by the caller)."""
    return [
        PartyRow(
            "",
            e.name,
            Tally.of(
                o for o in obligations if o.party.kind == "executor" and o.party.key == e.name
            ),
        )
        for e in records.executors
    ]


def _sections(
    records: Records, obligations: Sequence[Obligation]
) -> tuple[tuple[str, str, Tally], ...]:
    by_section: dict[str, list[Obligation]] = {}
    for ob in obligations:
        by_section.setdefault(ob.item.section or NO_SECTION, []).append(ob)
    for item in records.items:  # a section whose lines owe nothing still has its row
        by_section.setdefault(item.section or NO_SECTION, [])
    order = [*records.sections, NO_SECTION]
    result = []
    for section in sorted(by_section, key=lambda s: order.index(s) if s in order else len(order)):
        numeral, title = split_heading(section)
        result.append((numeral, title, Tally.of(by_section[section])))
    return tuple(result)


def _schools(records: Records, obligations: Sequence[Obligation]) -> tuple[PartyRow, ...]:
    by_school: dict[str, list[Obligation]] = {}
    for ob in obligations:
        if ob.party.kind == "school":
            by_school.setdefault(ob.party.key, []).append(ob)
    return tuple(
        PartyRow(s.code, s.name, Tally.of(by_school.get(s.code, [])), s.active)
        for s in sorted(records.schools, key=lambda s: s.code)
    )
