"""CPU time of the .xlsx write against its floor, side by side.

    python bench/xlsx_write.py [--schools 1000 10000] [--journal 50000] [--repeat 3]

For each size it builds the synthetic workbook of bench/cycle.py, runs one cycle to get the
real generated tabs, then times (CPU seconds, the best of --repeat):

  write     XlsxWorkbook.write(snapshot, tabs, journal_rows): the generated tabs and N journal
            rows, as a cycle writes them
  floor     the least any write can do: copy every other part of the package as stored and
            write the generated sheets' values as bare XML (no formats), deflated the same way;
            where journal rows are appended, also the least an append can do (a zip member is
            compressed whole): the journal's part inflated, the bare rows put in, deflated again

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


def bare(rows: list[Row], first: int = 1) -> str:
    """Return rows as bare XML: their values only, no formats."""
    out = []
    for r, cells in enumerate(rows, start=first):
        body = "".join(
            f'<c t="inlineStr"><is><t>{text_xml(str(c.value))}</t></is></c>'
            for c in cells
            if c.value not in (None, "")
        )
        out.append(f'<row r="{r}">{body}</row>')
    return "".join(out)


def floor(
    data: bytes, tabs: list[Tab], parts: dict[str, str], journal: tuple[str, list[Row]] | None
) -> bytes:
    """Copy every part but the generated sheets as stored; write those as bare values. With
    `journal` (its part and new rows), the journal's part is inflated, the rows put before its
    end and the part deflated again, at the level the product uses for it: a zip member is
    compressed whole, so no append to it can do less."""
    from sheets_sync.workbook import xlsx_zip
    from sheets_sync.workbook.xlsx_write import JOURNAL_LEVEL

    archive, infos = xlsx_zip.members(data)
    written = {*parts.values(), journal[0] if journal else ""}
    out = []
    for info in infos:
        if info.filename not in written:
            out.append(xlsx_zip.copied(data, info))
    for tab in tabs:
        xml = f"<worksheet><sheetData>{bare(list(tab.rows))}</sheetData></worksheet>".encode()
        out.append(xlsx_zip.deflated(parts.get(tab.name, f"xl/worksheets/{tab.name}.xml"), xml))
    if journal:
        old = archive.read(journal[0])
        end = old.rfind(b"</sheetData>")
        xml = old[:end] + bare(journal[1], 50_002).encode() + old[end:]
        out.append(xlsx_zip.deflated(journal[0], xml, level=JOURNAL_LEVEL))
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
            bottom = best(repeat, lambda _: floor(data, tabs, parts, None))
            text = (
                f"  {label:<36} write {spent:5.2f} s   floor {bottom:5.2f} s {spent / bottom:4.1f}x"
            )
            journal_part = Book(Package(data)).sheet(settings.tabs.journal)
            if rows and journal_part is not None:
                whole = best(repeat, lambda _: floor(data, tabs, parts, (journal_part.part, rows)))
                text += f"   with the journal part {whole:5.2f} s {spent / whole:4.1f}x"
            print(text)

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
