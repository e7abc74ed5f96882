"""The emulator answers like Google did: replay of gspread's recorded cassettes (spec §7.1).

Every in-scope interaction (Sheets endpoints plus Drive create/get/delete) must match the
recording exactly, unless it is listed in EXPECTED_DIVERGENCES with a reason; a listed one that
starts matching fails too, so the list cannot rot. Mutants prove the comparison has teeth.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sheets_api import a1, auth, replay, values_io
from tests.sheets_api.emulator import Emulator

EXPECTED_DIVERGENCES: dict[tuple[str, int], str] = {
    ("WorksheetTest.test_auto_resize_columns.json", 8): (
        "autoResizeDimensions: Google measures 1024 'A's in Arial 10pt as 8691 px; "
        "the emulator has no font metrics (8690 px)"
    ),
    ("WorksheetTest.test_auto_resize_columns.json", 17): "same as #8, second recording",
}

# What sheets_sync sends, so the replay must exercise each of these at least once.
REQUIRED_ENDPOINTS = [
    "spreadsheets.get",
    "spreadsheets.get fields=",
    "values.get",
    "values.batchGet",
    "values.update",
    "values.batchUpdate",
    "values.append",
    "values.clear",
    "values.batchClear",
    "spreadsheets.batchUpdate",
    "drive.create",
    "drive.get",
    "drive.delete",
]
REQUIRED_KINDS = [
    "addSheet",
    "deleteSheet",
    "updateSheetProperties",
    "updateCells",
    "repeatCell",
    "insertDimension",
    "deleteDimension",
    "mergeCells",
]
MUTANT_CASSETTES = [
    "WorksheetTest.test_range_get_all_values.json",
    "WorksheetTest.test_get_all_values.json",
    "WorksheetTest.test_batch_get.json",
]

pytestmark = pytest.mark.skipif(
    not replay.CASSETTES.is_dir(), reason=f"gspread cassettes not found at {replay.CASSETTES}"
)


@pytest.fixture(scope="module")
def recording_account(sheets_api_server: Emulator) -> dict[str, str]:
    key_id, pem, _ = auth.new_key()
    token_uri = f"{sheets_api_server.base_url}/token"
    return auth.key_file(replay.RECORDING_ACCOUNT, "telegram-budgeter", key_id, pem, token_uri)


@pytest.fixture(scope="module")
def report(
    sheets_api_server: Emulator, recording_account: dict[str, str]
) -> Iterator[replay.Report]:
    paths = sorted(replay.CASSETTES.glob("*.json"))
    yield replay.run(sheets_api_server, paths, recording_account)
    sheets_api_server.reset()


def _describe(outcomes: list[replay.Outcome]) -> str:
    return "\n".join(
        f"{o.interaction.cassette} #{o.interaction.index} {o.interaction.endpoint}: {o.diff}"
        for o in outcomes
    )


def test_every_recorded_interaction_replays_like_google_except_listed_divergences(report):
    unexpected = [
        o
        for o in report.outcomes
        if not o.passed
        and (o.interaction.cassette, o.interaction.index) not in EXPECTED_DIVERGENCES
    ]
    assert not unexpected, f"{len(unexpected)} interactions differ from Google:\n" + _describe(
        unexpected[:40]
    )


def test_every_listed_divergence_still_diverges(report):
    passing = {(o.interaction.cassette, o.interaction.index) for o in report.outcomes if o.passed}
    stale = sorted(key for key in EXPECTED_DIVERGENCES if key in passing)
    assert not stale, f"now matching Google, remove from EXPECTED_DIVERGENCES: {stale}"
    compared = {(o.interaction.cassette, o.interaction.index) for o in report.outcomes}
    missing = sorted(key for key in EXPECTED_DIVERGENCES if key not in compared)
    assert not missing, f"listed but never compared: {missing}"


def test_replay_covers_every_endpoint_the_product_uses(report):
    matrix = report.matrix()
    print("\nendpoint                                    passed/compared")
    for label, (passed, compared) in matrix.items():
        print(f"{label:45s} {passed:4d}/{compared}")
    print(f"not sent: {dict(report.skipped)}")
    for endpoint in REQUIRED_ENDPOINTS:
        assert matrix.get(endpoint, (0, 0))[1] > 0, f"no recorded {endpoint} was replayed"
    for kind in REQUIRED_KINDS:
        assert matrix.get(f"  batchUpdate.{kind}", (0, 0))[1] > 0, f"no recorded {kind}"
    # 2,130 recorded; Drive listings, exports, imports and foreign spreadsheets are not compared.
    assert len(report.outcomes) >= 1900


def _mutant_failures(emu: Emulator, account: dict[str, str]) -> list[replay.Outcome]:
    paths = [Path(replay.CASSETTES, name) for name in MUTANT_CASSETTES]
    failures = [o for o in replay.run(emu, paths, account).outcomes if not o.passed]
    emu.reset()
    return failures


def test_a_mutant_that_keeps_trailing_empty_cells_fails_the_replay(
    sheets_api_server, recording_account, monkeypatch
):
    honest = values_io.value_range

    def untrimmed(evaluator: Any, target: Any, *args: Any) -> dict[str, Any]:
        result = honest(evaluator, target, *args)
        width = target.c1 - target.c0
        if "values" in result:
            result["values"] = [row + [""] * (width - len(row)) for row in result["values"]]
        return result

    monkeypatch.setattr(values_io, "value_range", untrimmed)
    failures = _mutant_failures(sheets_api_server, recording_account)
    assert any(f.interaction.endpoint in ("values.get", "values.batchGet") for f in failures)


def test_a_mutant_that_quotes_every_sheet_title_fails_the_replay(
    sheets_api_server, recording_account, monkeypatch
):
    monkeypatch.setattr(a1, "quote_title", lambda title: "'" + title.replace("'", "''") + "'")
    failures = _mutant_failures(sheets_api_server, recording_account)
    assert any("Sheet1" in (f.diff or "") for f in failures)
