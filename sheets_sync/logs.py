"""Logging for the command line and the service: plain lines, or one JSON object a line for log
collectors (`--log-format json`), on standard error. Never a secret: every line is scrubbed of
the SMTP password and the Google key (from the environment and the loaded settings) and of
anything shaped like a private key, an access token or a signed assertion. Email bodies are
never logged in the first place.

A structured line carries its values in `extra=fields(...)`: JSON lines show them as keys.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sheets_sync.settings.types import Settings

LOG_FORMATS = ("text", "json")

# Environment variables holding a secret, or naming a file that holds one.
SECRET_ENV = ("SHEETS_SYNC_SMTP_PASSWORD", "SHEETS_SYNC_GOOGLE_CREDENTIALS")
SECRET_FILE_ENV = (
    "SHEETS_SYNC_SMTP_PASSWORD_FILE",
    "SHEETS_SYNC_GOOGLE_CREDENTIALS_FILE",
    "GOOGLE_APPLICATION_CREDENTIALS",
)
_SHAPES = (
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL),
    re.compile(r"()ya29\.[0-9A-Za-z_.~+/=-]+"),  # a Google access token
    re.compile(r"(?i)(bearer\s+)[0-9A-Za-z_.~+/=-]+"),
    re.compile(r"()eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]+"),  # a signed JWT
    re.compile(
        r"""(?i)(["']?(?:access_token|id_token|refresh_token|assertion|private_key|"""
        r"""password|client_secret)["']?\s*[:=]\s*["']?)[^"'&\s,}]+"""
    ),
)
_KEY_PARTS = ("private_key", "private_key_id")


class Redactor:
    """Replaces known secrets, and text shaped like one, with ***."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()

    def add(self, values: Iterable[str | None]) -> None:
        for value in values:
            if not value or len(value.strip()) < 6:
                continue
            self.secrets.add(value.strip())
            # A key file's lines may be logged one at a time.
            self.secrets.update(line for line in value.splitlines() if len(line.strip()) >= 20)

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, "***")
        for shape in _SHAPES:
            text = shape.sub(lambda m: (m.group(1) if m.groups() else "") + "***", text)
        return text


REDACT = Redactor()


def fields(**values: Any) -> dict[str, Any]:
    """Return `extra=` for a structured log line: JSON lines show `values` as keys."""
    return {"fields": values}


def env_secrets(env: Mapping[str, str]) -> list[str]:
    """Return the secrets the environment holds or names: the SMTP password, the Google key."""
    texts = [env.get(name, "") for name in SECRET_ENV]
    for name in SECRET_FILE_ENV:
        if env.get(name):
            with suppress(OSError, UnicodeDecodeError):
                texts.append(Path(env[name]).read_text(encoding="utf-8"))
    found = []
    for text in texts:
        found.append(text)
        found.extend(_key_parts(text))
    return found


def _key_parts(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    return [str(data.get(k, "")) for k in _KEY_PARTS] if isinstance(data, dict) else []


def settings_secrets(settings: Settings) -> list[str]:
    """Return the secrets the loaded settings hold: the SMTP password, the Google key."""
    info = settings.google.credentials_info or {}
    return [settings.mail.smtp.password or "", *(str(info.get(k, "")) for k in _KEY_PARTS)]


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return REDACT(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the line's fields, error."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": REDACT(record.getMessage()),
        }
        extra = getattr(record, "fields", None)
        if isinstance(extra, Mapping):
            for key, value in extra.items():
                if key not in data:
                    data[key] = REDACT(value) if isinstance(value, str) else value
        if record.exc_info:
            data["error"] = REDACT(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False, default=str)


def configure(
    level: int,
    log_format: str = "text",
    *,
    timestamps: bool = False,
    env: Mapping[str, str] | None = None,
) -> None:
    """Log to standard error at `level` as text or JSON lines, scrubbing every secret."""
    REDACT.add(env_secrets(os.environ if env is None else env))
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        pattern = "%(asctime)s %(levelname)s %(message)s" if timestamps else "%(message)s"
        handler.setFormatter(TextFormatter(pattern))
    # Like basicConfig: a process that set up logging already (a test run) keeps its own.
    logging.basicConfig(level=level, handlers=[handler])
