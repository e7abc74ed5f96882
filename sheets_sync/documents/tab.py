"""An imported plan -> the rows of the roadmap tab, in the layout `init` gives a new workbook:
the title, a blank row, the header, then sections (one cell) and lines. Replacing a roadmap tab
keeps what staff added to it (the «Срок (дата)», «Отчёт школ», «Выполнено» cells and any
column of their own) for every line whose number stays. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sheets_sync.inputs.cells import Grid
from sheets_sync.inputs.problems import Problems
from sheets_sync.inputs.records import Records
from sheets_sync.inputs.table import find_table
from sheets_sync.settings.types import REQUIRED_COLUMNS
from sheets_sync.workbook.layout import TEMPLATE_FIELDS

from .imported import ImportedPlan

Columns = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class Kept:
    """What a roadmap tab holds beyond the document: per line number, per column (its field,
    or its header when it has none), the text staff wrote; and the headers of their own
    columns."""

    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    headers: tuple[str, ...] = ()

    def count(self, keys: Sequence[str]) -> int:
        """Return how many of the lines `keys` keep any cell."""
        return sum(1 for key in keys if any(self.values.get(key, {}).values()))


def tab_fields(plan: ImportedPlan) -> list[str]:
    """Return the roadmap tab's fields: `init`'s, with the document's «Ожидаемый результат»
    after «Содержание»."""
    names = list(TEMPLATE_FIELDS["roadmap"])
    if "result" in plan.fields:
        names.insert(names.index("content") + 1, "result")
    return names


def roadmap_rows(
    plan: ImportedPlan, columns: Columns, kept: Kept | None = None
) -> tuple[list[list[str]], int]:
    """Return the roadmap tab's rows and its header row (1-based)."""
    kept = kept or Kept()
    names = tab_fields(plan)
    own = [h for h in kept.headers if h not in plan.extra]
    headers = [columns[n][0] for n in names] + list(plan.extra) + own
    rows: list[list[str]] = [[plan.title], []] if plan.title else []
    header_row = len(rows) + 1
    rows.append(headers)
    for line in plan.lines:
        if line.kind == "section":
            rows.append([line.value("title")])
            continue
        staff = kept.values.get(line.value("number"), {})
        row = [line.value(n) if n in plan.fields else staff.get(n, "") for n in names]
        row += [line.value(h) for h in plan.extra] + [staff.get(h, "") for h in own]
        while row and not row[-1]:
            row.pop()
        rows.append(row)
    return rows, header_row


def kept_cells(
    grid: Grid, records: Records, plan: ImportedPlan, tab: str, columns: Columns
) -> Kept:
    """Return the cells of an existing roadmap tab the document does not fill: the staff
    fields and staff columns of each line, by its key."""
    table = find_table(tab, grid, columns, REQUIRED_COLUMNS["roadmap"], Problems())
    if not table.header_row:
        return Kept()
    by_col = {col: name for name, col in table.columns.items() if name not in plan.fields}
    own = tuple(
        h.strip()
        for col, h in enumerate(table.headers, start=1)
        if h.strip() and col not in table.columns.values() and h.strip() not in plan.extra
    )
    values: dict[str, dict[str, str]] = {}
    for item in records.items:
        cells = grid[item.ref.row - 1] if item.ref.row <= len(grid) else []
        row: dict[str, str] = {}
        for col, text in enumerate(cells, start=1):
            header = table.headers[col - 1].strip() if col <= len(table.headers) else ""
            name = by_col.get(col) or (header if header in own else "")
            if name and text.strip():
                row[name] = text.strip()
        values[item.key] = row
    return Kept(values, own)
