"""Replaying vcrpy cassettes of real Google traffic against the emulator (spec §7.1).

Each cassette is replayed from a fresh emulator with plain ``requests`` (the recorded method,
path, query and body, only the host swapped), after queueing the ids Google handed out so the
replay can reuse the recorded URIs. Responses are compared exactly: status, JSON types, key
presence and key order; only Drive's ``createdTime``/``modifiedTime`` are masked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from tests.sheets_api import auth
from tests.sheets_api.emulator import Emulator

BUNDLE = Path(__file__).resolve().parents[1] / "data" / "gspread-cassettes.tar.xz"


def _cassettes() -> Path:
    """Return the folder of cassettes: $SHEETS_SYNC_CASSETTES, else the brief's copy beside the
    repository, else the copy bundled with the tests (86 KB of xz), unpacked once per user."""
    if os.environ.get("SHEETS_SYNC_CASSETTES"):
        return Path(os.environ["SHEETS_SYNC_CASSETTES"])
    beside = Path(__file__).resolve().parents[3] / "shared/data/gspread-cassettes"
    if beside.is_dir():
        return beside
    digest = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"sheets-sync-cassettes-{digest}"
    if not (target / "gspread-cassettes" / "INDEX.tsv").is_file():
        scratch = Path(tempfile.mkdtemp(prefix="sheets-sync-cassettes-"))
        with tarfile.open(BUNDLE, "r:xz") as bundle:
            bundle.extractall(scratch, filter="data")
        try:
            os.replace(scratch, target)
        except OSError:  # another process unpacked it first
            shutil.rmtree(scratch, ignore_errors=True)
    return target / "gspread-cassettes"


CASSETTES = _cassettes()
# The account that recorded the cassettes: it shows up as the owner in protected-range editors.
RECORDING_ACCOUNT = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"
SCOPES = "https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/drive"
_VOLATILE = ("createdTime", "modifiedTime")


@dataclass
class Interaction:
    cassette: str
    index: int
    method: str
    path: str
    query: str
    body: str | None
    content_type: str | None
    status: int
    response: str
    endpoint: str = ""
    kinds: tuple[str, ...] = ()
    skip: str | None = None  # why it is not sent
    compare: bool = True  # False: sent for the state it creates, not compared
    spreadsheet_id: str | None = None


@dataclass
class Outcome:
    interaction: Interaction
    passed: bool
    diff: str | None = None


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def matrix(self) -> dict[str, tuple[int, int]]:
        """Endpoint (and batchUpdate kind) -> (passed, compared)."""
        table: dict[str, list[int]] = {}
        for outcome in self.outcomes:
            item = outcome.interaction
            labels = [item.endpoint] + [f"  batchUpdate.{kind}" for kind in item.kinds]
            for label in labels:
                row = table.setdefault(label, [0, 0])
                row[0] += outcome.passed
                row[1] += 1
        return {label: (row[0], row[1]) for label, row in sorted(table.items(), key=_matrix_order)}


def _matrix_order(item: tuple[str, list[int]]) -> tuple[str, str]:
    label = item[0]
    return ("spreadsheets.batchUpdate" + label, label) if label.startswith("  ") else (label, "")


def load(path: Path) -> list[Interaction]:
    """Read a cassette and classify its interactions."""
    data = json.loads(path.read_text())
    interactions = []
    for index, raw in enumerate(data["interactions"]):
        request, response = raw["request"], raw["response"]
        url = urlsplit(request["uri"])
        content_type = next(iter(request.get("headers", {}).get("Content-Type", [])), None)
        item = Interaction(
            cassette=path.name, index=index, method=request["method"], path=url.path, query=url.query,
            body=request.get("body"), content_type=content_type, status=response["status"]["code"],
            response=response["body"]["string"],
        )  # fmt: skip
        _classify(item, url.netloc)
        interactions.append(item)
    return interactions


def _classify(item: Interaction, host: str) -> None:
    path = item.path
    sheets = re.match(r"^/v4/spreadsheets/([^/:]+)(.*)$", path)
    drive = re.match(r"^/(?:upload/)?drive/v[23]/files(?:/([^/]+))?(/.*)?$", path)
    if sheets:
        item.spreadsheet_id, rest = sheets.group(1), sheets.group(2)
        if rest == "":
            item.endpoint = (
                "spreadsheets.get fields=" if "fields=" in item.query else "spreadsheets.get"
            )
        elif rest == ":batchUpdate":
            item.endpoint = "spreadsheets.batchUpdate"
            item.kinds = tuple(
                next(iter(r)) for r in json.loads(item.body or "{}").get("requests", [])
            )
        elif rest.startswith("/values:"):
            item.endpoint = "values." + rest.split(":", 1)[1]
        elif rest.endswith(":append"):
            item.endpoint = "values.append"
        elif rest.endswith(":clear"):
            item.endpoint = "values.clear"
        else:
            item.endpoint = "values.update" if item.method == "PUT" else "values.get"
    elif drive:
        item.spreadsheet_id, rest = drive.group(1), drive.group(2) or ""
        if path.startswith("/upload/"):
            item.endpoint, item.skip = "drive.import", "Drive import (out of scope)"
        elif rest == "/copy":
            item.endpoint, item.compare = "drive.copy", False
        elif rest:
            item.endpoint, item.skip = (
                f"drive.{rest.strip('/')}",
                "Drive export/comments (out of scope)",
            )
        elif item.spreadsheet_id is None:
            if item.method == "POST":
                item.endpoint = "drive.create"
            else:
                item.endpoint, item.skip = "drive.list", "Drive listing (out of scope)"
        else:
            item.endpoint = {"GET": "drive.get", "DELETE": "drive.delete"}.get(
                item.method, "drive.other"
            )
    else:
        item.endpoint, item.skip = f"other {host}", "not a Sheets/Drive call"


def prepare(
    emu: Emulator,
    interactions: list[Interaction],
    principal: dict[str, Any],
    session: requests.Session,
) -> dict[str, str]:
    """Queue recorded ids, seed what the cassette assumes exists, return auth headers."""
    created: list[str] = []
    sheets, named, protected = [], [], []
    for item in interactions:
        if item.skip or item.status != 200:
            continue
        payload = _json(item.response)
        if item.endpoint in ("drive.create", "drive.copy"):
            created.append(payload["id"])
        for reply in (
            payload.get("replies", []) if item.endpoint == "spreadsheets.batchUpdate" else []
        ):
            if "addSheet" in reply:
                sheets.append(reply["addSheet"]["properties"]["sheetId"])
            if "addNamedRange" in reply:
                named.append(reply["addNamedRange"]["namedRange"]["namedRangeId"])
            if "addProtectedRange" in reply:
                protected.append(reply["addProtectedRange"]["protectedRange"]["protectedRangeId"])
    emu.queue_ids(created, sheets, named, protected)
    _seed_foreign(emu, interactions, set(created))
    emu.register_service_account(principal)
    token = session.post(
        f"{emu.base_url}/token",
        data={"grant_type": auth.JWT_BEARER, "assertion": auth.sign_assertion(principal, SCOPES)},
        timeout=10,
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _seed_foreign(emu: Emulator, interactions: list[Interaction], created: set[str]) -> None:
    """Spreadsheets the cassette uses but did not create: a recorded 403 means "exists, not
    shared" and is seeded so; recorded successes depend on state we cannot see and are skipped.
    A Drive import rewrites a spreadsheet in ways not emulated, so what follows it is skipped."""
    first_status: dict[str, int] = {}
    tainted: set[str] = set()
    for item in interactions:
        key = item.spreadsheet_id
        if key is None:
            continue
        if key in tainted:
            item.skip = item.skip or "follows a Drive import (out of scope)"
        if item.endpoint == "drive.import":
            tainted.add(key)
        if key not in created:
            first_status.setdefault(key, item.status)
            if first_status[key] == 200:
                item.skip = item.skip or "spreadsheet created outside the cassette"
    for key, status in first_status.items():
        if status == 403:
            emu.create_spreadsheet("Someone else's spreadsheet", spreadsheet_id=key, shared_with=[])


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else None
    except ValueError:
        return text


def run(emu: Emulator, paths: Iterable[Path], principal: dict[str, Any]) -> Report:
    """Replay cassettes, each from a clean emulator; return every comparison made."""
    report = Report()
    with requests.Session() as session:
        session.trust_env = False  # no proxy lookups: everything is on loopback
        for path in paths:
            emu.reset()
            interactions = load(path)
            headers = prepare(emu, interactions, principal, session)
            for item in interactions:
                if item.skip:
                    report.skipped[item.skip] += 1
                    continue
                response = _send(session, emu.base_url, item, headers)
                if not item.compare:
                    continue
                diff = compare(item, response)
                report.outcomes.append(Outcome(item, diff is None, diff))
    return report


def _send(
    session: requests.Session, base: str, item: Interaction, headers: dict[str, str]
) -> requests.Response:
    url = f"{base}{item.path}" + (f"?{item.query}" if item.query else "")
    send_headers = dict(headers)
    if item.content_type:
        send_headers["Content-Type"] = item.content_type
    data = item.body.encode("utf-8") if item.body is not None else None
    return session.request(item.method, url, data=data, headers=send_headers, timeout=10)


def compare(item: Interaction, response: requests.Response) -> str | None:
    """First difference between the recorded and the emulated response, or None."""
    if response.status_code != item.status:
        return f"status {response.status_code} != recorded {item.status}: {response.text[:300]}"
    expected, actual = _json(item.response), _json(response.text)
    if (
        item.endpoint.startswith("drive.")
        and isinstance(expected, dict)
        and isinstance(actual, dict)
    ):
        for key in _VOLATILE:
            if key in expected and key in actual:
                expected[key] = actual[key] = "<volatile>"
    return strict_diff(expected, actual)


def strict_diff(expected: Any, actual: Any, where: str = "$") -> str | None:
    """Compare JSON exactly: types (2 is not 2.0, "2" is not 2), key presence and order."""
    if type(expected) is not type(actual):
        return f"{where}: {type(actual).__name__} {_short(actual)} != recorded {type(expected).__name__} {_short(expected)}"
    if isinstance(expected, dict):
        if list(expected) != list(actual):
            return f"{where}: keys {list(actual)} != recorded {list(expected)}"
        for key in expected:
            found = strict_diff(expected[key], actual[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return f"{where}: {len(actual)} items != recorded {len(expected)}: {_short(actual)} vs {_short(expected)}"
        for i, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found = strict_diff(left, right, f"{where}[{i}]")
            if found:
                return found
        return None
    return (
        None if expected == actual else f"{where}: {_short(actual)} != recorded {_short(expected)}"
    )


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) < 160 else text[:157] + "..."
