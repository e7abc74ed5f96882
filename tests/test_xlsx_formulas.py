"""Formulas in staff tabs of a local .xlsx read as their computed values on every run, and a
formula that was never computed is a problem naming its cell, not an empty cell read silently."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl

from sheets_sync.workbook.xlsx import XlsxWorkbook
from sheets_sync.workbook.xlsx_read import sheet_extras
from tests.sample_workbook import make

DATA = Path(__file__).resolve().parent / "data" / "staff-content.xlsx"


def test_a_school_whose_submission_and_address_come_from_formulas_is_never_reminded(project):
    # School 02's «сдано» for item 1 is =IF(1=1,"сдано","") and its email =LOWER("S2@...").
    shutil.copyfile(DATA, project.workbook_path)
    for day in (date(2020, 9, 8), date(2020, 9, 15), date(2020, 9, 22)):
        project.run(day)
        overdue = {(r[2], r[3]) for r in project.read_tab("Просрочено")[1:]}
        assert ("Школа № 2", "01.03.2020") not in overdue, day
        problems = [" ".join(r) for r in project.read_tab("Проблемы")[1:]]
        assert not [p for p in problems if "Школа № 2" in p], day
    assert not [m for m in project.outbox() if "Школа № 2" in str(m["To"])]


def test_a_formula_never_computed_is_a_problem_naming_its_tab_and_cell(project):
    path = make(project)
    book = openpyxl.load_workbook(path)
    book["Школы"]["C3"] = '=LOWER("S2@EXAMPLE.ORG")'  # openpyxl stores no computed value
    book.save(path)

    snapshot = XlsxWorkbook(path, project.settings().tabs).read()
    assert snapshot.uncalculated == {"Школы": ("C3",)}
    project.run(date(2020, 9, 8))
    rows = [r for r in project.read_tab("Проблемы")[1:] if r[0] == "Школы" and r[1] == "C3"]
    assert rows and "формула без вычисленного значения" in rows[0][2]
    assert "Откройте файл в Excel или LibreOffice и сохраните его" in rows[0][3]


def test_only_formulas_without_a_computed_value_are_named():
    xml = (
        b"<sheetData><row r='1'>"
        b'<c r="A1"><f>1+1</f><v>2</v></c>'  # computed
        b'<c r="B1" t="str"><f>""</f><v></v></c>'  # computed: an empty text
        b'<c r="C1"><f>A1*2</f><v></v></c>'  # openpyxl writes this: nothing computed
        b'<c r="D1"><f t="shared" si="0" ref="D1:D2">A1</f></c>'  # no value at all
        b'<c r="E1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'  # computed: an error
        b'<x:c r="F1"><x:f>A1</x:f></x:c>'  # a prefixed namespace
        b"</row></sheetData>"
    )
    assert sheet_extras(xml).uncalculated == ("C1", "D1", "F1")
