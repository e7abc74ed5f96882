"""The input tabs a workbook lacks, each one «Проблемы» row naming the tab, what its absence
costs, and the fix: a tab named almost like it (a trailing space, another case) is named. Pure."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from sheets_sync.settings.types import TabNames

from .cells import Grid
from .problems import Problems
from .records import RoadmapItem


def near_name(name: str, present: Collection[str]) -> str:
    """Return a tab of `present` named like `name` but for spaces and case, or ""."""
    wanted = " ".join(name.split()).casefold()
    return next((t for t in present if " ".join(t.split()).casefold() == wanted), "")


def missing_tabs(
    tabs: Mapping[str, Grid],
    all_tabs: Sequence[str],
    names: TabNames,
    items: Sequence[RoadmapItem],
    problems: Problems,
) -> None:
    """Add a problem for the roadmap, «Школы» or «Ответственные» when the workbook lacks it
    (the last two only when the roadmap needs them)."""
    needed = [
        (names.roadmap, "напоминать не о чем: план не прочитан"),
        (
            names.schools,
            "школам напоминания не отправляются" if any(i.school_report for i in items) else "",
        ),
        (
            names.executors,
            "исполнителям напоминания не отправляются" if any(i.executors for i in items) else "",
        ),
    ]
    for tab, cost in needed:
        if tab in tabs or not cost:
            continue
        near = near_name(tab, all_tabs)
        if near == tab:  # there, but not a sheet of cells
            fix = (
                f"Лист «{tab}» в файле — не таблица (диаграмма или макрос): переименуйте его и "
                f"добавьте лист «{tab}» с ячейками."
            )
        elif near:
            fix = f"Лист называется «{near}»: переименуйте его в «{tab}»."
        else:
            fix = (
                f"Добавьте лист «{tab}» (команда `python run.py init` добавит его с "
                "заголовками) или назовите свой лист в разделе [tabs] настроек."
            )
        problems.on_tab(tab, f"нет листа «{tab}»: {cost}", fix)
        if tab == names.roadmap:  # no plan: nothing else can be checked against it
            problems.structure.append(problems.found()[-1])
