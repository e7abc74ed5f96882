"""Deployment: the systemd units pass `systemd-analyze verify` (where it exists), run the
service as an unprivileged user with secrets from an EnvironmentFile and the state under
StateDirectory, and the cron line runs one cycle."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = ("sheets-sync.service", "sheets-sync-once.service", "sheets-sync-once.timer")
INSTALLED = "/opt/sheets-sync/.venv/bin/sheets-sync"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    # verify wants ExecStart's program to exist: point it at this environment's sheets-sync.
    program = Path(sys.executable).parent / "sheets-sync"
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(INSTALLED, str(program)), encoding="utf-8")
    run = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    # verify exits 0 on a mere warning (an unknown key, a bad value): none is allowed either.
    assert (run.returncode, run.stdout + run.stderr) == (0, "")


def test_the_service_runs_serve_unprivileged_with_secrets_from_a_file_and_restarts():
    service = unit("sheets-sync.service")["Service"]
    assert service["ExecStart"].startswith(INSTALLED) and service["ExecStart"].endswith(" serve")
    assert service["User"] == "sheets-sync"  # not root
    assert service["EnvironmentFile"] == "/etc/sheets-sync/env"
    assert service["StateDirectory"] == "sheets-sync"
    assert service["WorkingDirectory"] == "/var/lib/sheets-sync"
    assert service["Restart"] == "on-failure"
    assert int(service["TimeoutStopSec"]) >= 120  # a cycle in progress may finish


def test_the_timer_runs_once_every_morning_and_catches_up_after_downtime():
    once = unit("sheets-sync-once.service")["Service"]
    assert once["ExecStart"].endswith(" once") and once["User"] == "sheets-sync"
    timer = unit("sheets-sync-once.timer")["Timer"]
    assert timer["Unit"] == "sheets-sync-once.service" and timer["Persistent"] == "true"
    assert timer["OnCalendar"].startswith("*-*-* 09:00")


def test_the_cron_line_runs_one_cycle_as_the_service_user():
    lines = [
        line
        for line in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and "=" not in line.split()[0]
    ]
    (line,) = lines
    fields = line.split()
    assert (fields[0], fields[1], fields[5]) == ("0", "9", "sheets-sync")  # 9:00, the user
    command = fields[6:]
    assert f"{INSTALLED} once" in " ".join(command) and "/etc/sheets-sync/env" in line


def test_the_readme_walks_through_each_deployment_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (*UNITS, "crontab", "env.example"):
        assert f"deploy/{name}" in readme, name
    assert re.search(r"requirements\.txt", readme)
