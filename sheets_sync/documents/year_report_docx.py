"""The year-end report as a Word document (python-docx): landscape A4, Times New Roman, tables
with borders and a header row repeated on each page, Russian dates, page numbers. The summary
tables come first (per section, per school, per executor), then the plan line by line with
«Выполнение» and «Примечание». What it says comes from `report/year_end.py`; this only lays it
out."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from sheets_sync.errors import SheetsSyncError
from sheets_sync.report.year_end import Tally, YearEndReport, total_of
from sheets_sync.wording import ru_date

FONT = "Times New Roman"
USABLE_MM = 297 - 20 - 15  # A4 landscape less the left and right margins
HEADER_FILL, SECTION_FILL = "D9D9D9", "EFEFEF"
SHY = "\u00ad"  # a soft hyphen: where a header word may break in a narrow column
BUCKET_HEADERS = {
    "done": f"Выпол{SHY}нено в срок",
    "late": f"Выпол{SHY}нено с опоз{SHY}данием",
    "not_done": f"Не выпол{SHY}нено",
    "not_required": f"Не тре{SHY}бу{SHY}ется (н/т)",
    "not_due": "Срок не истёк",
    "no_date": "Без срока",
    "unclear": "Неясно",
}
MAIN_COLUMNS = (
    ("№ п/п", 14),
    ("Наименование мероприятия", 70),
    ("Срок (по плану)", 34),
    ("Ответственные", 38),
    ("Выполнение", 78),
    ("Примечание", 28),
)


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row: Any, name: str) -> None:
    flag = OxmlElement(f"w:{name}")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _write(
    cell: Any,
    lines: str | Sequence[str],
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: float = 10,
) -> None:
    """Put `lines` in `cell`, a paragraph each."""
    texts = [lines] if isinstance(lines, str) else list(lines) or [""]
    for i, text in enumerate(texts):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _table(document: Any, widths_mm: Sequence[float], header: Sequence[str]) -> Any:
    """Add a bordered table with fixed column widths and a header row repeated on each page."""
    table = document.add_table(rows=1, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    row = table.rows[0]
    _row_flag(row, "tblHeader")
    _row_flag(row, "cantSplit")
    for cell, text in zip(row.cells, header, strict=True):
        _write(cell, text, bold=True, center=True, size=9)
        _shade(cell, HEADER_FILL)
    return table


def _add_row(table: Any, widths_mm: Sequence[float]) -> list[Any]:
    row = table.add_row()
    _row_flag(row, "cantSplit")
    for cell, width in zip(row.cells, widths_mm, strict=True):
        cell.width = Mm(width)
    return list(row.cells)


def _heading(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, Pt(12)


def _note(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(3)
    run = paragraph.add_run(text)
    run.italic, run.font.size = True, Pt(9)


def _tally_table(
    document: Any,
    first: Sequence[tuple[str, float]],
    rows: Sequence[tuple[Sequence[str], Tally | None]],
    buckets: Sequence[str],
) -> None:
    """Add a totals table: the `first` columns, a column per bucket, «Всего» and «%»; and a
    total row that is the sum of the rows."""
    rest = (USABLE_MM - sum(w for _, w in first)) / (len(buckets) + 2)
    widths = [w for _, w in first] + [rest] * (len(buckets) + 2)
    header = [h for h, _ in first] + [BUCKET_HEADERS[b] for b in buckets]
    header += ["Всего", f"Выпол{SHY}нено, %"]
    table = _table(document, widths, header)
    for labels, tally in rows:
        cells = _add_row(table, widths)
        for cell, text in zip(cells, labels, strict=False):
            _write(cell, text)
        if tally is None:
            _write(cells[len(first)].merge(cells[-1]), "не участвует", italic=True)
            continue
        values = [str(tally[b]) for b in buckets] + [str(tally.total), tally.percent]
        for cell, value in zip(cells[len(first) :], values, strict=True):
            _write(cell, value, center=True)
    total = total_of(t for _, t in rows if t is not None)
    cells = _add_row(table, widths)
    _write(cells[len(first) - 1], "Итого", bold=True)
    values = [str(total[b]) for b in buckets] + [str(total.total), total.percent]
    for cell, value in zip(cells[len(first) :], values, strict=True):
        _write(cell, value, bold=True, center=True)


def _page_numbers(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("Страница ")
    for i, field in enumerate(("PAGE", "NUMPAGES")):
        if i:
            paragraph.add_run(" из ")
        for kind, text in (("begin", ""), ("instr", f" {field} "), ("separate", ""), ("end", "")):
            run = paragraph.add_run()
            if kind == "instr":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            else:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
            if kind == "separate":
                paragraph.add_run("1")


def _setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    _page_numbers(section)


def _title(document: Any, report: YearEndReport) -> None:
    year = (
        f"{report.plan_year}/{report.plan_year + 1} учебный год"
        if report.school_year
        else f"{report.plan_year} год"
    )
    for text, size in (
        ("Отчёт о выполнении плана мероприятий (дорожной карты)", 14),
        (report.title, 12),
        # (the year once: the plan's own title usually names it already)
        (
            f"по состоянию на {ru_date(report.as_of)}"
            if str(report.plan_year) in report.title
            else f"{year}; по состоянию на {ru_date(report.as_of)}",
            12,
        ),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.font.size = size > 12, Pt(size)


def _plan_table(document: Any, report: YearEndReport) -> None:
    widths = [w for _, w in MAIN_COLUMNS]
    table = _table(document, widths, [h for h, _ in MAIN_COLUMNS])
    for line in report.lines:
        cells = _add_row(table, widths)
        if line.kind == "section":
            merged = cells[0].merge(cells[-1])
            _write(merged, f"{line.number}. {line.title}" if line.number else line.title, bold=True)
            _shade(merged, SECTION_FILL)
            continue
        if line.kind == "group":
            _write(cells[0], line.number, bold=True)
            _write(cells[1].merge(cells[-1]), line.title, bold=True)
            continue
        _write(cells[0], line.number)
        _write(cells[1], line.title)
        _write(cells[2], line.deadline)
        _write(cells[3], line.owners)
        _write(cells[4], line.progress)
        _write(cells[5], line.note)


def build_year_report(report: YearEndReport) -> Any:
    """Return the report as a python-docx Document."""
    document = docx.Document()
    _setup(document)
    _title(document, report)
    buckets = report.buckets
    _heading(document, "1. Итоги по разделам плана")
    _tally_table(
        document,
        (("№", 12), ("Раздел", 72)),
        [((numeral, title), tally) for numeral, title, tally in report.sections],
        buckets,
    )
    _note(
        document,
        "Считаются обязательства: каждое мероприятие × каждый срок × каждый исполнитель или "
        "школа. «Выполнено, %» — доля выполненных (в срок и с опозданием) среди тех, чей срок "
        "наступил и которые требовались (без н/т).",
    )
    if report.schools:
        _heading(document, "2. Итоги по школам (отчёты школ)")
        rows: list[tuple[Sequence[str], Tally | None]] = [
            ((r.code, r.name), r.tally if r.active else None) for r in report.schools
        ]
        _tally_table(document, (("Код", 16), ("Школа", 68)), rows, buckets)
    if report.executors:
        _heading(document, f"{3 if report.schools else 2}. Итоги по исполнителям")
        rows = [((r.name,), r.tally) for r in report.executors]
        _tally_table(document, (("Исполнитель", 84),), rows, buckets)
    _heading(document, f"{2 + bool(report.schools) + bool(report.executors)}. Выполнение плана")
    _plan_table(document, report)
    return document


def write_year_report(report: YearEndReport, path: Path) -> None:
    """Write the report to `path` (atomically: a temporary file renamed over it)."""
    tmp = path.with_name(f".{path.name}.sheets-sync.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        build_year_report(report).save(str(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        raise SheetsSyncError(
            f"cannot write {path}: {exc.strerror}. If the file is open in Word, close it and run "
            "again"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
