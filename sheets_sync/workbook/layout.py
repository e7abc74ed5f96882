"""The workbook's shape: the input tabs' headers (`init`) and the submission table's missing
columns and rows (`sync`). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sheets_sync.inputs.cells import Grid
from sheets_sync.inputs.people import code_key
from sheets_sync.inputs.problems import Problems
from sheets_sync.inputs.records import Records
from sheets_sync.inputs.sections import number_order
from sheets_sync.inputs.table import find_table
from sheets_sync.report.journal import HEADER as JOURNAL_HEADER
from sheets_sync.settings.types import TabNames
from sheets_sync.wording import ru_date

# The columns a new tab gets, by field (the first header of each is used).
TEMPLATE_FIELDS = {
    "roadmap": (
        "number",
        "title",
        "content",
        "deadline",
        "deadline_date",
        "owners",
        "school_report",
        "done",
        "note",
    ),
    "schools": ("code", "name", "email", "contact", "active"),
    "executors": ("name", "email", "synonyms"),
    "submissions": ("code", "name"),
}


def input_headers(
    names: TabNames, columns: Mapping[str, Mapping[str, tuple[str, ...]]]
) -> dict[str, tuple[str, ...]]:
    """Return the header row of each input tab, and of the journal."""
    tabs = {
        "roadmap": names.roadmap,
        "schools": names.schools,
        "executors": names.executors,
        "submissions": names.submissions,
    }
    headers = {
        tabs[t]: tuple(columns[t][f][0] for f in fields) for t, fields in TEMPLATE_FIELDS.items()
    }
    headers[names.journal] = JOURNAL_HEADER
    return headers


def column_header(item: str, due: date) -> str:
    """Return a submission column's header: `<№> до <ДД.ММ.ГГГГ>`."""
    return f"{item} до {ru_date(due)}"


@dataclass(frozen=True, slots=True)
class SyncAdditions:
    """What `sync` appends to «Сдача отчётов»: headers right of the header row, school rows
    below the last row. Nothing existing moves."""

    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.headers and not self.rows


def sync_additions(
    records: Records,
    grid: Grid,
    names: TabNames,
    columns: Mapping[str, Mapping[str, tuple[str, ...]]],
) -> SyncAdditions:
    """Return the columns for obligations without one, and the rows for schools without one."""
    needed = sorted(
        {(i.key, d) for i in records.items if i.school_report for d in i.deadline.due_dates},
        key=lambda kd: (kd[1], number_order(kd[0])),  # by date, then VII.8 before VII.10
    )
    headers = tuple(
        column_header(k, d) for k, d in needed if (k, d) not in records.submission_columns
    )
    scratch = Problems()
    table = find_table(names.submissions, grid, columns["submissions"], ("code",), scratch)
    if not table.header_row or "code" not in table.columns:
        return SyncAdditions(1, headers, ())
    present = {code_key(table.value(cells, "code")) for _, cells in table.rows()}
    width = len(table.headers) + len(headers)
    rows = []
    for school in records.schools:
        if not school.active or code_key(school.code) in present:
            continue
        row = [""] * width
        row[table.columns["code"] - 1] = school.code
        if "name" in table.columns:
            row[table.columns["name"] - 1] = school.name
        while row and not row[-1]:
            row.pop()
        rows.append(tuple(row))
    return SyncAdditions(table.header_row, headers, tuple(rows))
