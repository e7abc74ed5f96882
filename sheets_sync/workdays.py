"""Working days of a production calendar (Russian by default): weekends, public holidays,
transferred days off and working Saturdays, as the `holidays` package knows them. Pure."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from sheets_sync.settings.types import CalendarSettings


class WorkCalendar:
    """Answers whether a day is a working day; config adds holidays and working days."""

    def __init__(self, settings: CalendarSettings | None = None) -> None:
        settings = settings or CalendarSettings()
        self.country = settings.country
        self.extra_holidays = frozenset(date.fromisoformat(d) for d in settings.extra_holidays)
        self.extra_workdays = frozenset(date.fromisoformat(d) for d in settings.extra_workdays)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        return bool(_country(self.country, day.year).is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        """Return why `day` is a day off (holiday name or weekend), or None on a working day."""
        if self.is_working_day(day):
            return None
        if day in self.extra_holidays:
            return "выходной по настройкам"
        name = _country(self.country, day.year).get(day)
        return str(name) if name else "выходной"


@lru_cache(maxsize=32)
def _country(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year, language="ru")
