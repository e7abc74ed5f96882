"""Everything staff put in their tabs survives any number of runs on a local .xlsx: every staff
part leaves the file byte for byte, and every staff cell reads as before (its formula and its
computed value). The workbook is tests/data/staff-content.xlsx, saved by LibreOffice (see
tests/data/staff_workbook.py): formulas with computed values, a picture, a chart, comments,
dropdowns (one from a hidden tab through a defined name, one pointing at the other tab),
conditional formats, a filter, column widths, frozen rows, a hyperlink, merged cells and
print settings."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from openpyxl.drawing.image import Image
from openpyxl.worksheet.datavalidation import DataValidation
from PIL import Image as Picture

from sheets_sync.workbook.xlsx import XlsxWorkbook

DATA = Path(__file__).resolve().parent / "data" / "staff-content.xlsx"
STAFF = ("Дорожная карта", "Школы", "Ответственные", "Сдача отчётов", "Списки")
GENERATED = ("Сводка", "Просрочено", "Сроки", "Проблемы", "Журнал рассылки")
# The parts a write may change: the lists of parts and tabs, the shared formats (ours are
# appended) and the custom properties (the workbook's id is added once).
LISTS = {
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "docProps/custom.xml",
}
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def cells(path: Path, *, data_only: bool) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(path, data_only=data_only)
    return {name: [[c.value for c in row] for row in book[name].iter_rows()] for name in STAFF}


def three_runs(project) -> Path:
    shutil.copyfile(DATA, project.workbook_path)
    for day in (date(2020, 9, 8), date(2020, 9, 15), date(2020, 9, 22)):
        result = project.run(day)
        assert result.written
    return project.workbook_path


def test_every_staff_part_is_kept_byte_for_byte_after_three_runs(project):
    before = parts(DATA)
    after = parts(three_runs(project))

    kept = {name for name in before if name not in LISTS}
    assert {n for n in kept if before[n] != after.get(n)} == set()
    # what the file holds, by name: pictures, drawings, the chart, comments, sheets
    for name in (
        "xl/media/image1.png",
        "xl/charts/chart1.xml",
        "xl/comments1.xml",
        "xl/drawings/vmlDrawing1.vml",
        "xl/sharedStrings.xml",
        "xl/worksheets/sheet1.xml",
    ):
        assert after[name] == before[name], name
    new = set(after) - set(before)
    assert len([n for n in new if n.startswith("xl/worksheets/sheet")]) == len(GENERATED)


def test_every_staff_cell_reads_as_before_its_formula_and_its_value(project):
    formulas, values = cells(DATA, data_only=False), cells(DATA, data_only=True)
    snapshot = XlsxWorkbook(DATA, project.settings().tabs).read()
    path = three_runs(project)

    assert cells(path, data_only=False) == formulas
    assert cells(path, data_only=True) == values
    assert values["Школы"][2][2] == "s2@example.org"  # a formula's value, kept
    assert formulas["Школы"][2][2] == '=LOWER("S2@EXAMPLE.ORG")'
    again = XlsxWorkbook(path, project.settings().tabs).read()
    assert {t: again.tabs[t] for t in STAFF[:4]} == {t: snapshot.tabs[t] for t in STAFF[:4]}
    assert again.uncalculated == {}


def test_names_hidden_tabs_order_and_views_of_the_workbook_are_kept(project):
    before = ElementTree.fromstring(parts(DATA)["xl/workbook.xml"])
    after = ElementTree.fromstring(parts(three_runs(project))["xl/workbook.xml"])

    def sheets(root):
        return [dict(s.attrib) for s in root.iterfind("m:sheets/m:sheet", NS)]

    assert sheets(after)[: len(STAFF)] == sheets(before)  # order, ids, the hidden «Списки»
    assert [s["name"] for s in sheets(after)[len(STAFF) :]] == list(GENERATED)
    for path in ("m:bookViews", "m:calcPr", "m:workbookPr"):
        assert ElementTree.tostring(after.find(path, NS)) == ElementTree.tostring(
            before.find(path, NS)
        ), path

    def names(root):
        return [(n.attrib, n.text) for n in root.iterfind("m:definedNames/m:definedName", NS)]

    # The staff's names stay as they were; the generated tabs add their print titles only.
    staff = [n for n in names(after) if int(n[0].get("localSheetId", -1)) < len(STAFF)]
    assert staff == names(before)
    added = [n for n in names(after) if n not in staff]
    assert {n[0]["name"] for n in added} == {"_xlnm.Print_Titles"}


def test_what_openpyxl_sees_of_the_staff_tabs_is_unchanged(project):
    path = three_runs(project)
    before, after = openpyxl.load_workbook(DATA), openpyxl.load_workbook(path)
    road_before, road = before["Дорожная карта"], after["Дорожная карта"]

    assert road.auto_filter.ref == "A3:E7"
    assert [str(r) for r in road.merged_cells.ranges] == ["A1:E1"]
    assert road["B5"].comment.text == road_before["B5"].comment.text
    assert road["B6"].hyperlink.target == "https://example.org/plan"
    assert road.column_dimensions["B"].width == road_before.column_dimensions["B"].width
    assert road.page_setup.orientation == "landscape"
    assert road.print_title_rows == road_before.print_title_rows
    assert [(v.sqref, v.formula1) for v in road.data_validations.dataValidation] == [
        (v.sqref, v.formula1) for v in road_before.data_validations.dataValidation
    ]
    assert len(road.conditional_formatting) == len(road_before.conditional_formatting) == 1
    assert after["Списки"].sheet_state == "hidden"
    assert "Статусы" in after.defined_names
    table_before, table = before["Сдача отчётов"], after["Сдача отчётов"]
    assert table["C2"].number_format == table_before["C2"].number_format
    assert len(table._charts) == len(table_before._charts) == 1


def test_a_workbook_made_by_openpyxl_keeps_its_frozen_rows_picture_and_dropdowns(project):
    from tests.sample_workbook import make  # frozen header rows on every staff tab

    path = make(project)
    book = openpyxl.load_workbook(path)
    picture = io.BytesIO()
    Picture.new("RGB", (30, 30), (0, 90, 200)).save(picture, "PNG")
    book["Школы"].add_image(Image(picture), "G2")
    rule = DataValidation(type="list", formula1="'Школы'!$A$2:$A$4")
    book["Сдача отчётов"].add_data_validation(rule)
    rule.add("A2:A10")
    book.save(path)
    before = parts(path)
    frozen = {name: book[name].freeze_panes for name in book.sheetnames}

    for day in (date(2020, 9, 8), date(2020, 9, 15), date(2020, 9, 22)):
        project.run(day)

    after = parts(path)
    assert {n for n in before if n not in LISTS and before[n] != after[n]} == set()
    again = openpyxl.load_workbook(path)
    assert {name: again[name].freeze_panes for name in frozen} == frozen
    assert len(again["Школы"]._images) == 1
    assert again["Сдача отчётов"].data_validations.dataValidation[0].formula1 == (
        "'Школы'!$A$2:$A$4"
    )
