"""Wall time and peak memory of one cycle on a large synthetic workbook.

    python bench/cycle.py [--schools 1000] [--reports 50] [--lines 200]

Builds a workbook with N schools, each owing R school reports, and L roadmap lines, then runs
one full cycle (read, compute, write every email to an outbox folder, save the workbook) in a
fresh process, and prints its wall time and peak resident memory. Run it twice to see a second
cycle (nothing new to send) as well.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
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


def build(folder: Path, schools: int, reports: int, lines: int) -> Path:
    """Write config/settings.toml and bench.xlsx into `folder`."""
    from sheets_sync.workbook.xlsx import create_workbook

    rng = random.Random(1)
    (folder / "config").mkdir(parents=True, exist_ok=True)
    (folder / "config" / "settings.toml").write_text(CONFIG, encoding="utf-8")
    executors = [["Исполнитель", "Email"]] + [
        [f"Отдел {i}", f"dept{i}@example.org"] for i in range(10)
    ]
    roadmap = [
        ["План мероприятий на 2025 год"],
        [],
        ["№", "Мероприятие", "Срок", "Ответственные", "Выполнено"],
    ]
    report_items = reports // 2  # each school report item has two due dates
    phrases = [
        "до {d:%d.%m.%Y}; до {e:%d.%m.%Y}",
        "{m} – {n}",
        "ежеквартально",
        "в течение года",
        "по запросу",
        "до {d:%d.%m.%Y}",
    ]
    months = [
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
    columns = []
    for i in range(1, lines + 1):
        section = f"{(i - 1) // 25 + 1}"
        if i % 25 == 1:
            roadmap.append([f"{'IVX'[0] * ((i - 1) // 25 + 1)}. РАЗДЕЛ {section}"])
        d = date(2025, 1, 15) + timedelta(days=rng.randint(0, 330))
        e = d + timedelta(days=rng.randint(20, 60))
        if i <= report_items:
            roadmap.append(
                [str(i), f"Отчёт школ № {i}", f"до {d:%d.%m.%Y}; до {e:%d.%m.%Y}", "ШИБЦ ОО", ""]
            )
            columns += [(str(i), d), (str(i), e)]
        else:
            m = rng.randrange(11)
            text = rng.choice(phrases).format(d=d, e=e, m=months[m], n=months[m + 1])
            roadmap.append(
                [
                    str(i),
                    f"Мероприятие № {i}",
                    text,
                    f"Отдел {i % 10}",
                    rng.choice(["", "", "выполнено", f"{d:%d.%m.%Y}"]),
                ]
            )
    school_rows = [["Код", "Школа", "Email"]]
    submissions = [["Код", "Школа", *(f"{k} до {d:%d.%m.%Y}" for k, d in columns)]]
    for n in range(1, schools + 1):
        code = f"S{n:04d}"
        school_rows.append([code, f"Школа № {n}", f"school{n}@example.org"])
        cells = []
        for _, due in columns:
            if due > TODAY or rng.random() < 0.15:
                cells.append("")
            else:
                cells.append(due - timedelta(days=rng.randint(-10, 5)))
        submissions.append([code, f"Школа № {n}", *cells])
    path = folder / "bench.xlsx"
    create_workbook(
        path,
        [
            ("Дорожная карта", roadmap, 3),
            ("Школы", school_rows, 1),
            ("Ответственные", executors, 1),
            ("Сдача отчётов", submissions, 1),
        ],
    )
    return path


def cycle(folder: Path) -> None:
    """Run one cycle in this process and print its figures (called in a fresh process)."""
    start = time.perf_counter()
    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import OutboxDelivery
    from sheets_sync.settings.load import load_settings
    from sheets_sync.workbook.xlsx import XlsxWorkbook

    imported = time.perf_counter()
    settings = load_settings(folder / "config" / "settings.toml", env={})
    now = datetime(2025, 11, 12, 9, tzinfo=ZoneInfo("Europe/Moscow"))
    result = run_cycle(
        settings,
        XlsxWorkbook(settings.workbook.path, settings.tabs),  # type: ignore[arg-type]
        OutboxDelivery(settings.mail.outbox),
        today=TODAY,
        now=now,
    )
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"  obligations {len(result.obligations):,}, emails sent {len(result.sent):,}, "
        f"overdue rows {sum(1 for o in result.obligations if o.state == 'overdue'):,}"
    )
    print(
        f"  wall time {done - start:.2f} s (imports {imported - start:.2f} s, "
        f"cycle {done - imported:.2f} s); peak memory {peak:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--cycle", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cycle:
        cycle(args.cycle)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        path = build(folder, args.schools, args.reports, args.lines)
        print(
            f"Synthetic workbook: {args.schools:,} schools x {args.reports} school reports, "
            f"{args.lines} roadmap lines ({path.stat().st_size / 1e6:.1f} MB, built in "
            f"{time.perf_counter() - start:.1f} s)"
        )
        for label in (
            "First cycle (every reminder is new):",
            "Second cycle (nothing new to send):",
        ):
            print(label)
            subprocess.run([sys.executable, __file__, "--cycle", str(folder)], check=True)


if __name__ == "__main__":
    main()
