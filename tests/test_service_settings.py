"""The [service] settings: defaults, and each mistake named with its key and the fix."""

from __future__ import annotations

from datetime import time

import pytest

from sheets_sync.errors import ConfigError
from sheets_sync.settings.load import load_settings


def settings_with(tmp_path, service: str):
    path = tmp_path / "config" / "settings.toml"
    path.parent.mkdir(exist_ok=True)
    section = f"[service]\n{service}\n" if service else ""
    path.write_text(f'[workbook]\npath = "roadmap.xlsx"\n{section}', encoding="utf-8")
    return load_settings(path, env={})


def test_the_service_runs_at_nine_refreshes_hourly_and_alerts_after_three_failures(tmp_path):
    service = settings_with(tmp_path, "").service
    assert (service.send_at, service.refresh_minutes, service.alert_after_failures) == (
        time(9, 0),
        60,
        3,
    )
    assert service.ping_url == "" and service.admin_email == ""


def test_a_full_service_section_is_read(tmp_path):
    service = settings_with(
        tmp_path,
        'send_at = "7:30"\nrefresh_minutes = 0\nping_url = "https://hc-ping.com/abc"\n'
        'alert_after_failures = 1\nadmin_email = "admin@school.ru"',
    ).service
    assert service.send_at == time(7, 30) and service.refresh_minutes == 0
    assert service.ping_url == "https://hc-ping.com/abc" and service.alert_after_failures == 1


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('send_at = "9"', '`service.send_at` = "9" is not a time of day: write it as "HH:MM"'),
        ('send_at = "24:00"', '`service.send_at` = "24:00" is not a time of day'),
        ("refresh_minutes = -5", "`service.refresh_minutes` must be 0"),
        ('ping_url = "hc-ping.com/abc"', '`service.ping_url` = "hc-ping.com/abc" must be a URL'),
        ("alert_after_failures = 0", "`service.alert_after_failures` must be 1 or more"),
        ('admin_email = "admin at school"', '`service.admin_email` = "admin at school" is not'),
        ('send_every = "09:00"', "unknown key `service.send_every`"),
    ],
)
def test_a_service_mistake_names_the_key_and_the_fix(tmp_path, line, problem):
    with pytest.raises(ConfigError) as info:
        settings_with(tmp_path, line)
    assert any(p.startswith(problem) for p in info.value.problems), info.value.problems
