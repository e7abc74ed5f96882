"""Why a source could not be read or run, in Russian, with the fix: a row of the hub's
«Проблемы». Pure."""

from __future__ import annotations

from dataclasses import dataclass

from .sources import Source

NOT_SHARED = 403
NOT_FOUND = 404
UNAUTHORIZED = 401


@dataclass(frozen=True, slots=True)
class Failure:
    what: str
    fix: str


def explain(error: Exception, source: Source, account: str) -> Failure:
    """Return why `source` failed with `error` (an exception from its workbook or its cycle)."""
    text = str(error)
    status = int(getattr(error, "status", 0) or 0)
    name = type(error).__name__
    if name == "AlreadyRunning":
        return Failure(
            "таблицу сейчас обрабатывает другой запуск sheets_sync; хаб её пропустил",
            f"Дождитесь конца того запуска или остановите его ({text}).",
        )
    if source.kind == "xlsx":
        return _file(text, source)
    if status == NOT_SHARED and "not enabled" in text:
        return Failure(
            "в проекте Google Cloud служебного аккаунта выключен Google Sheets API",
            "Администратору: включите Google Sheets API в Google Cloud Console.",
        )
    if status == NOT_SHARED:
        return Failure(
            "нет доступа к таблице: она не открыта служебному аккаунту",
            f"Откройте таблицу, нажмите «Настройки доступа» и добавьте {account or 'служебный аккаунт'}"
            f" как {'читателя' if source.read_only else 'редактора'}.",
        )
    if status == NOT_FOUND:
        return Failure(
            "таблица не найдена: её удалили или в ссылке ошибка",
            "Восстановите таблицу из корзины Google Диска или исправьте ссылку в «Источниках».",
        )
    if status == UNAUTHORIZED:
        return Failure(
            "Google не принял ключ служебного аккаунта",
            "Администратору: создайте новый ключ JSON и укажите его в настройках.",
        )
    if "has no tab" in text:
        tab = text.split("«", 1)[-1].split("»", 1)[0]
        return Failure(
            f"в таблице нет листа «{tab}»",
            f"Добавьте лист «{tab}» (или переименуйте лист с планом), либо назовите его в "
            "настройках tabs.roadmap.",
        )
    if name == "GoogleUnavailable":
        return Failure(
            "Google не ответил вовремя; данные — с последнего успешного чтения",
            "Ничего делать не нужно: хаб попробует снова в следующем цикле.",
        )
    return Failure(f"не удалось обработать таблицу: {text}", "Администратору: см. журнал службы.")


def _file(text: str, source: Source) -> Failure:
    if "there is no workbook" in text:
        return Failure(
            f"файл не найден: {source.location}",
            "Проверьте путь в «Источниках» (или в настройках) и что файл на месте.",
        )
    if "saved by someone else" in text or "kept changing" in text:
        return Failure(
            "файл всё время сохраняли, пока хаб его читал",
            "Ничего делать не нужно: хаб попробует снова в следующем цикле.",
        )
    return Failure(
        f"файл не читается: {text}",
        "Откройте файл в Excel или LibreOffice и сохраните его как книгу Excel (.xlsx).",
    )


def roadmap_unreadable(first: str, fix: str) -> Failure:
    """Return the failure of a source whose roadmap has no line the hub can read."""
    return Failure(
        f"в таблице не читается дорожная карта: {first}",
        fix or "Проверьте лист с планом и строку заголовков (№, Мероприятие, Срок, Ответственные).",
    )
