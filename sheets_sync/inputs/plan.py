"""Every input tab -> Records: the plan's title and year, then the roadmap, the people and the
submission table. Pure: problems are collected, reading goes on."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from sheets_sync.settings.types import REQUIRED_COLUMNS, ReadingSettings

from .cells import Grid
from .missing import missing_tabs
from .people import read_executors, read_schools
from .problems import Problems
from .records import Records
from .roadmap import read_items
from .submissions import read_submissions
from .table import Table, find_table

_YEAR_IN_TITLE = re.compile(
    r"(?:на|в)\s+(20\d\d)\s*(?:[-–/]\s*20\d\d\s*)?(?:г|год|уч)", re.IGNORECASE
)
_ANY_YEAR = re.compile(r"\b(20\d\d)\b")
_SCHOOL_YEAR_IN_TITLE = re.compile(r"20\d\d\s*[-–—/]\s*(?:20)?\d\d\s*(?:уч|учебн)", re.IGNORECASE)


def read_records(
    tabs: Mapping[str, Grid],
    settings: ReadingSettings,
    *,
    title: str = "",
    fallback_year: int,
    uncalculated: Mapping[str, Sequence[str]] | None = None,
    all_tabs: Sequence[str] = (),
) -> Records:
    """Return the records held by the input `tabs`; `fallback_year` is used when no plan year is
    configured or written in the roadmap's title. `uncalculated` names, per tab, the formula
    cells that hold no computed value (they read as empty): each tab's are one problem."""
    names = settings.tabs
    problems = Problems()
    for tab, cells in (uncalculated or {}).items():
        _report_uncalculated(tab, cells, problems)
    roadmap = find_table(
        names.roadmap,
        tabs.get(names.roadmap, []),
        settings.columns["roadmap"],
        REQUIRED_COLUMNS["roadmap"],
        problems if names.roadmap in tabs else Problems(),  # (its absence is said below)
    )
    titled = _plan_year(roadmap, title)
    plan_year = settings.plan_year or titled or fallback_year
    if settings.plan_year and titled and titled != settings.plan_year:
        problems.on_tab(
            names.roadmap,
            f"в настройках plan_year = {settings.plan_year}, а заголовок плана называет "
            f"{titled} год: сроки читаются как {settings.plan_year} год",
            "Уберите plan_year из настроек (год возьмётся из заголовка) или исправьте его.",
        )
    year_from: Literal["settings", "title", "today"] = (
        "settings" if settings.plan_year else "title" if titled else "today"
    )
    school_year = (
        settings.school_year
        if settings.school_year is not None
        else _names_school_year(roadmap, title)
    )
    executors = read_executors(tabs, settings, problems)
    schools = read_schools(tabs, settings, problems)
    items, sections = read_items(roadmap, settings, plan_year, school_year, executors, problems)
    table = read_submissions(tabs, settings, items, schools, problems)
    missing_tabs(tabs, all_tabs, names, items, problems)
    # Any input tab unreadable stops the run's mailing: a reading without the plan, the
    # addresses or who handed in what would remind the wrong people or report false figures.
    unreadable = tuple(problems.structure)
    return Records(
        title=_plan_title(roadmap) or title or names.roadmap,
        plan_year=plan_year,
        plan_year_from=year_from,
        school_year=school_year,
        items=tuple(items),
        schools=tuple(schools),
        executors=tuple(executors),
        submissions=table.submissions,
        submission_columns=table.columns,
        # (What was read against a tab that cannot be read is not worth a row: its fix first.)
        problems=tuple(problems.structure) if unreadable else problems.found(),
        submissions_readable=table.readable,
        sections=tuple(sections),
        unreadable=unreadable,
    )


def _report_uncalculated(tab: str, cells: Sequence[str], problems: Problems) -> None:
    if not cells:
        return
    shown = ", ".join(cells[:5]) + (f" и ещё {len(cells) - 5}" if len(cells) > 5 else "")
    what = (
        "формула без вычисленного значения"
        if len(cells) == 1
        else (f"формулы без вычисленного значения ({len(cells)})")
    )
    problems.on_tab(
        tab,
        f"{what}: читается как пустая ячейка",
        "Откройте файл в Excel или LibreOffice и сохраните его: формулы посчитаются, и их "
        "значения прочитаются.",
        cell=shown,
    )


def _above_header(table: Table) -> list[str]:
    return [" ".join(row) for row in table.grid[: max(table.header_row - 1, 0)]]


def _plan_title(table: Table) -> str:
    """Return the roadmap's own title: the text above its header row ("План мероприятий ...")."""
    above = [
        " ".join(c.strip() for c in row if c.strip())
        for row in table.grid[: max(table.header_row - 1, 0)]
    ]
    return re.sub(r"\s+", " ", " ".join(t for t in above if t)).strip(" *.")[:300]


def _plan_year(table: Table, title: str) -> int | None:
    """Return the year a roadmap's title names ("... на 2020 год"), if any."""
    return plan_year_of((*_above_header(table), title))


def plan_year_of(texts: Sequence[str]) -> int | None:
    """Return the plan year the first of `texts` to name one names: a year written as the
    plan's ("на 2020 год", "в 2022 - 2023 учебном году"), else the first year written."""
    for text in texts:
        match = _YEAR_IN_TITLE.search(text)
        if match:
            return int(match.group(1))
    for text in texts:
        years = _ANY_YEAR.findall(text)
        if years:
            return int(years[0])
    return None


def _names_school_year(table: Table, title: str) -> bool:
    """Return whether the title makes the plan one for a school year."""
    return names_school_year((*_above_header(table), title))


def names_school_year(texts: Sequence[str]) -> bool:
    """Return whether a plan's title makes it one for a school year ("на 2023-2024 учебный
    год", "2025/2026 уч. г."): then its months run from September to August."""
    return any(_SCHOOL_YEAR_IN_TITLE.search(text) for text in texts)
