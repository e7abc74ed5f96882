"""CPU time, peak memory, requests and their sizes per cycle of the Google backend, against the
loopback emulator.

    python bench/google.py [--schools 1000] [--journal 0 50000]

For each size it builds the synthetic workbook of bench/cycle.py (N schools x 50 reports, 200
roadmap lines, and a «Журнал рассылки» of J rows when asked), loads it into a Sheets API emulator
running in its own process, and runs three cycles through GoogleWorkbook (real gspread +
google-auth over HTTP), each in a fresh process: the first (generated tabs created, every
reminder new, no local state), the second (the same day again: nothing new to send) and the
steady one (the same again). Each line gives the
cycle's CPU seconds and peak memory (this side only: the emulator's own work is not counted),
the requests, the bytes of the read's answer, and the bytes of each write request (Google
refuses one over 10 MB).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path, and this file (google.py) would
# hide the `google` package that google-auth lives in.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("bench_cycle", ROOT / "bench" / "cycle.py")
assert _spec and _spec.loader
bench_cycle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_cycle)  # the synthetic workbook of bench/cycle.py
TODAY, build = bench_cycle.TODAY, bench_cycle.build

CONFIG = """
plan_year = 2025
[workbook]
backend = "google"
spreadsheet = "{key}"
[google]
credentials = "{credentials}"
api_endpoint = "{endpoint}"
timeout_seconds = 300
[reminders]
escalate_to = ["coordinator@example.org"]
max_emails_per_run = 100000
[mail]
outbox = "outbox"
from = "Координатор <coordinator@example.org>"
[state]
dir = "state"
"""


def control(base: str, path: str, body: object | None = None) -> object:
    data = None if body is None else json.dumps(body, default=str).encode()
    request = urllib.request.Request(
        f"{base}/_emulator/{path}",
        data=data,
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read() or b"null")


def cycle(folder: Path) -> dict[str, Any]:
    """Run one cycle in this (fresh) process and return its figures."""
    import os

    os.chdir(folder)
    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import OutboxDelivery
    from sheets_sync.settings.load import load_settings
    from sheets_sync.workbook.google import GoogleWorkbook

    settings = load_settings(folder / "config" / "settings.toml", env={})
    workbook = GoogleWorkbook(settings)
    now = datetime(2025, 11, 12, 9, tzinfo=ZoneInfo("Europe/Moscow"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    start, wall = usage.ru_utime + usage.ru_stime, time.perf_counter()
    result = run_cycle(
        settings, workbook, OutboxDelivery(settings.mail.outbox), today=TODAY, now=now
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu": usage.ru_utime + usage.ru_stime - start,
        "wall": time.perf_counter() - wall,
        "peak_mb": bench_cycle.peak_mb(),
        "requests": workbook.requests,
        "read_bytes": max(workbook.received, default=0),
        "writes": workbook.sizes,
        "sent": len(result.sent),
    }


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[1000])
    parser.add_argument("--journal", type=int, nargs="+", default=[0, 50000])
    parser.add_argument("--cycle", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cycle:
        print(json.dumps(cycle(args.cycle)))
        return

    from sheets_sync.settings.load import load_settings
    from sheets_sync.workbook.xlsx import XlsxWorkbook

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        key_file = folder / "service-account.json"
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.sheets_api", "--port", "0", "--write-key", str(key_file)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            base = server.stdout.readline().split()[-1]
            while not key_file.exists():
                server.stdout.readline()
            quota = {k: 10**6 for k in ("read_per_user", "read_per_project")}
            quota |= {k: 10**6 for k in ("write_per_user", "write_per_project")}
            control(base, "quota", quota)
            print(f"Sheets API emulator at {base} (own process); real gspread + google-auth\n")
            print(
                f"{'schools':>8} {'journal':>8} {'cycle':>7} {'CPU s':>6} {'peak MB':>8} "
                f"{'requests':>9} {'read MB':>8} {'write MB (each request)':>24} {'emails':>7}"
            )
            for size in args.schools:
                for journal in args.journal:
                    work = folder / f"n{size}-j{journal}"
                    path = build(work, size, 50, 200, journal)
                    names = load_settings(work / "config" / "settings.toml", env={}).tabs
                    grids = XlsxWorkbook(path, names).read().tabs
                    body = {"title": f"Bench {size}", "sheets": grids}
                    created = control(base, "spreadsheets", body)
                    assert isinstance(created, dict)
                    key = created.get("spreadsheetId") or created.get("id")
                    (work / "config" / "settings.toml").write_text(
                        CONFIG.format(key=key, credentials=key_file, endpoint=base),
                        encoding="utf-8",
                    )
                    for label in ("first", "second", "steady"):
                        out = subprocess.run(
                            [sys.executable, __file__, "--cycle", str(work)],
                            check=True,
                            capture_output=True,
                            text=True,
                        ).stdout
                        f = json.loads(out.strip().splitlines()[-1])
                        writes = " + ".join(_mb(n) for n in f["writes"]) or "-"
                        print(
                            f"{size:>8,} {journal:>8,} {label:>7} {f['cpu']:>6.2f} "
                            f"{f['peak_mb']:>8.0f} {f['requests']:>9} {_mb(f['read_bytes']):>8} "
                            f"{writes:>24} {f['sent']:>7,}",
                            flush=True,
                        )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
