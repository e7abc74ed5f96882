"""The regional hub: one summary workbook over many source workbooks (`python run.py hub`).

Each source is a full roadmap workbook that runs its own cycle (reminders, generated tabs)
unless the hub only reads it; the summary gets «Сводка по источникам», «Просрочено (все)»,
«Муниципалитеты» and its own «Проблемы». Sources that did not change since the last cycle cost
no request (Drive's modifiedTime, listed for all of them at once); every Google request is paced
under the per-minute quotas.
"""

from __future__ import annotations

from dataclasses import replace

from sheets_sync.settings.types import Settings


def hub_view(settings: Settings) -> Settings:
    """Return `settings` with the hub's summary as "the workbook", when a hub is configured:
    `hub` and `serve` lock it, and the service keeps its status under its name."""
    if settings.hub is None:
        return settings
    return replace(settings, workbook=settings.hub.workbook)
