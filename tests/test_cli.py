"""The command line: commands, help, exit codes, and the demo as a new user runs it."""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sheets_sync import cli, commands

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def subcommands() -> list[str]:
    """Return every subcommand the parser knows."""
    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(sub.choices)


def test_the_parser_knows_the_commands_the_readme_lists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = sorted(set(re.findall(r"^\| `python run\.py (\w+)", readme, re.MULTILINE)))
    assert listed == subcommands()


@pytest.mark.parametrize("command", subcommands())
def test_every_command_has_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and f"usage: sheets-sync {command}" in out


def test_a_mistyped_date_is_a_user_error_naming_the_form(capsys):
    code, _, err = run(capsys, "once", "--today", "25.11.2020")
    assert code == 1
    assert "write it as YYYY-MM-DD" in err


def test_a_config_problem_exits_1_and_names_the_key(capsys, tmp_path):
    bad = tmp_path / "settings.toml"
    bad.write_text('[workbook]\nbackend = "excel"\n', encoding="utf-8")
    code, _, err = run(capsys, "once", "--config", str(bad))
    assert code == 1
    assert err.startswith("Error: the configuration in")
    assert '`workbook.backend` = "excel"' in err


def test_a_bug_exits_2_with_a_traceback(capsys, monkeypatch):
    def broken(args):
        raise RuntimeError("boom")

    # the only way to stage a bug on purpose
    monkeypatch.setattr(commands.deadlines, "cmd_deadlines", broken)
    code, _, err = run(capsys, "deadlines", "апрель")
    assert code == 2
    assert "RuntimeError: boom" in err and "This is a bug in sheets_sync" in err


def test_output_piped_into_head_ends_quietly():
    phrases = "\n".join(f"до {d % 28 + 1:02d}.03.2020" for d in range(3_000)).encode()  # < 64 KB in
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "deadlines", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(phrases)
    process.stdin.close()
    process.stdout.readline()
    process.stdout.close()  # as `head -1` does after its line
    assert process.wait(timeout=60) == 0
    assert process.stderr is not None
    assert b"bug" not in process.stderr.read()


def test_deadlines_prints_the_reading(capsys):
    code, out, _ = run(capsys, "deadlines", "До 01.03.2020; До 01.06.2020", "--year", "2020")
    assert code == 0
    assert "01.03.2020" in out and "01.06.2020" in out


def test_an_unreadable_phrase_says_why_once(capsys):
    code, out, _ = run(capsys, "deadlines", "31.06.2020", "--year", "2020")
    assert code == 0 and out.count("не распознано") == 1


def test_deadlines_reads_one_phrase_a_line_from_standard_input(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("ноябрь – декабрь\n\nПо плану РУМО\n"))
    code, out, _ = run(capsys, "deadlines", "-", "--year", "2020")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert "31.12.2020" in lines[0] and lines[1] == "" and "по запросу" in lines[2]


@pytest.fixture
def demo_dir(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_demo_builds_both_workbooks_and_writes_digests(capsys, demo_dir):
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert "as of 2020-11-25 (Wed)" in out and "as of 2024-11-25 (Mon)" in out
    assert (demo_dir / "demo" / "region-2020.xlsx").is_file()
    assert (demo_dir / "demo" / "school-sosh4.xlsx").is_file()
    emails = list((demo_dir / "demo" / "outbox").glob("*.eml"))
    assert len(emails) >= 30

    code, out, _ = run(capsys, "demo")
    assert code == 0 and "Nothing new was sent" in out
    assert len(list((demo_dir / "demo" / "outbox").glob("*.eml"))) == len(emails)

    code, out, _ = run(capsys, "demo", "--today", "2020-12-02")
    assert code == 0 and "as of 2020-12-02 (Wed)" in out
    assert len(list((demo_dir / "demo" / "outbox").glob("*.eml"))) > len(emails)


def test_once_check_and_preview_on_the_demo_config(capsys, demo_dir):
    run(capsys, "demo")
    config = "config/demo-region.toml"
    code, out, _ = run(capsys, "check", "--config", config, "--today", "2020-12-02")
    # The demo's deliberate mistake (an address typed with a comma) would shrink a run: exit 1.
    assert code == 1 and f"settings: {config} is valid" in out
    assert "«shibc17@example,org» — не адрес" in out and "Warnings" in out
    code, out, _ = run(
        capsys, "preview", "--config", config, "--today", "2020-12-02", "--out", "previews"
    )
    assert code == 0 and "Subject: " in out
    assert list((demo_dir / "previews").glob("*.html"))
    code, out, _ = run(capsys, "once", "--config", config, "--today", "2020-12-02", "--dry-run")
    assert code == 0 and "would be sent (dry run" in out
    before = (demo_dir / "demo" / "region-2020.xlsx").read_bytes()
    code, out, _ = run(capsys, "once", "--config", config, "--today", "2020-12-02")
    assert code == 0 and (demo_dir / "demo" / "region-2020.xlsx").read_bytes() != before


def test_today_changes_what_is_due_never_the_date_an_email_is_sent(capsys, demo_dir):
    import email
    from datetime import datetime
    from email import policy

    run(capsys, "demo")  # as of 25.11.2020
    outbox = demo_dir / "demo" / "outbox"
    played = {p.name for p in outbox.iterdir()}

    def sent(names):
        return [
            email.message_from_bytes((outbox / n).read_bytes(), policy=policy.default)
            for n in names
        ]

    # The demo plays its day: its emails are dated as its letters say («на 25.11.2020»).
    assert {m["Date"].datetime.date().isoformat() for m in sent(played)} == {
        "2020-11-25",
        "2024-11-25",
    }
    # A real run as of another day sends its emails now.
    config = "config/demo-region.toml"
    assert run(capsys, "once", "--config", config, "--today", "2020-12-02")[0] == 0
    new = {p.name for p in outbox.iterdir()} - played
    assert new and {m["Date"].datetime.year for m in sent(new)} == {
        datetime.now().astimezone().year
    }
