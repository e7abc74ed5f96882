"""Makes tests/data/staff-content.xlsx: a staff workbook holding everything staff put in their
tabs, saved by LibreOffice so that its formulas carry computed values (openpyxl writes none).

    python tests/data/staff_workbook.py          # needs Pillow and soffice on the PATH

openpyxl builds the workbook (below), then `soffice --headless --convert-to xlsx` opens and
saves it as LibreOffice Calc does, calculating every formula. The result is committed; the
tests never run LibreOffice.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from PIL import Image as Picture

OUT = Path(__file__).resolve().parent / "staff-content.xlsx"


def build() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    road = book.active
    road.title = "Дорожная карта"
    road.append(["План мероприятий на 2020 год"])
    road.merge_cells("A1:E1")  # a title across the table: stays in its first cell
    road.append([])
    road.append(["№", "Мероприятие", "Срок", "Ответственные", "Выполнено"])
    road.append(["I. Отчётность"])
    road.append(
        ["1", "Отчёт о работе интернет-страницы", "До 01.03.2020; До 01.06.2020", "СОИРО, ШИБЦ ОО"]
    )
    road.append(["2", "План работы на учебный год", "До 10.09.2020", "СОИРО"])
    road.append(["3", "Участие в заседаниях РУМО", "По плану РУМО", "СОИРО"])
    road["B5"].comment = Comment("Проверить форму отчёта", "Методист")
    road["B6"].hyperlink = "https://example.org/plan"
    road.freeze_panes = "A4"
    road.auto_filter.ref = "A3:E7"
    road.column_dimensions["B"].width = 45
    road.column_dimensions["C"].width = 30
    road.conditional_formatting.add(
        "E4:E7",
        CellIsRule(operator="equal", formula=['"нет"'], fill=PatternFill("solid", "FFC7CE")),
    )
    road.print_title_rows = "3:3"
    road.page_setup.orientation = "landscape"
    road["A3"].font = Font(bold=True)

    lists = book.create_sheet("Списки")
    for value in ("да", "нет", "частично"):
        lists.append([value])
    lists["B1"] = "=COUNTA('Сдача отчётов'!C2:E2)"  # formulas over another tab, for the chart
    lists["B2"] = "=COUNTA('Сдача отчётов'!C3:E3)"
    lists.sheet_state = "hidden"
    book.defined_names["Статусы"] = DefinedName("Статусы", attr_text="'Списки'!$A$1:$A$3")
    done = DataValidation(type="list", formula1="Статусы", allow_blank=True)
    road.add_data_validation(done)
    done.add("E5:E7")
    cross = DataValidation(type="list", formula1="'Списки'!$A$1:$A$3", allow_blank=True)
    road.add_data_validation(cross)
    cross.add("F5:F7")

    schools = book.create_sheet("Школы", 1)
    schools.append(["Код", "Школа", "Email", "Активна"])
    schools.append(["01", "Школа № 1", "s1@example.org", "да"])
    schools.append(["02", "Школа № 2", '=LOWER("S2@EXAMPLE.ORG")', "да"])  # an address by formula
    picture = io.BytesIO()
    Picture.new("RGB", (40, 20), (200, 30, 30)).save(picture, "PNG")
    schools.add_image(Image(picture), "F2")

    executors = book.create_sheet("Ответственные", 2)
    executors.append(["Исполнитель", "Email"])
    executors.append(["СОИРО", "soiro@example.org"])

    table = book.create_sheet("Сдача отчётов", 3)
    table.append(["Код", "Школа", "1 до 01.03.2020", "1 до 01.06.2020", "2 до 10.09.2020"])
    table.append(["01", "Школа № 1", date(2020, 2, 20), "сдано", ""])
    table.append(["02", "Школа № 2", '=IF(1=1,"сдано","")', "н/т", date(2020, 9, 1)])
    table["C2"].number_format = "DD.MM.YYYY"
    table["E3"].number_format = "DD.MM.YYYY"
    chart = BarChart()
    chart.title = "Сдано отчётов"
    chart.add_data(Reference(lists, min_col=2, min_row=1, max_row=2))
    table.add_chart(chart, "H2")
    return book


def main() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("soffice (LibreOffice) is needed to calculate the formulas")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "staff-content.xlsx"
        build().save(source)
        out = Path(tmp) / "out"
        subprocess.run(
            [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(source)],
            check=True,
            capture_output=True,
        )
        shutil.copyfile(out / source.name, OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
