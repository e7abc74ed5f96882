"""Cell values as Google reports them: effective value, formatted value, and the CellData JSON."""

from __future__ import annotations

import copy
from collections.abc import Collection
from typing import Any

from tests.sheets_api import formulas, protojson
from tests.sheets_api.model import Sheet, Spreadsheet
from tests.sheets_api.number_format import boolean_text, format_number, is_date_format, json_number

Cell = dict[str, Any]


def has_content(cell: Cell | None) -> bool:
    """Whether the cell shows up in grid data at all: a value, a format or a note."""
    if not cell:
        return False
    return has_value(cell) or any(
        cell.get(k) for k in ("userEnteredFormat", "note", "dataValidation")
    )


def has_value(cell: Cell | None) -> bool:
    """Whether the cell holds a value (an empty string counts as no value, as in Sheets)."""
    if not cell:
        return False
    value = cell.get("userEnteredValue")
    return bool(value) and value != {"stringValue": ""}


def number_format(cell: Cell | None) -> dict[str, Any] | None:
    if not cell:
        return None
    fmt = cell.get("userEnteredFormat") or {}
    nf: dict[str, Any] | None = fmt.get("numberFormat")
    return nf


class Evaluator:
    """Computes effective values of one spreadsheet, following formula references."""

    def __init__(self, spreadsheet: Spreadsheet) -> None:
        self.spreadsheet = spreadsheet
        self._cache: dict[tuple[int, int, int], dict[str, Any] | None] = {}
        self._busy: set[tuple[int, int, int]] = set()

    def effective(self, sheet: Sheet, row: int, col: int) -> dict[str, Any] | None:
        """Return the ExtendedValue the cell evaluates to, or None when it is empty."""
        key = (sheet.sheet_id, row, col)
        if key in self._cache:
            return self._cache[key]
        cell = sheet.cells.get((row, col))
        if not has_value(cell):
            result = None
        else:
            assert cell is not None
            value = cell["userEnteredValue"]
            result = (
                self._formula(sheet, value["formulaValue"], key)
                if "formulaValue" in value
                else value
            )
        self._cache[key] = result
        return result

    def _formula(self, sheet: Sheet, formula: str, key: tuple[int, int, int]) -> dict[str, Any]:
        if key in self._busy:
            raise formulas.FormulaError("REF", "Circular dependency detected.")
        self._busy.add(key)
        try:
            number = formulas.evaluate(
                formula, lambda title, r, c: self._lookup(sheet, title, r, c)
            )
            return {"numberValue": json_number(number)}
        except formulas.FormulaError as error:
            return {"errorValue": {"type": error.kind, "message": error.message}}
        except formulas.Unsupported:
            # Beyond the tiny evaluator: report the formula text rather than invent a result.
            return {"stringValue": formula}
        finally:
            self._busy.discard(key)

    def _lookup(
        self, sheet: Sheet, title: str | None, row: int, col: int
    ) -> float | str | bool | None:
        target = sheet if title is None else self.spreadsheet.sheet_by_title(title)
        if target is None:
            raise formulas.FormulaError("REF", f"Unresolved sheet name '{title}'.")
        value = self.effective(target, row, col)
        if value is None:
            return None
        if "errorValue" in value:
            raise formulas.FormulaError(value["errorValue"]["type"], value["errorValue"]["message"])
        item: float | str | bool = next(iter(value.values()))
        return item

    def formatted(self, sheet: Sheet, row: int, col: int) -> str | None:
        """Return what the cell shows (FORMATTED_VALUE), or None when empty."""
        value = self.effective(sheet, row, col)
        if value is None:
            return None
        locale = self.spreadsheet.locale
        if "numberValue" in value:
            return format_number(
                value["numberValue"], number_format(sheet.cells.get((row, col))), locale
            )
        if "boolValue" in value:
            return boolean_text(value["boolValue"], locale)
        if "errorValue" in value:
            return formulas.FormulaError(value["errorValue"]["type"], "").shown
        return str(value.get("stringValue", ""))

    def rendered(self, sheet: Sheet, row: int, col: int, option: str, date_option: str) -> Any:
        """Return the value for a ValueRange under valueRenderOption/dateTimeRenderOption."""
        cell = sheet.cells.get((row, col))
        if option == "FORMULA" and cell and "formulaValue" in (cell.get("userEnteredValue") or {}):
            return cell["userEnteredValue"]["formulaValue"]
        if option == "FORMATTED_VALUE":
            return self.formatted(sheet, row, col)
        value = self.effective(sheet, row, col)
        if value is None:
            return None
        if "errorValue" in value:
            return self.formatted(sheet, row, col)
        dated = "numberValue" in value and is_date_format(number_format(cell))
        if dated and date_option == "FORMATTED_STRING":
            return self.formatted(sheet, row, col)
        return json_number(next(iter(value.values())))

    def cell_data(
        self,
        sheet: Sheet,
        row: int,
        col: int,
        default_format: dict[str, Any],
        fields: Collection[str] | None = None,
    ) -> dict[str, Any]:
        """Return the CellData JSON of one cell, in Google's field order; ``fields`` limits it
        to those top-level fields (the others are not computed)."""
        cell = sheet.cells.get((row, col))
        if not cell:
            return {}

        def wanted(name: str) -> bool:
            return fields is None or name in fields

        data: dict[str, Any] = {}
        if has_value(cell):
            if wanted("userEnteredValue"):
                data["userEnteredValue"] = cell["userEnteredValue"]
            if wanted("effectiveValue") or wanted("effectiveFormat"):
                effective = self.effective(sheet, row, col)
                if effective is not None:
                    data["effectiveValue"] = effective
            if wanted("formattedValue"):
                data["formattedValue"] = self.formatted(sheet, row, col)
        if cell.get("userEnteredFormat") and wanted("userEnteredFormat"):
            data["userEnteredFormat"] = cell["userEnteredFormat"]
        if wanted("effectiveFormat") and (has_value(cell) or cell.get("userEnteredFormat")):
            data["effectiveFormat"] = _effective_format(
                default_format, cell, data.get("effectiveValue")
            )
        if not wanted("effectiveValue"):
            data.pop("effectiveValue", None)
        for key in ("hyperlink", "note", "dataValidation"):
            if cell.get(key) and wanted(key):
                data[key] = cell[key]
        return protojson.ordered("CellData", data)


def _effective_format(
    default: dict[str, Any], cell: Cell, effective: dict[str, Any] | None
) -> dict[str, Any]:
    """The spreadsheet default merged with the cell's own format [approximation: no cassette has
    unmasked grid data; alignment follows the value type as the Sheets UI does]."""
    merged = copy.deepcopy(default)
    _deep_merge(merged, cell.get("userEnteredFormat") or {})
    if "horizontalAlignment" not in (cell.get("userEnteredFormat") or {}) and effective:
        merged["horizontalAlignment"] = "RIGHT" if "numberValue" in effective else "LEFT"
        if "boolValue" in effective:
            merged["horizontalAlignment"] = "CENTER"
    merged.setdefault("hyperlinkDisplayType", "PLAIN_TEXT")
    return protojson.ordered("CellFormat", merged)


def _deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
