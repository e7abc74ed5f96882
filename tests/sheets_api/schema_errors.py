"""How Google words its refusal of a request that does not fit the schema, and the scalar rules.

Google parses a JSON body (and binds query parameters) into the method's protobuf request before
anything else runs; what does not parse is refused with 400 INVALID_ARGUMENT and one of these
sentences, several joined by a newline, each also listed in a ``google.rpc.BadRequest`` detail.
Paths use the proto (snake_case) field names; unknown names are echoed as sent. Sources:

- ``Invalid JSON payload received. Unknown name "DeleteRange" at 'requests[0]': Cannot find
  field.`` with fieldViolations ``[{field: 'requests[0]', description: <same>}]``:
  googleapis/google-api-python-client#930 (Sheets batchUpdate).
- ``... at 'requests[0].update_sheet_properties.properties'``: theoephraim/node-google-spreadsheet#523.
- two errors joined by ``\\n``: googleapis/google-api-dotnet-client#2161 (Sheets).
- ``Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), "X"``: recorded
  in the gspread cassettes (WorksheetTest.test_add_validation #5), details as above.
- ``(TYPE_DOUBLE), "8482..._1161..."``: nithinmurali/pygsheets#425 (Sheets); ``(TYPE_INT32)``,
  the top-level variant without ``at '…'``, the query-parameter variant, the oneof sentence and
  ``Starting an object on a scalar field``: real Google Docs/Fitness/Slides refusals quoted in
  public code (the same front end); their Sheets wording is [unverified].
- values as protobuf's converter prints them: strings quoted, numbers and booleans bare.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

INT_RANGES = {
    "int32": (-(2**31), 2**31 - 1),
    "uint32": (0, 2**32 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint64": (0, 2**64 - 1),
}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_INTEGER = re.compile(r"-?\d+")


@dataclass(frozen=True)
class Violation:
    """One refusal: Google's sentence and the field it names ("" for the body or query itself)."""

    message: str
    field: str = ""

    def detail(self) -> dict[str, str]:
        # proto3 JSON leaves an empty string out, so a violation at the root names no field.
        return (
            {"field": self.field, "description": self.message}
            if self.field
            else {"description": self.message}
        )


def snake(name: str) -> str:
    """A JSON (lowerCamel) field name as its proto (snake_case) name: ``a1Notation`` -> ``a1_notation``."""
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def shown(value: Any) -> str:
    """A JSON value as protobuf's converter prints it in a refusal."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def at(where: str) -> str:
    return f" at '{where}'" if where else ""


def unknown_name(name: str, where: str) -> Violation:
    return Violation(
        f'Invalid JSON payload received. Unknown name "{name}"{at(where)}: Cannot find field.',
        where,
    )


def not_repeating(name: str, where: str) -> Violation:
    return Violation(
        f'Invalid JSON payload received. Unknown name "{name}"{at(where)}: '
        "Proto field is not repeating, cannot start list.",
        where,
    )


def unbound_query_parameter(name: str) -> Violation:
    return Violation(
        f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
        f"Field '{name}' could not be found in request message."
    )


def invalid_value(where: str, type_name: str, value: Any) -> Violation:
    return Violation(f"Invalid value at '{where}' ({type_name}), {shown(value)}", where)


def object_on_scalar(parent: str, name: str) -> Violation:
    place = f" at '{parent}'" if parent else ""
    return Violation(f"Invalid value{place} ({name}), Starting an object on a scalar field", parent)


def oneof_twice(where: str, oneof: str, second: str) -> Violation:
    return Violation(
        f"Invalid value at '{where}' (oneof), oneof field '{oneof}' is already set. "
        f"Cannot set '{second}'",
        where,
    )


# --- scalar rules (protobuf's JSON parser, as Google runs it) ------------------------------


def bool_ok(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    return isinstance(value, str) and value.lower() in _TRUE | _FALSE


def int_ok(value: Any, fmt: str) -> bool:
    """Integers come as JSON numbers with no fraction or as decimal strings (int64 usually)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        if not _INTEGER.fullmatch(value):
            return False
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        return False
    low, high = INT_RANGES.get(fmt, INT_RANGES["int32"])
    return low <= number <= high


def number_ok(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if not isinstance(value, str):
        return False
    if value in ("NaN", "Infinity", "-Infinity"):
        return True
    try:
        return math.isfinite(float(value)) and "_" not in value
    except ValueError:
        return False


def enum_ok(names: list[str], value: Any) -> bool:
    """An enum is named (Google also takes other letter cases) or given by its ordinal.

    Names in any case and ordinals below the enum's length were measured as accepted on Sheets
    by brekkylab/backlot#342."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 <= value < len(names)
    if not isinstance(value, str):
        return False
    if _INTEGER.fullmatch(value):
        return 0 <= int(value) < len(names)
    return value.upper() in names


def proto_scalar(spec: dict[str, Any]) -> str:
    """The TYPE_* name protobuf uses for a discovery scalar."""
    kind, fmt = spec.get("type"), spec.get("format")
    if kind == "boolean":
        return "TYPE_BOOL"
    if kind == "number":
        return "TYPE_FLOAT" if fmt == "float" else "TYPE_DOUBLE"
    if kind == "integer" or fmt in INT_RANGES:
        return f"TYPE_{(fmt or 'int32').upper()}"
    return "TYPE_STRING"
