"""Fuzz parse_deadline: it must never raise, and no phrase may take long.

    python bench/fuzz_deadlines.py [--phrases 100000] [--seed 1]

Feeds random strings, mutations of the corpus phrases, long digit runs and odd unicode to
parse_deadline with random plan years and school_year flags, and prints per 100,000 phrases:
the exceptions raised (0 expected), the phrases the last-resort guard in parse_deadline had to
turn into «unknown» (0 expected: each is a bug to fix at its cause), and the slowest phrases
with their times.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
import traceback
from collections import Counter
from pathlib import Path

from sheets_sync.deadlines import GUARD_NOTE, parse_deadline

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "deadline_phrases.tsv"
ALPHABET = (
    "0123456789 .,;:-–—/()«»\"'\n\t"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "abcdefghijklmnopqrstuvwxyzIVX"
)
ODD = [
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\u0301",
    "\u2028",
    "\x00",
    "\ud7ff",
    "🙂",
    "ǅ",
    "Ⅳ",
    "①",
    "٣",
    "𝟐",
    "ﬁ",
    "İ",
    "ß",
    "\u202e",
    "\U0010ffff",
]
WORDS = [
    "до",
    "с",
    "по",
    "накануне",
    "ежемесячно",
    "ежеквартально",
    "числа",
    "года",
    "квартал",
    "полугодие",
    "в течение",
    "учебного года",
    "следующего за отчетным",
    "марта",
    "февраля",
    "29",
    "31",
    "0001",
    "9999",
    "1020",
    "I",
    "IV",
    "(",
    ")",
    "–",
    "третий четверг",
    "рабочий",
]


def corpus() -> list[str]:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [row["phrase"].replace("\\n", "\n") for row in rows]


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))


def mutate(phrase: str, rng: random.Random) -> str:
    chars = list(phrase)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        at = rng.randint(0, len(chars))
        if op == 0 and chars:
            del chars[min(at, len(chars) - 1)]
        elif op == 1:
            chars.insert(at, rng.choice(ALPHABET))
        elif op == 2:
            chars.insert(at, f" {rng.choice(WORDS)} ")
        elif op == 3:
            chars.insert(at, str(rng.choice([0, 1, 29, 30, 31, 32, 99, 1020, 9999, 10**7])))
        else:
            chars.insert(at, rng.choice(ODD))
    return "".join(chars)


def long_digits(rng: random.Random) -> str:
    run = "".join(rng.choice("0123456789") for _ in range(rng.choice([10, 100, 4301, 5000])))
    return rng.choice([run, f"до {run} марта", f"{run}.{run}.{run}", f"ежемесячно до {run} числа"])


def odd_unicode(rng: random.Random) -> str:
    return "".join(rng.choice(ODD + list(ALPHABET)) for _ in range(rng.randint(1, 40)))


def phrases(count: int, seed: int) -> list[tuple[str, int, bool]]:
    rng = random.Random(seed)
    base = corpus()
    makers = [
        lambda: random_text(rng),
        lambda: mutate(rng.choice(base), rng),
        lambda: mutate(rng.choice(base), rng),
        lambda: long_digits(rng) if rng.random() < 0.05 else mutate(rng.choice(base), rng),
        lambda: odd_unicode(rng),
    ]
    years = [1, 1999, 2000, 2020, 2023, 2024, 2028, 2099, 9998]
    return [(rng.choice(makers)(), rng.choice(years), rng.random() < 0.5) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slowest", type=int, default=10)
    args = parser.parse_args()
    cases = phrases(args.phrases, args.seed)
    errors: Counter[str] = Counter()
    examples: dict[str, tuple[str, int, bool, str]] = {}
    guarded: list[tuple[str, int, bool]] = []
    timings: list[tuple[float, str, int, bool]] = []
    start = time.perf_counter()
    for text, year, school in cases:
        t0 = time.perf_counter()
        try:
            reading = parse_deadline(text, year, school_year=school)
        except Exception as exc:  # noqa: BLE001 - the reader must never raise: count each kind
            key = f"{type(exc).__name__}: {str(exc)[:80]}"
            errors[key] += 1
            examples.setdefault(key, (text, year, school, traceback.format_exc(limit=-3)))
            continue
        finally:
            timings.append((time.perf_counter() - t0, text, year, school))
        if reading.note.startswith(GUARD_NOTE):
            guarded.append((text, year, school))
    elapsed = time.perf_counter() - start
    per = 100_000 / len(cases)
    print(f"{len(cases)} phrases in {elapsed:.1f} s ({len(cases) / elapsed:,.0f} phrases/s)")
    print(f"exceptions: {sum(errors.values())} ({sum(errors.values()) * per:.0f} per 100,000)")
    for key, n in errors.most_common():
        text, year, school, tb = examples[key]
        print(f"  {n} × {key}\n    e.g. {text[:80]!r} year {year} school_year {school}\n{tb}")
    print(f"caught by the last-resort guard: {len(guarded)} ({len(guarded) * per:.0f} per 100,000)")
    for text, year, school in guarded[:10]:
        print(f"  {text[:80]!r} year {year} school_year {school}")
    print(f"slowest {args.slowest}:")
    for seconds, text, year, school in sorted(timings, reverse=True)[: args.slowest]:
        print(f"  {seconds * 1000:8.2f} ms  {text[:70]!r} ({len(text)} chars) {year} {school}")


if __name__ == "__main__":
    main()
