"""The .xlsx backend with real files: formatted reads, atomic writes, concurrent saves."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from sheets_sync.errors import WorkbookChanged, WorkbookError
from sheets_sync.report.tabs import Cell, Tab
from sheets_sync.settings.types import TabNames
from sheets_sync.workbook.xlsx import XlsxWorkbook, create_workbook

NAMES = TabNames()


def test_it_reads_the_texts_a_person_sees(tmp_path):
    path = tmp_path / "w.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Дорожная карта"
    ws.append(["№", "Срок", "Число", "Время"])
    ws.append(["1.1", date(2020, 3, 1), 3.0, datetime(2020, 3, 1, 10, 30)])
    ws["D2"].number_format = "DD.MM.YYYY HH:MM"
    ws.append([None, None, 2.5, None])
    book.create_sheet("Чужой лист").append(["не читается"])
    book.save(path)

    snapshot = XlsxWorkbook(path, NAMES).read()
    assert snapshot.tabs == {
        "Дорожная карта": [
            ["№", "Срок", "Число", "Время"],
            ["1.1", "01.03.2020", "3", "01.03.2020 10:30"],
            ["", "", "2.5"],
        ]
    }
    assert snapshot.all_tabs == ("Дорожная карта", "Чужой лист")


def test_a_missing_file_names_the_fix(tmp_path):
    with pytest.raises(WorkbookError, match="create one with `python run.py init`"):
        XlsxWorkbook(tmp_path / "nope.xlsx", NAMES).read()


def test_a_file_that_is_not_a_workbook_names_the_fix(tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(WorkbookError, match="save it as Excel Workbook"):
        XlsxWorkbook(path, NAMES).read()


def test_generated_tabs_are_replaced_and_the_journal_appended(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, [("Дорожная карта", [["№"], ["1"]], 1)])
    wb = XlsxWorkbook(path, NAMES)
    tab = Tab("Сводка", ((Cell("старое"),), (Cell("строка 2"),)))
    wb.write(wb.read(), [tab], [(Cell("запись 1"),)])
    wb.write(wb.read(), [Tab("Сводка", ((Cell("новое", "overdue"),),))], [(Cell("запись 2"),)])

    book = openpyxl.load_workbook(path)
    assert [[c.value for c in r] for r in book["Сводка"].iter_rows()] == [["новое"]]
    assert book["Сводка"]["A1"].fill.fgColor.rgb == "00F4CCCC"
    journal = [[c.value for c in r][:1] for r in book["Журнал рассылки"].iter_rows()]
    assert journal == [["Когда"], ["запись 1"], ["запись 2"]]
    assert book.sheetnames == ["Дорожная карта", "Сводка", "Журнал рассылки"]


def test_a_save_by_someone_else_after_the_read_is_not_overwritten(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, [("Дорожная карта", [["№"], ["1"]], 1)])
    wb = XlsxWorkbook(path, NAMES)
    snapshot = wb.read()
    create_workbook(path, [("Дорожная карта", [["№"], ["1"], ["2 — добавлено коллегой"]], 1)])

    with pytest.raises(WorkbookChanged):
        wb.write(snapshot, [Tab("Сводка", ((Cell("x"),),))], [])
    assert openpyxl.load_workbook(path).sheetnames == ["Дорожная карта"]


def test_a_crash_while_saving_leaves_the_workbook_whole(tmp_path, monkeypatch):
    path = tmp_path / "w.xlsx"
    create_workbook(path, [("Дорожная карта", [["№"], ["1"]], 1)])
    before = path.read_bytes()
    wb = XlsxWorkbook(path, NAMES)
    snapshot = wb.read()

    def crash(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)  # the disk fills up as the copy is flushed
    with pytest.raises(WorkbookError, match="cannot save"):
        wb.write(snapshot, [Tab("Сводка", ((Cell("x"),),))], [])
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_shapes_on_a_staff_tab_are_kept_as_they_were(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, [("Дорожная карта", [["№"], ["1"]], 1)])
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/drawings/drawing1.xml", "<xdr:wsDr><xdr:sp></xdr:sp></xdr:wsDr>")
    wb = XlsxWorkbook(path, NAMES)
    wb.write(wb.read(), [Tab("Сводка", ((Cell("x"),),))], [])
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/drawings/drawing1.xml") == b"<xdr:wsDr><xdr:sp></xdr:sp></xdr:wsDr>"


def test_init_adds_missing_tabs_with_headers_and_keeps_existing_ones(tmp_path):
    path = tmp_path / "new.xlsx"
    wb = XlsxWorkbook(path, NAMES)
    assert wb.init({"Дорожная карта": ("№", "Мероприятие"), "Школы": ("Код", "Школа")}) == [
        "Дорожная карта",
        "Школы",
    ]
    assert wb.init({"Дорожная карта": ("другой",), "Сдача отчётов": ("Код",)}) == ["Сдача отчётов"]
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["Дорожная карта"][1]] == ["№", "Мероприятие"]


def test_extend_adds_columns_and_rows_without_moving_anything(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, [("Сдача отчётов", [["Код", "1 до 01.03.2020"], ["01", "сдано"]], 1)])
    wb = XlsxWorkbook(path, NAMES)
    wb.extend(wb.read(), "Сдача отчётов", 1, ["2 до 01.06.2020", "3 до 01.09.2020"], [["02"]])
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)["Сдача отчётов"].iter_rows()]
    assert rows == [
        ["Код", "1 до 01.03.2020", "2 до 01.06.2020", "3 до 01.09.2020"],
        ["01", "сдано", None, None],
        ["02", None, None, None],
    ]


def test_journal_rows_are_appended_and_earlier_rows_are_not_rewritten(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, [("Дорожная карта", [["№"], ["1"]], 1)])
    wb = XlsxWorkbook(path, NAMES)
    wb.write(wb.read(), [], [(Cell("запись 1"), Cell(datetime(2020, 9, 8, 9, 30)))])

    def journal_xml() -> bytes:
        with zipfile.ZipFile(path) as z:
            return z.read("xl/worksheets/sheet2.xml")

    first = journal_xml()
    wb.write(wb.read(), [], [(Cell("запись 2"), Cell("две\nстроки"))])
    second = journal_xml()

    head = first[: first.index(b"</sheetData>")]
    body = head[head.index(b"<sheetData>") :]
    assert body in second  # the rows already there, byte for byte
    rows = [
        [c.value for c in r][:2]
        for r in openpyxl.load_workbook(path)["Журнал рассылки"].iter_rows()
    ]
    assert rows == [
        ["Когда", "Кому"],
        ["запись 1", datetime(2020, 9, 8, 9, 30)],
        ["запись 2", "две\nстроки"],
    ]


def test_the_cell_formats_of_generated_tabs_are_shared_and_do_not_grow_run_after_run(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, [("Дорожная карта", [["№"], ["1"]], 1)])
    wb = XlsxWorkbook(path, NAMES)
    tab = Tab(
        "Сводка",
        tuple((Cell(f"строка {i}", "overdue"), Cell(date(2020, 3, i + 1))) for i in range(20)),
    )

    def formats() -> int:
        with zipfile.ZipFile(path) as z:
            return z.read("xl/styles.xml").count(b"<xf ")

    wb.write(wb.read(), [tab], [])
    once = formats()
    for _ in range(3):
        wb.write(wb.read(), [tab], [])
    assert formats() == once
    book = openpyxl.load_workbook(path)
    assert book["Сводка"]["B3"].number_format == "DD.MM.YYYY"
    assert len({c.style_id for c in book["Сводка"]["A"]}) == 1  # one shared format


def test_sync_and_init_keep_every_other_part_as_stored(tmp_path):
    from pathlib import Path

    data = Path(__file__).resolve().parent / "data" / "staff-content.xlsx"
    path = tmp_path / "w.xlsx"
    path.write_bytes(data.read_bytes())
    with zipfile.ZipFile(path) as z:
        before = {n: z.read(n) for n in z.namelist()}
    wb = XlsxWorkbook(path, NAMES)
    wb.extend(wb.read(), "Сдача отчётов", 1, ["3 до 01.12.2020"], [["03", "Школа № 3"]])
    assert wb.init({"Журнал рассылки": ("Когда",), "Школы": ("Код",)}) == ["Журнал рассылки"]

    with zipfile.ZipFile(path) as z:
        after = {n: z.read(n) for n in z.namelist()}
    table = "xl/worksheets/sheet4.xml"
    lists = {
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
    }
    changed = {n for n in before if before[n] != after[n]}
    assert changed - lists - {"docProps/custom.xml", "_rels/.rels"} == {table}
    rows = [
        [c.value for c in r]
        for r in openpyxl.load_workbook(path, data_only=True)["Сдача отчётов"].iter_rows()
    ]
    assert rows[0][-1] == "3 до 01.12.2020"
    assert rows[2][2] == "сдано"  # the formula's computed value is still there
    assert rows[3][:2] == ["03", "Школа № 3"]
