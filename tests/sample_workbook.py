"""The small staff workbook several test modules share: a three-line roadmap for 2020, three
schools (one inactive), one executor and a submission table; and the helpers that run a cycle
on it through the Google emulator."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sheets_sync.cycle import RunResult, run_cycle
from sheets_sync.mail.delivery import OutboxDelivery
from sheets_sync.workbook.google import GoogleWorkbook

ROADMAP = [
    ["План мероприятий на 2020 год"],
    [],
    ["№", "Мероприятие", "Срок", "Ответственные"],
    ["I. Отчётность"],
    ["1", "Отчёт о работе интернет-страницы", "До 01.03.2020; До 01.06.2020", "СОИРО, ШИБЦ ОО"],
    ["2", "План работы на учебный год", "До 10.09.2020", "ШИБЦ ОО"],
    ["3", "Участие в заседаниях РУМО", "По плану РУМО", "СОИРО"],
]
SCHOOLS = [
    ["Код", "Школа", "Email", "Активна"],
    ["01", "Школа № 1", "s1@example.org", "да"],
    ["02", "Школа № 2", "s2@example.org", "да"],
    ["03", "Школа № 3", "s3@example.org", "нет"],
]
EXECUTORS = [["Исполнитель", "Email", "Синонимы"], ["СОИРО", "soiro@example.org", "РИБЦ"]]
SUBMISSIONS = [
    ["Код", "Школа", "1 до 01.03.2020", "1 до 01.06.2020", "2 до 10.09.2020"],
    ["01", "Школа № 1", date(2020, 2, 20), "сдано", ""],
    ["02", "Школа № 2", "", "н/т", date(2020, 9, 1)],
]


def make(project, roadmap=ROADMAP, schools=SCHOOLS, executors=EXECUTORS, submissions=SUBMISSIONS):
    return project.workbook(
        {
            "Дорожная карта": roadmap,
            "Школы": schools,
            "Ответственные": executors,
            "Сдача отчётов": submissions,
        },
        header_rows={"Дорожная карта": 3},
    )


TODAY = date(2020, 9, 8)
NOW = datetime(2020, 9, 8, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def staff(roadmap=ROADMAP, submissions=SUBMISSIONS):
    def text(rows):
        return [[c.strftime("%d.%m.%Y") if isinstance(c, date) else c for c in r] for r in rows]

    return {
        "Дорожная карта": text(roadmap),
        "Школы": text(SCHOOLS),
        "Ответственные": text(EXECUTORS),
        "Сдача отчётов": text(submissions),
    }


class Sleeps(list):
    """Records the waits of the retry loop instead of sleeping on the wall clock."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def cycle(settings, workbook=None, today=TODAY) -> RunResult:
    """Run one cycle through the Google backend as of `today`, the retry loop's waits recorded."""
    workbook = workbook or GoogleWorkbook(settings, sleep=Sleeps())
    return run_cycle(settings, workbook, OutboxDelivery(settings.mail.outbox), today=today, now=NOW)
