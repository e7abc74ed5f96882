"""The [service] section: when `serve` sends and refreshes, where it pings, whom it alerts."""

from __future__ import annotations

import re
from datetime import time

from .reader import Reader
from .types import ServiceSettings, is_email

_HH_MM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def read_service(r: Reader) -> ServiceSettings:
    d = ServiceSettings()
    send_at_text = r.get("service.send_at", str, f"{d.send_at:%H:%M}").strip()
    match = _HH_MM.match(send_at_text)
    if not match:
        r.problems.append(
            f'`service.send_at` = "{send_at_text}" is not a time of day: write it as "HH:MM", '
            'e.g. "09:00"'
        )
    send_at = time(int(match.group(1)), int(match.group(2))) if match else d.send_at
    settings = ServiceSettings(
        send_at=send_at,
        refresh_minutes=r.get("service.refresh_minutes", int, d.refresh_minutes),
        ping_url=r.get("service.ping_url", str, "").strip(),
        alert_after_failures=r.get("service.alert_after_failures", int, d.alert_after_failures),
        admin_email=r.get("service.admin_email", str, "").strip(),
    )
    if settings.refresh_minutes < 0:
        r.problems.append(
            "`service.refresh_minutes` must be 0 (never refresh between sends) or more minutes"
        )
    if settings.ping_url and not settings.ping_url.startswith(("http://", "https://")):
        r.problems.append(
            f'`service.ping_url` = "{settings.ping_url}" must be a URL such as '
            '"https://hc-ping.com/<uuid>", or be removed'
        )
    if settings.alert_after_failures < 1:
        r.problems.append("`service.alert_after_failures` must be 1 or more")
    if settings.admin_email and not is_email(settings.admin_email):
        r.problems.append(
            f'`service.admin_email` = "{settings.admin_email}" is not an email address'
        )
    return settings
