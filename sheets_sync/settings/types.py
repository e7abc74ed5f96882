"""The settings as frozen, typed values: what `config.py` loads from `config/*.toml`. Pure data.

Also the one place where the sheet's Russian headers are known to the code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .hub import HubSettings

MUNICIPALITY = ("Муниципалитет", "Муниципальное образование", "Район", "Округ")

from .inbox import InboxSettings

# The one place where the sheet's Russian headers are known to the code. Headers are matched
# ignoring case, spacing, ё/е and trailing punctuation; `[columns.<tab>]` adds aliases.
DEFAULT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "roadmap": {
        "number": ("№", "№ п/п", "№п/п", "Номер", "N", "N п/п"),
        "title": (
            "Мероприятие",
            "Наименование мероприятия",
            "Наименование мероприятий",
            "Мероприятия",
            "Направления деятельности",
        ),
        "content": ("Содержание", "Содержание деятельности", "Содержание работы"),
        "deadline": (
            "Срок",
            "Сроки",
            "Сроки реализации",
            "Срок реализации",
            "Срок исполнения",
            "Сроки исполнения",
            "Сроки проведения",
            "Срок проведения",
            "Срок выполнения",
            "Сроки выполнения",
            "Дата проведения",
            "Дата",
            "Период реализации",
        ),
        "deadline_date": ("Срок (дата)", "Дата срока"),
        "owners": (
            "Ответственные",
            "Ответственные исполнители",
            "Ответственный исполнитель",
            "Ответственный",
            "Исполнители",
            "Исполнитель",
            "Ответственные лица",
            "Ответственный за исполнение",
        ),
        "school_report": ("Отчёт школ", "Отчет от школ"),
        "done": ("Выполнено", "Отметка о выполнении"),
        "note": ("Примечание", "Примечания"),
        # Read by the importer only: a roadmap line's expected result, kept in its own column.
        "result": (
            "Ожидаемый результат",
            "Ожидаемые результаты",
            "Планируемый результат",
            "Результат",
        ),
    },
    "schools": {
        "code": ("Код", "Код школы"),
        "name": ("Школа", "Наименование", "Образовательная организация", "ОО"),
        "email": ("Email", "E-mail", "Эл. почта", "Электронная почта", "Почта"),
        "contact": ("Контактное лицо", "Ответственный"),
        "active": ("Активна", "Активно", "Участвует"),
        "municipality": MUNICIPALITY,
        "former_codes": ("Прежний код", "Прежние коды"),
    },
    "executors": {
        "name": ("Исполнитель", "Ответственный"),
        "email": ("Email", "E-mail", "Эл. почта", "Электронная почта", "Почта"),
        "synonyms": ("Синонимы", "Другие написания"),
        "role": ("Роль", "Роль в плане"),
        # With «Роль» «координатор»: the municipality this coordinator answers for.
        "municipality": MUNICIPALITY,
    },
    "submissions": {
        "code": ("Код", "Код школы"),
        "name": ("Школа", "Наименование"),
    },
    # The hub's staff tab «Источники» (in its summary workbook): one source workbook a row.
    "sources": {
        "table": ("Таблица (URL или путь)", "Таблица", "URL", "Ссылка", "Путь", "Файл"),
        "name": ("Название", "Наименование", "Школа"),
        "municipality": MUNICIPALITY,
        "active": ("Активна", "Активно", "Участвует"),
        "read_only": ("Только читать", "Только чтение"),
    },
}
REQUIRED_COLUMNS = {
    "roadmap": ("number", "title", "deadline", "owners"),
    "schools": ("code", "name", "email"),
    "executors": ("name", "email"),
    "submissions": ("code",),
    "sources": ("table",),
}
DEFAULT_SCHOOL_NAMES = (
    "ШИБЦ ОО",
    "ОО",
    "школы",
    "все школы",
    "образовательные организации",
    "ШИБЦ Смоленской области",
    "ШИБЦ",
)

_EMAIL = re.compile(r"^[^@\s<>\"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}$")
MAX_ADDRESS = 254  # RFC 5321: the longest path a server must accept


def is_email(address: str) -> bool:
    """Return whether `address` looks like a deliverable email address (user@host.tld, at most
    254 characters)."""
    return len(address) <= MAX_ADDRESS and bool(_EMAIL.match(address))


@dataclass(frozen=True, slots=True)
class TabNames:
    roadmap: str = "Дорожная карта"
    schools: str = "Школы"
    executors: str = "Ответственные"
    submissions: str = "Сдача отчётов"
    summary: str = "Сводка"
    overdue: str = "Просрочено"
    deadlines: str = "Сроки"
    problems: str = "Проблемы"
    journal: str = "Журнал рассылки"
    inbox: str = "Входящие"  # "" when no reply mailbox is read (no `[inbox]`)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.roadmap, self.schools, self.executors, self.submissions)

    @property
    def generated(self) -> tuple[str, ...]:
        tabs = (self.summary, self.overdue, self.deadlines, self.problems, self.journal)
        return (*tabs, self.inbox) if self.inbox else tabs


Columns = Mapping[str, Mapping[str, tuple[str, ...]]]
"""Per input tab, per field, the headers that name the field's column."""


@dataclass(frozen=True, slots=True)
class ReadingSettings:
    """What reading the input tabs needs: tab names, headers, the words that mean "the schools",
    and the plan year when it is set rather than taken from the roadmap's title."""

    tabs: TabNames = TabNames()
    columns: Columns = field(default_factory=lambda: DEFAULT_COLUMNS)
    school_names: tuple[str, ...] = DEFAULT_SCHOOL_NAMES
    plan_year: int | None = None
    school_year: bool | None = None  # None: a school-year plan when its title says so


@dataclass(frozen=True, slots=True)
class WorkbookSettings:
    backend: Literal["xlsx", "google"] = "xlsx"
    path: Path | None = None
    spreadsheet: str | None = None


@dataclass(frozen=True, slots=True)
class GoogleSettings:
    credentials: Path | None = None
    credentials_info: Mapping[str, Any] | None = field(default=None, repr=False)
    api_endpoint: str | None = None
    timeout_seconds: float = 30.0
    retry_seconds: float = 120.0


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    before_due_days: tuple[int, ...] = (7, 1)
    overdue: bool = True
    repeat_overdue_every_days: int = 7
    escalate_after_days: int = 14
    escalate_to: tuple[str, ...] = ()
    # When the party's municipality has its own coordinator («Ответственные»), the escalation
    # goes to that coordinator first and to `escalate_to` this many days later.
    escalate_region_after_days: int = 7
    due_soon_days: int = 7
    working_days_only: bool = True
    max_emails_per_run: int = 60
    weekly_summary: str = ""  # a weekday ("monday") to send coordinators a summary; "" = off
    # The first day of reminders (None: the first run). What was long overdue by then goes to
    # the coordinators once, as a backlog, instead of to the schools.
    start_date: date | None = None


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    country: str = "RU"
    extra_holidays: tuple[str, ...] = ()
    extra_workdays: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = ""
    port: int = 465
    security: Literal["ssl", "starttls", "none"] = "ssl"
    user: str = ""
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0
    retries: int = 3
    ca_file: Path | None = None


@dataclass(frozen=True, slots=True)
class MailSettings:
    delivery: Literal["outbox", "smtp"] = "outbox"
    sender: str = "sheets_sync <noreply@example.org>"
    reply_to: str = ""
    outbox: Path = Path("outbox")
    submit_url: str = "{spreadsheet_url}"
    smtp: SmtpSettings = SmtpSettings()
    signature: tuple[str, ...] = ()  # the lines that close every email: name, position, phone


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """`python run.py serve`: when it sends, how often it refreshes the tabs, whom it tells."""

    send_at: time = time(9, 0)  # the daily sending cycle, in `timezone`, on sending days
    refresh_minutes: int = 60  # refresh the generated tabs without sending; 0 = never
    ping_url: str = ""  # a dead-man's switch (healthchecks.io): GET after each good cycle
    alert_after_failures: int = 3  # email admin_email after this many failed cycles in a row
    admin_email: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    source: Path
    workbook: WorkbookSettings
    plan_year: int | None = None
    school_year: bool | None = None  # None: a school-year plan when its title says so
    timezone: str = "Europe/Moscow"
    google: GoogleSettings = GoogleSettings()
    tabs: TabNames = TabNames()
    columns: Columns = field(default_factory=lambda: DEFAULT_COLUMNS)
    school_names: tuple[str, ...] = DEFAULT_SCHOOL_NAMES
    reminders: ReminderPolicy = ReminderPolicy()
    calendar: CalendarSettings = CalendarSettings()
    mail: MailSettings = MailSettings()
    state_dir: Path = Path("state")
    service: ServiceSettings = ServiceSettings()
    inbox: InboxSettings | None = None  # the reply mailbox; None: replies are not read
    hub: HubSettings | None = None  # None: no [hub] (its summary workbook) configured

    @property
    def reading(self) -> ReadingSettings:
        """Return what the input readers need (and nothing else: no credentials)."""
        return ReadingSettings(
            self.tabs, self.columns, self.school_names, self.plan_year, self.school_year
        )
