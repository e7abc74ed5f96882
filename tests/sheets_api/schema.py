"""Checking a request against Google's own published schema (the discovery documents).

    from tests.sheets_api import schema
    schema.check("POST", "/v4/spreadsheets/KEY:batchUpdate", {}, body)   # -> [Violation, ...]
    schema.check_body(schema.sheets(), "sheets.spreadsheets.batchUpdate", body)

A JSON body is walked against the method's request schema: field names (the lowerCamel JSON
names and the snake_case proto names Google also accepts), types (int32/int64 given as numbers or
decimal strings, doubles, booleans, enums by name or ordinal), nested ``$ref``s, repeated fields,
maps and ``any``, and the proto ``oneof`` unions the discovery format cannot express: a
``Request`` of a batchUpdate holds exactly one kind, an ``ExtendedValue`` one value. Query
parameters are checked against the method's and the API's ``parameters``, and field masks (a
read's ``fields``, an update request's ``fields``) against the messages they select from
(schema_masks.py). The emulator refuses what does not fit exactly as Google does (``refusal``);
the wording is in schema_errors.py.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from tests.sheets_api import discovery, schema_masks
from tests.sheets_api import schema_errors as text
from tests.sheets_api.discovery import Discovery, Method
from tests.sheets_api.errors import ApiError
from tests.sheets_api.schema_errors import Violation

if TYPE_CHECKING:
    from tests.sheets_api.app import Request

BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
BATCH = "sheets.spreadsheets.batchUpdate"
LIST_VALUE = "type.googleapis.com/google.protobuf.ListValue"
STRUCT = "type.googleapis.com/google.protobuf.Struct"

# proto oneofs (name, members; None = every field). The discovery format has no oneofs; these
# follow the Sheets protos. Request's oneof is documented as "A single kind of update to apply"
# and its name `kind`, like ExtendedValue's `value`, is [unverified].
ONEOFS: dict[str, tuple[str, frozenset[str] | None]] = {
    "Request": ("kind", None),
    "ExtendedValue": ("value", None),
    "ColorStyle": ("kind", None),
    "ConditionalFormatRule": ("rule", frozenset({"booleanRule", "gradientRule"})),
}

# The request field a method's body binds to (HTTP rule ``body: "data"``); "" for ``body: "*"``.
# values.update's is recorded ('data.values' in WorksheetTest.test_add_validation #5); append's
# and create's follow the same rule [unverified].
BODY_FIELDS = {
    "sheets.spreadsheets.values.update": "data",
    "sheets.spreadsheets.values.append": "data",
    "sheets.spreadsheets.create": "spreadsheet",
}


def sheets() -> Discovery:
    return discovery.load("sheets", "v4")


def drive() -> Discovery:
    return discovery.load("drive", "v3")


def check(
    http_method: str,
    raw_path: str,
    params: dict[str, list[str]],
    body: Any,
    *,
    strict: bool = False,
) -> list[Violation]:
    """Every refusal Google would give this request; [] if it fits (or is not a Google API call).

    ``strict`` also flags query parameters Drive silently ignores (our own calls must not rely on
    Drive's leniency)."""
    found = discovery.find(http_method, raw_path)
    if found is None:
        return []
    api, method = found
    violations = api.check_query(method, params, strict=strict)
    violations += check_method_body(api, method, body)
    if not violations:
        violations = [Violation(problem) for problem in _mask_problems(api, method, params, body)]
    return violations


def _mask_problems(
    api: Discovery, method: Method, params: dict[str, list[str]], body: Any
) -> list[str]:
    """Field masks naming nothing: the read's ``fields`` parameter and the update requests'."""
    problems = []
    read = schema_masks.read_mask_refusal(api, method.response, (params.get("fields") or [""])[0])
    if read is not None:
        problems.append(read.message + " " + json.dumps(read.details, ensure_ascii=False))
    if method.id == BATCH:
        problems += schema_masks.check_update_masks(api, body)
    return problems


def check_body(api: Discovery, method_id: str, body: Any) -> list[Violation]:
    """The refusals of ``body`` sent to ``method_id`` (e.g. "sheets.spreadsheets.batchUpdate")."""
    return check_method_body(api, api.method(method_id), body)


def check_method_body(api: Discovery, method: Method, body: Any) -> list[Violation]:
    if method.request is None or body is None:
        return []
    out: list[Violation] = []
    _message(api, method.request, body, BODY_FIELDS.get(method.id, ""), out)
    return out


def refusal(api: Discovery, violations: list[Violation]) -> ApiError:
    """The 400 Google answers with: the sentences joined by newlines, each a field violation."""
    message = "\n".join(v.message for v in violations)
    if api.name == "drive":
        # Drive bodies carry errors[] and no status (nodejs-client#588 shows this shape).
        errors = [
            {"message": v.message, "domain": "global", "reason": "badRequest"} for v in violations
        ]
        return ApiError(400, message, drive_errors=errors)
    details = [{"@type": BAD_REQUEST, "fieldViolations": [v.detail() for v in violations]}]
    return ApiError(400, message, details=details)


def enforce(request: Request) -> None:
    """Raise Google's 400 if the request does not fit the schema; otherwise put its body and
    query under the JSON names the handlers read (Google takes the snake_case ones too)."""
    found = discovery.find(request.method, request.raw_path)
    if found is None:
        return
    api, method = found
    body = request.json() if request.body.strip() else None
    params = request.params()
    violations = api.check_query(method, params) + check_method_body(api, method, body)
    if violations:
        raise refusal(api, violations)
    read = schema_masks.read_mask_refusal(api, method.response, (params.get("fields") or [""])[0])
    if read is not None:
        raise read
    if method.id == BATCH:
        masks = schema_masks.check_update_masks(api, body)
        if masks:
            raise ApiError(400, masks[0])
    request.parsed = discovery.canonical_body(api, method, body)
    pairs = parse_qsl(request.query, keep_blank_values=True)
    request.query = urlencode(discovery.canonical_params(api, method, pairs))


# --- the walk ------------------------------------------------------------------------------


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _message(api: Discovery, name: str, value: Any, where: str, out: list[Violation]) -> None:
    if not isinstance(value, dict):
        out.append(text.invalid_value(where, f"type.googleapis.com/{api.package}.{name}", value))
        return
    properties = api.schemas[name].get("properties", {})
    aliases = api.aliases(name)
    members: list[str] = []
    for key, item in value.items():
        field_name = aliases.get(key)
        if field_name is None:
            out.append(text.unknown_name(key, where))
            continue
        if item is None:  # JSON null leaves a field unset
            continue
        members.append(key)
        _field(api, name, field_name, key, properties[field_name], item, where, out)
    _oneof(name, aliases, members, where, out)


def _oneof(
    name: str, aliases: dict[str, str], members: list[str], where: str, out: list[Violation]
) -> None:
    if name not in ONEOFS:
        return
    oneof, fields = ONEOFS[name]
    inside = [key for key in members if fields is None or aliases[key] in fields]
    if len(inside) > 1:
        out.append(text.oneof_twice(where, oneof, inside[1]))


def _field(
    api: Discovery,
    owner: str,
    name: str,
    key: str,
    spec: dict[str, Any],
    value: Any,
    parent: str,
    out: list[Violation],
) -> None:
    where = _join(parent, text.snake(name))
    if spec.get("type") == "array":
        items = spec.get("items", {})
        if not isinstance(value, list):
            out.append(text.invalid_value(where, _type_name(api, items), value))
            return
        for index, element in enumerate(value):
            _element(api, owner, name, items, element, f"{where}[{index}]", parent, out)
        return
    if isinstance(value, list) and spec.get("type") != "any":
        out.append(text.not_repeating(key, parent))
        return
    _single(api, owner, name, spec, value, where, parent, out)


def _element(
    api: Discovery,
    owner: str,
    name: str,
    spec: dict[str, Any],
    value: Any,
    where: str,
    parent: str,
    out: list[Violation],
) -> None:
    if value is None:
        return
    if spec.get("type") == "array":  # a repeated ListValue, e.g. ValueRange.values
        if not isinstance(value, list):
            out.append(text.invalid_value(where, LIST_VALUE, value))
        return
    _single(api, owner, name, spec, value, where, parent, out)


def _single(
    api: Discovery,
    owner: str,
    name: str,
    spec: dict[str, Any],
    value: Any,
    where: str,
    parent: str,
    out: list[Violation],
) -> None:
    if "$ref" in spec:
        _message(api, spec["$ref"], value, where, out)
        return
    kind = spec.get("type")
    if kind == "any":
        return
    if kind == "object":
        _map(api, owner, name, spec, value, where, out)
        return
    if isinstance(value, dict):
        out.append(text.object_on_scalar(parent, text.snake(name)))
        return
    if not _scalar_ok(spec, value):
        type_name = api.enum_type(owner, name) if "enum" in spec else text.proto_scalar(spec)
        out.append(text.invalid_value(where, type_name, value))


def _map(
    api: Discovery,
    owner: str,
    name: str,
    spec: dict[str, Any],
    value: Any,
    where: str,
    out: list[Violation],
) -> None:
    if not isinstance(value, dict):
        out.append(text.invalid_value(where, STRUCT, value))
        return
    entries = spec.get("additionalProperties")
    if not isinstance(entries, dict):
        return
    for key, item in value.items():
        _single(api, owner, name, entries, item, f"{where}[{key}]", where, out)


def _scalar_ok(spec: dict[str, Any], value: Any) -> bool:
    if "enum" in spec:
        return text.enum_ok(spec["enum"], value)
    kind, fmt = spec.get("type"), spec.get("format", "")
    if kind == "boolean":
        return isinstance(value, bool) or (isinstance(value, str) and text.bool_ok(value))
    if kind == "integer" or fmt in text.INT_RANGES:
        return text.int_ok(value, fmt or "int32")
    if kind == "number":
        return text.number_ok(value)
    return isinstance(value, str)


def _type_name(api: Discovery, items: dict[str, Any]) -> str:
    if "$ref" in items:
        return f"type.googleapis.com/{api.package}.{items['$ref']}"
    if items.get("type") == "array":
        return LIST_VALUE
    return text.proto_scalar(items)
