"""The service's health as rows for «Сводка»: the last good run, the next planned send, and the
last failure with its reason. Pure."""

from __future__ import annotations

from datetime import datetime

from sheets_sync.wording import ru_datetime

from .context import Health
from .tabs import Cell, Row, row


def _when(value: datetime | None, never: str) -> str:
    return ru_datetime(value) if value is not None else never


def health_rows(health: Health | None) -> list[Row]:
    """Return the «Служба рассылки» block of «Сводка» (a blank row, a section row and three
    rows); no rows when the tabs were not written by the service."""
    if health is None:
        return []
    failing = health.failures_in_a_row > 0
    if health.last_failure is None:
        failure = Cell("не было", "done")
    else:
        text = f"{ru_datetime(health.last_failure)}: {health.failure_reason}"
        if failing:
            text += f" (неудачных запусков подряд: {health.failures_in_a_row})"
        failure = Cell(text, "bad" if failing else "muted")
    return [
        (),
        row("", "Служба рассылки", style="section"),
        (
            Cell(),
            Cell("Последний успешный запуск"),
            Cell(_when(health.last_success, "ещё не было")),
        ),
        (Cell(), Cell("Следующая рассылка"), Cell(_when(health.next_run, "не запланирована"))),
        (Cell(), Cell("Последний сбой"), failure),
    ]
