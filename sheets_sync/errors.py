"""The exceptions sheets_sync raises. The command line prints `Error: <message>` and exits 1."""

from __future__ import annotations

from collections.abc import Sequence


class SheetsSyncError(Exception):
    """Something the user can fix; the message says how."""


class ConfigError(SheetsSyncError):
    """The configuration is wrong. Lists every problem at once, each naming its key and the fix."""

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        where = f" in {source}" if source else ""
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"the configuration{where} has {len(self.problems)} problem(s):\n{lines}")


class WorkbookError(SheetsSyncError):
    """The workbook cannot be opened, read or written."""


class WorkbookChanged(WorkbookError):
    """Someone saved the workbook after it was read; re-read and recompute instead of overwriting."""


class DeliveryError(SheetsSyncError):
    """An email could not be delivered. Permanent errors are not retried."""

    def __init__(self, recipient: str, reason: str, *, permanent: bool = False) -> None:
        self.recipient = recipient
        self.reason = reason
        self.permanent = permanent
        super().__init__(f"{recipient}: {reason}")
