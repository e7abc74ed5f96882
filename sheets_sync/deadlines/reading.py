"""Free Russian deadline text -> Deadline. Pure: no I/O, no clock.

Contract (stable; the rest of the code and the tests use it, and this is the only module they
import; `deadline_text`, `deadline_items`, `deadline_dates`, `deadline_cues` and `deadline_words`
are its parts):

    parse_deadline(text: str, plan_year: int) -> Deadline

Deadline.kind is one of "dates", "ongoing", "on_request", "periodic", "unknown".
Deadline.due_dates is a sorted tuple of datetime.date: empty for on_request, periodic and
unknown; the period end for ongoing. Deadline.explain() is a short Russian description.

How a phrase is read (plan year Y):

* Every explicit deadline in the phrase counts: dates (`01.03.2020`, `1.03.20`, `01.03`,
  `1 марта 2020 г.`), days of a month (`19, 20 и 26 ноября`, `01,08,15.10.16`), months
  (`апрель`, `до конца мая`: the last day), parts of a month, due at the part's end (`в начале
  сентября` 10.09, `в середине мая` 20.05, `первая половина октября` 15.10, `вторая неделя
  ноября` 14.11; `до начала сентября` is `до 1 сентября`), quarters (`IV квартал`, `1 кв. 2021
  г.`, `в 1-м квартале`, `I, III кв.`: the quarter end), halves (`2 п/г`, `во II-м полугодии`:
  30.06 or 31.12, calendar halves), halves of a school year (`1 полугодие 2024/2025 учебного
  года` 31.12.2024, `2 полугодие учебного года` 31.05), years (`2013 г.`: 31.12), school years
  (`2020-2021 уч. год`: 31.05 of the second year, ongoing). A range (`-`, `по`, `с … до …`)
  counts by its end; `до 28.04.06 до 05.05.06` is two deadlines, not a range.
  A lone start (`С 14.03.2023`, `с 27 мая`) is the only date there is, so it counts.
* Noise is not a deadline: times of day (`10:00`, `14.00 - 15.00`, `11-30-13-30`), weekdays,
  spaces inside a date (`13. 11. 2021`), and a calendar note after a date: `1 сентября (вт.)`,
  `16.01.2023 (15 января — воскресенье)` (the note says why the date moved; it is not a second
  deadline). A note that says how often (`(по понедельникам)`) stays.
* Named days are their dates: `ко Дню Победы` is 09.05, `День знаний` 01.09, `День учителя`
  05.10 (fixed-date holidays only); `накануне`/`в канун` a date is the day before it
  (`накануне Дня Победы` is 08.05); `в канун праздника` names no date and is unknown.
  `до начала учебного года`, `к началу учебного года` are `до 1 сентября` (01.09.Y).
  `накануне нового учебного года` is 31.08.Y. Seasons are their months: summer (`летний
  период`, `в период летних каникул`, `летом`) June–August, due 31.08.Y; `весной` March–May;
  `осенью`, `осенний период` September–November (`два раза в год — весной и осенью` is 31.05.Y
  and 30.11.Y). Autumn, winter and spring school holidays have each school's own dates: unknown.
* A missing year is taken from the nearest year written to the right (`ноябрь – декабрь 2021`,
  `Декабрь, 2022`), else it is Y; «года, следующего (идущего) за отчетным» moves it to Y+1.
  A list written in time order with its year at the end crosses New Year backwards: in
  `1 декабря, 2 февраля и 4 мая 2022 года` December is 2021. A period named after «за»
  (`за I квартал – до 10 апреля`, `за 9 месяцев 2023 года`) is what is reported on, not a
  deadline.
* A range ends after it starts: an end with no year of its own takes the start's year, and the
  next year when its month comes earlier: `сентябрь – август` is 31.08.Y+1, `28.12 - 10.01`
  10.01.Y+1, `30 декабря (ср.) – 10 января (вс.)` 10.01.Y+1, `за IV квартал – до 20 января`
  20.01.Y+1. A list with no written year does not roll over: `Декабрь и январь`, `26.12, 06.01`,
  `октябрь, апрель` are all in Y (a plan's year is one year; the coordinator sets Y).
* Dates win over words: `сентябрь, далее – постоянно` is 30.09.Y; `ежегодно (апрель, октябрь)`
  is 30.04.Y and 31.10.Y; `ноябрь, март (по четвертям)` is 30.11.Y and 31.03.Y.
* With no explicit deadline, recurring words pin dates in Y: `ежемесячно` (every month end),
  `ежемесячно до 5 числа` (every 5th), `ежеквартально`, `по кварталам` (every quarter end),
  `ежеквартально, до 20-го числа следующего месяца`, `до 10-го числа месяца, следующего за
  отчётным кварталом` (that day of April, July, October and January Y+1), `до 11 числа
  месяца, следующего за отчетным` (11.02 … 11.12, 11.01.Y+1), `раз в полугодие`, `по
  полугодиям` (30.06, 31.12).
  Those readings are kind "dates". Bare `ежегодно` means "some time each year": ongoing to
  31.12.Y. Once a period is the same as every period: `1 раз в месяц`, `не реже одного раза в
  квартал`, `раз в полгода` pin the period ends; `2 раза в месяц` is frequent work.
* `в течение года`, `круглогодично`, `весь год` are ongoing to 31.12.Y, `в течение учебного
  года` to 31.05.Y, `в течение 2022 - 2024 годов` to 31.12.2024, `в течение 2024/2025 уч. года`
  to 31.05.2025; on-request words (`по запросам`, `по просьбе`, `по плану РУМО`, `по приказу`,
  `постоянно`, an outside document or timetable: `в соответствии с расписанием ГИА`, `в
  соответствии с КТП`, `согласно приказу`, `по графику ВШК`, `в сроки, установленные
  Рособрнадзором`) give on_request even beside `в течение года`; `по итогам четверти` is
  on_request too, unless a recurring word pins dates.
* School terms have no calendar dates of their own: `1 раз в четверть`, `по четвертям`, `в конце
  каждой четверти`, `1 раз в триместр` are periodic; `в течение 1 четверти` is unknown (the
  school's calendar gives the term's dates, the phrase does not). Frequent work (`еженедельно`,
  `каждый понедельник`) and a weekday of every month (`2-я суббота месяца`) are periodic too.
* Anything else, a date that does not exist (`31.06.2020`, `30 февраля`), a period the phrase
  does not date (`в течение квартала`, `в течение полугодия`, `в течение месяца`), or a span
  counted from a start the phrase does not give (`в течение 3 месяцев`, `в 3-месячный срок`,
  `не менее чем за 30 календарных дней до начала …`, `не позднее чем за день до …`, `2 недели
  до экзамена`) is unknown: a wrong guess would email the wrong people.

School-year plans. Y is one calendar year, taken from the plan's title («на 2023-2024 учебный
год» gives 2023). Read as it is (no school_year), a bare `март` (31.03.2023) or `в течение
учебного года` (31.05.2023) in such a plan falls a year early; only written years (`март 2024`,
`2023/2024 уч. год`, `1 полугодие 2023/2024 учебного года`) place the second half right. With
school_year (the title says «учебный год», or the config does), the plan is the school year Y/Y+1:
* dates without a year from January to August fall in Y+1 (`март` 31.03.Y+1, `май-июнь`
  30.06.Y+1), September to December in Y;
* a range is placed by its end: `август – сентябрь` is 30.09.Y (the August before it, where
  school-year plans put textbook issue and the start of the year), `декабрь – январь` 31.01.Y+1;
* a bare half is a half of the school year: `I полугодие` 31.12.Y, `II полугодие`, `2 п/г`
  31.05.Y+1 (a half with a written year, `2 полугодие 2024 г.`, stays a calendar half);
* the plan's year is the school year: `в течение года`, `ежегодно`, `весь период` are ongoing
  to 31.05.Y+1, as `в течение учебного года` is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sheets_sync.deadline_cues import DeadlineKind, day_of_month, is_recurring, read_cues
from sheets_sync.deadline_dates import read_explicit
from sheets_sync.deadline_items import BadDate
from sheets_sync.deadline_text import normalise, tokenise
from sheets_sync.deadline_words import NEXT_YEAR_CUES

__all__ = [
    "KIND_LABELS",
    "UNDERSTOOD_FORMS",
    "Deadline",
    "DeadlineKind",
    "parse_deadline",
    "reading_line",
]

KIND_LABELS: dict[str, str] = {
    "dates": "даты",
    "ongoing": "в течение периода",
    "on_request": "по запросу",
    "periodic": "периодически",
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
        dates = ", ".join(d.strftime("%d.%m.%Y") for d in self.due_dates)
        if self.kind == "dates":
            n = len(self.due_dates)
            return f"срок: {dates}" if n == 1 else f"{n} {_plural_srok(n)}: {dates}"
        if self.kind == "ongoing":
            return f"{self.note or 'в течение периода'} — до {dates}"
        if self.kind == "on_request":
            return "по запросу — без срока"
        if self.kind == "periodic":
            detail = f" ({self.note})" if self.note else ""
            return f"периодически{detail} — без напоминаний"
        return f"не распознано: {self.note}" if self.note else "не распознано"


def reading_line(deadline: Deadline) -> str:
    """Return one line for the command line: the phrase, its kind and how it was read."""
    text = " ".join(deadline.text.split())
    return f"{text} → {KIND_LABELS[deadline.kind]}: {deadline.explain()}"


def _plural_srok(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "срок"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "срока"
    return "сроков"


_ONGOING_LABELS = {
    "year": "в течение года",
    "school": "в течение учебного года",
    "quarter": "в течение квартала",
    "half": "в течение полугодия",
    "month": "в течение месяца",
}


_NEXT_YEAR = re.compile("|".join(re.escape(cue) for cue in NEXT_YEAR_CUES))


def parse_deadline(text: str, plan_year: int, *, school_year: bool = False) -> Deadline:
    """Return how the deadline phrase ``text`` reads in plan year ``plan_year``.

    With ``school_year``, the plan covers the school year plan_year/plan_year+1: dates without a
    year from January to August fall in plan_year + 1 (a plan «на 2023-2024 учебный год» reads
    «март» as 31.03.2024)."""
    s = normalise(text)
    shift = 1 if _NEXT_YEAR.search(s) else 0
    try:
        found = read_explicit(tokenise(s), plan_year, shift, day_of_month(s), school_year)
    except BadDate as exc:
        return Deadline(text, "unknown", note=f"нет такой даты: {exc}")

    # «2008 - 2010 ежемесячно»: years that only bound recurring work are not its deadlines.
    only_years = all(unit == "year" for unit in found.units)
    if found.dates and not (only_years and is_recurring(s)):
        if found.ongoing and len(found.dates) == 1:
            label = "" if found.ranged else _ONGOING_LABELS.get(found.units[0], "")
            return Deadline(text, "ongoing", found.dates, note=label or "в течение периода")
        if all(unit == "school" for unit in found.units) and len(found.dates) == 1:
            return Deadline(text, "ongoing", found.dates, note="в течение учебного года")
        return Deadline(text, "dates", found.dates)
    reading = read_cues(s, plan_year)
    dates = reading.due_dates
    if school_year and reading.kind == "ongoing":
        # The year of a school-year plan is its school year: «в течение года», «ежегодно»,
        # «весь период» run to the school year's end, as «в течение учебного года» does.
        return Deadline(text, "ongoing", (date(plan_year + 1, 5, 31),), reading.note)
    if school_year:  # January to August of a school year Y/Y+1 lie in Y+1
        dates = tuple(
            sorted(
                d.replace(year=d.year + 1) if d.year == plan_year and d.month < 9 else d
                for d in dates
            )
        )
    return Deadline(text, reading.kind, dates, reading.note)
