"""Two cycles on the same workbook at the same moment: is any email sent twice?

    python bench/attack_concurrent.py [--trials 20] [--schools 30] [--fresh-state]

For each backend -- a local .xlsx, and Google Sheets through the tests' loopback Sheets API
emulator -- and each mode, every trial starts from a fresh workbook and a local state that
has nothing for it (the database exists, as after any earlier run; --fresh-state: not even
that, so the two racers also create it):

- cli: two `python run.py once` processes started together. `once` holds a lock per workbook,
  so one should run and the other refuse (exit 1, naming the holder);
- direct: two processes calling sheets_sync.cycle.run_cycle themselves (no CLI, no lock),
  released together by a barrier: only the local state stands between them and a double send.

and each starting point: "new" (a workbook never run: the racers both create the generated
tabs) and "present" (the generated tabs are there from a run on a Saturday, nothing sent yet).

Mail goes to the tests' SMTP server on 127.0.0.1, which records every delivery. Printed per
backend and mode: trials, emails expected (what one run alone delivers), emails delivered more
than once, rows of «Журнал рассылки» that repeat a Message-ID, and what the processes said.
Needs the test extras (pip install -e '.[test]').
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # sheets_sync and tests; this folder stays for attack_common

import attack_common as common

from sheets_sync.state import LocalState
from tests.sheets_api import Emulator
from tests.smtp_server import PASSWORD, LoopbackSmtp, make_certificates

GOOGLE = """backend = "google"
spreadsheet = "{key}"
[google]
credentials = "{credentials}"
api_endpoint = "{endpoint}"
timeout_seconds = 10
retry_seconds = 60"""
NOW = datetime(2025, 11, 12, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
SATURDAY = "2025-11-15"  # nothing is sent on a day off; the tabs are written


def direct_cycle(config: str, barrier: Any, results: Any) -> None:
    """One process of a `direct` trial: load everything, wait for the other, run one cycle."""
    bench = str(ROOT / "bench")  # its google.py would hide the google package gspread needs
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != bench]
    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import delivery_for
    from sheets_sync.settings.load import load_settings
    from sheets_sync.workbook import open_workbook

    settings = load_settings(Path(config), env={"SHEETS_SYNC_SMTP_PASSWORD": PASSWORD})
    workbook = open_workbook(settings)
    delivery = delivery_for(settings.mail)
    barrier.wait(timeout=120)
    try:
        result = run_cycle(settings, workbook, delivery, today=NOW.date(), now=NOW)
    except Exception as exc:  # noqa: BLE001 - reported, not raised: the bench counts outcomes
        text = str(exc).replace(str(Path(config).parent.parent), "<trial>")
        results.put(f"{type(exc).__name__}: {text[:90]}")
        return
    results.put(f"sent {len(result.sent)}, {result.reads} read(s)")


@dataclass
class Row:
    backend: str
    tabs: str
    mode: str
    trials: int = 0
    per_run: int = 0  # emails one run alone delivers
    expected: int = 0
    delivered: int = 0
    twice: int = 0
    journal_twice: int = 0
    unreadable: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


@dataclass
class Bench:
    folder: Path
    server: LoopbackSmtp
    emulator: Emulator
    key_file: Path
    templates: dict[str, Path]  # "new", "present": the workbook a trial starts from
    fresh_state: bool = False  # True: the racers also create the local state database
    made: int = 0

    def fresh(self, backend: str, tabs: str) -> tuple[Path, Callable[[], list[dict[str, str]]]]:
        """Return the config of a fresh workbook and empty state, and its journal reader."""
        self.made += 1
        work = self.folder / f"{backend}-{self.made}"
        work.mkdir()
        if not self.fresh_state:  # as after any earlier run (two first opens can collide)
            LocalState(work / "state", "earlier run").close()
        if backend == "xlsx":
            shutil.copy2(self.templates[tabs], work / "bench.xlsx")
            config = common.write_config(work, self.server)
            return config, lambda: common.journal_rows(work / "bench.xlsx")
        email = json.loads(self.key_file.read_text(encoding="utf-8"))["client_email"]
        key = self.emulator.create_spreadsheet(
            "Дорожная карта", read_grids(self.templates[tabs]), shared_with=[email], locale="ru_RU"
        )
        text = GOOGLE.format(key=key, credentials=self.key_file, endpoint=self.emulator.base_url)
        config = common.write_config(work, self.server, workbook=text)

        def journal() -> list[dict[str, str]]:
            if common.JOURNAL not in self.emulator.sheet_titles(key):
                return []
            return common.grid_rows(self.emulator.values(key, common.JOURNAL))

        return config, journal


def run_cli(config: Path) -> list[str]:
    """Start two `once` together; return what each said (exit code, emails or first error)."""
    argv = common.run_py("once", config, "--today", common.TODAY)
    procs = [
        subprocess.Popen(
            argv,
            cwd=config.parent.parent,
            env=common.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    said = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        lines = [*err.splitlines(), *out.splitlines()]
        first = next((x for x in lines if x.startswith("Error:")), "")
        first = first or next((x.strip() for x in lines if x.strip().startswith("emails:")), "")
        if "in use by another sheets_sync" in first:
            first = "Error: ... is in use by another sheets_sync (the lock)"
        first = first.replace(str(config.parent.parent), "<trial>")
        said.append(f"exit {proc.returncode}" + (f" ({first[:90]})" if first else ""))
    return said


def run_direct(config: Path) -> list[str]:
    """Run two cycles in two processes released together; return what each said."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=direct_cycle, args=(str(config), barrier, results)) for _ in "ab"]
    for proc in procs:
        proc.start()
    said = [results.get(timeout=300) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        if proc.exitcode:
            said.append(f"process exit {proc.exitcode}")
    return said


def share(text: str, per_run: int) -> str:
    """Return what a process said with its counts of emails as all, some or none."""

    def word(match: re.Match[str]) -> str:
        n = int(match.group(0))
        return "all" if n == per_run else "none" if n == 0 else "some"

    return re.sub(r"(?<=sent )\d+|\d+(?= (?:sent|left))", word, text)


def trial(bench: Bench, row: Row) -> None:
    config, journal = bench.fresh(row.backend, row.tabs)
    start = len(bench.server.messages)
    said = run_cli(config) if row.mode == "cli" else run_direct(config)
    copies = Counter(common.message_ids(bench.server, start))
    try:
        rows = journal()
    except Exception:  # noqa: BLE001 - a workbook two savers left unreadable: counted
        rows, row.unreadable = [], row.unreadable + 1
    row.trials += 1
    row.delivered += sum(copies.values())
    row.twice += sum(1 for n in copies.values() if n > 1)
    row.journal_twice += common.journal_duplicates(rows)
    row.outcomes.update(sorted(share(text, row.per_run) for text in said))


def expected(bench: Bench, backend: str) -> int:
    """Return how many emails one `once` alone delivers on a fresh workbook."""
    config, _ = bench.fresh(backend, "new")
    start = len(bench.server.messages)
    argv = common.run_py("once", config, "--today", common.TODAY)
    subprocess.run(
        argv, cwd=config.parent.parent, env=common.environment(), check=True, capture_output=True
    )
    return len(common.message_ids(bench.server, start))


def templates(folder: Path, schools: int) -> dict[str, Path]:
    """Return the two starting workbooks: "new" as built, and "present": the same after a run
    on a Saturday (the generated tabs written, nothing sent)."""
    new = common.build_workbook(folder / "new", schools)
    present = folder / "present"
    present.mkdir()
    shutil.copy2(new, present / "bench.xlsx")
    config = common.write_config(present, None, delivery="outbox")
    argv = common.run_py("once", config, "--today", SATURDAY)
    subprocess.run(argv, cwd=present, env=common.environment(), check=True, capture_output=True)
    return {"new": new, "present": present / "bench.xlsx"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--backends", nargs="+", default=["xlsx", "google"])
    parser.add_argument("--tabs", nargs="+", default=["new", "present"])
    parser.add_argument("--modes", nargs="+", default=["cli", "direct"])
    parser.add_argument("--fresh-state", action="store_true", help="no local state yet")
    args = parser.parse_args()
    common.quiet_servers()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with LoopbackSmtp(make_certificates(folder / "certs")) as server, Emulator() as emu:
            emu.set_quota(10**6, 10**6, 10**6, 10**6)
            key_file = folder / "service-account.json"
            key_file.write_text(json.dumps(emu.service_account_info()), encoding="utf-8")
            key_file.chmod(0o600)  # a key, as an administrator keeps one
            bench = Bench(folder, server, emu, key_file, templates(folder, args.schools))
            bench.fresh_state = args.fresh_state
            rows = []
            for backend in args.backends:
                per_run = expected(bench, backend)
                for tabs in args.tabs:
                    for mode in args.modes:
                        row = Row(backend, tabs, mode, per_run=per_run)
                        for _ in range(args.trials):
                            trial(bench, row)
                        row.expected = per_run * row.trials
                        rows.append(row)
                        print(f"  {backend} / {tabs} / {mode}: {row.trials} trials", flush=True)
            report(rows)


def read_grids(path: Path) -> dict[str, list[list[str]]]:
    """Return every tab of an .xlsx as the texts a person sees (the Google seed)."""
    import openpyxl

    from sheets_sync.workbook.xlsx import cell_text

    book = openpyxl.load_workbook(path)
    return {
        ws.title: [[cell_text(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        for ws in book.worksheets
    }


def report(rows: list[Row]) -> None:
    columns = {
        "backend": "backend",
        "tabs": "generated tabs",
        "mode": "mode",
        "trials": "trials",
        "expected": "emails expected",
        "delivered": "delivered",
        "twice": "delivered twice",
        "journal_twice": "journal rows twice",
        "unreadable": "workbook left unreadable",
    }
    cells = [[getattr(r, name) for name in columns] for r in rows]
    print("\n" + common.table(list(columns.values()), cells))
    print("\nWhat the processes said (counted over both processes of every trial):")
    for r in rows:
        print(f"  {r.backend} / {r.tabs} / {r.mode}:")
        for text, n in r.outcomes.most_common():
            print(f"    {n:>3} x {text}")


if __name__ == "__main__":
    main()
