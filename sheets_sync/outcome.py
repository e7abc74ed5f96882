"""What a run says about itself: its own «Проблемы» rows (parties with no address, the cap, the
mail server, emails not delivered) and the one-line note on «Сводка». Pure."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sheets_sync.inputs.problems import Problem, Problems
from sheets_sync.wording import LETTERS, REMINDERS, count

if TYPE_CHECKING:
    from sheets_sync.cycle import Computed, RunResult
    from sheets_sync.settings.types import Settings

REFRESH_NOTE = "Листы обновлены без рассылки; рассылка — по расписанию службы."


def run_problems(
    result: RunResult, computed: Computed, settings: Settings, *, dry_run: bool = False
) -> list[Problem]:
    """Return the data problems, then the run's own: parties with no address, the cap, the
    mail server, and each email that was not delivered."""
    found = list(computed.problems)
    extra = Problems()
    for party, missed in result.mailing.unreachable:
        not_sent = f"в последней рассылке не отправлено {count(missed, REMINDERS)}"
        cell = party.fix_cell
        at = next(
            (i for i, p in enumerate(found) if cell and (p.tab, p.cell) == (cell.tab, cell.cell)),
            None,
        )
        if at is not None:  # the cell's fault is already a row: it says what it costs
            found[at] = replace(found[at], what=f"{found[at].what}; {not_sent}")
            continue
        what = f"{party.name}: {not_sent}, {party.no_email}"
        fix = "Впишите в эту ячейку адрес электронной почты (вид: name@example.ru)."
        if cell:
            extra.at(cell, what, fix)
        else:
            extra.on_tab("", what, fix)
    problems = Problems([*found, *extra])
    if result.over_cap and not dry_run:
        cap = settings.reminders.max_emails_per_run
        problems.on_tab(
            "",
            f"рассылка остановлена: {len(result.emails)} писем, больше лимита {cap} за один запуск",
            "Проверьте сроки и отметки о сдаче (ошибка в дате или в столбце может разослать "
            "письма всем школам); если всё верно — увеличьте reminders.max_emails_per_run в "
            "настройках.",
        )
    if result.delivery_error:
        problems.on_tab(
            "",
            "не удалось подключиться к почтовому серверу: письма этого запуска не "
            "отправлены, они уйдут при следующем запуске",
            "Администратору: проверьте раздел [mail.smtp] настроек и пароль (подробности — в "
            "выводе команды `python run.py once`).",
        )
    for email, note in result.outcome.partly_refused:
        problems.on_tab(
            "",
            f"письмо для «{email.to_name}» доставлено не на все адреса: {note}",
            "Исправьте или удалите отклонённый адрес в листе школ или ответственных.",
        )
    for email, reason in result.outcome.failed:
        problems.on_tab(
            "",
            f"письмо для «{email.to_name}» ({', '.join(email.to)}) не доставлено: {reason}",
            "Проверьте адрес получателя; при временной ошибке письмо уйдёт при следующем запуске.",
        )
    return list(problems)


def run_note(result: RunResult, delivery_name: str) -> str:
    if result.delivery_error:
        return "Рассылка не удалась: почтовый сервер недоступен (см. «Проблемы»)."
    if result.hold_reason:
        return f"Рассылка сегодня не проводилась: {result.hold_reason}."
    if result.over_cap:
        return f"Рассылка остановлена: {len(result.emails)} писем — больше лимита (см. «Проблемы»)."
    sent, failed = len(result.sent), len(result.failed)
    if not sent and not failed:
        return "Новых напоминаний нет: всё уже разослано или сроки не подошли."
    where = "в папку" if delivery_name == "outbox" else "по почте"
    note = f"Разослано {where}: {count(sent, LETTERS)}"
    return note + (f"; не доставлено: {failed}." if failed else ".")
