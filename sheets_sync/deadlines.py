"""Free Russian deadline text -> Deadline. Pure.

Contract (stable; the rest of the code and the tests use it):

    parse_deadline(text: str, plan_year: int) -> Deadline

Deadline.kind is one of "dates", "ongoing", "on_request", "periodic", "unknown".
Deadline.due_dates is a sorted tuple of datetime.date: empty for on_request, periodic and
unknown; the period end for ongoing. Deadline.explain() is a short Russian description.

PLACEHOLDER: a minimal reader; the thorough one replaces the body of this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

DeadlineKind = Literal["dates", "ongoing", "on_request", "periodic", "unknown"]

KIND_LABELS: dict[str, str] = {
    "dates": "даты",
    "ongoing": "в течение периода",
    "on_request": "по запросу",
    "periodic": "периодически",
    "unknown": "не распознано",
}

UNDERSTOOD_FORMS = (
    "«до 01.03.2020», «1 марта 2020 г.», «апрель», «ноябрь – декабрь», «I квартал», "
    "«ежемесячно до 5 числа», «Ежегодно (апрель, октябрь)», «в течение года», «по запросу»"
)


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    kind: DeadlineKind
    due_dates: tuple[date, ...] = ()

    def explain(self) -> str:
        """Return a short Russian description of the reading, for the «Сроки» tab."""
        dates = ", ".join(d.strftime("%d.%m.%Y") for d in self.due_dates)
        if self.kind == "dates":
            n = len(self.due_dates)
            return f"срок: {dates}" if n == 1 else f"{n} срока: {dates}"
        if self.kind == "ongoing":
            return f"в течение периода, до {dates}"
        if self.kind == "on_request":
            return "по запросу — без срока"
        if self.kind == "periodic":
            return "периодически — без напоминаний"
        return "не распознано"


_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_deadline(text: str, plan_year: int) -> Deadline:
    """Return how the deadline phrase ``text`` reads in plan year ``plan_year``."""
    found = sorted({date(int(y), int(m), int(d)) for d, m, y in _DATE.findall(text)})
    if found:
        return Deadline(text, "dates", tuple(found))
    return Deadline(text, "unknown")
