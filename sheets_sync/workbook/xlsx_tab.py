"""One sheet of an .xlsx package rewritten (or added), every other part copied as it is. Pure:
bytes in, bytes out.

openpyxl rewrites a whole workbook when it saves, and drops what it does not understand. To put
an imported roadmap into a staff workbook without touching its other tabs, the package is edited
directly: the sheet's part is replaced by a new one (text cells written inline, so the shared
strings are untouched), three cell formats are appended to `xl/styles.xml` (existing formats
keep their numbers), and a new sheet is added to `xl/workbook.xml`, its relationships and
`[Content_Types].xml` by inserting one element each. Every other part keeps its bytes. The
replaced sheet's own relationships (comments, drawings, tables of the old tab) go with it, and
`xl/calcChain.xml`, which Excel rebuilds, is dropped so that it names no formula of the old tab.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from sheets_sync.errors import WorkbookError
from sheets_sync.inputs.cells import column_letter

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = _REL + "/worksheet"
_SHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
WORKBOOK, WORKBOOK_RELS, TYPES = (
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
)


def put_sheet(data: bytes, name: str, rows: Sequence[Sequence[str]], header_row: int) -> bytes:
    """Return the package `data` with sheet `name` holding exactly `rows` (added at the end if
    missing): its title row large, its header row bold on grey, text wrapped, frozen below the
    header."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            parts = {i.filename: z.read(i) for i in infos}
        book, rels = parts[WORKBOOK].decode("utf-8"), parts[WORKBOOK_RELS].decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        raise WorkbookError(f"the workbook is not a readable .xlsx package ({exc})") from exc
    new: dict[str, bytes | None] = {}  # part -> its new bytes, or None to drop it
    target = _sheet_part(book, rels, name)
    if target is None:
        target = _add_sheet(parts, new, book, rels, name)
    else:
        _drop_sheet_relations(parts, new, target)
    styles = parts.get("xl/styles.xml")
    ids = (0, 0, 0, 0)
    if styles is not None:
        styled = _add_styles(styles.decode("utf-8"))
        if styled is not None:
            new["xl/styles.xml"], ids = styled[0].encode("utf-8"), styled[1]
    _drop_calc_chain(parts, new)
    new[target] = sheet_xml(rows, header_row, ids).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in infos:
            if info.filename not in new:
                copy.writestr(info, parts[info.filename])
            elif new[info.filename] is not None:
                copy.writestr(info, new.pop(info.filename) or b"")
        for part, content in new.items():
            if content is not None and part not in parts:
                copy.writestr(part, content)
    return out.getvalue()


def _resolve(base: str, target: str) -> str:
    """Return a relationship target as a package part name ("worksheets/s.xml" from xl/)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _relations(rels: str) -> list[ElementTree.Element]:
    return ElementTree.fromstring(rels).findall(f"{{{_PKG}}}Relationship")


def _sheet_part(book: str, rels: str, name: str) -> str | None:
    root = ElementTree.fromstring(book)
    targets = {r.get("Id"): r.get("Target", "") for r in _relations(rels)}
    for sheet in root.iter(f"{{{_MAIN}}}sheet"):
        if sheet.get("name") == name:
            return _resolve("xl", targets.get(sheet.get(f"{{{_REL}}}id"), ""))
    return None


def _insert(xml: str, closing: str, element: str) -> str:
    """Insert `element` before the last `</closing>` (any prefix), raising if there is none."""
    found = list(re.finditer(rf"</(?:\w+:)?{closing}>", xml))
    if not found:
        raise WorkbookError(f"the workbook has no <{closing}> element: it cannot take a new tab")
    at = found[-1].start()
    return xml[:at] + element + xml[at:]


def _add_sheet(
    parts: dict[str, bytes], new: dict[str, bytes | None], book: str, rels: str, name: str
) -> str:
    """Add a sheet named `name` after the others; return its part name."""
    numbers = [
        int(n)
        for n in re.findall(r"xl/worksheets/sheet(\d+)\.xml$", "\n".join(parts), re.MULTILINE)
    ]
    part = f"xl/worksheets/sheet{max(numbers, default=0) + 1}.xml"
    rel_ids = {r.get("Id", "") for r in _relations(rels)}
    n = len(rel_ids) + 1
    while f"rId{n}" in rel_ids:
        n += 1
    sheet_id = max((int(i) for i in re.findall(r'\bsheetId="(\d+)"', book)), default=0) + 1
    tag = re.search(r"<(\w+:)?sheets\b", book)
    sheets_prefix = (tag.group(1) or "") if tag else ""
    element = f'<{sheets_prefix}sheet name={quoteattr(name)} sheetId="{sheet_id}" xmlns:r="{_REL}" r:id="rId{n}"/>'
    new[WORKBOOK] = _insert(book, "sheets", element).encode("utf-8")
    relation = (
        f'<Relationship Id="rId{n}" Type="{_SHEET_TYPE}" Target="{posixpath.relpath(part, "xl")}"/>'
    )
    new[WORKBOOK_RELS] = _insert(rels, "Relationships", relation).encode("utf-8")
    override = f'<Override PartName="/{part}" ContentType="{_SHEET_CONTENT}"/>'
    new[TYPES] = _insert(parts[TYPES].decode("utf-8"), "Types", override).encode("utf-8")
    return part


def _drop_sheet_relations(
    parts: dict[str, bytes], new: dict[str, bytes | None], target: str
) -> None:
    """Drop the old sheet's relationships and the parts only they pointed to."""
    folder, file = posixpath.split(target)
    own = f"{folder}/_rels/{file}.rels"
    if own not in parts:
        return
    new[own] = None
    others = b"".join(v for k, v in parts.items() if k.endswith(".rels") and k != own)
    types = (new.get(TYPES) or parts[TYPES]).decode("utf-8")
    for relation in _relations(parts[own].decode("utf-8")):
        if relation.get("TargetMode") == "External":
            continue
        part = _resolve(folder, relation.get("Target", ""))
        if part in parts and posixpath.basename(part).encode() not in others:
            new[part] = None
            types = re.sub(rf'<Override\b[^>]*PartName="/{re.escape(part)}"[^>]*/>', "", types)
    new[TYPES] = types.encode("utf-8")


def _drop_calc_chain(parts: dict[str, bytes], new: dict[str, bytes | None]) -> None:
    if "xl/calcChain.xml" not in parts:
        return
    new["xl/calcChain.xml"] = None
    rels = (new.get(WORKBOOK_RELS) or parts[WORKBOOK_RELS]).decode("utf-8")
    new[WORKBOOK_RELS] = re.sub(r"<Relationship\b[^>]*calcChain[^>]*/>", "", rels).encode("utf-8")
    types = (new.get(TYPES) or parts[TYPES]).decode("utf-8")
    new[TYPES] = re.sub(r"<Override\b[^>]*calcChain[^>]*/>", "", types).encode("utf-8")


def _append(xml: str, tag: str, child: str, elements: Sequence[str]) -> tuple[str, int] | None:
    """Append `elements` to the list `<tag>` of `<child>` elements; return the new XML and
    the index of the first, or None when the list is not there in its plain (unprefixed)
    form."""
    opening = re.search(rf"<{tag}\b[^>]*>", xml)
    if not opening or opening.group(0).endswith("/>"):
        return None
    closing = xml.find(f"</{tag}>", opening.end())
    if closing < 0:
        return None
    first = len(re.findall(rf"<{child}\b", xml[opening.end() : closing]))
    total = f'count="{first + len(elements)}"'
    head = opening.group(0)
    head = (
        re.sub(r'count="\d+"', total, head)
        if "count=" in head
        else f"<{tag} {total}{head[len(tag) + 1 :]}"
    )
    return xml[: opening.start()] + head + xml[opening.end() : closing] + "".join(elements) + xml[
        closing:
    ], first


def _add_styles(styles: str) -> tuple[str, tuple[int, int, int, int]] | None:
    """Append the cell formats of lines (wrapped), the header, the title and sections (bold,
    not wrapped: a heading runs on over the empty cells beside it); return the styles and their
    ids."""
    fonts = _append(
        styles,
        "fonts",
        "font",
        ['<font><b/><sz val="11"/></font>', '<font><b/><sz val="13"/></font>'],
    )
    if fonts is None:
        return None
    styles, bold = fonts
    grey_fill = (
        '<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/></patternFill></fill>'
    )
    fills = _append(styles, "fills", "fill", [grey_fill])
    if fills is None:
        return None
    styles, grey = fills
    top = '<alignment wrapText="1" vertical="top"/>'
    xfs = _append(
        styles,
        "cellXfs",
        "xf",
        [
            f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">{top}</xf>',
            (
                f'<xf numFmtId="0" fontId="{bold}" fillId="{grey}" borderId="0" xfId="0" '
                f'applyFont="1" applyFill="1" applyAlignment="1">{top}</xf>'
            ),
            f'<xf numFmtId="0" fontId="{bold + 1}" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
            f'<xf numFmtId="0" fontId="{bold}" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
        ],
    )
    if xfs is None:
        return None
    styles, first = xfs
    return styles, (first, first + 1, first + 2, first + 3)


def _widths(rows: Sequence[Sequence[str]], header_row: int) -> dict[int, int]:
    """Return each column's width in characters: its longest text up to 60, at least 8, from
    the header and the lines (a one-cell section row runs on over its neighbours)."""
    widths: dict[int, int] = {}
    for r, values in enumerate(rows, start=1):
        if r < header_row or (r > header_row and sum(1 for v in values if v) < 2):
            continue
        for c, value in enumerate(values, start=1):
            widths[c] = max(widths.get(c, 8), min(len(value) + 2, 60))
    return widths


def _lines(text: str, width: int) -> int:
    """Return about how many lines `text` takes wrapped in a column `width` characters wide
    (capitals are wider than the average character a width counts). Excel and LibreOffice do
    not grow a row to its wrapped text by themselves, so each row gets its height."""
    usable = max(width - 2, 4)
    lines = 0
    for part in text.split("\n"):
        size = len(part) + 0.3 * sum(1 for ch in part if ch.isupper())
        lines += max(1, -(-int(size) // usable))
    return lines


def sheet_xml(
    rows: Sequence[Sequence[str]], header_row: int, ids: tuple[int, int, int, int]
) -> str:
    """Return a worksheet part holding `rows` as inline text, with column widths, row heights
    and the rows down to the header frozen."""
    wrap, header, title, section = ids
    widths = _widths(rows, header_row)
    out = []
    for r, values in enumerate(rows, start=1):
        alone = sum(1 for v in values if v) == 1
        cells, lines = [], 1
        for c, value in enumerate(values, start=1):
            text = _BAD_XML.sub("", str(value))
            if not text:
                continue
            style = header if r == header_row else title if r < header_row else wrap
            if r > header_row and alone and c == 1:
                style = section
            elif r >= header_row:
                lines = max(lines, _lines(text, widths.get(c, 8)))
            cells.append(
                f'<c r="{column_letter(c)}{r}" s="{style}" t="inlineStr"><is>'
                f'<t xml:space="preserve">{escape(text)}</t></is></c>'
            )
        height = f' ht="{min(15 * lines, 400)}" customHeight="1"' if lines > 1 else ""
        out.append(f'<row r="{r}"{height}>{"".join(cells)}</row>' if cells else "")
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in sorted(widths.items())
    )
    pane = (
        f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft"/>'
        if header_row
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f"<sheetData>{''.join(out)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
