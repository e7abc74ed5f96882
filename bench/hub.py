"""Requests and wall time of one hub cycle over many Google sources, on the loopback emulator.

    python bench/hub.py [--sources 300] [--read-only]

Loads a summary spreadsheet and N source spreadsheets (the small staff workbook of
tests/sample_workbook.py, 12 municipalities) into a Sheets API emulator running in its own
process, runs a first hub cycle (every source's own cycle: its first read lists its tabs, its
generated tabs are created, its reminders sent), then times one cycle per scenario, on the same
day:

    unchanged     nothing changed since the last cycle
    10 changed    staff edited 10 sources (each runs its own cycle: a read and a write)
    all changed   staff edited every source

With --read-only the hub only reads every source (no reminders, no tabs written into them).
`requests` counts the Sheets and Drive API requests the emulator served (the token call is not
one). Requests are paced as in production (45 reads and 45 writes a minute, bursts of 10) under
the emulator's real per-user quota of 60 a minute, on a clock that moves the emulator's time
instead of sleeping: the minutes the pacing would wait are printed under the table, the wall
time does not include them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path, and bench/google.py would hide the
# `google` package that google-auth lives in.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

MUNICIPALITIES = [f"Район {n:02d}" for n in range(1, 13)]
CONFIG = """
plan_year = 2020
[google]
credentials = "{credentials}"
api_endpoint = "{endpoint}"
[reminders]
escalate_to = ["coordinator@example.org"]
start_date = "2020-01-01"
max_emails_per_run = 1000
[mail]
outbox = "outbox"
from = "Координатор <coordinator@example.org>"
submit_url = ""
[state]
dir = "state"
[hub]
spreadsheet = "{summary}"
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


class EmulatorPace:
    """The hub's pacing clock: a wait moves this clock and the emulator's (its quota windows)
    forward at once, and is added up."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        control(self.base, "quota", {"advance_seconds": seconds})


def api_requests(base: str) -> dict[str, int]:
    stats = control(base, "stats")
    assert isinstance(stats, dict)
    by_route: dict[str, int] = stats["by_route"]
    return {r: n for r, n in by_route.items() if r.split(" ", 1)[1].startswith(("/v4/", "/drive/"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--read-only", action="store_true", help="the hub only reads the sources")
    args = parser.parse_args()

    from sheets_sync.hub.runner import HubRunner
    from sheets_sync.settings.load import load_settings
    from tests.sample_workbook import TODAY, staff

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

            def create(title: str, sheets: object) -> str:
                made = control(base, "spreadsheets", {"title": title, "sheets": sheets})
                assert isinstance(made, dict)
                return str(made["spreadsheetId"])

            summary = create("Сводка района", {"Лист1": []})
            sources = [create(f"Школа {n:03d}", staff()) for n in range(args.sources)]
            config = CONFIG.format(credentials=key_file, endpoint=base, summary=summary)
            config += "".join(
                f'\n[[hub.sources]]\ntable = "{key}"\nname = "Школа {n:03d}"\n'
                f'municipality = "{MUNICIPALITIES[n % len(MUNICIPALITIES)]}"\n'
                f"read_only = {'true' if args.read_only else 'false'}\n"
                for n, key in enumerate(sources)
            )
            (folder / "config").mkdir()
            (folder / "config" / "settings.toml").write_text(config, encoding="utf-8")
            settings = load_settings(folder / "config" / "settings.toml", env={})
            pace = EmulatorPace(base)
            runner = HubRunner(settings, clock=pace)
            now = datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=ZoneInfo("Europe/Moscow"))

            what = "only read" if args.read_only else "each running its own cycle"
            print(f"Sheets API emulator at {base} (own process); {args.sources} sources, {what}\n")
            first = runner.run(now, True)
            print(f"first cycle: {first.requests} requests, {first.sent} emails\n")

            rows, notes = [], []
            for label, changed in (("unchanged", 0), ("10 changed", 10), ("all changed", None)):
                mark = "сдано" if label != "10 changed" else "н/т"
                for key in sources[:changed]:
                    control(base, f"spreadsheets/{key}/edit",
                            {"sheet": "Сдача отчётов", "rows": [[mark]], "row": 3, "column": 3})  # fmt: skip
                control(base, "quota", {"advance_seconds": 1})
                before = api_requests(base)
                waited = pace.now
                start = time.perf_counter()
                result = runner.run(now, True)
                wall = time.perf_counter() - start
                after = api_requests(base)
                calls = {r: after.get(r, 0) - before.get(r, 0) for r in after}
                rows.append((label, sum(calls.values()), wall))
                paced = (pace.now - waited) / 60
                notes.append(
                    f"  {label}: {', '.join(f'{r} x{n}' for r, n in sorted(calls.items()) if n)}; "
                    f"{result.failed} failed; paced waits {paced:.1f} min"
                )

            print(f"{'scenario':<12} {'requests':>9} {'wall time':>10}")
            for label, requests, wall in rows:
                print(f"{label:<12} {requests:>9} {wall:>9.2f}s")
            print("\nper scenario:")
            print("\n".join(notes))
            # The next working day nothing changed, but each source's reminders are due by the
            # day: the sending cycle runs every source's own cycle (its refreshes do not).
            sent_before, waited = sum(api_requests(base).values()), pace.now
            start = time.perf_counter()
            runner.run(now + timedelta(days=1), True)
            wall = time.perf_counter() - start
            print(
                f"\nnext day's sending cycle, nothing changed: "
                f"{sum(api_requests(base).values()) - sent_before} requests, {wall:.2f}s "
                f"(paced waits {(pace.now - waited) / 60:.1f} min); its refreshes cost 3 each"
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
