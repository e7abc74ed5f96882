"""Edits to an existing worksheet's XML that touch only what they add: rows appended after the
last filled row (the journal), cells put into empty places and column widths set (`sync`).
Every other byte of the sheet stays as it was."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sheets_sync.errors import WorkbookError
from sheets_sync.inputs.cells import column_letter

from .xlsx_package import prefixed

_P = rb"(?:[\w.-]+:)?"
_ROW = re.compile(rb"<(" + _P + rb")row\b([^>]*?)(/?)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_FILLED = re.compile(rb"<" + _P + rb"(?:v|t)\b[^>]*>[^<]")
_CELL = re.compile(rb"<" + _P + rb"c\b([^>]*?)(?:/>|>.*?</" + _P + rb"c>)", re.DOTALL)
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_DIMENSION = re.compile(rb"(<" + _P + rb'dimension\b[^>]*\bref=")([^"]*)(")')
_COL = re.compile(rb"<" + _P + rb"col\b([^>]*?)/>")
_SHEET_DATA = re.compile(rb"<(" + _P + rb")sheetData\b[^>]*?(/?)>")
# The address of a row or a cell: <row r="12" ...>, <c r="B12" ...>.
_RENUMBER = re.compile(rb"(<" + _P + rb'(?:row|c)\b[^>]*?\br=")([A-Z]*)(\d+)(")')


def _moved(m: re.Match[bytes], count: int) -> bytes:
    number = str(int(m.group(3)) - count).encode()
    return m.group(1) + m.group(2) + number + m.group(4)


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class SheetEdit:
    """One worksheet's XML, edited in place."""

    def __init__(self, xml: bytes, tab: str) -> None:
        self.xml = xml
        self.tab = tab
        self.prefix = ""
        self.start = self.end = 0
        self._locate()

    def _locate(self) -> None:
        """Find the cell table: its rows lie between `start` and `end` (a search from each end
        of the XML, not through a sheet that may be tens of megabytes)."""
        close = self.xml.rfind(b"sheetData>")
        opening = self.xml.find(b"sheetData")
        if close < 0 or opening < 0:
            raise self._refused("it has no cell table")
        at = self.xml.rfind(b"<", 0, opening)
        head = _SHEET_DATA.match(self.xml, at)  # (matched in place: no copy of a big sheet)
        if head is None:
            raise self._refused("its cell table cannot be read")
        if head.group(2):  # <sheetData/>: open it up
            p = head.group(1)
            opened = b"<" + p + b"sheetData></" + p + b"sheetData>"
            self.xml = self.xml[:at] + opened + self.xml[head.end() :]
            self._locate()
            return
        self.prefix = head.group(1).decode()
        self.start = head.end()
        self.end = self.xml.rfind(b"<", 0, close)

    def _refused(self, why: str) -> WorkbookError:
        return WorkbookError(
            f"the tab «{self.tab}» cannot be added to without rewriting it ({why}): open the "
            "workbook in Excel or LibreOffice and save it, then run again"
        )

    def _row_end(self, m: re.Match[bytes], limit: int) -> int:
        if m.group(3):
            return m.end()
        close = self.xml.find(b"row>", m.end(), limit)
        if close < 0:
            raise self._refused("a row is not closed")
        return close + 4

    def rows(self) -> list[tuple[int, int, int]]:
        """Return every row as (number, start, end)."""
        found = []
        number = 0
        for m in _ROW.finditer(self.xml, self.start, self.end):
            given = _ROW_NUMBER.search(m.group(2))
            number = int(given.group(1)) if given else number + 1
            found.append((number, m.start(), self._row_end(m, self.end)))
        return found

    def last_filled_row(self) -> tuple[int, int]:
        """Return the last row holding a value, and where the empty rows after it (formats
        only) start: `append` drops them."""
        tail = self.end
        window = 1 << 18
        while True:
            lo = max(self.start, self.end - window)
            for m in reversed(list(_ROW.finditer(self.xml, lo, tail))):
                if _FILLED.search(self.xml, m.end(), self._row_end(m, tail)):
                    given = _ROW_NUMBER.search(m.group(2))
                    if given is None:
                        counted = sum(1 for _ in _ROW.finditer(self.xml, self.start, m.start()))
                        return counted + 1, tail
                    return int(given.group(1)), tail
                tail = m.start()
            if lo == self.start:
                return 0, self.start
            window *= 4

    def drop_rows(self, first: int, count: int) -> None:
        """Remove rows `first` .. `first + count - 1` and move the rows below up by `count`
        (their cells' addresses with them)."""
        rows = self.rows()
        gone = [(a, b) for n, a, b in rows if first <= n < first + count]
        below = [(a, b) for n, a, b in rows if n >= first + count]
        if not gone and not below:
            return
        start = gone[0][0] if gone else below[0][0]
        end = below[-1][1] if below else gone[-1][1]
        kept = self.xml[below[0][0] : end] if below else b""
        moved = _RENUMBER.sub(lambda m: _moved(m, count), kept)
        self.xml = self.xml[:start] + moved + self.xml[end:]
        self._locate()
        self._shrink_dimension(count)

    def _shrink_dimension(self, count: int) -> None:
        m = _DIMENSION.search(self.xml, 0, self.start)
        if m is None:
            return
        ref = re.sub(
            r"([A-Z]+)(\d+)$",
            lambda e: f"{e.group(1)}{max(int(e.group(2)) - count, 1)}",
            m.group(2).decode(),
        )
        self.xml = self.xml[: m.start(2)] + ref.encode() + self.xml[m.end(2) :]
        self._locate()

    def append(self, rows: str, cut: int, last_row: int, last_col: int) -> None:
        """Put `rows` at `cut` (after the last filled row), dropping the empty rows after it."""
        body = prefixed(rows, self.prefix).encode()
        m, ref = self._grown(last_row, last_col)
        # One copy of a sheet that may be tens of megabytes, with its new size in its head.
        xml = memoryview(self.xml)
        head = [xml[: m.start(2)], ref, xml[m.end(2) : cut]] if m else [xml[:cut]]
        self.xml = b"".join([*head, body, xml[self.end :]])
        self._locate()

    def _grown(self, last_row: int, last_col: int) -> tuple[re.Match[bytes] | None, bytes]:
        """Return the sheet's <dimension> and its reference grown to hold `last_row` and
        `last_col` (None when it has none, or nothing grows)."""
        m = _DIMENSION.search(self.xml, 0, self.start)
        if m is None or not last_row:
            return None, b""
        first, _, last = m.group(2).decode().partition(":")
        end = re.match(r"([A-Z]+)(\d+)", last or first)
        col, row = (column_number(end.group(1)), int(end.group(2))) if end else (1, 1)
        start = first if re.match(r"[A-Z]+\d+$", first) else "A1"
        return m, f"{start}:{column_letter(max(col, last_col))}{max(row, last_row)}".encode()

    def _grow_dimension(self, last_row: int, last_col: int) -> None:
        m, ref = self._grown(last_row, last_col)
        if m is not None:
            self.xml = self.xml[: m.start(2)] + ref + self.xml[m.end(2) :]
            self._locate()

    def put_cells(
        self, cells: Mapping[int, Mapping[int, str]], *, keep_filled: bool = False
    ) -> None:
        """Put cell XML at (row, column) places that hold no value (an empty formatted cell
        there is replaced); rows are added where there are none. A place that holds a value is
        refused, or with `keep_filled` left as it is."""
        existing = {number: (a, b) for number, a, b in self.rows()}
        pieces: dict[tuple[int, int], bytes] = {}
        for number in sorted(cells):
            new = {c: prefixed(x, self.prefix).encode() for c, x in cells[number].items()}
            if number in existing:
                a, b = existing[number]
                pieces[(a, b)] = self._merged_row(number, self.xml[a:b], new, keep_filled)
                continue
            before = [end for n, (_, end) in existing.items() if n < number]
            at = max(before, default=self.start)
            row = prefixed(f'<row r="{number}">', self.prefix).encode()
            row += b"".join(new[c] for c in sorted(new)) + self._close()
            pieces[(at, at)] = pieces.get((at, at), b"") + row
        for (a, b), piece in sorted(pieces.items(), reverse=True):
            self.xml = self.xml[:a] + piece + self.xml[b:]
        self._locate()
        last_col = max((max(row, default=0) for row in cells.values()), default=0)
        self._grow_dimension(max(cells, default=0), last_col)

    def _close(self) -> bytes:
        return f"</{self.prefix}row>".encode()

    def _merged_row(
        self, number: int, xml: bytes, new: dict[int, bytes], keep_filled: bool = False
    ) -> bytes:
        head = _ROW.match(xml)
        assert head is not None
        if head.group(3):  # <row .../>: no cells yet
            opened = xml[: head.end() - 2].rstrip() + b">"
            return opened + b"".join(new[c] for c in sorted(new)) + self._close()
        cells: dict[int, bytes] = {}
        for m in _CELL.finditer(xml, head.end()):
            ref = _CELL_REF.search(m.group(1))
            if ref is None:
                raise self._refused("a cell of it has no address")
            col = column_number(ref.group(1).decode())
            if col in new and _FILLED.search(m.group(0)):
                if not keep_filled:
                    raise self._refused(f"{ref.group(1).decode()}{number} is not empty")
                new = {c: x for c, x in new.items() if c != col}
            cells[col] = m.group(0)
        cells.update(new)
        body = b"".join(cells[c] for c in sorted(cells))
        return xml[: head.end()] + body + self._close()

    def set_widths(self, widths: Mapping[int, float]) -> None:
        """Give the columns that have no width of their own the width given."""
        block = re.search(
            rb"(<" + _P + rb"cols\b[^>]*>)(.*?)</" + _P + rb"cols>", self.xml, re.DOTALL
        )
        found = [(m.group(1), m.group(0)) for m in _COL.finditer(block.group(2))] if block else []
        covered: set[int] = set()
        elements: list[tuple[int, bytes]] = []
        for attrs, element in found:
            lo = re.search(rb'\bmin="(\d+)"', attrs)
            hi = re.search(rb'\bmax="(\d+)"', attrs)
            if lo and hi:
                covered.update(range(int(lo.group(1)), min(int(hi.group(1)), 16384) + 1))
            elements.append((int(lo.group(1)) if lo else 0, element))
        new = [
            (c, f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>')
            for c, w in sorted(widths.items())
            if c not in covered
        ]
        if not new:
            return
        elements += [(c, prefixed(x, self.prefix).encode()) for c, x in new]
        inner = b"".join(e for _, e in sorted(elements, key=lambda p: p[0]))
        if block:
            self.xml = self.xml[: block.start(2)] + inner + self.xml[block.end(2) :]
        else:
            opened = prefixed("<cols>", self.prefix).encode()
            closed = f"</{self.prefix}cols>".encode()
            at = re.search(rb"<" + _P + rb"sheetData\b", self.xml)
            assert at is not None
            self.xml = self.xml[: at.start()] + opened + inner + closed + self.xml[at.start() :]
        self._locate()
