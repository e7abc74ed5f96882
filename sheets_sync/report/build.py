"""Obligations -> the generated tabs «Сводка», «Просрочено», «Сроки», «Проблемы». Pure.

Rows are sorted so a rerun on the same data gives the same tabs (only the build time differs).
"""

from __future__ import annotations

from collections.abc import Sequence

from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Records
from sheets_sync.obligations import Obligation
from sheets_sync.settings.types import TabNames

from .context import ReportContext
from .lists import deadlines_tab, overdue_tab, problems_tab
from .summary import held_summary_tab, summary_tab
from .tabs import Tab


def build_tabs(
    records: Records,
    obligations: Sequence[Obligation],
    problems: Sequence[Problem],
    ctx: ReportContext,
    names: TabNames,
    due_soon_days: int = 7,
) -> list[Tab]:
    """Return «Сводка», «Просрочено», «Сроки» and «Проблемы» for this run; while an input tab
    cannot be read, only a «Сводка» that says so and «Проблемы» (the other tabs keep what the
    last good reading gave)."""
    if records.unreadable:
        return [
            held_summary_tab(records, ctx, names),
            problems_tab(problems, names.problems),
        ]
    return [
        summary_tab(records, obligations, problems, ctx, names.summary, due_soon_days),
        overdue_tab(obligations, ctx, names.overdue),
        deadlines_tab(records, names.deadlines),
        problems_tab(problems, names.problems),
    ]
