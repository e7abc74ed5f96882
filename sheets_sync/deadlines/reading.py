"""Free Russian deadline text -> Deadline: the reading itself. Pure: no I/O, no clock.

`parse_deadline` finds the explicit deadlines (`items`, dated by `dates`), and when there are
none reads the cue words (`cues`); `text` takes out the noise and cuts the phrase into tokens,
`words` is the vocabulary. Every reading decision is written down in docs/deadlines.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import MAXYEAR, MINYEAR, date

from sheets_sync.wording import DEADLINES, count, ru_date

from .cues import DeadlineKind, day_of_month, is_recurring, names_rules, read_cues
from .dates import read_explicit
from .items import BadDate, FarYear
from .text import normalise, tokenise
from .words import NEXT_YEAR_CUES, PREVIOUS_YEAR_CUES

KIND_LABELS: dict[str, str] = {
    "dates": "даты",
    "ongoing": "в течение периода",
    "on_request": "по запросу",
    "periodic": "периодически",
    "event": "по событию",
    "unknown": "не распознано",
}

UNDERSTOOD_FORMS = (
    "«до 01.03.2020», «1 марта 2020 г.», «01.03», «с 1 по 20 августа», «апрель», "
    "«ноябрь – декабрь», «19, 20 и 26 ноября», «I квартал», «1 кв. 2021 г.», «2 п/г», "
    "«2020-2021 уч. год», «ежемесячно до 5 числа», «ежеквартально, до 20-го числа следующего "
    "месяца», «Ежегодно (апрель, октябрь)», «в течение года», «по запросу», «еженедельно»"
)


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    kind: DeadlineKind
    due_dates: tuple[date, ...] = ()
    # What kind of period or frequency was read («в течение учебного года», «еженедельно»),
    # or why the phrase was not understood («нет такой даты: 31.06.2020»).
    note: str = ""

    def explain(self) -> str:
        """Return a short Russian description of the reading, for the «Сроки» tab."""
        dates = ", ".join(ru_date(d) for d in self.due_dates)
        if self.kind == "dates":
            n = len(self.due_dates)
            return f"срок: {dates}" if n == 1 else f"{count(n, DEADLINES)}: {dates}"
        if self.kind == "ongoing":
            return f"{self.note or 'в течение периода'} — до {dates}"
        if self.kind == "on_request":
            return "по запросу — без срока"
        if self.kind == "periodic":
            detail = f" ({self.note})" if self.note else ""
            return f"периодически{detail} — без напоминаний"
        if self.kind == "event":
            return "по событию — без срока"
        return f"не распознано: {self.note}" if self.note else "не распознано"


def reading_line(deadline: Deadline) -> str:
    """Return one line for the command line: the phrase, its kind and how it was read."""
    text = " ".join(deadline.text.split())
    explained = deadline.explain()
    label = KIND_LABELS[deadline.kind]
    # («не распознано: нет такой даты», not «не распознано: не распознано: …»)
    return (
        f"{text} → {explained}" if explained.startswith(label) else f"{text} → {label}: {explained}"
    )


# The note of a phrase the last-resort guard in parse_deadline turned into «unknown»: a bug in
# the reader, shown in «Проблемы» with the cell and counted by bench/fuzz_deadlines.py.
GUARD_NOTE = "фраза не прочитана из-за ошибки разбора"

_ONGOING_LABELS = {
    "year": "в течение года",
    "school": "в течение учебного года",
    "quarter": "в течение квартала",
    "half": "в течение полугодия",
    "month": "в течение месяца",
}


_NEXT_YEAR = re.compile("|".join(re.escape(cue) for cue in NEXT_YEAR_CUES))
_PREVIOUS_YEAR = re.compile("|".join(re.escape(cue) for cue in PREVIOUS_YEAR_CUES))


def parse_deadline(
    text: str,
    plan_year: int,
    *,
    school_year: bool = False,
    working_day: Callable[[date], bool] | None = None,
) -> Deadline:
    """Return how the deadline phrase ``text`` reads in plan year ``plan_year``. Never raises:
    what cannot be read is "unknown" with a Russian note saying why.

    With ``school_year``, the plan covers the school year plan_year/plan_year+1: dates without a
    year from January to August fall in plan_year + 1 (a plan «на 2023-2024 учебный год» reads
    «март» as 31.03.2024). ``working_day`` decides «рабочий» («в первый рабочий вторник
    марта»); by default the Russian production calendar (`sheets_sync.workdays`)."""
    if not MINYEAR + 1 <= plan_year <= MAXYEAR - 2:
        return Deadline(text, "unknown", note=f"год плана {plan_year} вне календаря")
    try:
        s = normalise(text)
        # A clause with no number («Ежеквартально, за I квартал – до 10 апреля; …») is a
        # heading for the clauses after it, not a rule of its own.
        clauses = [s]
        if (";" in s or " за " in s or ", " in s or " и еже" in s) and names_rules(s):
            clauses = [c for c in _CLAUSE.split(s) if _DIGIT.search(c)] or [s]
        if len(clauses) > 1:
            readings = [_read(text, c, plan_year, school_year, working_day) for c in clauses]
            return _union(text, clauses, readings)
        return _read(text, s, plan_year, school_year, working_day)
    except Exception:  # noqa: BLE001 - the last resort: a reader bug must not stop a run
        return Deadline(text, "unknown", note=GUARD_NOTE)


# «ежеквартально до 5 числа, за год — до 20 января следующего года», «…, и за отчетный год - до 13
# января …», «…, а за вторую половину месяца - 5 числа …», «…, и ежегодно в срок до 1 февраля …»,
# «…, при этом отчеты за IV квартал …», «… следующего за отчетным и ежегодно в срок до …»:
# several rules in one cell.
_CLAUSE = re.compile(
    r";|,\s*(?:(?:и|а)\s+)?(?=(?:за|ежегодно|ежеквартально|ежемесячно)\s)|,\s*при\s+этом\s"
    r"|\s+и\s+(?=(?:ежегодно|ежеквартально|ежемесячно)\s)"
)
_DIGIT = re.compile(r"\d")
# «отчеты за IV квартал представляются до 15 января»: the fourth quarter's own deadline.
_FOURTH_QUARTER = re.compile(r"\bза\s+(?:iv|4)(?:\s*-?\s*[а-я]{1,2})?\s+квартал")


def _union(text: str, clauses: list[str], readings: list[Deadline]) -> Deadline:
    """The readings of a cell's clauses together: every date of every clause that has dates. A
    clause for the fourth quarter («при этом отчеты за IV квартал — до 15 января») replaces the
    fourth date of the quarterly rule beside it."""
    if any(_FOURTH_QUARTER.search(c) for c in clauses):
        readings = [
            replace(r, due_dates=r.due_dates[:-1])
            if r.note == "ежеквартально" and len(r.due_dates) == 4
            else r
            for r in readings
        ]
    dated = [r for r in readings if r.due_dates and r.kind in ("dates", "ongoing")]
    if len(dated) < 2 or any(r.kind == "unknown" and r.note for r in readings):
        first = next((r for r in readings if r.kind == "unknown" and r.note), None)
        return first or (dated[0] if dated else readings[0])
    return Deadline(text, "dates", tuple(sorted({d for r in dated for d in r.due_dates})))


def _read(
    text: str, s: str, plan_year: int, school_year: bool, working: Callable[[date], bool] | None
) -> Deadline:
    shift = 0
    if "год" in s:  # every cue of the next or the previous year has it
        shift = 1 if _NEXT_YEAR.search(s) else -1 if _PREVIOUS_YEAR.search(s) else 0
    try:
        tokens = tokenise(s)
        found = read_explicit(tokens, plan_year, shift, day_of_month(s), school_year, working)
    except BadDate as exc:
        return Deadline(text, "unknown", note=f"нет такой даты: {exc}")
    except FarYear as exc:
        note = f"год {exc.year} далёк от года плана {plan_year} — опечатка?"
        return Deadline(text, "unknown", note=note)

    # «2008 - 2010 ежемесячно»: years that only bound recurring work are not its deadlines.
    only_years = all(unit == "year" for unit in found.units)
    if found.dates and not (only_years and is_recurring(s)):
        if found.ongoing and len(found.dates) == 1:
            label = "" if found.ranged else _ONGOING_LABELS.get(found.units[0], "")
            return Deadline(text, "ongoing", found.dates, note=label or "в течение периода")
        if all(unit == "school" for unit in found.units) and len(found.dates) == 1:
            return Deadline(text, "ongoing", found.dates, note="в течение учебного года")
        return Deadline(text, "dates", found.dates)
    reading = read_cues(s, plan_year, school_year, working)
    if school_year and reading.kind == "ongoing":
        # The year of a school-year plan is its school year: «в течение года», «ежегодно»,
        # «весь период» run to the school year's end, as «в течение учебного года» does.
        return Deadline(text, "ongoing", (date(plan_year + 1, 5, 31),), reading.note)
    return Deadline(text, reading.kind, reading.due_dates, reading.note)
