"""The cell formats of the generated tabs, added to a workbook's styles.xml.

Each distinct look (a style of report/tabs.py, a date format, wrapping) is one cell format
(`xf`), shared by every cell that has it. Formats are appended after the workbook's own, so no
staff cell changes its format; a format already there from an earlier run is found and reused,
so the list does not grow run after run.
"""

from __future__ import annotations

import re

from sheets_sync.report.tabs import STYLES

from .xlsx_package import escape

STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
MINIMAL = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    b'<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/>'
    b'</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
    b'</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    b'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    b'borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    b'builtinId="0"/></cellStyles></styleSheet>'
)
ALIGNMENTS = {
    "": "",
    "wrap": '<alignment vertical="top" wrapText="1"/>',
    "top": '<alignment vertical="top"/>',
    "center": '<alignment horizontal="center" vertical="top"/>',
    "right": '<alignment horizontal="right" vertical="top"/>',
}
_P = rb"(?:[\w.-]+:)?"


def _container(name: str) -> re.Pattern[bytes]:
    n = name.encode()
    return re.compile(
        rb"<(" + _P + rb")" + n + rb"\b([^>]*?)(?:/>|>(.*?)</" + _P + n + rb">)", re.DOTALL
    )


def _children(name: str) -> re.Pattern[bytes]:
    n = name.encode()
    return re.compile(rb"<" + _P + n + rb"\b[^>]*?(?:/>|>.*?</" + _P + n + rb">)", re.DOTALL)


class Styles:
    """A workbook's styles.xml, with the formats the generated tabs need looked up or added."""

    def __init__(self, text: bytes | None) -> None:
        self.original = text
        self.text = text or MINIMAL
        self.prefix = ""
        root = re.search(rb"<(" + _P + rb")styleSheet\b", self.text)
        if root:
            self.prefix = root.group(1).decode()
        self._found: dict[tuple[str, str, str], int] = {}

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def xf(self, style: str, number_format: str = "", align: str = "") -> int:
        """Return the index of the cell format for a style of report/tabs.py, a number format
        (a format code, "" for General) and an alignment ("", "wrap", "top")."""
        key = (style, number_format, align)
        if key not in self._found:
            self._found[key] = self._xf(*key)
        return self._found[key]

    def _xf(self, style: str, number_format: str, align: str) -> int:
        spec = STYLES[style]
        font = 0
        if spec.bold or spec.color or spec.size:
            size, name = self._base_font()
            body = '<b val="1"/>' if spec.bold else ""
            body += f'<sz val="{spec.size or size}"/>'
            body += f'<color rgb="00{spec.color}"/>' if spec.color else ""
            body += f'<name val="{name}"/>'  # a font with no name draws in a serif face
            font = self._find_or_add("fonts", "font", f"<font>{body}</font>")
        fill = 0
        if spec.fill:
            fill = self._find_or_add(
                "fills",
                "fill",
                '<fill><patternFill patternType="solid">'
                f'<fgColor rgb="00{spec.fill}"/></patternFill></fill>',
            )
        fmt = self._number_format(number_format) if number_format else 0
        attrs = f'numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
        attrs += ' applyNumberFormat="1"' if fmt else ""
        attrs += ' applyFont="1"' if font else ""
        attrs += ' applyFill="1"' if fill else ""
        alignment = ALIGNMENTS[align]
        if alignment:
            element = f'<xf {attrs} applyAlignment="1">{alignment}</xf>'
        else:
            element = f"<xf {attrs}/>"
        return self._find_or_add("cellXfs", "xf", element)

    def _base_font(self) -> tuple[str, str]:
        """Return the size and name of the workbook's default font (its first), so that the
        generated tabs' bold and coloured cells keep the body text's face."""
        section = _container("fonts").search(self.text)
        first = _children("font").search(section.group(3)) if section and section.group(3) else None
        size = (
            re.search(rb'<(?:[\w.-]+:)?sz\b[^>]*\bval="([^"]+)"', first.group(0)) if first else None
        )
        name = (
            re.search(rb'<(?:[\w.-]+:)?name\b[^>]*\bval="([^"]+)"', first.group(0))
            if first
            else None
        )
        return (
            size.group(1).decode() if size else "11",
            name.group(1).decode() if name else "Calibri",
        )

    def _number_format(self, code: str) -> int:
        section = _container("numFmts").search(self.text)
        ids = [163]
        if section and section.group(3):
            for el in _children("numFmt").findall(section.group(3)):
                number = re.search(rb'numFmtId="(\d+)"', el)
                found = re.search(rb'formatCode="([^"]*)"', el)
                if number and found and found.group(1).decode() == escape(code):
                    return int(number.group(1))
                if number:
                    ids.append(int(number.group(1)))
        new = max(ids) + 1
        element = f'<numFmt numFmtId="{new}" formatCode="{escape(code)}"/>'
        if section is None:
            opening = re.search(rb"<" + _P + rb"styleSheet\b[^>]*>", self.text)
            assert opening is not None
            block = f'<numFmts count="1">{element}</numFmts>'
            at = opening.end()
            self.text = self.text[:at] + self._prefixed(block) + self.text[at:]
        else:
            self._append("numFmts", "numFmt", element)
        return new

    def _find_or_add(self, container: str, child: str, element: str) -> int:
        section = _container(container).search(self.text)
        existing = _children(child).findall(section.group(3) or b"") if section else []
        wanted = self._prefixed(element)
        for index, el in enumerate(existing):
            if el == wanted:
                return index
        self._append(container, child, element)
        return len(existing)

    def _append(self, container: str, child: str, element: str) -> None:
        section = _container(container).search(self.text)
        if section is None:
            raise KeyError(container)
        prefix = section.group(1).decode()
        inner = section.group(3) or b""
        count = len(_children(child).findall(inner)) + 1
        attrs = re.sub(rb'\s*\bcount="\d*"', b"", section.group(2))
        block = (
            f'<{prefix}{container} count="{count}"'.encode()
            + attrs
            + b">"
            + inner
            + self._prefixed(element)
            + f"</{prefix}{container}>".encode()
        )
        self.text = self.text[: section.start()] + block + self.text[section.end() :]

    def _prefixed(self, element: str) -> bytes:
        if self.prefix:
            element = re.sub(r"<(/?)(?=[A-Za-z])", lambda m: f"<{m.group(1)}{self.prefix}", element)
        return element.encode()
