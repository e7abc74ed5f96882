"""Logs: a line per step and per email and a summary, as text or JSON lines, and never a secret,
a token or an email body, even at DEBUG with every library talking."""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys

import pytest

from sheets_sync.logs import JsonFormatter, Redactor, fields
from tests.conftest import BASE_CONFIG, merged, toml
from tests.service_data import TABS
from tests.smtp_server import PASSWORD, USER, LoopbackSmtp


def secrets_of(key_info: dict[str, str]) -> list[str]:
    pem_lines = [line for line in key_info["private_key"].splitlines() if "-----" not in line]
    return [
        PASSWORD,
        base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode(),
        base64.b64encode(PASSWORD.encode()).decode(),
        key_info["private_key"],
        key_info["private_key_id"],
        *pem_lines,
    ]


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_a_cycle_at_debug_logs_no_password_key_token_or_body(
    google, sheets_api, service_account_info, smtp_server: LoopbackSmtp, log_format
):
    key = google.spreadsheet(TABS)
    config = merged(
        {"plan_year": 2020, **BASE_CONFIG},
        {
            "workbook": {
                "backend": "google",
                "spreadsheet": f"https://docs.google.com/spreadsheets/d/{key}/edit",
            },
            "google": {"api_endpoint": sheets_api.base_url, "timeout_seconds": 5},
            "mail": {"delivery": "smtp", "smtp": smtp_server.config(user=USER)},
        },
    )
    del config["workbook"]["path"]
    (google.root / "config").mkdir(exist_ok=True)
    (google.root / "config" / "settings.toml").write_text(toml(config), encoding="utf-8")
    env = {
        **os.environ,
        "SHEETS_SYNC_SMTP_PASSWORD": PASSWORD,
        "SHEETS_SYNC_GOOGLE_CREDENTIALS": json.dumps(service_account_info),
    }
    run = subprocess.run(
        [sys.executable, "-m", "sheets_sync", "-v", "--log-format", log_format, "once"]
        + ["--config", "config/settings.toml", "--today", "2020-09-08"],
        cwd=google.root,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert smtp_server.messages  # emails went out: every path was taken
    tokens = list(sheets_api.app.accounts.tokens)
    assert tokens
    logged = run.stdout + run.stderr
    for secret in [*secrets_of(service_account_info), *tokens]:
        assert secret not in logged
    for message in smtp_server.messages:  # no email body, in any of its forms
        body = message.message.get_body(("plain",)).get_content()
        assert body.strip().splitlines()[2] not in logged
    assert "Starting new HTTP connection" in run.stderr  # the libraries did talk (urllib3)
    if log_format == "json":
        lines = [json.loads(line) for line in run.stderr.splitlines()]
        assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
        emails = [line for line in lines if line.get("event") == "email"]
        assert len(emails) == len(smtp_server.messages)
        assert all(
            e["result"] == "sent" and (e["reminders"] or e["weekly_summary"]) for e in emails
        )
        assert all(e["to"] and e["recipient"] for e in emails)


def test_the_redactor_hides_known_secrets_and_what_looks_like_one():
    redact = Redactor()
    redact.add(["Sup3r-Secret-Pa55", None, "short"])
    text = (
        "login with Sup3r-Secret-Pa55; Authorization: Bearer ya29.a0AfH6SMB-xyz; "
        '{"access_token": "emu-1-abc", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n"}; '
        "assertion=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzYUBwcm9qIn0.c2lnbmF0dXJl; "
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
    )
    out = redact(text)
    for secret in ("Sup3r-Secret-Pa55", "ya29.", "emu-1-abc", "MIIE", "eyJhbGci", "c2lnbmF0dXJl"):
        assert secret not in out
    assert "login with ***" in out and "short" not in redact.secrets


def test_a_json_line_carries_the_fields_of_a_structured_line():
    record = logging.LogRecord(
        "sheets_sync.service", logging.INFO, "", 0, "cycle %s", ("send",), None
    )
    for key, value in fields(event="cycle", ok=True, emails_sent=3).items():
        setattr(record, key, value)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "cycle send" and line["level"] == "INFO"
    assert (line["event"], line["ok"], line["emails_sent"]) == ("cycle", True, 3)
    assert line["time"].endswith("+00:00")
