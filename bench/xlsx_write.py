"""CPU time of the .xlsx write against its floor, side by side.

    python bench/xlsx_write.py [--schools 1000 10000] [--journal 50000] [--repeat 3]

For each size it builds the synthetic workbook of bench/cycle.py, runs one cycle to get the
real generated tabs, then times (CPU seconds, the best of --repeat):

  write     XlsxWorkbook.write(snapshot, tabs, journal_rows): the generated tabs and N journal
            rows, as a cycle writes them
  floor     the least any write can do: copy every other part of the package as stored and
            write the generated sheets' values as bare XML (no formats), deflated the same way

with no journal rows (a steady cycle) and with 1,000 new rows, first on a fresh journal and
then on one already holding --journal rows.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cycle import TODAY, build

from sheets_sync.report.journal import JournalEntry
from sheets_sync.report.tabs import Row, Tab
from sheets_sync.workbook import Snapshot
from sheets_sync.workbook.xlsx_read import version_of
from sheets_sync.workbook.xlsx_sheet import text_xml


def journal_rows(n: int, start: datetime) -> list[Row]:
    """Return `n` journal rows shaped like a cycle's (one per email)."""
    rows = []
    for i in range(n):
        entry = JournalEntry(
            when=start + timedelta(minutes=i),
            to_name=f"Школа № {i % 1000 + 1}",
            addresses=(f"school{i % 1000 + 1}@example.org",),
            stages="просрочено",
            obligations="\n".join(f"VII.{k} до 01.03.2025 (просрочено)" for k in range(3)),
            result="sent",
            message_id=f"<{i:032x}@sheets-sync>",
            keys=tuple(f"school:S{i:04d}|VII.{k}|2025-03-01|overdue+7" for k in range(3)),
        )
        rows.extend(entry.rows())
    return rows


def floor(data: bytes, tabs: list[Tab], parts: dict[str, str]) -> bytes:
    """Copy every part but the generated sheets as stored; write those as bare values."""
    from sheets_sync.workbook import xlsx_zip

    _archive, infos = xlsx_zip.members(data)
    out = []
    for info in infos:
        if info.filename not in parts.values():
            out.append(xlsx_zip.copied(data, info))
    for tab in tabs:
        rows = []
        for r, cells in enumerate(tab.rows, start=1):
            body = "".join(
                f'<c t="inlineStr"><is><t>{text_xml(str(c.value))}</t></is></c>'
                for c in cells
                if c.value not in (None, "")
            )
            rows.append(f'<row r="{r}">{body}</row>')
        xml = f"<worksheet><sheetData>{''.join(rows)}</sheetData></worksheet>".encode()
        out.append(xlsx_zip.deflated(parts.get(tab.name, f"xl/worksheets/{tab.name}.xml"), xml))
    buffer = io.BytesIO()
    xlsx_zip.write_zip(buffer, out)
    return buffer.getvalue()


def best(repeat: int, action, prepare=lambda: None) -> float:  # type: ignore[no-untyped-def]
    """Return the least CPU time of `repeat` runs of `action`, each after `prepare` (untimed)."""
    times = []
    for _ in range(repeat):
        prepared = prepare()
        start = time.process_time()
        action(prepared)
        times.append(time.process_time() - start)
    return min(times)


def measure(schools: int, journal: int, repeat: int) -> None:
    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import OutboxDelivery
    from sheets_sync.settings.load import load_settings
    from sheets_sync.workbook.xlsx import XlsxWorkbook
    from sheets_sync.workbook.xlsx_book import Book
    from sheets_sync.workbook.xlsx_package import Package

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = build(folder, schools, 50, 200)
        settings = load_settings(folder / "config" / "settings.toml", env={})
        wb = XlsxWorkbook(path, settings.tabs)
        now = datetime(2025, 11, 12, 9, tzinfo=ZoneInfo("Europe/Moscow"))
        result = run_cycle(settings, wb, OutboxDelivery(folder / "outbox"), today=TODAY, now=now)
        tabs = [t for t in result.tabs if t.name != settings.tabs.journal]
        book = Book(Package(path.read_bytes()))
        parts = {s.name: s.part for s in book.sheets}
        cells = sum(len(r) for t in tabs for r in t.rows)
        print(
            f"{schools:,} schools: {len(tabs)} generated tabs, {cells:,} cells; "
            f"workbook {path.stat().st_size / 1e6:.1f} MB"
        )
        new_rows = journal_rows(1000, now)

        def line(label: str, rows: list[Row]) -> None:
            data = path.read_bytes()

            def fresh() -> Snapshot:  # the file as it was, and a snapshot of it
                path.write_bytes(data)
                return Snapshot(title="", tabs={}, version=version_of(path, data))

            spent = best(repeat, lambda snapshot: wb.write(snapshot, tabs, rows), fresh)
            fresh()
            bottom = best(repeat, lambda _: floor(data, tabs, parts))
            print(
                f"  {label:<40} write {spent:6.2f} s   floor {bottom:6.2f} s   "
                f"{spent / bottom:4.1f}x"
            )

        line("steady (no journal rows)", [])
        line("1,000 journal rows appended", new_rows)
        if journal:
            snapshot = Snapshot(title="", tabs={}, version=version_of(path, path.read_bytes()))
            wb.write(snapshot, tabs, journal_rows(journal, now - timedelta(days=365)))
            line(f"steady, journal of {journal:,} rows", [])
            line(f"1,000 rows appended to {journal:,}", new_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--journal", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for schools in args.schools:
        measure(schools, args.journal, args.repeat)


if __name__ == "__main__":
    main()
