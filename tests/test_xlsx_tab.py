"""XlsxWorkbook.put_tab: one staff sheet of an .xlsx package rewritten, the rest copied as it is;
what belonged to the old sheet (its comments, the calculation chain) does not outlive it."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment

from sheets_sync.settings.types import TabNames
from sheets_sync.workbook.xlsx import XlsxWorkbook


def put_sheet(data: bytes, name: str, rows: list[list[str]], header_row: int) -> bytes:
    """Return the package `data` after put_tab wrote `rows` into its tab `name`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        path.write_bytes(data)
        workbook = XlsxWorkbook(path, TabNames())
        workbook.put_tab(workbook.read(), name, rows, header_row)
        return path.read_bytes()


def package(with_calc_chain: bool = True) -> bytes:
    book = openpyxl.Workbook()
    roadmap = book.active
    roadmap.title = "Дорожная карта"
    roadmap["A1"] = "старый план"
    roadmap["A1"].comment = Comment("заметка", "автор")
    roadmap["B1"] = "=1+1"
    book.create_sheet("Школы").append(["Код", "Школа"])
    out = io.BytesIO()
    book.save(out)
    if not with_calc_chain:
        return out.getvalue()
    # openpyxl writes no calcChain; Excel does: add one as Excel would.
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w") as z:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
                )
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
                    b"</Relationships>",
                )
            z.writestr(item, data)
        z.writestr(
            "xl/calcChain.xml",
            b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B1" i="1"/></calcChain>',
        )
    return copy.getvalue()


def names(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_a_rewritten_sheet_takes_its_comments_and_the_calc_chain_with_it():
    before = names(package())
    assert any("comments" in n for n in before) and "xl/calcChain.xml" in before
    after = names(
        put_sheet(
            package(), "Дорожная карта", [["План"], [], ["№", "Мероприятие"], ["1", "Семинар"]], 3
        )
    )
    assert not any("comments" in n or "vmlDrawing" in n for n in after)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["[Content_Types].xml"] + after["xl/_rels/workbook.xml.rels"]
    assert b"comments" not in after["[Content_Types].xml"]
    assert after["xl/worksheets/sheet2.xml"] == before["xl/worksheets/sheet2.xml"]
    book = openpyxl.load_workbook(
        io.BytesIO(put_sheet(package(), "Дорожная карта", [["1", "Семинар"]], 0))
    )
    assert [[c.value for c in r] for r in book["Дорожная карта"].iter_rows()] == [["1", "Семинар"]]


def test_the_header_row_is_bold_and_frozen_and_a_long_line_gets_its_height():
    data = put_sheet(
        package(with_calc_chain=False),
        "Новый",
        [["План"], [], ["№", "Мероприятие"], ["1", "очень длинное название " * 10], ["I. Раздел"]],
        3,
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Новый"]
    assert book.sheetnames == ["Дорожная карта", "Школы", "Новый"]
    assert ws["A3"].font.b and ws["A3"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.freeze_panes == "A4"
    assert ws.row_dimensions[4].height > 15 and ws["B4"].alignment.wrap_text
    assert ws["A5"].font.b and not ws["A5"].alignment.wrap_text
    assert ws.column_dimensions["A"].width == 8  # the section's text does not widen it
