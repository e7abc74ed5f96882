"""CPU time and peak memory of one cycle on a large synthetic .xlsx workbook.

    python bench/cycle.py [--schools 1000 10000] [--journal 0 50000] [--reports 50]
                          [--lines 200] [--no-gc-hold]

Builds a workbook with N schools, each owing R school reports, L roadmap lines and, when asked,
a «Журнал рассылки» of J rows (a year of history: dates through the plan year, keys and
Message-IDs like the product writes). For each size and journal it runs three cycles, each in
a fresh process: the first (every reminder is new, no local state), the second (the same day
again: nothing new to send, the journal rows the first wrote read back) and the steady one (the
same again: a refresh that finds nothing new anywhere). Each line gives the cycle's CPU seconds (user + system, imports
excluded) split into the workbook read, the workbook write and the rest (computing, rendering,
sending, the local state), and the process's peak resident memory.

--no-gc-hold runs the cycles without holding the garbage collector back (to compare).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2025, 11, 12)
CONFIG = """
plan_year = 2025
[workbook]
path = "bench.xlsx"
[reminders]
escalate_to = ["coordinator@example.org"]
max_emails_per_run = 100000
[mail]
outbox = "outbox"
from = "Координатор <coordinator@example.org>"
[state]
dir = "state"
"""
MONTHS = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
PHRASES = [
    "до {d:%d.%m.%Y}; до {e:%d.%m.%Y}",
    "{m} – {n}",
    "ежеквартально",
    "в течение года",
    "по запросу",
    "до {d:%d.%m.%Y}",
]


def _roadmap(rng: random.Random, reports: int, lines: int) -> tuple[list[list[Any]], list[Any]]:
    roadmap: list[list[Any]] = [
        ["План мероприятий на 2025 год"],
        [],
        ["№", "Мероприятие", "Срок", "Ответственные", "Выполнено"],
    ]
    report_items = reports // 2  # each school report item has two due dates
    columns = []
    for i in range(1, lines + 1):
        if i % 25 == 1:
            roadmap.append([f"{'I' * ((i - 1) // 25 + 1)}. РАЗДЕЛ {(i - 1) // 25 + 1}"])
        d = date(2025, 1, 15) + timedelta(days=rng.randint(0, 330))
        e = d + timedelta(days=rng.randint(20, 60))
        if i <= report_items:
            roadmap.append(
                [str(i), f"Отчёт школ № {i}", f"до {d:%d.%m.%Y}; до {e:%d.%m.%Y}", "ШИБЦ ОО", ""]
            )
            columns += [(str(i), d), (str(i), e)]
            continue
        m = rng.randrange(11)
        text = rng.choice(PHRASES).format(d=d, e=e, m=MONTHS[m], n=MONTHS[m + 1])
        done = rng.choice(["", "", "выполнено", f"{d:%d.%m.%Y}"])
        roadmap.append([str(i), f"Мероприятие № {i}", text, f"Отдел {i % 10}", done])
    return roadmap, columns


def journal_rows(rows: int, schools: int) -> list[list[Any]]:
    """A year of «Журнал рассылки» as the product writes it: one line a row, keys last."""
    rng = random.Random(2)
    header = ["Когда", "Кому", "Адреса", "Этап", "Обязательства", "Результат", "Message-ID"]
    out: list[list[Any]] = [[*header, "Ключи"]]
    start = datetime(2025, 1, 9, 9)
    for n in range(rows):
        when = start + timedelta(minutes=int(n * (300 * 24 * 60) / max(rows, 1)))
        school = rng.randint(1, schools)
        items = [rng.randint(1, 25) for _ in range(rng.randint(1, 3))]
        due = f"{when:%Y-%m-%d}"
        keys = "; ".join(
            f"school:S{school:05d}|{i}|{due}|school:S{school:05d}|overdue" for i in items
        )
        summary = "; ".join(f"{i} до {when:%d.%m.%Y} — просрочено" for i in items)
        out.append(
            [
                when,
                f"Школа № {school}",
                f"school{school}@example.org",
                "просрочено",
                summary,
                "отправлено",
                f"<{rng.getrandbits(128):032x}.sheets-sync@example.org>",
                keys,
            ]
        )
    return out


def build(folder: Path, schools: int, reports: int, lines: int, journal: int = 0) -> Path:
    """Write config/settings.toml and bench.xlsx into `folder`."""
    from sheets_sync.workbook.xlsx import create_workbook

    rng = random.Random(1)
    (folder / "config").mkdir(parents=True, exist_ok=True)
    (folder / "config" / "settings.toml").write_text(CONFIG, encoding="utf-8")
    executors = [["Исполнитель", "Email"]] + [
        [f"Отдел {i}", f"dept{i}@example.org"] for i in range(10)
    ]
    roadmap, columns = _roadmap(rng, reports, lines)
    school_rows = [["Код", "Школа", "Email"]]
    submissions = [["Код", "Школа", *(f"{k} до {d:%d.%m.%Y}" for k, d in columns)]]
    for n in range(1, schools + 1):
        code = f"S{n:05d}"
        school_rows.append([code, f"Школа № {n}", f"school{n}@example.org"])
        cells = []
        for _, due in columns:
            if due > TODAY or rng.random() < 0.15:
                cells.append("")
            else:
                cells.append(due - timedelta(days=rng.randint(-10, 5)))
        submissions.append([code, f"Школа № {n}", *cells])
    tabs = [
        ("Дорожная карта", roadmap, 3),
        ("Школы", school_rows, 1),
        ("Ответственные", executors, 1),
        ("Сдача отчётов", submissions, 1),
    ]
    if journal:
        tabs.append(("Журнал рассылки", journal_rows(journal, schools), 1))
    path = folder / "bench.xlsx"
    create_workbook(path, tabs)
    return path


def peak_mb() -> float:
    """Return this process's peak resident memory in MB: VmHWM on Linux (ru_maxrss would count
    the memory of the parent it was forked from, which built the workbook), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cycle(folder: Path, hold_gc: bool = True) -> dict[str, Any]:
    """Run one cycle in this process (a fresh one) and return its figures."""
    import contextlib
    import os

    os.chdir(folder)
    from sheets_sync import cycle as cycle_module
    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import OutboxDelivery
    from sheets_sync.settings.load import load_settings
    from sheets_sync.workbook.xlsx import XlsxWorkbook

    if not hold_gc:
        cycle_module.collector_held = contextlib.nullcontext  # type: ignore[assignment]
    spent = {"read": 0.0, "write": 0.0}

    class Timed(XlsxWorkbook):
        def read(self, *args: Any, **kwargs: Any) -> Any:
            start = _cpu()
            try:
                return super().read(*args, **kwargs)
            finally:
                spent["read"] += _cpu() - start

        def write(self, *args: Any, **kwargs: Any) -> None:
            start = _cpu()
            try:
                super().write(*args, **kwargs)
            finally:
                spent["write"] += _cpu() - start

    settings = load_settings(folder / "config" / "settings.toml", env={})
    now = datetime(2025, 11, 12, 9, tzinfo=ZoneInfo("Europe/Moscow"))
    start, wall = _cpu(), time.perf_counter()
    assert settings.workbook.path is not None
    result = run_cycle(
        settings,
        Timed(settings.workbook.path, settings.tabs),
        OutboxDelivery(settings.mail.outbox),
        today=TODAY,
        now=now,
    )
    cpu = _cpu() - start
    return {
        "cpu": cpu,
        "wall": time.perf_counter() - wall,
        "read": spent["read"],
        "write": spent["write"],
        "rest": cpu - spent["read"] - spent["write"],
        "peak_mb": peak_mb(),
        "sent": len(result.sent),
        "obligations": len(result.obligations),
    }


def run_child(folder: Path, hold_gc: bool) -> dict[str, Any]:
    args = [sys.executable, __file__, "--cycle", str(folder)] + (
        [] if hold_gc else ["--no-gc-hold"]
    )
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--journal", type=int, nargs="+", default=[0, 50000])
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--no-gc-hold", action="store_true")
    parser.add_argument("--cycle", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cycle:
        print(json.dumps(cycle(args.cycle, hold_gc=not args.no_gc_hold)))
        return
    print(
        f"{'schools':>8} {'journal':>8} {'cycle':>7} {'CPU s':>7} {'read':>6} {'write':>6} "
        f"{'rest':>6} {'peak MB':>8} {'emails':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for schools in args.schools:
            for journal in args.journal:
                folder = Path(tmp) / f"n{schools}-j{journal}"
                build(folder, schools, args.reports, args.lines, journal)
                for label in ("first", "second", "steady"):
                    f = run_child(folder, not args.no_gc_hold)
                    print(
                        f"{schools:>8,} {journal:>8,} {label:>7} {f['cpu']:>7.2f} "
                        f"{f['read']:>6.2f} {f['write']:>6.2f} {f['rest']:>6.2f} "
                        f"{f['peak_mb']:>8.0f} {f['sent']:>7,}",
                        flush=True,
                    )
                shutil.rmtree(folder)


if __name__ == "__main__":
    main()
