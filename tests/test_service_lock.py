"""The workbook's lock in one process: keyed by the workbook (not the config), refusing at once
with the holder's pid, host and command, tidy when released, and taken over from a dead holder
whose note is still there."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.errors import SheetsSyncError
from sheets_sync.service.lock import AlreadyRunning, instance_lock, lock_path, workbook_key
from sheets_sync.settings.types import WorkbookSettings

SINCE = datetime(2025, 9, 8, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def test_a_second_holder_is_refused_at_once_naming_the_first(project):
    settings = project.settings()
    with instance_lock(settings, "serve --config config/settings.toml", SINCE) as path:
        note = json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))
        assert note == {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": "serve --config config/settings.toml",
            "since": "2025-09-08T09:00:00+03:00",
        }
        with pytest.raises(AlreadyRunning) as refused, instance_lock(settings, "once", SINCE):
            pass
    message = str(refused.value)
    assert f"pid {os.getpid()} on {socket.gethostname()}" in message
    assert (
        "`sheets-sync serve --config config/settings.toml`, since 2025-09-08T09:00:00+03:00"
        in message
    )
    assert "systemctl stop sheets-sync" in message
    assert not path.with_name(path.name + ".json").exists()  # released: no stale note
    with instance_lock(settings, "once", SINCE):  # and free again
        pass


def test_a_dead_holders_note_does_not_keep_the_lock(project):
    settings = project.settings()
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    note = path.with_name(path.name + ".json")
    note.write_text('{"pid": 999999, "host": "gone", "command": "serve", "since": "x"}')
    with instance_lock(settings, "once", SINCE):
        assert json.loads(note.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_the_lock_is_the_workbooks_whatever_the_config_and_each_workbook_has_its_own(project):
    settings = project.settings()
    other_config = replace(settings, source=project.root / "other.toml")
    other_book = replace(settings, workbook=WorkbookSettings(path=project.root / "b.xlsx"))
    assert workbook_key(settings) == workbook_key(other_config) != workbook_key(other_book)
    url = "https://docs.google.com/spreadsheets/d/1AbCdEf/edit#gid=0"
    by_url = replace(settings, workbook=WorkbookSettings("google", spreadsheet=url))
    by_key = replace(settings, workbook=WorkbookSettings("google", spreadsheet="1AbCdEf"))
    assert workbook_key(by_url) == workbook_key(by_key)
    with (
        instance_lock(settings, "serve", SINCE),
        instance_lock(other_book, "once", SINCE),
        pytest.raises(AlreadyRunning),
        instance_lock(other_config, "once", SINCE),
    ):
        pass


def test_a_state_folder_that_cannot_be_made_is_a_user_error(project, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    settings = replace(project.settings(), state_dir=blocker / "state")
    with (
        pytest.raises(SheetsSyncError, match="check `state.dir` and its permissions"),
        instance_lock(settings, "once", SINCE),
    ):
        pass
