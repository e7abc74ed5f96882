"""`import`: a roadmap document (.docx, .xlsx, tab-separated text) into a new .xlsx workbook
with every input tab, or into the roadmap tab of an existing workbook or Google spreadsheet.

Nothing is written while the document has lines it cannot place, unless --force. An existing
roadmap tab is only replaced with --replace, after the changes are printed line by line; the
cells staff added to it (report marks, «Выполнено», columns of their own) are kept for every
line whose number stays, and no other tab is touched.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

from sheets_sync.documents.changes import roadmap_changes
from sheets_sync.documents.imported import ImportedPlan
from sheets_sync.documents.read import read_document
from sheets_sync.documents.roadmap import read_roadmap
from sheets_sync.documents.tab import Kept, kept_cells, roadmap_rows
from sheets_sync.errors import SheetsSyncError, WorkbookError
from sheets_sync.inputs.cells import Grid
from sheets_sync.inputs.plan import read_records
from sheets_sync.inputs.records import Records
from sheets_sync.settings.load import CONFIG_ENV, DEFAULT_CONFIG, load_settings
from sheets_sync.settings.types import ReadingSettings, Settings, WorkbookSettings
from sheets_sync.workbook import Workbook
from sheets_sync.workbook.layout import input_headers
from sheets_sync.workbook.xlsx import XlsxWorkbook, create_workbook

from .shell import shown, this_year

XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _settings(config: Path | None, tab: str | None) -> Settings:
    """Return the settings of `config` (or the default config when there is one), else the
    defaults; with the roadmap tab renamed to `tab`."""
    if config is None and not Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG).is_file():
        settings = Settings(source=Path("(defaults)"), workbook=WorkbookSettings())
    else:
        settings = load_settings(config)
    if tab:
        settings = replace(settings, tabs=replace(settings.tabs, roadmap=tab))
    return settings


def describe(plan: ImportedPlan) -> list[str]:
    """Return what was read, for the command line."""
    items = plan.items
    groups = sum(1 for i in items if i.group)
    year = f"plan year {plan.plan_year}" if plan.plan_year else "no plan year in the title"
    if plan.school_year and plan.plan_year:
        year = f"school year {plan.plan_year}/{plan.plan_year + 1}"
    lines = [
        (
            f"read {plan.source}: {len(items) - groups} lines and {groups} group headings in "
            f"{len(plan.sections)} sections; {year}"
        ),
        f"  title: {plan.title or '(none)'}",
        "  columns: "
        + ", ".join(
            f"«{text}» {name}" if name != text else f"«{text}» (kept as it is)"
            for text, name in zip(plan.header, plan.header_names, strict=True)
            if text or name
        ),
    ]
    lines += [f"  note: {note}" for note in plan.notes]
    if plan.problems:
        lines.append(f"  {len(plan.problems)} problem(s) in the document:")
        lines += [f"    {p}" for p in plan.problems]
    return lines


def cmd_import(args: argparse.Namespace) -> int:
    settings = _settings(args.config, args.tab)
    aliases = settings.columns["roadmap"]
    plan = read_roadmap(read_document(args.file, aliases), aliases, fallback_year=this_year())
    print("\n".join(describe(plan)))
    if plan.problems and not args.force:
        raise SheetsSyncError(
            f"nothing was written: {len(plan.problems)} problem(s) above. Fix them in "
            f"{args.file.name} and import it again, or pass --force to import it as it is"
        )
    if not plan.items:
        raise SheetsSyncError(f"nothing was written: {args.file.name} holds no roadmap lines")
    into = args.into or _beside(args.file)
    if str(into).lower().endswith(XLSX_SUFFIXES) and not Path(into).exists():
        return _new_workbook(plan, settings, Path(into))
    return _into_existing(plan, settings, _open(into, settings), replace_tab=args.replace)


def _beside(source: Path) -> str:
    """Return the new workbook's path when none is given: beside the document, never over it."""
    target = source.with_suffix(".xlsx")
    if target == source:
        target = source.with_name(f"{source.stem}-roadmap.xlsx")
    if target.exists():
        raise SheetsSyncError(
            f"{shown(target)} exists: name the workbook to import into with --into "
            "(an existing one gets only its roadmap tab written, with --replace if it has one)"
        )
    return str(target)


def _open(into: str, settings: Settings) -> Workbook:
    if into.lower().endswith(XLSX_SUFFIXES):
        return XlsxWorkbook(Path(into), settings.tabs)
    if not settings.google.credentials_info:
        raise SheetsSyncError(
            f"{into} is not an .xlsx path, so it is read as a Google spreadsheet, which needs "
            "the service account's key: pass --config with `google.credentials` (or set "
            "SHEETS_SYNC_GOOGLE_CREDENTIALS_FILE)"
        )
    from sheets_sync.workbook.google import GoogleWorkbook

    workbook = replace(settings.workbook, backend="google", spreadsheet=into)
    return GoogleWorkbook(replace(settings, workbook=workbook))


def _new_workbook(plan: ImportedPlan, settings: Settings, path: Path) -> int:
    """Write a new workbook: the other input tabs with their headers (`init`'s), then the
    roadmap tab as an import into an existing workbook writes it."""
    tabs = settings.tabs
    others = [
        (name, [list(header)], 1)
        for name, header in input_headers(tabs, settings.columns).items()
        if name != tabs.roadmap
    ]
    create_workbook(path, [(tabs.roadmap, [], 0), *others], title=plan.title)
    workbook = XlsxWorkbook(path, tabs)
    rows, header_row = roadmap_rows(plan, settings.columns["roadmap"])
    workbook.put_tab(workbook.read(), tabs.roadmap, rows, header_row)
    print(
        f"wrote {shown(path)}: «{tabs.roadmap}» with {_count(plan)}, and the tabs "
        f"{', '.join('«' + name + '»' for name, _, _ in others)} with their headers"
    )
    _next_steps(settings)
    return 0


def _count(plan: ImportedPlan) -> str:
    groups = sum(1 for i in plan.items if i.group)
    return f"{len(plan.items) - groups} lines" + (f" and {groups} group headings" if groups else "")


def _read(grid: Grid, settings: Settings, title: str) -> Records:
    reading: ReadingSettings = settings.reading
    return read_records(
        {settings.tabs.roadmap: grid}, reading, title=title, fallback_year=this_year()
    )


def _into_existing(
    plan: ImportedPlan, settings: Settings, workbook: Workbook, *, replace_tab: bool
) -> int:
    name = settings.tabs.roadmap
    rows, header_row = roadmap_rows(plan, settings.columns["roadmap"])
    try:
        snapshot = workbook.read()
    except WorkbookError:  # a spreadsheet is read only with its roadmap tab: add it first
        if not workbook.init({name: tuple(rows[header_row - 1])}):
            raise
        snapshot = workbook.read()
    old = snapshot.tabs.get(name, [])
    if sum(1 for row in old if any(c.strip() for c in row)) > 1:  # more than a header
        before = _read(old, settings, snapshot.title)
        kept = kept_cells(old, before, plan, name, settings.columns["roadmap"])
        rows, header_row = roadmap_rows(plan, settings.columns["roadmap"], kept)
        after = _read(rows, settings, snapshot.title)
        changes = roadmap_changes(before.items, after.items)
        print(
            f"«{name}» in {shown(workbook.label)} has {len(before.items)} lines; the import "
            f"leaves {len(after.items)}: {len(changes.added)} added, {len(changes.removed)} "
            f"removed, {len(changes.changed)} changed, {changes.unchanged} unchanged"
        )
        print("\n".join(changes.lines()))
        staying = [i.key for i in after.items]
        if kept.count(staying):
            columns = ", ".join(f"«{h}»" for h in _kept_headers(kept, staying, settings))
            print(f"  kept from the tab for {kept.count(staying)} lines: {columns}")
        if changes.none:
            print(f"«{name}» already holds this roadmap: nothing to write")
            return 0
        if not replace_tab:
            raise SheetsSyncError(
                f"«{name}» already holds a roadmap, so nothing was written: check the changes "
                "above and run again with --replace to replace it"
            )
    workbook.put_tab(snapshot, name, rows, header_row)
    print(f"wrote «{name}» ({_count(plan)}) to {shown(workbook.label)}; no other tab changed")
    missing = [t for t in settings.tabs.inputs if t not in snapshot.all_tabs and t != name]
    if missing:
        print(
            f"  the workbook has no {', '.join('«' + t + '»' for t in missing)}: "
            "`python run.py init` adds them"
        )
    _next_steps(settings)
    return 0


def _kept_headers(kept: Kept, keys: list[str], settings: Settings) -> list[str]:
    names: dict[str, None] = {}
    for key in keys:
        names.update(dict.fromkeys(n for n, v in kept.values.get(key, {}).items() if v))
    columns = settings.columns["roadmap"]
    return [columns[n][0] if n in columns else n for n in names]


def _next_steps(settings: Settings) -> None:
    print(
        f"Next: fill in «{settings.tabs.schools}» and «{settings.tabs.executors}», then "
        "`python run.py check` reads it as a run will, and `python run.py sync` adds the "
        "report columns."
    )
