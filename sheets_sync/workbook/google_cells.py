"""Sheets API v4 JSON <-> plain data: grids out of a read, cells and requests for a write. Pure.

Text always goes in as `stringValue`, so a staff cell such as `=IMPORTXML(...)` copied into a
generated tab stays a string; dates go in as date serials with a ДД.ММ.ГГГГ format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sheets_sync.inputs.cells import Grid
from sheets_sync.report.tabs import STYLES, Cell, CellValue, Row, Style, Tab
from sheets_sync.report.text_width import wraps

from .merges import Merge, spread_merges

_EPOCH = date(1899, 12, 30)  # Sheets' (and Excel's) day zero
DATE_PATTERN = "dd.mm.yyyy"
DATETIME_PATTERN = "dd.mm.yyyy hh:mm"
GENERATED_TAB_COLOR = {"red": 0.29, "green": 0.53, "blue": 0.91}  # service-owned tabs are blue
CHAR_WIDTH_PX = 7  # one character of the default 10 pt Arial, roughly
# Google's limits, each refused with a 400 past it: "Your input contains more than the maximum
# of 50000 characters in a single cell.", "This action would increase the number of cells in the
# workbook above the limit of 10000000 cells.", and column ZZZ as the last one of a sheet.
NEW_TAB_ROWS, NEW_TAB_COLUMNS = 1000, 26  # the grid of a tab added with a header row
MAX_CELL_CHARS = 50_000
MAX_CELLS = 10_000_000
MAX_COLUMNS = 18_278
CUT_MARK = " … [текст обрезан: в ячейку Google Таблиц помещается не больше 50 000 знаков]"


def quote_title(title: str) -> str:
    """Return a tab title as an A1 range: 'Title', with quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def grids_from(response: Mapping[str, Any]) -> dict[str, Grid]:
    """Return each sheet's formatted values from a spreadsheets.get with grid data."""
    grids: dict[str, Grid] = {}
    for sheet in response.get("sheets", []):
        title = sheet.get("properties", {}).get("title", "")
        rows: Grid = []
        for data in sheet.get("data", []):
            top = data.get("startRow", 0)
            left = data.get("startColumn", 0)
            for offset, row in enumerate(data.get("rowData", [])):
                cells = [v.get("formattedValue", "") for v in row.get("values", [])]
                while len(rows) <= top + offset:
                    rows.append([])
                target = rows[top + offset]
                while len(target) < left:
                    target.append("")
                target[left : left + len(cells)] = cells
        for r in rows:
            while r and not r[-1]:
                r.pop()
        while rows and not rows[-1]:
            rows.pop()
        grids[title] = spread_merges(rows, _merges(sheet.get("merges", [])))
    return grids


def _merges(ranges: Sequence[Mapping[str, Any]]) -> list[Merge]:
    """Return a sheet's merged GridRanges (a 0 index is left out of the JSON)."""
    return [
        Merge(
            r.get("startRowIndex", 0),
            r.get("startColumnIndex", 0),
            r.get("endRowIndex", 0),
            r.get("endColumnIndex", 0),
        )
        for r in ranges
    ]


def _rgb(hex_color: str) -> dict[str, float]:
    return {
        k: round(int(hex_color[i : i + 2], 16) / 255, 4)
        for k, i in (("red", 0), ("green", 2), ("blue", 4))
    }


def serial(value: date) -> float:
    """Return a date (or date-time) as a Sheets serial number."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        midnight = datetime.combine(value.date(), datetime.min.time())
        return (value.date() - _EPOCH).days + (value - midnight).total_seconds() / 86400
    return float((value - _EPOCH).days)


def cell_data(cell: Cell, wrap: bool = False, width: int = 0) -> dict[str, Any]:
    """Return the CellData of one generated cell: its value and its format (`wrap`: the cell
    is in one of its tab's wrapped columns, `width` characters wide; 0: not known)."""
    data: dict[str, Any] = {}
    value, fmt = _value_and_format(cell.value, wrap, width)
    fmt.update(_style_format(cell.style))
    if cell.fmt:
        kind = "PERCENT" if "%" in cell.fmt else "NUMBER"
        fmt["numberFormat"] = {"type": kind, "pattern": cell.fmt}
    if cell.align:
        fmt["horizontalAlignment"] = cell.align.upper()
    if value:
        data["userEnteredValue"] = value
    if fmt:
        data["userEnteredFormat"] = fmt
    return data


def _value_and_format(
    value: CellValue, wrap: bool, width: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return a value as an ExtendedValue, and the format the value itself needs (a date
    pattern, wrapping of long or multi-line text)."""
    if isinstance(value, bool):
        return {"boolValue": value}, {}
    if isinstance(value, int | float):
        return {"numberValue": value}, {}
    if isinstance(value, date):
        timed = isinstance(value, datetime)
        pattern = {"type": "DATE_TIME" if timed else "DATE"}
        pattern["pattern"] = DATETIME_PATTERN if timed else DATE_PATTERN
        return {"numberValue": serial(value)}, {"numberFormat": pattern}
    if isinstance(value, str) and value:
        wrapped = "\n" in value or (wrap and wraps(value, width))
        fmt = {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"} if wrapped else {}
        return {"stringValue": fit_text(value)}, fmt
    return {}, {}


def _style_format(style: Style) -> dict[str, Any]:
    """Return the CellFormat of a generated style: fill, wrapping, bold, colour and size."""
    spec = STYLES[style]
    fmt: dict[str, Any] = {}
    if spec.wrap:
        fmt["wrapStrategy"] = "WRAP"
    if spec.fill:
        fmt["backgroundColor"] = _rgb(spec.fill)
    text: dict[str, Any] = {}
    if spec.bold:
        text["bold"] = True
    if spec.color:
        text["foregroundColor"] = _rgb(spec.color)
    if spec.size:
        text["fontSize"] = spec.size
    if text:
        fmt["textFormat"] = text
    return fmt


def row_data(
    cells: Row, width: int = 0, wrap: frozenset[int] = frozenset(), widths: Sequence[int] = ()
) -> dict[str, Any]:
    """Return the RowData of generated cells, `width` columns wide; the `wrap` columns (of
    `widths` characters) wrap their long texts."""
    values = [
        cell_data(c, i in wrap, widths[i - 1] if i <= len(widths) else 0)
        for i, c in enumerate(cells, start=1)
    ]
    values += [{}] * (width - len(values))
    return {"values": values}


def tab_head(tab: Tab, sheet_id: int, exists: bool) -> list[dict[str, Any]]:
    """Return the request that sizes (or adds) the sheet of `tab` and colours its tab."""
    rows, cols = grid_size(tab)
    grid = {"rowCount": rows, "columnCount": cols, "frozenRowCount": tab.frozen_rows}
    if exists:
        return [
            {
                "updateSheetProperties": {
                    "properties": {
                        "sheetId": sheet_id,
                        "gridProperties": grid,
                        "tabColorStyle": {"rgbColor": GENERATED_TAB_COLOR},
                    },
                    "fields": "gridProperties(rowCount,columnCount,frozenRowCount),tabColorStyle",
                }
            }
        ]
    return [
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": tab.name,
                    "gridProperties": grid,
                    "tabColorStyle": {"rgbColor": GENERATED_TAB_COLOR},
                }
            }
        }
    ]


def tab_requests(tab: Tab, sheet_id: int, exists: bool) -> list[dict[str, Any]]:
    """Return the batchUpdate requests that make sheet `sheet_id` hold exactly `tab`."""
    rows, cols = grid_size(tab)
    requests = tab_head(tab, sheet_id, exists)
    # The range covers the whole (resized) grid, so anything not in `rows` is cleared.
    requests.append(
        {
            "updateCells": {
                "range": {
                    "sheetId": sheet_id,
                    "startRowIndex": 0,
                    "endRowIndex": rows,
                    "startColumnIndex": 0,
                    "endColumnIndex": cols,
                },
                "rows": [row_data(r, cols, frozenset(tab.wrap), tab.widths) for r in tab.rows],
                "fields": "userEnteredValue,userEnteredFormat",
            }
        }
    )
    requests.extend(width_requests(sheet_id, tab.widths))
    return requests


def width_requests(sheet_id: int, widths: Sequence[int]) -> list[dict[str, Any]]:
    return [
        {
            "updateDimensionProperties": {
                "range": {
                    "sheetId": sheet_id,
                    "dimension": "COLUMNS",
                    "startIndex": i,
                    "endIndex": i + 1,
                },
                "properties": {"pixelSize": w * CHAR_WIDTH_PX + 10},
                "fields": "pixelSize",
            }
        }
        for i, w in enumerate(widths)
    ]


def header_requests(
    sheet_id: int,
    title: str,
    header: Sequence[str],
    *,
    exists: bool,
    color: bool = False,
    widths: Sequence[int] = (),
) -> list[dict[str, Any]]:
    """Return requests that add a tab (unless it exists) whose first row is `header`."""
    cols = max(len(header), 1)
    requests: list[dict[str, Any]] = []
    if not exists:
        props: dict[str, Any] = {
            "sheetId": sheet_id,
            "title": title,
            "gridProperties": {
                "rowCount": NEW_TAB_ROWS,
                "columnCount": max(cols, NEW_TAB_COLUMNS),
                "frozenRowCount": 1,
            },
        }
        if color:
            props["tabColorStyle"] = {"rgbColor": GENERATED_TAB_COLOR}
        requests.append({"addSheet": {"properties": props}})
    requests.append(
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [row_data(tuple(Cell(h, "header") for h in header))],
                "fields": "userEnteredValue,userEnteredFormat",
            }
        }
    )
    requests.extend(width_requests(sheet_id, widths or [max(12, len(h) + 4) for h in header]))
    return requests


# -- Google's size limits --------------------------------------------------------------------


def grid_size(tab: Tab) -> tuple[int, int]:
    """Return the (rows, columns) the sheet of `tab` gets."""
    # Google refuses a sheet whose every row is frozen ("You can't freeze all visible rows").
    rows = max(len(tab.rows), tab.frozen_rows + 1)
    cols = max(max((len(r) for r in tab.rows), default=1), len(tab.widths), 1)
    return rows, cols


def fit_text(text: str) -> str:
    """Return `text`, cut to Google's 50,000 characters per cell with a visible mark if longer."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    return text[: MAX_CELL_CHARS - len(CUT_MARK)] + CUT_MARK
