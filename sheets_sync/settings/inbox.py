"""The `[inbox]` settings as a frozen value, and their checks. Pure data.

The password comes from the environment only (`SHEETS_SYNC_INBOX_PASSWORD`, or
`SHEETS_SYNC_INBOX_PASSWORD_FILE` naming a file that holds it), like the SMTP one: see
`credentials.inbox_password`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from .credentials import INBOX_ENV, inbox_password
from .reader import Reader

DEFAULT_PROCESSED = "$SheetsSyncDone"
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
# An IMAP keyword is an atom: no space, no control character, none of ( ) { % * " \ ].
_KEYWORD = re.compile(r'^\$[^\x00-\x20\x7f(){%*"\\\]]+$')

Security = Literal["ssl", "starttls", "none"]


@dataclass(frozen=True, slots=True)
class InboxSettings:
    """Where replies arrive and what the service does with them.

    `processed` is how a processed message is marked on the server: a value starting with "$"
    is a keyword flag set on the message where it lies; anything else is a folder it is moved
    to. Mail is never deleted.
    """

    host: str = ""
    port: int = 993
    security: Security = "ssl"
    user: str = ""
    password: str | None = field(default=None, repr=False)
    folder: str = "INBOX"
    processed: str = DEFAULT_PROCESSED
    attachments_dir: Path = Path("inbox")
    max_attachment_bytes: int = 20 * 1024 * 1024
    mark_submissions: bool = False
    timeout_seconds: float = 30.0
    ca_file: Path | None = None

    @property
    def processed_flag(self) -> str:
        """The keyword set on processed messages, or "" when they are moved to a folder."""
        return self.processed if self.processed.startswith("$") else ""

    @property
    def processed_folder(self) -> str:
        """The folder processed messages move to, or "" when they are flagged in place."""
        return "" if self.processed.startswith("$") else self.processed

    @property
    def mailbox(self) -> str:
        """The name the local state keeps this mailbox's messages under: user@host/folder."""
        return f"{self.user.lower()}@{self.host.lower()}/{self.folder}"

    def problems(self) -> list[str]:
        """Return what is wrong with these settings, each naming its key and the fix."""
        problems: list[str] = []
        if not self.host:
            problems.append('`inbox.host` is missing: e.g. host = "imap.yandex.ru"')
        if self.security not in DEFAULT_PORTS:
            problems.append(
                f'`inbox.security` = "{self.security}": write "ssl" (port 993), '
                '"starttls" (port 143) or "none"'
            )
        if not 0 < self.port < 65536:
            problems.append(f"`inbox.port` = {self.port} is not a port number (993, 143)")
        if not self.user:
            problems.append('`inbox.user` is missing: the mailbox login, e.g. "school@yandex.ru"')
        if not self.folder.strip():
            problems.append('`inbox.folder` is empty: write "INBOX" or the folder replies go to')
        problems += _processed_problems(self.processed, self.folder)
        if self.max_attachment_bytes < 1:
            problems.append("`inbox.max_attachment_bytes` must be 1 or more (20 MB: 20971520)")
        if self.timeout_seconds <= 0:
            problems.append("`inbox.timeout_seconds` must be above 0")
        return problems


def _processed_problems(processed: str, folder: str) -> list[str]:
    if processed.startswith("$"):
        if not _KEYWORD.match(processed):
            return [
                (
                    f'`inbox.processed` = "{processed}" is not a usable flag: write "$" and '
                    f'letters without spaces or brackets, e.g. "{DEFAULT_PROCESSED}", or a '
                    "folder name"
                )
            ]
        return []
    if not processed.strip():
        return [
            (
                f'`inbox.processed` is empty: write a flag like "{DEFAULT_PROCESSED}" or the '
                "folder processed mail moves to"
            )
        ]
    if processed == folder:
        return [
            (
                f'`inbox.processed` = "{processed}" is the folder replies are read from: '
                f'name another folder, or a flag like "{DEFAULT_PROCESSED}"'
            )
        ]
    return []


def read_inbox(
    r: Reader, resolve: Callable[[str], Path], env: Mapping[str, str]
) -> InboxSettings | None:
    """Return the [inbox] settings, or None when the section is absent (replies not read)."""
    section = r.table("inbox")
    keys = {"host", "port", "security", "user", "folder", "processed", "attachments_dir"}
    keys |= {"max_attachment_bytes", "mark_submissions", "timeout_seconds", "ca_file"}
    if "password" in section:
        r.used.add("inbox.password")
        r.problems.append(
            "`inbox.password` must not be in the file: remove it and set the environment "
            f"variable {INBOX_ENV} (or {INBOX_ENV}_FILE)"
        )
    d = InboxSettings()
    security = r.get("inbox.security", str, d.security)
    ca = r.get("inbox.ca_file", str, "")
    found = InboxSettings(
        host=r.get("inbox.host", str, ""),
        port=r.get("inbox.port", int, DEFAULT_PORTS.get(security, d.port)),
        security=security,  # type: ignore[arg-type]
        user=r.get("inbox.user", str, ""),
        folder=r.get("inbox.folder", str, d.folder),
        processed=r.get("inbox.processed", str, d.processed),
        attachments_dir=resolve(r.get("inbox.attachments_dir", str, str(d.attachments_dir))),
        max_attachment_bytes=r.get("inbox.max_attachment_bytes", int, d.max_attachment_bytes),
        mark_submissions=r.get("inbox.mark_submissions", bool, d.mark_submissions),
        timeout_seconds=float(r.get("inbox.timeout_seconds", (int, float), d.timeout_seconds)),
        ca_file=resolve(ca) if ca else None,
    )
    if not section or not set(section) & keys:
        return None
    r.problems.extend(found.problems())
    if found.ca_file and not found.ca_file.is_file():
        r.problems.append(f"`inbox.ca_file` names {found.ca_file}, which does not exist")
    password, problem = inbox_password(env)
    if problem:
        r.problems.append(problem)
    return replace(found, password=password)
