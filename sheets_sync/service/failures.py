"""A failed cycle said three ways: a short Russian reason for «Сводка», a Russian fix for the
administrator's alert, and the error itself as logged."""

from __future__ import annotations

from dataclasses import dataclass

from sheets_sync.errors import ConfigError, SheetsSyncError, WorkbookError
from sheets_sync.mail.delivery import DeliveryUnavailable

CHECK = "Проверка без рассылки: `python run.py check`."


@dataclass(frozen=True, slots=True)
class Failure:
    reason: str  # Russian: what broke
    fix: str  # Russian: what the administrator should do
    detail: str  # the error as logged (English, never a secret)


def failure_of(exc: Exception) -> Failure:
    """Return what a cycle that raised `exc` tells people."""
    detail = str(exc).strip() or type(exc).__name__
    if isinstance(exc, ConfigError):
        return Failure(
            "ошибка в файле настроек",
            f"Исправьте настройки по сообщению ниже. {CHECK}",
            detail,
        )
    if isinstance(exc, DeliveryUnavailable):
        return delivery_failure(detail)
    if isinstance(exc, WorkbookError):
        return Failure(
            "таблица недоступна: не удалось прочитать или записать её",
            "Проверьте, что таблица на месте и открыта для сервисного аккаунта с правом "
            f"редактирования, и что сервер выходит в сеть. {CHECK}",
            detail,
        )
    if isinstance(exc, SheetsSyncError):
        return Failure("запуск не удался", f"Исправьте по сообщению ниже. {CHECK}", detail)
    return Failure(
        "внутренняя ошибка программы",
        "Это ошибка sheets_sync: сообщите о ней разработчикам, приложив журнал службы "
        "(`journalctl -u sheets-sync`).",
        f"{type(exc).__name__}: {detail}",
    )


def delivery_failure(detail: str) -> Failure:
    return Failure(
        "почтовый сервер недоступен: письма не отправлены",
        f"Проверьте раздел [mail.smtp] настроек и пароль (SHEETS_SYNC_SMTP_PASSWORD). {CHECK}",
        detail,
    )


def unreadable_failure(note: str, detail: str) -> Failure:
    """Return the failure of a cycle that sent nothing because an input tab cannot be read."""
    return Failure(
        f"рассылка остановлена: {note}",
        "Исправьте заголовки таблицы по листу «Проблемы» (или попросите об этом тех, кто её "
        f"ведёт). {CHECK}",
        detail,
    )


def over_cap_failure(emails: int, cap: int) -> Failure:
    return Failure(
        f"рассылка остановлена: {emails} писем — больше лимита {cap} за запуск",
        "Проверьте сроки и отметки о сдаче (см. лист «Проблемы»): ошибка в дате или столбце "
        "может разослать письма всем школам. Если всё верно — увеличьте "
        "reminders.max_emails_per_run.",
        f"{emails} emails would exceed reminders.max_emails_per_run = {cap}; none were sent",
    )
