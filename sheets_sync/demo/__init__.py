"""`python run.py demo`: two workbooks built from the seed roadmaps, one cycle on each.

The demo reads only its own settings (config/demo-region.toml and config/demo-school.toml, as
shipped with the package), resolves their paths from the current folder, and only ever
creates, resets or sends for what it made itself: every file and folder it makes is listed in
a mark file beside it, and anything unmarked in its way is refused, never overwritten. The
workbooks are built once and kept, so a second run on the same day sends nothing new.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sheets_sync.errors import SheetsSyncError
from sheets_sync.resources import shipped
from sheets_sync.settings.load import load_settings
from sheets_sync.settings.types import Settings

from .build import REGION_DAY, SCHOOL_DAY, build_region, build_school

CONFIGS = ("demo-region.toml", "demo-school.toml")
MARK = ".sheets-sync-demo"  # in a folder the demo uses: the names of what it made there


@dataclass(frozen=True, slots=True)
class DemoWorkbook:
    label: str
    settings: Settings
    day: date
    built: bool


def demo_settings(root: Path) -> tuple[Settings, Settings]:
    """Return the regional and the school demo's settings, their paths under `root`."""
    region, school = (load_settings(shipped("config") / name, env={}, root=root) for name in CONFIGS)
    for settings in (region, school):  # the demo must never mail real schools or edit a sheet
        if settings.workbook.backend != "xlsx" or settings.mail.delivery != "outbox":
            raise SheetsSyncError(
                f"{settings.source} is not a demo configuration any more (it uses "
                f"{settings.workbook.backend} and {settings.mail.delivery}): the demo only runs on "
                ".xlsx files with the outbox; run your own configuration with `python run.py once`"
            )
    return region, school


def made_by_demo(path: Path) -> bool:
    """Return whether the demo made `path` (it is named in the mark file beside it)."""
    mark = path.parent / MARK
    return mark.is_file() and path.name in mark.read_text(encoding="utf-8").split("\n")


def _mark(path: Path) -> None:
    mark = path.parent / MARK
    names = mark.read_text(encoding="utf-8").split("\n") if mark.is_file() else []
    if path.name not in names:
        mark.write_text("\n".join([*filter(None, names), path.name]) + "\n", encoding="utf-8")


def _targets(settings: Settings) -> list[Path]:
    assert settings.workbook.path is not None
    return [settings.workbook.path, settings.mail.outbox, settings.state_dir]


def _refuse_unmarked(settings: Settings) -> None:
    for path in _targets(settings):
        if path.exists() and not made_by_demo(path):
            raise SheetsSyncError(
                f"{path} was not made by the demo, which never touches what it did not make: "
                "move it away, or run the demo in another folder"
            )


def reset(*settings: Settings) -> None:
    """Delete the demo workbooks, outbox and state, to start over: only what the demo made."""
    for s in settings:
        _refuse_unmarked(s)
    for s in settings:
        for path in _targets(s):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)


def prepare(region: Settings, school: Settings, region_day: date | None) -> list[DemoWorkbook]:
    """Build the demo workbooks that do not exist yet, and mark the outbox and state folders;
    return the workbooks with the day to run each on."""
    day = region_day or REGION_DAY
    result = []
    for label, settings, build, when in (
        ("Regional roadmap 2020, 30 schools", region, build_region, day),
        ("School roadmap, МОУ «СОШ №4»", school, build_school, school_day_for(day)),
    ):
        _refuse_unmarked(settings)
        path = settings.workbook.path
        assert path is not None
        built = not path.exists()
        if built:
            build(path, settings)
        for target in _targets(settings):
            target.parent.mkdir(parents=True, exist_ok=True)
            if target != path:
                target.mkdir(exist_ok=True)
            _mark(target)
        result.append(DemoWorkbook(label, settings, when, built))
    return result


def school_day_for(region_day: date) -> date:
    """Return the school demo's day: the same calendar day, moved into its plan year."""
    year = SCHOOL_DAY.year + (region_day.year - REGION_DAY.year)
    try:
        return region_day.replace(year=year)
    except ValueError:  # 29 February
        return region_day.replace(year=year, day=28)
