"""The .xlsx file around the cells: a file caught half-saved, a temporary file left by a killed
save, the workbook's stored identity, and what a write refuses before touching the file."""

from __future__ import annotations

import os
import shutil
import zipfile

import openpyxl
import pytest
from openpyxl.chart import BarChart

from sheets_sync.errors import WorkbookError
from sheets_sync.report.tabs import Cell, Tab
from sheets_sync.settings.types import TabNames
from sheets_sync.workbook.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.workbook.xlsx_read import temp_path
from tests.sample_workbook import Sleeps

NAMES = TabNames()
ROADMAP = [("Дорожная карта", [["№"], ["1"]], 1)]


def test_a_file_caught_half_saved_is_read_again_once_it_is_whole(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, ROADMAP)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # Excel is still writing it

    def excel_finishes(seconds: float) -> None:
        sleeps.append(seconds)
        path.write_bytes(whole)

    sleeps = Sleeps()
    (tmp_path / "~$w.xlsx").write_bytes(b"owner")  # Excel's lock file beside it
    snapshot = XlsxWorkbook(path, NAMES, sleep=excel_finishes).read()

    assert snapshot.tabs["Дорожная карта"] == [["№"], ["1"]]
    assert len(sleeps) == 1


def test_a_file_still_half_saved_says_so_and_not_to_save_it_as_xlsx(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, ROADMAP)
    path.write_bytes(path.read_bytes()[:300])
    (tmp_path / "~$w.xlsx").write_bytes(b"owner")
    sleeps = Sleeps()

    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path, NAMES, sleep=sleeps).read()

    assert "caught while being saved" in str(caught.value)
    assert "~$w.xlsx" in str(caught.value)
    assert "save it as Excel Workbook" not in str(caught.value)
    assert sleeps == [0.5, 1.0, 2.0]


def test_a_broken_file_nobody_is_saving_names_the_fix_at_once(tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    sleeps = Sleeps()
    with pytest.raises(WorkbookError, match="save it as Excel Workbook"):
        XlsxWorkbook(path, NAMES, sleep=sleeps).read()
    assert sleeps == []


def spawned_and_gone() -> int:
    """Return the id of a process that ran and ended."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_temporary_file_left_by_a_killed_save_is_removed_on_the_next_run(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, ROADMAP)
    killed = temp_path(path, pid=spawned_and_gone())  # a save by a process that was killed
    running = temp_path(path, pid=os.getppid())  # one by a process still running
    for tmp in (killed, running):
        tmp.write_bytes(b"PK\x03\x04 half a zip")
        os.utime(tmp, (1_000_000, 1_000_000))

    XlsxWorkbook(path, NAMES, clock=lambda: 1_000_000 + 30).read()
    assert not killed.exists()  # its process is gone: removed at once
    assert running.exists()  # half a minute old: the save may be under way
    XlsxWorkbook(path, NAMES, clock=lambda: 1_000_000 + 3600).read()
    assert not running.exists()  # an hour old: cut short all the same


def test_the_identity_is_stored_in_the_file_and_survives_moving_it(tmp_path):
    path = tmp_path / "a" / "w.xlsx"
    create_workbook(path, ROADMAP)
    identity = XlsxWorkbook(path, NAMES).read().identity
    assert len(identity) == 36

    moved = tmp_path / "b" / "renamed.xlsx"
    moved.parent.mkdir()
    shutil.move(path, moved)
    wb = XlsxWorkbook(moved, NAMES)
    wb.write(wb.read(), [Tab("Сводка", ((Cell("x"),),))], [])
    assert wb.read().identity == identity
    assert openpyxl.load_workbook(moved).custom_doc_props["sheets_sync_id"].value == identity


def test_a_workbook_made_elsewhere_gets_its_identity_on_the_first_write(tmp_path):
    path = tmp_path / "w.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Дорожная карта"
    book.save(path)
    wb = XlsxWorkbook(path, NAMES)
    assert wb.read().identity == ""
    wb.write(wb.read(), [], [])
    first = wb.read().identity
    wb.write(wb.read(), [], [])
    assert first and wb.read().identity == first


def test_a_chart_sheet_under_a_generated_tabs_name_is_refused_and_the_file_untouched(tmp_path):
    path = tmp_path / "w.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Дорожная карта"
    chart = book.create_chartsheet("Сводка")
    chart.add_chart(BarChart())
    book.save(path)
    before = path.read_bytes()
    wb = XlsxWorkbook(path, NAMES)

    with pytest.raises(WorkbookError, match="«Сводка» .* is a chart sheet"):
        wb.write(wb.read(), [Tab("Сводка", ((Cell("x"),),))], [])
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_a_tab_named_like_a_generated_one_but_for_case_is_refused(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, [*ROADMAP, ("сводка", [["моя сводка"]], 0)])
    before = path.read_bytes()
    wb = XlsxWorkbook(path, NAMES)

    with pytest.raises(WorkbookError, match="«сводка»"):
        wb.write(wb.read(), [Tab("Сводка", ((Cell("x"),),))], [])
    assert path.read_bytes() == before


def test_text_that_xml_cannot_hold_is_kept_as_excel_writes_it(tmp_path):
    path = tmp_path / "w.xlsx"
    create_workbook(path, ROADMAP)
    wb = XlsxWorkbook(path, NAMES)
    texts = ["тире\x0bиз Word", "=СУММ(A1:A2)", "_x0041_ буквально", " пробелы "]
    wb.write(wb.read(), [Tab("Сводка", tuple((Cell(t),) for t in texts))], [])

    cells = [r[0] for r in openpyxl.load_workbook(path)["Сводка"].iter_rows()]
    # Excel shows _x000B_ as the character and _x005F_ as "_"; openpyxl leaves them escaped
    assert [c.value for c in cells] == [
        "тире_x000B_из Word",
        "=СУММ(A1:A2)",
        "_x005F_x0041_ буквально",
        " пробелы ",
    ]
    assert {c.data_type for c in cells} == {"s"}  # text, never a formula
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
