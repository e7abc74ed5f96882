"""The small workbook the crash, service and lint tests share (a two-line roadmap, two schools,
one executor, a submission table), and the clock the service's loop runs on in tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MSK = ZoneInfo("Europe/Moscow")

ROADMAP = [
    ["План мероприятий на 2020 год"],
    [],
    ["№", "Мероприятие", "Срок", "Ответственные"],
    ["I. Отчётность"],
    ["1", "Отчёт о работе интернет-страницы", "До 01.03.2020; До 01.06.2020", "СОИРО, ШИБЦ ОО"],
    ["2", "План работы на учебный год", "До 10.09.2020", "ШИБЦ ОО"],
]
SCHOOLS = [
    ["Код", "Школа", "Email"],
    ["01", "Школа № 1", "s1@example.org"],
    ["02", "Школа № 2", "s2@example.org"],
]
EXECUTORS = [["Исполнитель", "Email"], ["СОИРО", "soiro@example.org"]]
SUBMISSIONS = [
    ["Код", "Школа", "1 до 01.03.2020", "1 до 01.06.2020", "2 до 10.09.2020"],
    ["01", "Школа № 1", date(2020, 2, 20), "сдано", ""],
    ["02", "Школа № 2", "", "н/т", date(2020, 9, 1)],
]
TABS = {
    "Дорожная карта": ROADMAP,
    "Школы": SCHOOLS,
    "Ответственные": EXECUTORS,
    "Сдача отчётов": SUBMISSIONS,
}


def at(day: str, hhmm: str = "00:00") -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(hhmm), MSK)


@dataclass
class FakeClock:
    """Time that passes only when the loop sleeps (or a cycle takes a while); it stops the
    loop once `until` is reached."""

    t: datetime
    until: datetime
    stop: threading.Event
    suspend: tuple[datetime, datetime] | None = None  # asleep from, woken at

    def now(self) -> datetime:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)
        if self.suspend and self.t >= self.suspend[0]:
            self.t, self.suspend = self.suspend[1], None
        if self.t >= self.until:
            self.stop.set()
