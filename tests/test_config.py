"""Settings: typed, validated, every problem at once, secrets only from the environment."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sheets_sync.errors import ConfigError
from sheets_sync.settings.load import known_keys, load_settings

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path, text):
    path = tmp_path / "config" / "settings.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(path, env=None):
    with pytest.raises(ConfigError) as info:
        load_settings(path, env=env or {})
    return info.value.problems


@pytest.mark.parametrize("name", ["settings.example.toml", "demo-region.toml", "demo-school.toml"])
def test_the_shipped_config_files_load(name):
    settings = load_settings(ROOT / "config" / name, env={})
    assert settings.mail.delivery == "outbox"


def documented_keys(example: str) -> set[str]:
    """Return the keys the example file shows, set or commented out, with their sections."""
    keys, section = set(), ""
    for line in example.splitlines():
        if match := re.match(r"^\[([\w.]+)\]\s*$", line):
            section = match.group(1) + "."
        elif match := re.match(r"^#?\s?(\w+) = ", line):
            keys.add(section + match.group(1))
    return keys


def test_the_example_documents_every_key_the_loader_reads():
    example = (ROOT / "config" / "settings.example.toml").read_text(encoding="utf-8")
    shown = documented_keys(example)
    for key in sorted(known_keys()):
        if key.startswith("columns."):  # listed by field in the [columns] comment
            _, tab, field = key.split(".")
            assert re.search(rf"#\s+{tab}:.*?\b{field} \(", example, re.DOTALL), key
        else:
            assert key in shown, key


def test_relative_paths_resolve_from_the_project_folder(tmp_path):
    path = write(tmp_path, '[workbook]\npath = "data/roadmap.xlsx"\n[mail]\noutbox = "out"\n')
    settings = load_settings(path, env={})
    assert settings.workbook.path == tmp_path / "data" / "roadmap.xlsx"
    assert settings.mail.outbox == tmp_path / "out"
    assert settings.state_dir == tmp_path / "state"


def test_every_problem_is_reported_at_once_with_its_key_and_fix(tmp_path):
    path = write(
        tmp_path,
        """
plan_year = "2020"
timezone = "Europe/Smolensk"
[workbook]
backend = "excel"
[reminders]
before_due_days = [7, -1]
max_emails_per_run = 0
escalate_to = ["boss at example.org"]
befor_due_days = [3]
[mail]
delivery = "pigeon"
from = "nobody"
""",
    )
    found = problems(path)
    assert found == (
        '`plan_year` must be a whole number, not the string "2020"',
        (
            '`timezone` = "Europe/Smolensk" is not a known time zone: write e.g. "Europe/Moscow" or '
            '"Asia/Yekaterinburg"'
        ),
        '`workbook.backend` = "excel": write "xlsx" (a local file) or "google" (Google Sheets)',
        '`workbook.path` is missing: name the .xlsx file, e.g. path = "data/roadmap.xlsx"',
        "`reminders.before_due_days` must be a list of days between 0 and 365, e.g. [7, 1]",
        "`reminders.max_emails_per_run` must be at least 1",
        '`reminders.escalate_to`: "boss at example.org" is not an email address',
        (
            '`mail.delivery` = "pigeon": write "outbox" (files in a folder) or "smtp" (send through '
            "a mail server)"
        ),
        (
            '`mail.from` = "nobody" needs an email address, e.g. "Координатор '
            '<coordinator@example.org>"'
        ),
        "unknown key `reminders.befor_due_days`; did you mean `reminders.before_due_days`?",
    )


def test_an_smtp_password_in_the_file_is_refused(tmp_path):
    path = write(tmp_path, '[workbook]\npath = "w.xlsx"\n[mail.smtp]\npassword = "hunter2"\n')
    (problem,) = problems(path)
    assert "must not be in the file" in problem and "SHEETS_SYNC_SMTP_PASSWORD" in problem
    assert "hunter2" not in problem


def test_smtp_needs_a_host_and_a_password_from_the_environment(tmp_path):
    path = write(
        tmp_path,
        '[workbook]\npath = "w.xlsx"\n[mail]\ndelivery = "smtp"\n[mail.smtp]\nuser = "u@example.org"\n',
    )
    found = problems(path)
    assert found[0] == '`mail.smtp.host` is missing: e.g. host = "smtp.yandex.ru"'
    assert "SHEETS_SYNC_SMTP_PASSWORD" in found[1]

    secret = tmp_path / "password"
    secret.write_text("s3cret\n", encoding="utf-8")
    path = write(
        tmp_path,
        '[workbook]\npath = "w.xlsx"\n[mail]\ndelivery = "smtp"\n'
        '[mail.smtp]\nhost = "smtp.example.org"\nuser = "u@example.org"\n',
    )
    settings = load_settings(path, env={"SHEETS_SYNC_SMTP_PASSWORD_FILE": str(secret)})
    assert settings.mail.smtp.password == "s3cret"
    assert "s3cret" not in repr(settings)


def test_google_credentials_are_checked_and_never_echoed(tmp_path):
    key = tmp_path / "key.json"
    path = write(
        tmp_path,
        '[workbook]\nbackend = "google"\nspreadsheet = "abc"\n[google]\ncredentials = "key.json"\n',
    )
    assert "does not exist" in problems(path)[0]
    key.write_text(json.dumps({"installed": {"client_id": "x"}}), encoding="utf-8")
    assert "is an OAuth client file, not a service-account key" in problems(path)[0]
    key.write_text(
        json.dumps(
            {
                "type": "service_account",
                "client_email": "a@b.iam.gserviceaccount.com",
                "private_key": "-----BEGIN PRIVATE KEY-----SECRET",
                "token_uri": "t",
            }
        ),
        encoding="utf-8",
    )
    settings = load_settings(path, env={})
    assert settings.google.credentials_info["client_email"] == "a@b.iam.gserviceaccount.com"
    assert "SECRET" not in repr(settings)


def test_google_credentials_may_come_from_the_environment(tmp_path):
    path = write(tmp_path, '[workbook]\nbackend = "google"\nspreadsheet = "abc"\n')
    assert "Google credentials are missing" in problems(path)[0]
    info = {
        "type": "service_account",
        "client_email": "e@x.iam.gserviceaccount.com",
        "private_key": "k",
        "token_uri": "t",
    }
    settings = load_settings(path, env={"SHEETS_SYNC_GOOGLE_CREDENTIALS": json.dumps(info)})
    assert settings.google.credentials_info == info


def test_a_file_that_is_not_toml_says_where(tmp_path):
    path = write(tmp_path, "[workbook\npath = 1\n")
    (problem,) = problems(path)
    assert problem.startswith("not valid TOML: ") and "line 1" in problem


def test_a_missing_file_says_how_to_start(tmp_path):
    (problem,) = problems(tmp_path / "none.toml")
    assert "copy config/settings.example.toml there" in problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "[reminders]\nescalate_afer_days = 10\n",
            (
                "unknown key `reminders.escalate_afer_days`; did you mean "
                "`reminders.escalate_after_days`?"
            ),
        ),
        (
            "[reminders]\nmax_email_per_run = 10\n",
            (
                "unknown key `reminders.max_email_per_run`; did you mean "
                "`reminders.max_emails_per_run`?"
            ),
        ),
        ("plan_yaer = 2020\n", "unknown key `plan_yaer`; did you mean `plan_year`?"),
        (
            "[mail.smptp]\nhost = 'x'\nport = 25\n",
            "unknown section `[mail.smptp]`; did you mean `[mail.smtp]`?",
        ),
        (
            "[reminders]\nzzz = 1\n",
            "unknown key `reminders.zzz`; every key is in config/settings.example.toml",
        ),
    ],
)
def test_a_typo_names_the_nearest_key_of_its_own_section(tmp_path, text, problem):
    path = write(tmp_path, text + '\n[workbook]\npath = "w.xlsx"\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert raised.value.problems == (problem,)


def test_an_unknown_section_is_named_once_with_the_nearest_section(tmp_path):
    keys = "\n".join(f"{k} = 1" for k in ("before_due_days", "overdue", "escalate_to", "x", "y"))
    path = write(tmp_path, f'[workbook]\npath = "w.xlsx"\n[reminder]\n{keys}\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert raised.value.problems == ("unknown section `[reminder]`; did you mean `[reminders]`?",)
