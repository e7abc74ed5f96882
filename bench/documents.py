"""How long importing each roadmap document takes, and the year-end report's size.

    python bench/documents.py [--repeat 20] [--no-pdf]

Imports both seeds as text and as Word tables, and the five real layouts of the tests as Word
documents (read + map, the median of --repeat runs), then the seeds into a new workbook; builds
the regional demo workbook and writes its year-end report (as of 15.01.2021), converting it with
LibreOffice to count its pages when `soffice` is installed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sheets_sync import cli
from sheets_sync.demo.build import build_region
from sheets_sync.documents.docx_reader import read_docx
from sheets_sync.documents.roadmap import read_roadmap
from sheets_sync.documents.tab_separated import text_document
from sheets_sync.documents.year_report_docx import write_year_report
from sheets_sync.inputs.plan import read_records
from sheets_sync.obligations import obligations_on
from sheets_sync.report.year_end import approved, year_end_report
from sheets_sync.settings.types import ReadingSettings, Settings, WorkbookSettings
from sheets_sync.workbook.xlsx import XlsxWorkbook
from tests.docx_fixtures import make_docx
from tests.roadmap_layouts import LAYOUTS
from tests.test_import_documents import seed_tables

SEEDS = ROOT / "sheets_sync" / "demo" / "data"


def read_text(text: str) -> object:
    return read_roadmap(text_document(text), fallback_year=2020)


def read_docx_plan(data: bytes) -> object:
    return read_roadmap(read_docx(data), fallback_year=2020)


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    print("import: read and map (median of", args.repeat, "runs)")
    for seed in ("regional-roadmap-2020.txt", "school-roadmap-sosh4.txt"):
        text = (SEEDS / seed).read_text(encoding="utf-8")
        plan = read_roadmap(text_document(text), fallback_year=2020)
        ms = median_ms(partial(read_text, text), args.repeat)
        print(f"  {seed:<38} text  {len(plan.items):3d} rows  {ms:7.1f} ms")
        title, tables = seed_tables(SEEDS / seed)
        data = make_docx(*title, *tables)
        ms = median_ms(partial(read_docx_plan, data), args.repeat)
        print(f"  {seed:<38} .docx {len(plan.items):3d} rows  {ms:7.1f} ms  ({len(data):,} bytes)")
    for layout in LAYOUTS:
        data = make_docx(*layout.blocks)
        rows = len(read_roadmap(read_docx(data), fallback_year=2020).items)
        ms = median_ms(partial(read_docx_plan, data), args.repeat)
        print(f"  {layout.name:<38} .docx {rows:3d} rows  {ms:7.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(SEEDS / "regional-roadmap-2020.txt", folder / "plan.txt")
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(["import", str(folder / "plan.txt"), "--into", str(folder / "new.xlsx")])
        print(
            f"  the regional seed into a new workbook, end to end: {1000 * (time.perf_counter() - start):.0f} ms"
        )
        report_size(folder, not args.no_pdf)


def report_size(folder: Path, pdf: bool) -> None:
    path = folder / "region.xlsx"
    settings = Settings(source=folder, workbook=WorkbookSettings(path=path))
    build_region(path, settings)
    tabs = XlsxWorkbook(path, settings.tabs).read().tabs
    as_of = date(2021, 1, 15)
    start = time.perf_counter()
    records = read_records(tabs, ReadingSettings(), fallback_year=2020)
    obligations, _ = obligations_on(records, as_of)
    shown = approved(
        tabs[settings.tabs.roadmap], records, settings.tabs.roadmap, settings.columns["roadmap"]
    )
    report = year_end_report(records, obligations, as_of, shown)
    out = folder / "report.docx"
    write_year_report(report, out)
    ms = 1000 * (time.perf_counter() - start)
    print(
        f"year-end report of the regional demo (30 schools, {len(obligations)} obligations): {ms:.0f} ms, {out.stat().st_size:,} bytes"
    )
    if pdf and shutil.which("soffice"):
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(out)],
            capture_output=True,
            check=True,
            timeout=180,
        )
        info = subprocess.run(
            ["pdfinfo", str(folder / "report.pdf")], capture_output=True, text=True, check=True
        )
        pages = next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1]
        print(f"  {pages} pages of A4 landscape (LibreOffice)")


if __name__ == "__main__":
    main()
