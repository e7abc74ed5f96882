"""The service as real processes: one instance per workbook (a second refuses at once, naming
the first; a killed one's lock is taken over), and SIGTERM or Ctrl-C in the middle of a cycle
(it finishes, then exits 0). The cycle is made slow by the Sheets API emulator's injected delay,
never by sleeping in the test; the test waits for the service's own log lines."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.service_data import TABS

WAIT = 60.0  # an upper bound for a line to come, not a pause


def sheets_sync(*args: str, cwd: Path) -> list[str]:
    return [sys.executable, "-m", "sheets_sync", *args]


def start(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        sheets_sync(*args, cwd=cwd),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def read_until(proc: subprocess.Popen[bytes], marker: str) -> str:
    """Return the process's standard error up to and including `marker`."""
    assert proc.stderr is not None
    fd, seen = proc.stderr.fileno(), b""
    deadline = time.monotonic() + WAIT
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while marker.encode() not in seen:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise AssertionError(f"no {marker!r} within {WAIT} s in:\n{seen.decode()}")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"the process ended before {marker!r}:\n{seen.decode()}")
            seen += chunk
    return seen.decode()


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        sheets_sync(*args, cwd=cwd),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )


def test_a_second_instance_refuses_at_once_naming_the_first_and_a_killed_ones_lock_is_taken(
    project,
):
    project.workbook(TABS, header_rows={"Дорожная карта": 3})
    project.settings({"service": {"send_at": "23:59", "refresh_minutes": 0}})
    config = "config/settings.toml"
    first = start("serve", "--config", config, cwd=project.root)
    try:
        read_until(first, "serving:")
        for command in (["once"], ["sync"], ["init"], ["serve"]):
            refused = run(*command, "--config", config, cwd=project.root)
            assert refused.returncode == 1, refused.stderr
            assert "is in use by another sheets_sync" in refused.stderr
            assert f"pid {first.pid} on " in refused.stderr
            assert f"`sheets-sync serve --config {config}`" in refused.stderr
        dry = run("once", "--dry-run", "--config", config, cwd=project.root)
        assert dry.returncode == 0, dry.stderr  # a dry run writes nothing: no lock needed
    finally:
        first.kill()  # SIGKILL: no clean-up of its own
        first.wait(WAIT)
    after = run("once", "--config", config, cwd=project.root)
    assert after.returncode == 0, after.stderr
    assert first.returncode == -signal.SIGKILL


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_cycle_lets_the_cycle_finish_and_exits_0(google, sheets_api, signum):
    key = google.spreadsheet(TABS)
    google.settings(
        key,
        {
            "service": {"send_at": "00:00", "refresh_minutes": 0},
            "reminders": {"working_days_only": False},  # a sending day whatever today is
        },
    )
    # Every Sheets request takes a second: the cycle is surely running when the signal comes.
    sheets_api.inject(delay=1.0, path=r"^/v4/", count=20)
    proc = start("serve", "--config", "config/settings.toml", cwd=google.root)
    try:
        before = read_until(proc, "cycle send started")
        proc.send_signal(signum)
        _, rest = proc.communicate(timeout=WAIT)
    finally:
        proc.kill()
    log = before + rest.decode()
    assert proc.returncode == 0, log
    name = signal.Signals(signum).name
    assert f"{name}: finishing the cycle in progress" in log
    assert log.index(f"{name}: finishing") < log.index("cycle send done") < log.index("stopped")
    assert "Сводка" in sheets_api.sheet_titles(key)  # the cycle wrote its tabs
    assert sheets_api.values(key, "Сводка")


def test_an_idle_service_stops_at_once_on_sigterm(project):
    project.workbook(TABS, header_rows={"Дорожная карта": 3})
    project.settings({"service": {"send_at": "23:59", "refresh_minutes": 0}})
    proc = start("serve", "--config", "config/settings.toml", cwd=project.root)
    try:
        before = read_until(proc, "serving:")
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=WAIT)
    finally:
        proc.kill()
    assert proc.returncode == 0, before + rest.decode()
    assert "SIGTERM: finishing the cycle in progress" in rest.decode()
    assert rest.decode().rstrip().endswith("INFO stopped")
