"""What every command shares at the edge: the clock, read once here, and paths shown as the user
would type them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_sync.settings.types import Settings


def shown(path: Path | str | None) -> str:
    """Return a path relative to the current folder when it lies inside it."""
    if path is None:
        return ""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def clock(settings: Settings, today: date | None) -> tuple[date, datetime]:
    """Return (today, now) in the configured time zone. --today changes what is due, never
    when things happen: emails are dated, and the journal and «Сводка» stamped, with the real
    time."""
    now = datetime.now(ZoneInfo(settings.timezone))
    return (now.date() if today is None else today), now


def this_year(timezone: str = "Europe/Moscow") -> int:
    """Return the current year: the plan year of a phrase read with none given."""
    return datetime.now(ZoneInfo(timezone)).year
