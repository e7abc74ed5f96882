"""The schema validator (tests/sheets_api/schema.py) against Google's discovery documents and the
recorded cassettes, and the emulator's refusals of what does not fit.

The discovery documents carry no example bodies, so the valid bodies here are built from the
documents themselves: every field of every batchUpdate request kind and of every method's body,
filled with a value of its type. The invalid ones are those bodies with one thing broken.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sheets_sync.workbook.google_session import authorized_session
from tests.sheets_api import discovery, replay, schema
from tests.sheets_api.schema_errors import snake

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE = "https://www.googleapis.com/drive/v3/files"
BATCH = "sheets.spreadsheets.batchUpdate"
KINDS = sorted(schema.sheets().schemas["Request"]["properties"])


def sample(api: discovery.Discovery, spec: dict[str, Any], depth: int = 0) -> Any:
    """A valid value for a discovery field spec (every field filled, down to a depth)."""
    if "$ref" in spec:
        return sample_message(api, spec["$ref"], depth + 1)
    kind, fmt = spec.get("type"), spec.get("format")
    if kind == "array":
        return [sample(api, spec.get("items", {}), depth)]
    if kind == "object":
        entries = spec.get("additionalProperties")
        return {"key": sample(api, entries, depth)} if isinstance(entries, dict) else {}
    fixed = {"any": "anything", "boolean": True, "number": 0.5, "integer": 7}
    by_format = {"int64": "1234567890123", "uint64": "1", "google-fieldmask": "*",
                 "google-datetime": "2024-01-01T00:00:00Z", "byte": "YWJj", "date-time": "2024-01-01T00:00:00Z"}  # fmt: skip
    if "enum" in spec:
        return spec["enum"][-1]
    return by_format.get(fmt or "", fixed.get(kind or "", "text"))


def sample_message(api: discovery.Discovery, name: str, depth: int = 0) -> dict[str, Any]:
    if depth > 4:
        return {}
    oneof = schema.ONEOFS.get(name)
    body: dict[str, Any] = {}
    for field, spec in api.schemas[name].get("properties", {}).items():
        if (
            oneof
            and (oneof[1] is None or field in oneof[1])
            and any(oneof[1] is None or f in oneof[1] for f in body)
        ):
            continue  # one member of a oneof only
        body[field] = sample(api, spec, depth)
    return body


def batch(kind: str, payload: Any) -> dict[str, Any]:
    return {"requests": [{kind: payload}]}


@pytest.mark.parametrize("kind", KINDS)
def test_every_request_kind_of_the_discovery_document_fits_when_every_field_is_filled(kind):
    api = schema.sheets()
    payload = sample_message(api, api.schemas["Request"]["properties"][kind]["$ref"])
    assert schema.check_body(api, BATCH, batch(kind, payload)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_misspelt_field_of_any_request_kind_is_named_with_its_proto_path(kind):
    api = schema.sheets()
    payload = sample_message(api, api.schemas["Request"]["properties"][kind]["$ref"])
    payload["bogusFieldXyz"] = 1
    (violation,) = schema.check_body(api, BATCH, batch(kind, payload))
    assert violation.message == (
        f"Invalid JSON payload received. Unknown name \"bogusFieldXyz\" at 'requests[0].{snake(kind)}': "
        "Cannot find field."
    )


def enum_fields(api: discovery.Discovery, kind: str) -> list[str]:
    ref = api.schemas["Request"]["properties"][kind]["$ref"]
    return [f for f, spec in api.schemas[ref].get("properties", {}).items() if "enum" in spec]


@pytest.mark.parametrize("kind", [k for k in KINDS if enum_fields(schema.sheets(), k)])
def test_a_value_outside_an_enum_is_refused_naming_the_enum(kind):
    api = schema.sheets()
    ref = api.schemas["Request"]["properties"][kind]["$ref"]
    payload = sample_message(api, ref)
    field = enum_fields(api, kind)[0]
    payload[field] = "NOT_AN_ENUM_VALUE"
    (violation,) = schema.check_body(api, BATCH, batch(kind, payload))
    where = f"requests[0].{snake(kind)}.{snake(field)}"
    assert violation.field == where
    assert violation.message.startswith(
        f"Invalid value at '{where}' (type.googleapis.com/google.apps.sheets.v4."
    )
    assert violation.message.endswith('), "NOT_AN_ENUM_VALUE"')


@pytest.mark.parametrize(
    ("api_name", "method_id"),
    [
        (api.name, m.id)
        for api in discovery.apis()
        for m in api.methods.values()
        if m.request is not None
    ],
)
def test_the_body_of_every_method_fits_when_every_field_is_filled(api_name, method_id):
    api = schema.sheets() if api_name == "sheets" else schema.drive()
    body = sample_message(api, api.method(method_id).request or "")
    assert schema.check_body(api, method_id, body) == []


def test_a_request_holds_exactly_one_kind_and_a_value_exactly_one_type():
    api = schema.sheets()
    two = {"requests": [{"addSheet": {}, "deleteSheet": {"sheetId": 1}}]}
    assert [v.message for v in schema.check_body(api, BATCH, two)] == [
        (
            "Invalid value at 'requests[0]' (oneof), oneof field 'kind' is already set. "
            "Cannot set 'deleteSheet'"
        )
    ]
    cell = {"userEnteredValue": {"stringValue": "a", "numberValue": 1}}
    body = batch("updateCells", {"rows": [{"values": [cell]}], "fields": "*"})
    (violation,) = schema.check_body(api, BATCH, body)
    assert violation.field == "requests[0].update_cells.rows[0].values[0].user_entered_value"
    assert "oneof field 'value' is already set. Cannot set 'numberValue'" in violation.message
    nulls = {"userEnteredValue": {"stringValue": "a", "numberValue": None}}
    assert (
        schema.check_body(api, BATCH, batch("updateCells", {"rows": [{"values": [nulls]}]})) == []
    )


def test_google_spellings_of_names_and_numbers_are_accepted():
    api = schema.sheets()
    body = batch(
        "add_sheet",  # snake_case proto names
        {"properties": {"sheet_id": "12", "grid_properties": {"rowCount": 5.0, "column_count": "3"},
                        "tab_color_style": {"rgbColor": {"red": "0.5", "green": "NaN"}},
                        "sheetType": "grid", "hidden": "false", "index": None}},
    )  # fmt: skip
    assert schema.check_body(api, BATCH, body) == []
    assert schema.check_body(api, BATCH, batch("appendDimension", {"dimension": 1})) == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"sheetId": "x"}, "Invalid value at 'requests[0].append_dimension.sheet_id' (TYPE_INT32), \"x\""),
        ({"sheetId": 2**31}, "Invalid value at 'requests[0].append_dimension.sheet_id' (TYPE_INT32), 2147483648"),
        ({"length": 1.5}, "Invalid value at 'requests[0].append_dimension.length' (TYPE_INT32), 1.5"),
        ({"sheetId": {"a": 1}}, "Invalid value at 'requests[0].append_dimension' (sheet_id), Starting an object on a scalar field"),
        ({"sheetId": [1]}, "Invalid JSON payload received. Unknown name \"sheetId\" at 'requests[0].append_dimension': Proto field is not repeating, cannot start list."),
        ({"dimension": 3}, "Invalid value at 'requests[0].append_dimension.dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), 3"),
    ],
)  # fmt: skip
def test_values_of_the_wrong_type_are_refused_as_protobuf_words_it(payload, message):
    violations = schema.check_body(schema.sheets(), BATCH, batch("appendDimension", payload))
    assert [v.message for v in violations] == [message]


def test_several_misfits_are_all_reported_and_a_root_misfit_names_no_field():
    api = schema.sheets()
    body = {"requests": [{"addSheet": {"title": "x"}}], "responseRange": []}
    violations = schema.check_body(api, BATCH, body)
    assert [v.detail() for v in violations] == [
        {"field": "requests[0].add_sheet",
         "description": "Invalid JSON payload received. Unknown name \"title\" at 'requests[0].add_sheet': Cannot find field."},
        {"description": "Invalid JSON payload received. Unknown name \"responseRange\": Cannot find field."},
    ]  # fmt: skip


def query(
    method: str, path: str, params: dict[str, list[str]], *, strict: bool = False
) -> list[str]:
    return [v.message for v in schema.check(method, path, params, None, strict=strict)]


def test_query_parameters_are_checked_against_the_method_and_the_api():
    get = "/v4/spreadsheets/KEY"
    fine = {"ranges": ["'A'!A1", "'B'"], "fields": ["sheets.properties"], "includeGridData": ["True"],
            "prettyPrint": ["false"], "$.xgafv": ["2"], "include_grid_data": ["0"]}  # fmt: skip
    assert query("GET", get, fine) == []
    assert query("GET", get, {"includeGridData": ["maybe"]}) == [
        "Invalid value at 'include_grid_data' (TYPE_BOOL), \"maybe\""
    ]
    assert query("GET", f"{get}/values/A1", {"valueRenderOption": ["FORMATED_VALUE"]}) == [
        (
            "Invalid value at 'value_render_option' "
            '(type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "FORMATED_VALUE"'
        )
    ]
    assert query("GET", get, {"range": ["A1"]}) == [
        (
            'Invalid JSON payload received. Unknown name "range": Cannot bind query parameter. '
            "Field 'range' could not be found in request message."
        )
    ]


def test_drive_ignores_a_query_parameter_it_does_not_know_but_strict_checking_does_not():
    params = {"includeItemsFromAllDrives": ["True"], "supportsAllDrives": ["True"]}
    assert query("GET", "/drive/v3/files/ID", params) == []
    assert len(query("GET", "/drive/v3/files/ID", params, strict=True)) == 1
    assert query("GET", "/drive/v3/files", {"pageSize": ["many"]}) == [
        "Invalid value at 'page_size' (TYPE_INT32), \"many\""
    ]


# --- the cassettes ----------------------------------------------------------------------------


def recorded_requests() -> list[tuple[str, int, dict[str, Any]]]:
    found = []
    for path in sorted(replay.CASSETTES.glob("*.json")):
        for index, raw in enumerate(json.loads(path.read_text())["interactions"]):
            found.append((path.name, index, raw))
    return found


@pytest.mark.skipif(not replay.CASSETTES.is_dir(), reason="gspread cassettes not found")
def test_every_recorded_request_fits_and_googles_recorded_refusals_are_reproduced_exactly():
    bodies = queries = refused = 0
    for cassette, index, raw in recorded_requests():
        request, response = raw["request"], raw["response"]
        url = urlsplit(request["uri"])
        found = discovery.find(request["method"], url.path)
        if found is None:
            continue
        body = json.loads(request["body"]) if request["body"] else None
        violations = schema.check(
            request["method"], url.path, parse_qs(url.query, keep_blank_values=True), body
        )
        recorded = response["body"]["string"]
        if response["status"]["code"] == 400 and "Invalid value at" in recorded:
            refused += 1
            assert schema.refusal(found[0], violations).body() == json.loads(recorded)
            continue
        assert violations == [], f"{cassette} #{index}: {violations}"
        bodies += body is not None
        queries += bool(url.query)
    print(f"\n{bodies} recorded bodies and {queries} queries fit; {refused} refusals reproduced")
    assert bodies >= 600 and queries >= 1000 and refused == 3


# --- the emulator's answers -------------------------------------------------------------------


@pytest.fixture
def api(sheets_api, service_account_info, no_egress):
    return authorized_session(service_account_info, sheets_api.base_url)


@pytest.fixture
def key(sheets_api, service_account_info):
    return sheets_api.create_spreadsheet(
        "Roadmap", {"Sheet1": [["a"]]}, shared_with=[service_account_info["client_email"]]
    )


def test_the_emulator_refuses_an_unknown_name_with_googles_whole_envelope(api, key, sheets_api):
    body = batch("updateCells", {"start": {"sheetId": 0}, "rows": [{"values": [{"userEnteredValu": {}}]}],
                                 "fields": "userEnteredValue"})  # fmt: skip
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json=body)
    message = (
        'Invalid JSON payload received. Unknown name "userEnteredValu" at '
        "'requests[0].update_cells.rows[0].values[0]': Cannot find field."
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": 400,
            "message": message,
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [
                        {
                            "field": "requests[0].update_cells.rows[0].values[0]",
                            "description": message,
                        }
                    ],
                }
            ],
        }
    }
    assert sheets_api.values(key, "Sheet1") == [["a"]]
    (entry,) = [r for r in sheets_api.requests() if r["route"].endswith(":batchUpdate")]
    assert entry["api_method"] == BATCH and entry["violations"] == [message]


def test_the_emulator_refuses_a_bad_enum_in_the_query_and_an_unknown_parameter(api, key):
    response = api.get(f"{SHEETS}/{key}/values/Sheet1", params={"majorDimension": "ROW"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), \"ROW\""
    )
    assert api.get(f"{SHEETS}/{key}", params={"includeGridDate": "true"}).status_code == 400


def test_the_emulator_acts_on_snake_case_names_as_google_does(api, key, sheets_api):
    body = {
        "requests": [
            {"add_sheet": {"properties": {"title": "Второй", "grid_properties": {"row_count": 3}}}}
        ]
    }
    assert api.post(f"{SHEETS}/{key}:batchUpdate", json=body).status_code == 200
    assert sheets_api.sheet_properties(key, "Второй")["gridProperties"]["rowCount"] == 3
    read = api.get(f"{SHEETS}/{key}/values/Sheet1", params={"value_render_option": "FORMULA"})
    assert read.json()["values"] == [["a"]]


def test_the_emulator_refuses_a_misspelt_drive_body_with_drives_envelope(api, key):
    response = api.post(
        DRIVE, json={"nmae": "x", "mimeType": "application/vnd.google-apps.spreadsheet"}
    )
    message = 'Invalid JSON payload received. Unknown name "nmae": Cannot find field.'
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": 400,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "badRequest"}],
        }
    }
    assert (
        api.get(f"{DRIVE}/{key}", params={"includeItemsFromAllDrives": "True"}).status_code == 200
    )


def test_a_field_mask_naming_nothing_is_refused_for_reads_and_updates(api, key, sheets_api):
    read = api.get(f"{SHEETS}/{key}", params={"fields": "sheets(properties(sheetId,titel))"})
    assert read.status_code == 400
    assert read.json()["error"] == {
        "code": 400,
        "message": "Request contains an invalid argument.",
        "status": "INVALID_ARGUMENT",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [
                    {
                        "field": "sheets.properties.titel",
                        "description": "Error expanding 'fields' parameter. Cannot find matching "
                        "fields for path 'sheets.properties.titel'.",
                    }
                ],
            }
        ],
    }
    cell = {"userEnteredValue": {"stringValue": "b"}}
    update = {"start": {"sheetId": 0}, "rows": [{"values": [cell]}], "fields": "userEnteredValu"}
    response = api.post(f"{SHEETS}/{key}:batchUpdate", json=batch("updateCells", update))
    assert (
        response.json()["error"]["message"]
        == ("Invalid requests[0].updateCells: Invalid field: userEnteredValue"[:-1])
    )
    assert sheets_api.values(key, "Sheet1") == [["a"]]
    nested = dict(update, fields="userEnteredFormat(textFormat.bold,backgroundColour)")
    assert (
        "Invalid field: userEnteredFormat.backgroundColour"
        in api.post(f"{SHEETS}/{key}:batchUpdate", json=batch("updateCells", nested)).json()[
            "error"
        ]["message"]
    )
    fine = dict(update, fields="userEnteredValue,userEnteredFormat/textFormat.bold,note")
    assert api.post(f"{SHEETS}/{key}:batchUpdate", json=batch("updateCells", fine)).ok
