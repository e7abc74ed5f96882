"""Google's discovery documents (``sheets.v4.json``, ``drive.v3.json``), as bundled offline by
google-api-python-client, and what a request looks like to them: which method a URL is, and
which of its query parameters Google would refuse.

The validator of JSON bodies lives in schema.py; both build their refusals with the wording of
Google's protobuf-JSON front end (see the message functions there).
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tests.sheets_api import schema_errors as text

# The proto package each API's messages live in, for the type names Google puts in its refusals
# ("type.googleapis.com/google.apps.sheets.v4.ValueInputOption", johnkhansrc/NestGoogleSheetConnector#6).
PACKAGES = {"sheets": "google.apps.sheets.v4", "drive": "google.apps.drive.v3"}

# Enums that are top-level in the Sheets protos, by the field or parameter that holds them.
# ValueInputOption is quoted verbatim in a real refusal (above); the others follow it [unverified].
# Any other enum is named "<Message>.<Field>" [unverified].
TOP_LEVEL_ENUMS = {
    "valueInputOption": "ValueInputOption",
    "valueRenderOption": "ValueRenderOption",
    "responseValueRenderOption": "ValueRenderOption",
    "dateTimeRenderOption": "DateTimeRenderOption",
    "responseDateTimeRenderOption": "DateTimeRenderOption",
    "majorDimension": "Dimension",
    "dimension": "Dimension",
}


def documents_dir() -> Any:
    """The folder of discovery documents inside the installed google-api-python-client."""
    return importlib.resources.files("googleapiclient") / "discovery_cache" / "documents"


@dataclass(frozen=True)
class Method:
    """One REST method of a discovery document."""

    id: str  # e.g. "sheets.spreadsheets.values.append"
    http_method: str
    pattern: re.Pattern[str]
    parameters: dict[str, dict[str, Any]]
    request: str | None  # the schema of the body, if the method takes one
    response: str | None  # the schema of the answer (what a `fields` mask selects from)
    literal: int  # characters of the path that are not parameters (more specific first)


@dataclass
class Discovery:
    """A parsed discovery document."""

    name: str
    document: dict[str, Any]
    methods: dict[str, Method] = field(default_factory=dict)
    _aliases: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        root = "/" + self.document.get("servicePath", "")
        for method in _walk_methods(self.document.get("resources", {})):
            template = method.get("flatPath") or method["path"]
            paths = [root + template]
            upload = method.get("mediaUpload", {}).get("protocols", {}).get("simple", {})
            if upload.get("path"):
                paths.append(upload["path"])
            for index, path in enumerate(paths):
                key = method["id"] + ("" if index == 0 else "#upload")
                self.methods[key] = Method(
                    id=method["id"],
                    http_method=method["httpMethod"],
                    pattern=_path_pattern(path),
                    parameters=method.get("parameters", {}),
                    request=method.get("request", {}).get("$ref"),
                    response=method.get("response", {}).get("$ref"),
                    literal=len(re.sub(r"\{[^}]*\}", "", path)),
                )
        self._ordered = sorted(self.methods.values(), key=lambda m: -m.literal)

    @property
    def package(self) -> str:
        return PACKAGES.get(self.name, f"google.{self.name}")

    @property
    def schemas(self) -> dict[str, dict[str, Any]]:
        schemas: dict[str, dict[str, Any]] = self.document["schemas"]
        return schemas

    def find(self, http_method: str, raw_path: str) -> Method | None:
        """The method a request is, from its HTTP method and raw (still encoded) path."""
        for method in self._ordered:
            if method.http_method == http_method.upper() and method.pattern.fullmatch(raw_path):
                return method
        return None

    def method(self, method_id: str) -> Method:
        return self.methods[method_id]

    def aliases(self, schema: str) -> dict[str, str]:
        """Every name a field of ``schema`` may be sent under -> its JSON (lowerCamel) name."""
        found = self._aliases.get(schema)
        if found is None:
            names = self.schemas[schema].get("properties", {})
            found = {text.snake(n): n for n in names} | {n: n for n in names}
            self._aliases[schema] = found
        return found

    def enum_type(self, owner: str, name: str) -> str:
        """The type.googleapis.com name of the enum held by field ``name`` of ``owner``."""
        enum = TOP_LEVEL_ENUMS.get(name) or f"{owner}.{name[:1].upper()}{name[1:]}"
        return f"type.googleapis.com/{self.package}.{enum}"

    @property
    def binds_unknown_parameters(self) -> bool:
        """Drive answers a query parameter it does not know as if it were absent: the gspread
        cassettes record 165 ``drive.files.get`` with ``includeItemsFromAllDrives`` (a files.list
        parameter) answered 200. Sheets refuses one (see schema_errors.unbound_query_parameter)."""
        return self.name == "drive"

    def check_query(
        self, method: Method, params: dict[str, list[str]], *, strict: bool = False
    ) -> list[text.Violation]:
        """Refusals Google gives for ``params`` (form-decoded, repeated ones as lists).

        ``strict`` also reports the unknown names Drive lets through, for checking our own calls."""
        known = {**self.document.get("parameters", {}), **method.parameters}
        aliases = {text.snake(name): name for name in known} | {name: name for name in known}
        violations: list[text.Violation] = []
        for given, values in params.items():
            name = aliases.get(given)
            if name is None:
                if strict or not self.binds_unknown_parameters:
                    violations.append(text.unbound_query_parameter(given))
                continue
            spec = known[name]
            if spec.get("location") == "path" or name in self.document.get("parameters", {}):
                continue  # system parameters have refusals of their own; not modelled
            owner = method.request or "Request"
            for value in values:
                problem = _query_value(self, owner, name, spec, value)
                if problem is not None:
                    violations.append(problem)
        return violations


def _query_value(
    discovery: Discovery, owner: str, name: str, spec: dict[str, Any], value: str
) -> text.Violation | None:
    where = text.snake(name)
    if "enum" in spec:
        if text.enum_ok(spec["enum"], value):
            return None
        return text.invalid_value(where, discovery.enum_type(owner, name), value)
    kind = spec.get("type")
    if kind == "boolean" and not text.bool_ok(value):
        return text.invalid_value(where, "TYPE_BOOL", value)
    if kind == "integer" and not text.int_ok(value, spec.get("format", "int32")):
        return text.invalid_value(where, text.proto_scalar(spec), value)
    return None


def _walk_methods(resources: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for resource in resources.values():
        found.extend(resource.get("methods", {}).values())
        found.extend(_walk_methods(resource.get("resources", {})))
    return found


def _path_pattern(path: str) -> re.Pattern[str]:
    """``/v4/spreadsheets/{spreadsheetId}/values/{range}:append`` as a regex on raw paths."""
    out = ""
    for piece in re.split(r"(\{\+?[^}]*\})", path):
        if piece.startswith("{+"):
            out += ".+"
        elif piece.startswith("{"):
            out += "[^/]+?"
        else:
            out += re.escape(piece)
    return re.compile(out)


@functools.cache
def load(name: str, version: str) -> Discovery:
    """The bundled discovery document of ``name`` ``version``, e.g. ``load("sheets", "v4")``."""
    path = documents_dir() / f"{name}.{version}.json"
    return Discovery(name, json.loads(path.read_text(encoding="utf-8")))


def apis() -> tuple[Discovery, ...]:
    """The discovery documents the emulator serves: Sheets v4 and Drive v3."""
    return (load("sheets", "v4"), load("drive", "v3"))


def find(http_method: str, raw_path: str) -> tuple[Discovery, Method] | None:
    """The API and method a request to the emulator is, if it is one of Google's."""
    for api in apis():
        method = api.find(http_method, raw_path)
        if method is not None:
            return api, method
    return None


# --- canonical names -----------------------------------------------------------------------


def canonical_body(api: Discovery, method: Method, body: Any) -> Any:
    """``body`` with every field under its JSON (lowerCamel) name, as the handlers read it.

    Only call on a body that passed ``check_method_body``."""
    if method.request is None or body is None:
        return body
    return _canonical(api, {"$ref": method.request}, body)


def canonical_params(
    api: Discovery, method: Method, params: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Query parameters under their JSON names (``include_grid_data`` -> ``includeGridData``)."""
    known = {**api.document.get("parameters", {}), **method.parameters}
    aliases = {text.snake(name): name for name in known}
    return [(aliases.get(name, name), value) for name, value in params]


def _canonical(api: Discovery, spec: dict[str, Any], value: Any) -> Any:
    if value is None:
        return None
    if "$ref" in spec and isinstance(value, dict):
        properties = api.schemas[spec["$ref"]].get("properties", {})
        aliases = api.aliases(spec["$ref"])
        return {
            aliases[key]: _canonical(api, properties[aliases[key]], item)
            for key, item in value.items()
        }
    if spec.get("type") == "array" and isinstance(value, list):
        return [_canonical(api, spec.get("items", {}), item) for item in value]
    entries = spec.get("additionalProperties")
    if spec.get("type") == "object" and isinstance(entries, dict) and isinstance(value, dict):
        return {key: _canonical(api, entries, item) for key, item in value.items()}
    return value
