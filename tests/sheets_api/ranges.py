"""Resolving a request's range text against a spreadsheet, and Google's range errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.sheets_api.a1 import (
    WHOLE_SHEET,
    Bounds,
    cell_label,
    column_letters,
    echo,
    parse_cells,
    quote_title,
    split_sheet,
)
from tests.sheets_api.errors import ApiError, bad_request, unparsable_range
from tests.sheets_api.model import Sheet, Spreadsheet


@dataclass(frozen=True)
class Target:
    """A range resolved to a sheet and a box clipped to the grid (half-open indices)."""

    sheet: Sheet
    r0: int
    r1: int
    c0: int
    c1: int
    requested: Bounds

    @property
    def anchor_only(self) -> bool:
        """A single-cell range is only a starting point for writes (``A1`` takes a 4×4 block)."""
        return self.requested.single_cell

    def echo(self) -> str:
        return echo(self.sheet.title, self.r0, self.r1, self.c0, self.c1)

    def box(self, rows: int, columns: int) -> Target:
        """Return the sub-box of ``rows``×``columns`` cells from this target's top-left corner."""
        return Target(
            self.sheet, self.r0, self.r0 + rows, self.c0, self.c0 + columns, self.requested
        )


def resolve(spreadsheet: Spreadsheet, text: str, *, check_grid: bool = True) -> Target:
    """Resolve ``'Title'!A1:B2``, ``Title``, a named range or bare ``A1:B2`` (first sheet)."""
    sheet, bounds = _locate(spreadsheet, text)
    rows, columns = sheet.row_count, sheet.column_count
    r1 = bounds.r1 if bounds.r1 is not None else rows
    c1 = bounds.c1 if bounds.c1 is not None else columns
    target = Target(
        sheet, bounds.r0, max(r1, bounds.r0 + 1), bounds.c0, max(c1, bounds.c0 + 1), bounds
    )
    if check_grid:
        require_in_grid(target)
    return target


def _locate(spreadsheet: Spreadsheet, text: str) -> tuple[Sheet, Bounds]:
    title, cells, quoted = split_sheet(text)
    if title is None:
        raise unparsable_range(text)
    if cells is None:
        sheet = spreadsheet.sheet_by_title(title)
        if sheet is not None:
            return sheet, WHOLE_SHEET
        if not quoted:
            named = _named_range(spreadsheet, title)
            if named is not None:
                return named
            bounds = parse_cells(title)
            first = spreadsheet.ordered_sheets()
            if bounds is not None and first:
                return first[0], bounds
        raise unparsable_range(text)
    sheet = spreadsheet.sheet_by_title(title)
    if sheet is None:
        raise unparsable_range(text)
    bounds = parse_cells(cells)
    if bounds is not None:
        return sheet, bounds
    # 'Sheet1'!NamedRange resolves to the named range (WorksheetTest...merge_cells_with_named_range).
    named = _named_range(spreadsheet, cells)
    if named is not None:
        return named
    raise unparsable_range(text)


def _named_range(spreadsheet: Spreadsheet, name: str) -> tuple[Sheet, Bounds] | None:
    for named in spreadsheet.named_ranges:
        if named["name"].casefold() == name.casefold():
            grid = named.get("range", {})
            sheet = spreadsheet.sheet_by_id(int(grid.get("sheetId", 0)))
            if sheet is None:
                return None
            return sheet, grid_bounds(grid)
    return None


def grid_bounds(grid: dict[str, Any]) -> Bounds:
    """Bounds of a GridRange; missing indices are open, as the API documents."""
    return Bounds(
        int(grid.get("startRowIndex", 0)),
        None if grid.get("endRowIndex") is None else int(grid["endRowIndex"]),
        int(grid.get("startColumnIndex", 0)),
        None if grid.get("endColumnIndex") is None else int(grid["endColumnIndex"]),
    )


def require_in_grid(target: Target) -> None:
    sheet = target.sheet
    if target.r1 <= sheet.row_count and target.c1 <= sheet.column_count:
        return
    if target.r1 > sheet.row_count:
        row, col = max(target.r0, sheet.row_count), target.c0
    else:
        row, col = target.r0, max(target.c0, sheet.column_count)
    raise grid_limit_error(sheet, row, col)


def grid_limit_error(sheet: Sheet, row: int, col: int) -> ApiError:
    # Text from cloudfour/lighthouse-parade#151 and home-assistant/core#104198 (spec §4.3).
    where = f"{quote_title(sheet.title)}!{cell_label(row, col)}"
    return bad_request(
        f"Range ({where}) exceeds grid limits. Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
    )


def writing_box(target: Target, rows: int, columns: int) -> Target:
    """The box a write of ``rows``×``columns`` values covers, checked against the range it named."""
    if not target.anchor_only:
        height, width = target.r1 - target.r0, target.c1 - target.c0
        # Text from activepieces/activepieces#1683 (spec §4.3).
        if columns > width:
            raise bad_request(
                f"Requested writing within range [{target.echo()}], but tried writing to column "
                f"[{column_letters(target.c0 + width)}]"
            )
        if rows > height:
            raise bad_request(
                f"Requested writing within range [{target.echo()}], but tried writing to row "
                f"[{target.r0 + height + 1}]"
            )
    return target.box(max(rows, 1), max(columns, 1))


def grid_range(sheet: Sheet, grid: dict[str, Any]) -> tuple[int, int, int, int]:
    """Clip a GridRange of ``sheet`` to its grid; returns (r0, r1, c0, c1)."""
    bounds = grid_bounds(grid)
    r1 = sheet.row_count if bounds.r1 is None else bounds.r1
    c1 = sheet.column_count if bounds.c1 is None else bounds.c1
    return bounds.r0, r1, bounds.c0, c1
