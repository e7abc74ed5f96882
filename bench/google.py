"""Requests per cycle and wall time of the Google backend, against the loopback emulator.

    python bench/google.py [--sizes 10 100 1000]

For each size it builds the synthetic workbook of bench/cycle.py (N schools x 50 reports, 200
roadmap lines), loads it into a Sheets API emulator running in its own process, and runs two
cycles through GoogleWorkbook (real gspread + google-auth over HTTP): the first creates the
generated tabs, the second is the steady state. Requests must not grow with size.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path
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
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{base}/_emulator/{path}",
        data=data,
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def requests_seen(base: str) -> int:
    stats = control(base, "stats")
    assert isinstance(stats, dict)
    return sum(n for route, n in stats["by_route"].items() if "/v4/" in route)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()

    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import OutboxDelivery
    from sheets_sync.settings.load import load_settings
    from sheets_sync.workbook.google import GoogleWorkbook
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
            control(
                base,
                "quota",
                {
                    "read_per_user": 10**6,
                    "read_per_project": 10**6,
                    "write_per_user": 10**6,
                    "write_per_project": 10**6,
                },
            )
            print(f"Sheets API emulator at {base} (own process); real gspread + google-auth\n")
            print(f"{'schools':>8} {'cycle':>7} {'requests':>9} {'wall time':>10} {'emails':>7}")
            for size in args.sizes:
                work = folder / f"n{size}"
                path = build(work, size, 50, 200)
                grids = (
                    XlsxWorkbook(
                        path, load_settings(work / "config" / "settings.toml", env={}).tabs
                    )
                    .read()
                    .tabs
                )
                created = control(base, "spreadsheets", {"title": f"Bench {size}", "sheets": grids})
                assert isinstance(created, dict)
                key = created.get("spreadsheetId") or created.get("id")
                (work / "config" / "settings.toml").write_text(
                    CONFIG.format(key=key, credentials=key_file, endpoint=base), encoding="utf-8"
                )
                settings = load_settings(work / "config" / "settings.toml", env={})
                now = datetime(2025, 11, 12, 9, tzinfo=ZoneInfo("Europe/Moscow"))
                for label in ("first", "steady"):
                    before = requests_seen(base)
                    start = time.perf_counter()
                    result = run_cycle(
                        settings,
                        GoogleWorkbook(settings),
                        OutboxDelivery(settings.mail.outbox),
                        today=TODAY,
                        now=now,
                    )
                    wall = time.perf_counter() - start
                    print(
                        f"{size:>8} {label:>7} {requests_seen(base) - before:>9} "
                        f"{wall:>9.2f}s {len(result.sent):>7}"
                    )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
