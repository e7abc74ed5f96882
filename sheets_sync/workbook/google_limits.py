"""Keeping a Google write inside Google's size limits. Pure.

Google refuses a batchUpdate that would take a spreadsheet past 10,000,000 cells, a sheet past
column ZZZ (18,278) or a cell past 50,000 characters, and refuses it whole. Rather than lose the
write, the generated tabs are cut to fit, each ending with a row that says what was left out,
and the caller logs what was cut. Google applies a sheet's new row count before its new column
count and checks the cell limit in between (robin900/gspread-dataframe#38), and the requests of
a batch one after another, so every step of the write is counted, not only its end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from sheets_sync.report.journal import HEADER as JOURNAL_HEADER
from sheets_sync.report.tabs import Row, Tab, row
from sheets_sync.workbook import Snapshot

from .google_cells import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    NEW_TAB_COLUMNS,
    NEW_TAB_ROWS,
    grid_size,
)


def long_texts(tabs: Iterable[tuple[str, Sequence[Row]]]) -> list[str]:
    """Describe every cell whose text is cut to 50,000 characters: "«tab» row R, column C (N
    characters)"."""
    return [
        f"«{name}» row {r}, column {c} ({len(cell.value):,} characters)"
        for name, rows in tabs
        for r, cells in enumerate(rows, start=1)
        for c, cell in enumerate(cells, start=1)
        if isinstance(cell.value, str) and len(cell.value) > MAX_CELL_CHARS
    ]


def _spaced(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _cut_columns(tab: Tab) -> tuple[Tab, str]:
    dropped = grid_size(tab)[1] - MAX_COLUMNS
    note = row(
        f"Вкладка обрезана: не поместилось столбцов — {dropped}. "
        f"В листе Google Таблиц не больше {_spaced(MAX_COLUMNS)} столбцов.",
        style="bad",
    )
    rows = (*(r[:MAX_COLUMNS] for r in tab.rows), note)
    cut = replace(tab, rows=rows, widths=tab.widths[:MAX_COLUMNS])
    return cut, f"«{tab.name}»: {dropped} columns past Google's {MAX_COLUMNS:,} were left out"


def _cut_rows(tab: Tab, keep: int) -> tuple[Tab, str]:
    dropped = len(tab.rows) - (keep - 1)
    note = row(
        f"Вкладка обрезана: не поместилось строк — {dropped}. В таблице Google не больше "
        f"{_spaced(MAX_CELLS)} ячеек: удалите лишние строки и столбцы на других вкладках.",
        style="bad",
    )
    cut = replace(tab, rows=(*tab.rows[: keep - 1], note))
    return cut, (
        f"«{tab.name}»: {dropped} rows were left out to stay within Google's "
        f"{MAX_CELLS:,} cells per spreadsheet"
    )


def peak_cells(
    tabs: Sequence[Tab], old: Mapping[str, tuple[int, int]], fixed: int, growth: int
) -> tuple[int, int]:
    """Return the most cells the spreadsheet holds during the write, and at which step (the
    index of the tab being written, len(tabs) for the journal, -1 for before the write).

    `old` holds the current (rows, columns) of tabs that exist, `fixed` the cells of every sheet
    the write does not resize, `growth` the cells the journal gains after the tabs."""
    state = fixed + sum(r * c for r, c in (old.get(t.name, (0, 0)) for t in tabs))
    peak, where = state, -1
    for step, tab in enumerate(tabs):
        rows, cols = grid_size(tab)
        old_rows, old_cols = old.get(tab.name, (0, 0))
        current = old_rows * old_cols
        for size in (rows * (old_cols or cols), rows * cols):  # row count first, then columns
            state += size - current
            current = size
            if state > peak:
                peak, where = state, step
    if state + growth > peak:
        peak, where = state + growth, len(tabs)
    return peak, where


def fit_tabs(
    tabs: Sequence[Tab], old: Mapping[str, tuple[int, int]], fixed: int, growth: int
) -> tuple[list[Tab], list[str], int]:
    """Cut tabs to at most MAX_COLUMNS columns and, largest first, to as many rows as keep every
    step of the write within MAX_CELLS (see `peak_cells` for the arguments).

    Returns the tabs, what was cut (for the log) and the cells still over the limit (0 when
    everything fits: more means even cut tabs cannot make room, the write must not be sent)."""
    fitted, notes = list(tabs), []
    for i, tab in enumerate(fitted):
        if grid_size(tab)[1] > MAX_COLUMNS:
            fitted[i], note = _cut_columns(tab)
            notes.append(note)
    tried: set[int] = set()
    while True:
        peak, where = peak_cells(fitted, old, fixed, growth)
        over = peak - MAX_CELLS
        # Only tabs already written at the peak's step can make room there.
        candidates = [i for i in range(min(where + 1, len(fitted))) if i not in tried]
        if over <= 0 or not candidates:
            return fitted, notes, max(over, 0)
        i = max(candidates, key=lambda i: math.prod(grid_size(fitted[i])))
        tried.add(i)
        tab = fitted[i]
        rows, cols = grid_size(tab)
        keep = max(rows - math.ceil(over / cols), tab.frozen_rows + 2)
        if keep < len(tab.rows):
            fitted[i], note = _cut_rows(tab, keep)
            notes.append(note)


def fit_write(
    snapshot: Snapshot, tabs: Sequence[Tab], journal_tab: str, journal: Sequence[Row]
) -> tuple[list[Tab], list[str], int]:
    """`fit_tabs` for a write of `tabs` and `journal` rows into the spreadsheet read as
    `snapshot`; the log lines also name every text cut to 50,000 characters."""
    rewritten = {t.name for t in tabs}
    fixed = sum(i.rows * i.cols for n, i in snapshot.sheets.items() if n not in rewritten)
    info = snapshot.sheets.get(journal_tab)
    new_cols = max(len(JOURNAL_HEADER), NEW_TAB_COLUMNS)
    rows, cols = (info.rows, info.cols) if info else (NEW_TAB_ROWS, new_cols)
    grid = snapshot.tabs.get(journal_tab, [])
    # appendCells adds below the last row (rows before journal_from were not read)
    filled = (snapshot.journal_from - 1 + len(grid)) if grid else 1
    growth = (max(rows, filled + len(journal)) - (rows if info else 0)) * cols
    old = {t.name: (i.rows, i.cols) for t in tabs if (i := snapshot.sheets.get(t.name))}
    fitted, notes, over = fit_tabs(tabs, old, fixed, growth)
    cut = long_texts([(t.name, t.rows) for t in fitted] + [(journal_tab, journal)])
    notes += [f"{where} was cut to {MAX_CELL_CHARS:,} characters" for where in cut]
    return fitted, notes, over


def extension_problem(snapshot: Snapshot, tab: str, width: int, new_rows: int) -> str | None:
    """Why Google would refuse to widen `tab` to `width` columns and add `new_rows` rows below
    it, or None if it fits."""
    info = snapshot.sheets[tab]
    if width > MAX_COLUMNS:
        return (
            f"«{tab}» would need {width:,} columns, past the {MAX_COLUMNS:,} a Google sheet can "
            "have: move old report columns to another tab first"
        )
    total = sum(i.rows * i.cols for i in snapshot.sheets.values())
    columns = max(width, info.cols)
    added = (columns - info.cols) * info.rows + new_rows * columns
    if total + added > MAX_CELLS:
        return (
            f"adding the columns and rows to «{tab}» would take the spreadsheet past Google's "
            f"{MAX_CELLS:,} cells ({total + added:,}): delete empty rows and columns first"
        )
    return None
