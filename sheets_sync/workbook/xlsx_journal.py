"""Reading «Журнал рассылки» of a local .xlsx cheaply: a fingerprint of its part from the
package's directory (nothing inflated: an unchanged journal is not read at all), and its rows
from some row on, the rows before skipped in the sheet's XML without being parsed (a year of
rows costs nothing then)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from sheets_sync.inputs.cells import Grid

from .xlsx_package import Package
from .xlsx_read import grid_of, row_texts


def journal_mark(package: Package, part: str) -> str:
    """Return the CRC-32 and sizes of the journal's part as the package's directory gives them:
    the same sheet gives the same mark ("" when the part is not there)."""
    info = package.infos.get(part)
    if info is None or part in package.changed:
        return ""
    return f"{info.CRC:08x}:{info.file_size}:{info.compress_size}"


def journal_grid(ws: Any, start: int) -> Grid:
    """Return the journal's header row and its data rows from `start` on (`start` 1: the whole
    tab)."""
    if start <= 1:
        return grid_of(ws)
    source = _tail(ws, start) or ws
    grid: Grid = [row_texts(row) for row in source.iter_rows(max_row=1)][:1] or [[]]
    grid += [row_texts(row) for row in source.iter_rows(min_row=start + 1)]
    while len(grid) > 1 and not any(grid[-1]):
        grid.pop()
    for r in grid:
        while r and not r[-1]:
            r.pop()
    return grid


class _Rows(ReadOnlyWorksheet):  # type: ignore[misc]
    """A read-only sheet over given XML: the header row and the rows from some row on."""

    def __init__(self, ws: Any, xml: bytes) -> None:
        self._xml = xml
        super().__init__(ws.parent, ws.title, ws._worksheet_path, ws._shared_strings)

    def _get_source(self) -> io.BytesIO:
        return io.BytesIO(self._xml)


def _tail(ws: Any, start: int) -> Any:
    """Return the journal sheet cut to its header row and its rows from data row `start` on,
    found in the sheet's XML by their `r` attribute, or None when they cannot be (the caller
    then parses the whole sheet)."""
    try:
        xml = ws.parent._archive.read(ws._worksheet_path)
    except (AttributeError, KeyError, OSError):
        return None
    first = xml.find(b'<row r="1"')
    begin = xml.find(b'<row r="%d"' % (start + 1))
    end = xml.rfind(b"</sheetData>")
    root = xml.find(b">", xml.find(b"<worksheet"))
    if min(first, begin, end, root) < 0 or not root < first < begin < end:
        return None
    close = xml.find(b">", first)
    header_end = close + 1 if xml[close - 1 : close] == b"/" else xml.find(b"</row>", first) + 6
    return _Rows(
        ws,
        xml[: root + 1]
        + b"<sheetData>"
        + xml[first:header_end]
        + xml[begin:end]
        + b"</sheetData></worksheet>",
    )
