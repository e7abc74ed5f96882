"""Secrets from the environment: Google service-account credentials and the SMTP password.

Each secret may be given directly (`NAME`) or as a file (`NAME_FILE`, for Docker/systemd
credentials). Returned problems never include a secret's value.
"""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

GOOGLE_ENV = "SHEETS_SYNC_GOOGLE_CREDENTIALS"
GOOGLE_DEFAULT_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
SMTP_ENV = "SHEETS_SYNC_SMTP_PASSWORD"
INBOX_ENV = "SHEETS_SYNC_INBOX_PASSWORD"
KEYRING_SERVICE = "sheets_sync"

_SA_FIELDS = ("client_email", "private_key", "token_uri")
_HOW_TO_GET_A_KEY = (
    "create a JSON key for a service account in Google Cloud Console "
    "(IAM and admin > Service accounts > Keys > Add key > JSON)"
)


def google_credentials(
    env: Mapping[str, str], configured: Path | None, *, needed: bool
) -> tuple[Path | None, dict[str, Any] | None, str]:
    """Return (file, parsed service-account info, problem) from the first source that is set."""
    if env.get(GOOGLE_ENV):
        info, problem = _parse_service_account(env[GOOGLE_ENV], f"${GOOGLE_ENV}")
        return None, info, problem
    candidates = [
        (env.get(f"{GOOGLE_ENV}_FILE"), f"${GOOGLE_ENV}_FILE"),
        (str(configured) if configured else None, "`google.credentials`"),
        (env.get(GOOGLE_DEFAULT_ENV), f"${GOOGLE_DEFAULT_ENV}"),
    ]
    for value, where in candidates:
        if not value:
            continue
        path = Path(value)
        if not path.is_file():
            return (
                path,
                None,
                (
                    f"{where} names {path}, which does not exist: "
                    f"put the service-account key file there, or fix the path"
                ),
            )
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            return (
                path,
                None,
                f"{where}: cannot read {path} ({exc.strerror}): check its permissions",
            )
        info, problem = _parse_service_account(text, f"{where} ({path})")
        _warn_if_exposed(path)
        return path, info, problem
    if needed:
        return (
            None,
            None,
            (
                "Google credentials are missing: set `google.credentials` to the service-account key "
                f"file, or the environment variable {GOOGLE_ENV}_FILE (or {GOOGLE_DEFAULT_ENV}); "
                f"to get a key, {_HOW_TO_GET_A_KEY}"
            ),
        )
    return None, None, ""


def _parse_service_account(text: str, where: str) -> tuple[dict[str, Any] | None, str]:
    try:
        info = json.loads(text)
    except ValueError:
        return None, f"{where} is not a JSON key file: {_HOW_TO_GET_A_KEY}"
    if not isinstance(info, dict):
        return None, f"{where} is not a JSON key file: {_HOW_TO_GET_A_KEY}"
    if info.get("type") != "service_account":
        kind = "an OAuth client file" if "installed" in info or "web" in info else "not a key"
        return None, f"{where} is {kind}, not a service-account key: {_HOW_TO_GET_A_KEY}"
    missing = [f for f in _SA_FIELDS if not info.get(f)]
    if missing:
        return None, (
            f"{where} lacks {', '.join(missing)}: the file is damaged or edited; "
            f"{_HOW_TO_GET_A_KEY}"
        )
    return info, ""


def env_secret(env: Mapping[str, str], name: str) -> tuple[str | None, str]:
    """Return (secret, problem) from $NAME, or from the file $NAME_FILE names (Docker/systemd
    credentials); (None, "") when neither is set."""
    if env.get(name):
        return env[name], ""
    file = env.get(f"{name}_FILE")
    if file:
        try:
            text = Path(file).read_text(encoding="utf-8").strip()
            _warn_if_exposed(Path(file))
            return text, ""
        except OSError as exc:
            return None, (
                f"${name}_FILE names {file}, which cannot be read "
                f"({exc.strerror}): fix the path or the file's permissions"
            )
    return None, ""


def smtp_password(env: Mapping[str, str], user: str) -> tuple[str | None, str]:
    """Return (password, problem) from $SHEETS_SYNC_SMTP_PASSWORD, its _FILE, or the keyring."""
    password, problem = env_secret(env, SMTP_ENV)
    if password or problem:
        return password, problem
    password = _keyring_password(user)
    if password:
        return password, ""
    return None, (
        f"the SMTP password is missing: set the environment variable {SMTP_ENV} "
        f"(or {SMTP_ENV}_FILE naming a file that holds it), or store it with "
        f"`keyring set {KEYRING_SERVICE} {user or '<user>'}`"
    )


def inbox_password(env: Mapping[str, str]) -> tuple[str | None, str]:
    """Return (password, problem) from $SHEETS_SYNC_INBOX_PASSWORD or its _FILE."""
    password, problem = env_secret(env, INBOX_ENV)
    if password or problem:
        return password, problem
    return None, (
        f"the mailbox password is missing: set the environment variable {INBOX_ENV} "
        f"(or {INBOX_ENV}_FILE naming a file that holds it); Yandex and Mail.ru "
        "want an app password made for the mail program"
    )


def _keyring_password(user: str) -> str | None:
    try:
        import keyring  # optional: pip install 'sheets-sync[keyring]'
    except ImportError:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # noqa: BLE001 - no usable keyring backend on this machine
        return None
    return str(value) if value else None


def exposed(path: Path) -> str:
    """Return a warning when a secret's file can be read by any user of the machine, else ""."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""
    if not mode & (stat.S_IROTH | stat.S_IWOTH):
        return ""
    return (
        f"{path} holds a secret and any user of this machine can read it "
        f"(mode {stat.filemode(mode)}): run `chmod 600 {path}`"
    )


def _warn_if_exposed(path: Path) -> None:
    warning = exposed(path)
    if warning:
        logger.warning("Warning: %s", warning)


def credential_warnings(credentials: Path | None, env: Mapping[str, str]) -> list[str]:
    """Return a warning for each secret file (the Google key, the SMTP password file) that any
    user of the machine can read."""
    files = [credentials, Path(env[f"{SMTP_ENV}_FILE"]) if env.get(f"{SMTP_ENV}_FILE") else None]
    return [w for w in (exposed(f) for f in files if f) if w]
