"""The demo only ever creates, resets or sends for what it made itself."""

from __future__ import annotations

import pytest

from sheets_sync import cli


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_demo_runs_in_an_empty_folder_with_its_own_settings(folder, capsys):
    assert cli.main(["demo"]) == 0
    assert (folder / "demo" / "region-2020.xlsx").is_file()
    assert sorted((folder / "demo" / ".sheets-sync-demo").read_text().split()) == [
        "outbox",
        "region-2020.xlsx",
        "school-sosh4.xlsx",
        "state",
    ]


@pytest.mark.parametrize("reset", [[], ["--reset"]])
def test_a_workbook_the_demo_did_not_make_is_refused_and_kept(folder, capsys, reset):
    mine = folder / "demo" / "region-2020.xlsx"
    mine.parent.mkdir()
    mine.write_bytes(b"my own workbook")
    assert cli.main(["demo", *reset]) == 1
    assert "demo/region-2020.xlsx was not made by the demo" in capsys.readouterr().err
    assert mine.read_bytes() == b"my own workbook"
    assert not (folder / "demo" / "outbox").exists()


def test_an_outbox_the_demo_did_not_make_is_refused(folder, capsys):
    (folder / "demo" / "outbox").mkdir(parents=True)
    (folder / "demo" / "outbox" / "real.eml").write_bytes(b"From: me")
    assert cli.main(["demo", "--reset"]) == 1
    assert (folder / "demo" / "outbox" / "real.eml").read_bytes() == b"From: me"


def test_a_users_own_settings_at_the_default_path_are_never_the_demos(folder, capsys):
    (folder / "config").mkdir()
    (folder / "config" / "settings.toml").write_text(
        '[workbook]\npath = "mine.xlsx"\n[mail]\noutbox = "outbox"\n[state]\ndir = "state"\n',
        encoding="utf-8",
    )
    (folder / "mine.xlsx").write_bytes(b"my own workbook")
    assert cli.main(["demo"]) == 0
    assert cli.main(["demo", "--reset"]) == 0
    assert (folder / "mine.xlsx").read_bytes() == b"my own workbook"
    assert not (folder / "outbox").exists() and not (folder / "state").exists()


def test_reset_starts_over_with_what_the_demo_made(folder, capsys):
    assert cli.main(["demo"]) == 0
    first = sorted(p.name for p in (folder / "demo" / "outbox").glob("*.eml"))
    assert cli.main(["demo", "--reset"]) == 0
    assert sorted(p.name for p in (folder / "demo" / "outbox").glob("*.eml")) == first
