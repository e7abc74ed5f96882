"""The generated tabs print cleanly: no header word breaks and no header runs into the next
column, long texts wrap in their columns with rows tall enough, and the wide tabs (the journal,
the hub's tabs and its staff tab «Источники») print landscape, every column on one page width."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from sheets_sync.report.journal import HEADER, KEYS_COLUMN, WRAP
from sheets_sync.report.tabs import Cell, Tab, row
from sheets_sync.report.text_width import crowded_headers, fits, lines_of, wraps
from tests.hub_project import ALL_IN, Hub
from tests.sample_workbook import make

REPORT_TABS = ("Сводка", "Просрочено", "Сроки", "Проблемы", "Журнал рассылки")
HUB_TABS = ("Источники", "Сводка по источникам", "Просрочено (все)", "Муниципалитеты", "Проблемы")


def as_tab(ws: Any) -> Tab:
    """Return a written sheet as a Tab: its header cells (bold on grey) «header», its columns'
    widths and hidden columns as the file has them."""

    def style(c: Any) -> str:
        grey = str(c.fill.fgColor.rgb or "").endswith("D9D9D9")
        return "header" if c.font.b and grey else ""

    rows = tuple(tuple(Cell(c.value, style(c)) for c in r) for r in ws.iter_rows())  # type: ignore[arg-type]
    letters = [get_column_letter(c) for c in range(1, ws.max_column + 1)]
    widths = tuple(int(ws.column_dimensions[x].width or 8) for x in letters)
    hidden = tuple(c for c, x in enumerate(letters, start=1) if ws.column_dimensions[x].hidden)
    return Tab(ws.title, rows, widths, hidden=hidden)


def assert_prints_cleanly(path: Path, names: tuple[str, ...]) -> None:
    book = openpyxl.load_workbook(path)
    for name in names:
        ws = book[name]
        assert list(crowded_headers(as_tab(ws))) == [], name
        assert ws.page_setup.orientation == "landscape", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name


def test_a_header_word_fits_its_column_with_room_to_spare():
    # What LibreOffice printed: «Просрочен/о» at 11 characters, «Отчёт школИсполнители».
    assert not fits("Просрочено", 11, bold=True) and fits("Просрочено", 12, bold=True)
    crowded = Tab("Сроки", (row("Вид", "Отчёт школ", style="header"),), (18, 11))
    assert list(crowded_headers(crowded)) == [(2, "Отчёт школ", 11)]
    roomy = Tab("Сроки", (row("Вид", "Отчёт школ", style="header"),), (18, 13))
    assert list(crowded_headers(roomy)) == []
    wrapped = Tab("Сроки", (row("Отчёт школ", style="header"),), (9,))  # on two lines, clearly
    assert list(crowded_headers(wrapped)) == []


def test_a_text_wraps_when_its_column_is_too_narrow_and_takes_the_lines_it_needs():
    assert wraps("МБОУ «Монастырщинская СШ № 3»", 22) and not wraps("МБОУ «СШ № 1»", 22)
    assert wraps("слово " * 8, 0)  # over 40 characters: wraps whatever the column
    assert lines_of("до срока, долг до начала рассылки", 18) == 2
    assert lines_of("<1d56221b7814843da0d4b7622e4a1992.sheets-sync@example.org>", 22) == 3
    assert lines_of("a\nb", 20) == 2


def test_the_report_tabs_and_the_journal_print_cleanly(project):
    make(project)
    project.run(date(2020, 9, 3))
    project.run(date(2020, 9, 3) + timedelta(days=7))

    assert_prints_cleanly(project.workbook_path, REPORT_TABS)
    ws = openpyxl.load_workbook(project.workbook_path)["Журнал рассылки"]
    assert [c.value for c in ws[1]] == list(HEADER)
    assert ws.column_dimensions[get_column_letter(KEYS_COLUMN)].hidden
    tall = 0
    for r in range(2, ws.max_row + 1):
        for c in WRAP:
            cell = ws.cell(r, c)
            width = int(ws.column_dimensions[get_column_letter(c)].width)
            if isinstance(cell.value, str) and wraps(cell.value, width):
                assert cell.alignment.wrap_text, cell.coordinate
                lines = lines_of(cell.value, width)
                assert (ws.row_dimensions[r].height or 15) >= min(15 * lines, 400), cell.coordinate
                tall += lines > 1
        assert not ws.cell(r, KEYS_COLUMN).alignment.wrap_text  # a row of keys stays one line
    assert tall  # the sample's emails have stages and obligations that take several lines


def test_the_hub_tabs_and_its_sources_tab_print_cleanly(tmp_path):
    hub = Hub(tmp_path)
    hub.workbook("a.xlsx")
    hub.workbook("b.xlsx", ALL_IN)
    hub.sources = [
        {"table": "a.xlsx", "name": "Региональная дорожная карта ШИБЦ", "municipality": "Область"},
        {"table": "b.xlsx", "name": "МБОУ «СОШ № 4»", "municipality": "Кардымовский район"},
    ]
    hub.run()

    assert_prints_cleanly(hub.summary, HUB_TABS)
    sources = openpyxl.load_workbook(hub.summary)["Источники"]
    assert sources.column_dimensions["A"].width >= 50  # a spreadsheet's address, in two lines
