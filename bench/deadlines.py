"""How many distinct deadline phrases a second parse_deadline reads.

    python bench/deadlines.py [--phrases 30000]

The phrases are the corpus in tests/data/deadline_phrases.tsv with their years, days and month
names varied, so every one is distinct and no cache could answer for it.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=30_000)
    args = parser.parse_args()
    phrases = distinct_phrases(args.phrases)
    start = time.perf_counter()
    kinds: dict[str, int] = {}
    for text, year in phrases:
        kind = parse_deadline(text, year).kind
        kinds[kind] = kinds.get(kind, 0) + 1
    elapsed = time.perf_counter() - start
    print(
        f"{len(phrases)} distinct phrases in {elapsed:.2f} s: {len(phrases) / elapsed:,.0f} phrases/s"
    )
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
