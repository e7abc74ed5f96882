"""What the attack scripts share: a small synthetic workbook with settings that send through
the tests' loopback SMTP server, the journal and the local state read back, and a table printer.

Not a script: bench/attack_kills.py, attack_concurrent.py and broken_workbooks.py import it
(after putting the repository root first on sys.path). Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl

from tests.smtp_server import PASSWORD, USER, LoopbackSmtp

ROOT = Path(__file__).resolve().parent.parent
JOURNAL = "Журнал рассылки"
TODAY = "2025-11-12"  # bench/cycle.py's day: a Wednesday, a working day

CONFIG = """
plan_year = 2025
timezone = "Europe/Moscow"
[workbook]
{workbook}
[reminders]
escalate_to = ["coordinator@example.org"]
max_emails_per_run = 100000
start_date = "2025-01-01"
[mail]
delivery = "{delivery}"
outbox = "outbox"
from = "Координатор <coordinator@example.org>"
submit_url = ""
[mail.smtp]
host = "127.0.0.1"
port = {port}
security = "starttls"
user = "{user}"
timeout_seconds = 10
retries = 3
ca_file = "{ca_file}"
[state]
dir = "state"
"""


def quiet_servers() -> None:
    """Silence aiosmtpd's own log lines (a deprecation note on every login)."""
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)


def bench_cycle() -> ModuleType:
    """Return bench/cycle.py as a module (its `build` makes the synthetic workbook)."""
    spec = importlib.util.spec_from_file_location("bench_cycle", ROOT / "bench" / "cycle.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_workbook(folder: Path, schools: int, reports: int = 6, lines: int = 24) -> Path:
    """Write bench/cycle.py's synthetic workbook (`schools` schools, `reports` school reports,
    `lines` roadmap lines) into `folder`; return its path."""
    path: Path = bench_cycle().build(folder, schools, reports, lines)
    return path


def write_config(
    folder: Path,
    server: LoopbackSmtp | None,
    *,
    workbook: str = 'path = "bench.xlsx"',
    delivery: str = "smtp",
    plan_year: bool = True,
) -> Path:
    """Write `folder`/config/settings.toml: SMTP through `server` (or the outbox folder)."""
    port = server.port if server else 25
    ca_file = server.certificates.ca_file if server else ""
    text = CONFIG.format(
        workbook=workbook,
        delivery=delivery,
        port=port,
        user=USER if server else "",
        ca_file=ca_file,
    )
    if not server:
        text = text.replace(f'ca_file = "{ca_file}"\n', "")
    if not plan_year:  # the year is read from the roadmap's title
        text = text.replace("plan_year = 2025\n", "")
    config = folder / "config" / "settings.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return config


def environment() -> dict[str, str]:
    """Return the environment for a `run.py` subprocess: the loopback server's password, and
    no settings file or credentials of the caller's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHEETS_SYNC_", "GOOGLE_"))}
    env["SHEETS_SYNC_SMTP_PASSWORD"] = PASSWORD
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_py(command: str, config: Path, *extra: str) -> list[str]:
    """Return the argv of `python run.py COMMAND --config CONFIG ...`."""
    return [sys.executable, str(ROOT / "run.py"), command, "--config", str(config), *extra]


def run_command(command: str, config: Path, timeout: float) -> tuple[str, str]:
    """Run `python run.py COMMAND` on a bench folder; return its class (see `outcome`, or
    "hung" after `timeout` seconds) and what it said first."""
    argv = run_py(command, config, "--today", TODAY)
    try:
        done = subprocess.run(
            argv,
            cwd=config.parent.parent,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "hung", f"no answer in {timeout:.0f} s"
    return outcome(done.returncode, done.stdout, done.stderr)


def outcome(code: int, out: str, err: str) -> tuple[str, str]:
    """Classify how a `run.py` command ended: ("completed" | "crashed" | "unclear", what it
    said first). Completed: exit 0, exit 1 with an `Error:` line or `check`'s findings, or
    exit 3 (some emails not delivered, said on stderr); crashed: exit 2, a signal or a
    traceback."""
    lines = err.splitlines()
    if code == 2 or code < 0 or "Traceback" in err:
        skip = (" ", "This is a bug", "Traceback", "The above exception", "During handling")
        last = next((x for x in reversed(lines) if x and not x.startswith(skip)), "")
        return "crashed", f"exit {code}: {last}"
    if code == 0:
        return "completed", "exit 0" + ("; emails not delivered" if "not delivered" in out else "")
    if code == 3:  # the run finished, some emails were not delivered (said on stderr)
        return "completed", "exit 3: " + next((x for x in lines if "not delivered" in x), "")
    error = next((x for x in lines if x.startswith("Error:")), "")
    found = out.split("To fix before a run", 1)[-1].splitlines()[2:3] if "To fix" in out else []
    if code == 1 and (error or found):
        return "completed", f"exit 1: {error or found[0].strip()}"
    return "unclear", f"exit {code} with no Error: line: {(lines or [''])[-1]}"


def message_ids(server: LoopbackSmtp, start: int = 0) -> list[str]:
    """Return the Message-ID of every message the server accepted from index `start` on."""
    return [str(m.message["Message-ID"]) for m in server.messages[start:]]


def journal_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of «Журнал рассылки» of an .xlsx file, by header; none if absent."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        if JOURNAL not in book.sheetnames:
            return []
        rows = [
            ["" if v is None else str(v) for v in r]
            for r in book[JOURNAL].iter_rows(values_only=True)
        ]
    finally:
        book.close()
    return grid_rows(rows)


def grid_rows(grid: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    """Return the rows of a journal grid below its header, each as {header: text}."""
    if not grid:
        return []
    header = list(grid[0])
    return [dict(zip(header, row, strict=False)) for row in grid[1:] if any(row)]


def journal_duplicates(rows: Sequence[Mapping[str, str]]) -> int:
    """Return how many journal rows repeat an earlier row's Message-ID, result and keys (a
    continuation row, which carries the email's further keys, is not a repeat)."""
    seen = Counter(
        (r.get("Message-ID", ""), r.get("Результат", ""), r.get("Ключи", ""))
        for r in rows
        if r.get("Message-ID")
    )
    return sum(n - 1 for n in seen.values())


def state_keys(state_dir: Path) -> dict[str, tuple[str, ...]]:
    """Return {Message-ID: reminder keys} of every email in the local state folder."""
    db_file = state_dir / "sheets_sync.sqlite3"
    if not db_file.exists():
        return {}
    db = sqlite3.connect(db_file)
    try:
        rows = db.execute("SELECT message_id, keys FROM emails").fetchall()
    except sqlite3.OperationalError:  # killed between creating the file and its table
        return {}
    finally:
        db.close()
    return {m: tuple(json.loads(k)) for m, k in rows}


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Return rows as a plain-text table, columns as wide as their widest cell."""
    cells = [[str(h) for h in headers], *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def counts(mapping: Mapping[str, int]) -> str:
    """Return {"a": 2, "b": 1} as "a 2, b 1"."""
    return ", ".join(f"{k} {v}" for k, v in mapping.items()) or "none"
