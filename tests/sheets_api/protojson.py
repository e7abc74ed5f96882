"""Google's JSON shape: proto field order, omitted defaults, and how colours are stored.

Responses list fields in proto field-number order (``hidden`` after ``gridProperties``;
``backgroundColorStyle`` last in a CellFormat) and omit proto3 defaults such as a zero colour
component or a ``sheetId`` of 0 inside a GridRange. Comparing bodies key-by-key needs both.
"""

from __future__ import annotations

from typing import Any

from tests.sheets_api.number_format import float32, json_number

# message -> [(field, message of the field or None)], in proto field order.
SCHEMA: dict[str, list[tuple[str, str | None]]] = {
    "Spreadsheet": [
        ("spreadsheetId", None), ("properties", "SpreadsheetProperties"), ("sheets", "Sheet"),
        ("namedRanges", "NamedRange"), ("spreadsheetUrl", None), ("developerMetadata", None),
    ],
    "SpreadsheetProperties": [
        ("title", None), ("locale", None), ("autoRecalc", None), ("timeZone", None),
        ("defaultFormat", "CellFormat"), ("iterativeCalculationSettings", None),
        ("spreadsheetTheme", None), ("importFunctionsExternalUrlAccessAllowed", None),
    ],
    "Sheet": [
        ("properties", "SheetProperties"), ("data", "GridData"), ("merges", "GridRange"),
        ("conditionalFormats", None), ("filterViews", None), ("protectedRanges", "ProtectedRange"),
        ("basicFilter", "BasicFilter"), ("charts", None), ("bandedRanges", None),
        ("developerMetadata", None), ("rowGroups", "DimensionGroup"), ("columnGroups", "DimensionGroup"),
    ],
    "SheetProperties": [
        ("sheetId", None), ("title", None), ("index", None), ("sheetType", None),
        ("gridProperties", "GridProperties"), ("hidden", None), ("tabColor", "Color"),
        ("rightToLeft", None), ("dataSourceSheetProperties", None), ("tabColorStyle", "ColorStyle"),
    ],
    "GridProperties": [
        ("rowCount", None), ("columnCount", None), ("frozenRowCount", None), ("frozenColumnCount", None),
        ("hideGridlines", None), ("rowGroupControlAfter", None), ("columnGroupControlAfter", None),
    ],
    "GridRange": [
        ("sheetId", None), ("startRowIndex", None), ("endRowIndex", None),
        ("startColumnIndex", None), ("endColumnIndex", None),
    ],
    "DimensionRange": [("sheetId", None), ("dimension", None), ("startIndex", None), ("endIndex", None)],
    "DimensionGroup": [("range", "DimensionRange"), ("depth", None), ("collapsed", None)],
    "NamedRange": [("namedRangeId", None), ("name", None), ("range", "GridRange")],
    "ProtectedRange": [
        ("protectedRangeId", None), ("range", "GridRange"), ("namedRangeId", None), ("tableId", None),
        ("description", None), ("warningOnly", None), ("requestingUserCanEdit", None),
        ("unprotectedRanges", "GridRange"), ("editors", "Editors"),
    ],
    "Editors": [("users", None), ("groups", None), ("domainUsersCanEdit", None)],
    "BasicFilter": [("range", "GridRange"), ("sortSpecs", None), ("criteria", None), ("filterSpecs", None)],
    "GridData": [
        ("startRow", None), ("startColumn", None), ("rowData", "RowData"),
        ("rowMetadata", "DimensionProperties"), ("columnMetadata", "DimensionProperties"),
    ],
    "RowData": [("values", "CellData")],
    "DimensionProperties": [
        ("hiddenByFilter", None), ("hiddenByUser", None), ("pixelSize", None),
        ("developerMetadata", None), ("dataSourceColumnReference", None),
    ],
    "CellData": [
        ("userEnteredValue", "ExtendedValue"), ("effectiveValue", "ExtendedValue"),
        ("formattedValue", None), ("userEnteredFormat", "CellFormat"), ("effectiveFormat", "CellFormat"),
        ("hyperlink", None), ("note", None), ("textFormatRuns", None), ("dataValidation", "DataValidationRule"),
        ("pivotTable", None), ("dataSourceTable", None), ("dataSourceFormula", None),
    ],
    "ExtendedValue": [
        ("numberValue", None), ("stringValue", None), ("boolValue", None),
        ("formulaValue", None), ("errorValue", None),
    ],
    "CellFormat": [
        ("numberFormat", "NumberFormat"), ("backgroundColor", "Color"), ("borders", "Borders"),
        ("padding", "Padding"), ("horizontalAlignment", None), ("verticalAlignment", None),
        ("wrapStrategy", None), ("textDirection", None), ("textFormat", "TextFormat"),
        ("hyperlinkDisplayType", None), ("textRotation", None), ("backgroundColorStyle", "ColorStyle"),
    ],
    "NumberFormat": [("type", None), ("pattern", None)],
    "Padding": [("top", None), ("right", None), ("bottom", None), ("left", None)],
    "Borders": [("top", "Border"), ("bottom", "Border"), ("left", "Border"), ("right", "Border")],
    "Border": [("style", None), ("width", None), ("color", "Color"), ("colorStyle", "ColorStyle")],
    "TextFormat": [
        ("foregroundColor", "Color"), ("fontFamily", None), ("fontSize", None), ("bold", None),
        ("italic", None), ("strikethrough", None), ("underline", None), ("link", None),
        ("foregroundColorStyle", "ColorStyle"),
    ],
    "ColorStyle": [("rgbColor", "Color"), ("themeColor", None)],
    "Color": [("red", None), ("green", None), ("blue", None), ("alpha", None)],
    "DataValidationRule": [
        ("condition", "BooleanCondition"), ("inputMessage", None), ("strict", None), ("showCustomUi", None),
    ],
    "BooleanCondition": [("type", None), ("values", None)],
}  # fmt: skip

# proto3 scalars that Google leaves out when they hold their default value.
_OMIT_DEFAULTS = {
    "Color": {"red", "green", "blue"},
    "GridRange": {"sheetId"},
    "DimensionRange": {"sheetId"},
    "GridProperties": {"frozenRowCount", "frozenColumnCount", "hideGridlines"},
    "SheetProperties": {"hidden", "rightToLeft"},
    "DataValidationRule": {"strict", "showCustomUi"},
    "ProtectedRange": {"warningOnly", "description"},
}


# message -> {field: (position, message of the field)}
_INDEX = {
    message: {name: (position, child or "") for position, (name, child) in enumerate(fields)}
    for message, fields in SCHEMA.items()
}
_UNKNOWN = (len(max(SCHEMA.values(), key=len)), "")


def order(message: str, value: Any) -> Any:
    """Return ``value`` with keys in proto order, defaults omitted, integral floats as ints."""
    if isinstance(value, list):
        return [order(message, item) for item in value]
    if isinstance(value, float):
        return json_number(value)
    if not isinstance(value, dict):
        return value
    index = _INDEX.get(message)
    if index is None:
        return {key: order("", item) for key, item in value.items()}
    omit = _OMIT_DEFAULTS.get(message, ())
    # Unknown keys keep their place after the known ones (sorted() is stable).
    keys = sorted(value, key=lambda name: index.get(name, _UNKNOWN)[0])
    out: dict[str, Any] = {}
    for name in keys:
        item = value[name]
        if name in omit and item in (0, False, ""):
            continue
        out[name] = order(index.get(name, _UNKNOWN)[1], item)
    return out


def ordered(message: str, value: dict[str, Any]) -> dict[str, Any]:
    """``order`` for one object (typed for callers that return it)."""
    result: dict[str, Any] = order(message, value)
    return result


_COLOR_KEYS = {"backgroundColor", "foregroundColor", "rgbColor", "tabColor", "color"}


def store_colors(value: Any, key: str = "") -> Any:
    """Store colours as Sheets does: 8 bits per channel, read back as float32 (0.5 -> 0.49803922)."""
    if isinstance(value, list):
        return [store_colors(item) for item in value]
    if not isinstance(value, dict):
        return value
    if key in _COLOR_KEYS and all(isinstance(v, int | float) for v in value.values()):
        stored: dict[str, Any] = {}
        for channel, amount in value.items():
            if channel == "alpha":
                stored[channel] = float32(float(amount))
            else:
                # Truncation, not rounding: 0.5 came back as 127/255 in WorksheetTest.test_update_tab_color.
                stored[channel] = float32(int(float(amount) * 255 + 1e-6) / 255)
        return stored
    return {name: store_colors(item, name) for name, item in value.items()}


def strip_nulls(value: Any) -> Any:
    """JSON ``null`` means "unset" in request bodies (gspread 6 sends many)."""
    if isinstance(value, dict):
        return {key: strip_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [strip_nulls(item) for item in value]
    return value


def mirror_color_styles(
    fmt: dict[str, Any], touched: set[str] | None = None, text_touched: set[str] | None = None
) -> None:
    """Keep ``backgroundColor``/``backgroundColorStyle`` (and the text colour pair) in step, as
    Google reports both after either is written (WorksheetTest.test_format #6). ``touched`` names
    the fields a masked update wrote (None: the whole object was replaced)."""
    mirror_pair(fmt, "backgroundColor", "backgroundColorStyle", touched)
    text = fmt.get("textFormat")
    if isinstance(text, dict):
        mirror_pair(text, "foregroundColor", "foregroundColorStyle", text_touched)


def mirror_pair(node: dict[str, Any], plain: str, styled: str, touched: set[str] | None) -> None:
    if touched is not None and plain in touched and styled not in touched:
        from_styled = False
    elif touched is not None and styled in touched and plain not in touched:
        from_styled = True
    else:
        from_styled = styled in node
    if not from_styled:
        if plain in node:
            node[styled] = {"rgbColor": dict(node[plain])}
        else:
            node.pop(styled, None)
        return
    style = node.get(styled)
    if isinstance(style, dict) and isinstance(style.get("rgbColor"), dict):
        node[plain] = dict(style["rgbColor"])
    else:
        node.pop(plain, None)
