"""How many distinct deadline phrases a second parse_deadline reads, and how a labelled file scores.

    python bench/deadlines.py [--phrases 30000] [--cold]
    python bench/deadlines.py --score tests/data/deadline_phrases_blind5.tsv [--misses]

The speed phrases are the corpus in tests/data/deadline_phrases.tsv with their years, days and
month names varied, so every one is distinct and no cache could answer for it. The Russian
production calendar («рабочий» days) is loaded once before the clock starts and its load time
printed apart: a process pays it once, at its first «рабочий» phrase, whatever it reads after.
--cold times the load with the phrases, as the bench did before round 7.

--score reads a labelled file (the columns of tests/data/deadline_phrases*.tsv) and prints right/
total overall and by family (the `family` column, else the kind), scored as the held-out check
scores: by the exact set of due dates, so any reading without dates (on_request, periodic,
event, unknown) is right for a phrase labelled with none. It prints a second, stricter figure
where such a phrase must also not read as unknown unless it is labelled unknown, and both with
and without the file's school_year flag.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import time
from pathlib import Path

from sheets_sync.deadlines import parse_deadline

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "deadline_phrases.tsv"
MONTHS = [
    "январь",
    "февраля",
    "марта",
    "апреле",
    "мая",
    "июнь",
    "июля",
    "августа",
    "сентябрь",
    "октября",
    "ноябрь",
    "декабря",
]
MONTH_WORD = re.compile(
    r"(?i)\b(январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
)
NUMBER = re.compile(r"\d+")


def corpus() -> list[tuple[str, int]]:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["phrase"].replace("\\n", "\n"), int(row["plan_year"])) for row in rows]


def vary(phrase: str, rng: random.Random) -> str:
    def number(m: re.Match[str]) -> str:
        n = int(m.group())
        if 1900 <= n <= 2100:
            return str(rng.randint(2000, 2035))
        if len(m.group()) == 2 and m.group().startswith("0"):
            return f"{rng.randint(1, 9):02d}"
        return str(rng.randint(1, 28)) if n <= 31 else m.group()

    text = NUMBER.sub(number, phrase)
    return MONTH_WORD.sub(lambda _: rng.choice(MONTHS), text)


def distinct_phrases(count: int, seed: int = 7) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    base = corpus()
    seen: set[str] = set()
    phrases: list[tuple[str, int]] = []
    for _ in range(count * 50):
        phrase, year = rng.choice(base)
        # Spacing, case and a trailing note vary too, as they do in real cells.
        text = vary(phrase, rng)
        text = rng.choice([text, text.upper(), text.capitalize(), f"{text} ", f"  {text}"])
        text = f"{text} ({rng.randint(1, 999)})" if text in seen else text
        if text not in seen:
            seen.add(text)
            phrases.append((text, year + rng.randint(-3, 3)))
            if len(phrases) == count:
                break
    return phrases


def labelled(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _right(row: dict[str, str], flag: bool, strict: bool) -> bool:
    phrase = row["phrase"].replace("\\n", "\n")
    reading = parse_deadline(phrase, int(row["plan_year"]), school_year=flag)
    expected = tuple(d for d in row["due_dates"].split(";") if d)
    got = tuple(d.isoformat() for d in reading.due_dates)
    if strict and not expected and row["kind"] != "unknown" and reading.kind == "unknown":
        return False
    return got == expected


def score(path: Path, show_misses: bool) -> None:
    rows = labelled(path)
    for strict in (False, True):
        for use_flag in (True, False):
            by_family: dict[str, list[int]] = {}
            for row in rows:
                flag = use_flag and row.get("school_year", "0") == "1"
                counts = by_family.setdefault(row.get("family") or row["kind"], [0, 0])
                counts[0] += _right(row, flag, strict)
                counts[1] += 1
            right = sum(c[0] for c in by_family.values())
            name = ("strict" if strict else "due dates") + (
                ", school_year flag" if use_flag else ", no flag"
            )
            print(f"{path.name} [{name}]: {right}/{len(rows)} ({100 * right / len(rows):.1f} %)")
            print("  " + ", ".join(f"{k} {r}/{t}" for k, (r, t) in sorted(by_family.items())))
    if show_misses:
        for row in rows:
            if not _right(row, row.get("school_year", "0") == "1", True):
                phrase = row["phrase"].replace("\\n", "\n")
                reading = parse_deadline(
                    phrase, int(row["plan_year"]), school_year=row.get("school_year") == "1"
                )
                print(
                    f"MISS {row['phrase']!r} {row['plan_year']}: want {row['kind']} {row['due_dates']}; got {reading.kind} {';'.join(d.isoformat() for d in reading.due_dates)} {reading.note}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=30_000)
    parser.add_argument("--score", type=Path, action="append", default=[])
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--cold", action="store_true", help="time the calendar load too")
    args = parser.parse_args()
    if args.score:
        for path in args.score:
            score(path, args.misses)
        return
    phrases = distinct_phrases(args.phrases)
    if not args.cold:
        start = time.perf_counter()
        parse_deadline("в первый рабочий понедельник мая", 2023)  # loads the calendar
        loaded = time.perf_counter() - start
        print(f"production calendar loaded once in {loaded:.2f} s, before the clock starts")
    start, cpu_start = time.perf_counter(), time.process_time()
    kinds: dict[str, int] = {}
    for text, year in phrases:
        kind = parse_deadline(text, year).kind
        kinds[kind] = kinds.get(kind, 0) + 1
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(
        f"{len(phrases)} distinct phrases in {elapsed:.2f} s: {len(phrases) / elapsed:,.0f} phrases/s"
    )
    # On a busy machine the wall clock counts other processes' turns; the CPU time does not.
    print(f"  CPU {cpu:.2f} s: {len(phrases) / cpu:,.0f} phrases per CPU second")
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
