"""Reading and writing cell values in bulk, shared by the ``values`` endpoints."""

from __future__ import annotations

from typing import Any

from tests.sheets_api.cells import Evaluator
from tests.sheets_api.errors import bad_request, invalid_json_value
from tests.sheets_api.model import MAX_CELL_CHARS, Sheet
from tests.sheets_api.number_format import parse_user_entered
from tests.sheets_api.ranges import Target

_LIST_VALUE = "type.googleapis.com/google.protobuf.ListValue"
CELL_TOO_LONG = (
    f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters in a single cell."
)


def value_rows(values: Any, major: str | None, field: str) -> list[list[Any]]:
    """Validate a ValueRange's ``values`` and return them row-major (``None`` = leave as is)."""
    if not isinstance(values, list):
        raise invalid_json_value(field, values, _LIST_VALUE)
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise invalid_json_value(f"{field}[{i}]", row, _LIST_VALUE)
        for j, item in enumerate(row):
            if isinstance(item, dict | list):
                kind = "struct_value" if isinstance(item, dict) else "list_value"
                raise bad_request(f"Invalid values[{i}][{j}]: {kind}")
    if major == "COLUMNS":
        height = max((len(column) for column in values), default=0)
        return [
            [column[r] if r < len(column) else None for column in values] for r in range(height)
        ]
    if major not in (None, "ROWS", "DIMENSION_UNSPECIFIED"):
        raise bad_request(f"Invalid majorDimension: {major}")
    return values


def size(rows: list[list[Any]]) -> tuple[int, int]:
    return len(rows), max((len(row) for row in rows), default=0)


def write_rows(
    sheet: Sheet, top: int, left: int, rows: list[list[Any]], input_option: str, locale: str
) -> list[tuple[int, int]]:
    """Write values from (top, left); return the positions written (nulls are skipped)."""
    written = []
    for i, row in enumerate(rows):
        for j, item in enumerate(row):
            if item is None:
                continue
            put_value(sheet, top + i, left + j, item, input_option, locale)
            written.append((top + i, left + j))
    return written


def put_value(sheet: Sheet, row: int, col: int, item: Any, input_option: str, locale: str) -> None:
    """Store one typed value, keeping the cell's format and note as Sheets does."""
    if isinstance(item, str) and len(item) > MAX_CELL_CHARS:
        raise bad_request(CELL_TOO_LONG)
    number_format = None
    if isinstance(item, bool):
        value: dict[str, Any] | None = {"boolValue": item}
    elif isinstance(item, int | float):
        value = {"numberValue": item}
    elif input_option == "USER_ENTERED":
        value, number_format = parse_user_entered(str(item), locale)
    else:
        value = {"stringValue": item} if item != "" else None
    cell = sheet.cells.setdefault((row, col), {})
    if value is None:
        cell.pop("userEnteredValue", None)
    else:
        cell["userEnteredValue"] = value
    if number_format is not None:
        # A new format object, not an edit: clones share nested objects (Spreadsheet.clone).
        cell["userEnteredFormat"] = {
            **cell.get("userEnteredFormat", {}),
            "numberFormat": number_format,
        }
    if not cell:
        del sheet.cells[(row, col)]


def update_response(
    spreadsheet_id: str, box: Target, written: list[tuple[int, int]]
) -> dict[str, Any]:
    """UpdateValuesResponse: counts cover non-null cells; zero counts are omitted (proto3)."""
    response: dict[str, Any] = {"spreadsheetId": spreadsheet_id, "updatedRange": box.echo()}
    counts = {
        "updatedRows": len({r for r, _ in written}),
        "updatedColumns": len({c for _, c in written}),
        "updatedCells": len(written),
    }
    response.update({key: count for key, count in counts.items() if count})
    return response


def value_range(
    evaluator: Evaluator,
    target: Target,
    major: str = "ROWS",
    option: str = "FORMATTED_VALUE",
    date_option: str = "SERIAL_NUMBER",
) -> dict[str, Any]:
    """Return a ValueRange: trailing empty cells and rows dropped, ``values`` absent when empty."""
    sheet = target.sheet
    found: dict[tuple[int, int], Any] = {}
    for row, col in sheet.cells:
        if target.r0 <= row < target.r1 and target.c0 <= col < target.c1:
            item = evaluator.rendered(sheet, row, col, option, date_option)
            if item is not None and item != "":
                found[(row, col)] = item
    result: dict[str, Any] = {"range": target.echo(), "majorDimension": major}
    if not found:
        return result
    if major == "COLUMNS":
        lines = _lines(found, target.c0, target.r0, lambda key: (key[1], key[0]))
    else:
        lines = _lines(found, target.r0, target.c0, lambda key: key)
    result["values"] = lines
    return result


def _lines(found: dict[tuple[int, int], Any], first: int, start: int, flip: Any) -> list[list[Any]]:
    by_line: dict[int, dict[int, Any]] = {}
    for key, item in found.items():
        line, position = flip(key)
        by_line.setdefault(line, {})[position] = item
    lines = []
    for line in range(first, max(by_line) + 1):
        items = by_line.get(line, {})
        end = max(items) + 1 if items else start
        lines.append([items.get(p, "") for p in range(start, end)])
    return lines


def parse_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0", ""):
        return False
    raise bad_request(f"Invalid value at '{name}' (TYPE_BOOL), \"{value}\"")


def input_option(value: Any) -> str:
    if value in ("RAW", "USER_ENTERED"):
        return str(value)
    if value in (None, "", "INPUT_VALUE_OPTION_UNSPECIFIED"):
        # [unverified] exact text for a missing valueInputOption.
        raise bad_request("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    raise bad_request(
        f"Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), \"{value}\""
    )


def render_options(params: dict[str, Any], prefix: str = "") -> tuple[str, str]:
    option = params.get(
        f"{prefix}valueRenderOption" if not prefix else f"{prefix}ValueRenderOption"
    )
    date_option = params.get(
        "dateTimeRenderOption" if not prefix else f"{prefix}DateTimeRenderOption"
    )
    option = option or "FORMATTED_VALUE"
    date_option = date_option or "SERIAL_NUMBER"
    if option not in ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"):
        raise bad_request(f"Invalid valueRenderOption: {option}")
    if date_option not in ("SERIAL_NUMBER", "FORMATTED_STRING"):
        raise bad_request(f"Invalid dateTimeRenderOption: {date_option}")
    return option, date_option
