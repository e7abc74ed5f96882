"""The dead-man's switch (healthchecks.io and its clones): a GET to `service.ping_url` after each
good cycle, a POST to `<url>/fail` with a short reason after a failed one. A short timeout, and a
ping that fails is logged and forgotten: it never fails the cycle. The URL is never logged (it
is the check's password)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import requests

from sheets_sync.logs import fields

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
MAX_REASON = 500


def ping(url: str, failure: str | None = None, *, timeout: float = TIMEOUT_SECONDS) -> bool:
    """Tell the monitor that a cycle went well (`failure` None) or failed; return whether the
    monitor took it."""
    kind = "success" if failure is None else "fail"
    try:
        if failure is None:
            answer = requests.get(url, timeout=timeout)
        else:
            answer = requests.post(
                url.rstrip("/") + "/fail",
                data=failure[:MAX_REASON].encode("utf-8"),
                headers={"Content-Type": "text/plain; charset=utf-8"},
                timeout=timeout,
            )
        answer.raise_for_status()
    except requests.RequestException as exc:
        status = getattr(exc.response, "status_code", None)
        logger.warning(
            "ping (%s) to %s failed: %s; the cycle is not affected",
            kind,
            urlsplit(url).hostname,
            f"HTTP {status}" if status else type(exc).__name__,
            extra=fields(event="ping", ping=kind, ok=False),
        )
        return False
    logger.debug("ping (%s) taken", kind, extra=fields(event="ping", ping=kind, ok=True))
    return True
