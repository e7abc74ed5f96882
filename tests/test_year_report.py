"""The year-end report: what it says (report/year_end.py: every number adds up, н/т apart) and
the Word document (documents/year_report_docx.py), read back with python-docx and, where
LibreOffice is installed, converted to PDF and read back as text."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn

from sheets_sync import cli
from sheets_sync.demo.build import build_region
from sheets_sync.documents.year_report_docx import build_year_report, write_year_report
from sheets_sync.inputs.plan import read_records
from sheets_sync.obligations import obligations_on
from sheets_sync.report.year_end import BUCKETS, Approved, approved, total_of, year_end_report
from sheets_sync.settings.types import ReadingSettings
from sheets_sync.workbook.xlsx import XlsxWorkbook

ROADMAP = [
    ["План мероприятий на 2020 год"],
    [],
    ["№", "Мероприятие", "Срок", "Срок (дата)", "Ответственные", "Выполнено", "Примечание"],
    ["I. Отчётность"],
    ["1", "Отчёты школ"],
    ["1.1", "Отчёт о работе интернет-страницы", "До 01.03.2020; До 01.06.2020", "", "ШИБЦ ОО"],
    ["1.2", "План работы на учебный год", "До 10.09.2020", "", "ШИБЦ ОО", "", "Форма на сайте"],
    ["II. Методическая работа"],
    ["2", "Семинар", "апрель", "", "СОИРО", "20.04.2020"],
    ["3", "Круглый стол", "ноябрь", "15.12.2020", "СОИРО", "20.12.2020"],
    ["4", "Статья", "октябрь", "", "СОИРО"],
    ["5", "Участие в заседаниях РУМО", "По плану РУМО", "", "СОИРО", "+"],
]
TABS = {
    "Дорожная карта": ROADMAP,
    "Школы": [
        ["Код", "Школа", "Email", "Активна"],
        ["01", "Школа № 1", "s1@example.org", "да"],
        ["02", "Школа № 2", "s2@example.org", "да"],
        ["03", "Школа № 3", "s3@example.org", "да"],
        ["04", "Школа № 4", "s4@example.org", "нет"],
    ],
    "Ответственные": [["Исполнитель", "Email"], ["СОИРО", "soiro@example.org"]],
    "Сдача отчётов": [
        ["Код", "1.1 до 01.03.2020", "1.1 до 01.06.2020", "1.2 до 10.09.2020"],
        ["01", "20.02.2020", "сдано", "01.09.2020"],
        ["02", "", "н/т", "15.09.2020"],
        ["03", "05.03.2020", "н/т", ""],
    ],
}
AS_OF = date(2021, 1, 15)


def report_of(tabs=TABS, as_of=AS_OF):
    records = read_records(tabs, ReadingSettings(), fallback_year=2020)
    obligations, _ = obligations_on(records, as_of)
    shown = approved(
        tabs["Дорожная карта"], records, "Дорожная карта", ReadingSettings().columns["roadmap"]
    )
    return year_end_report(records, obligations, as_of, shown), obligations


def line(report, number):
    return next(x for x in report.lines if x.kind != "section" and x.number == number)


def test_a_school_report_says_how_many_did_it_on_time_or_late_who_did_not_and_who_was_exempt():
    report, _ = report_of()
    assert line(report, "1.1").progress == (
        "Школы (3):",
        (
            "до 01.03.2020: выполнили 2 из 3 (67 %): в срок 1, с опозданием 1; не выполнили 1: 02; "
            "сдано 20.02.2020–05.03.2020"
        ),
        "до 01.06.2020: выполнили 1 из 1 (100 %); н/т 2",
    )
    assert line(report, "1.2").progress[1] == (
        "до 10.09.2020: выполнили 2 из 3 (67 %): в срок 1, с опозданием 1; не выполнили 1: 03; "
        "сдано 01.09.2020–15.09.2020"
    )
    assert line(report, "1.2").note == "Форма на сайте"


def test_an_executor_line_says_when_it_was_done_and_how_late_and_shows_the_deadline_as_written():
    report, _ = report_of()
    assert line(report, "2").progress == ("до 30.04.2020: выполнено 20.04.2020, в срок",)
    three = line(report, "3")
    assert three.deadline == "ноябрь"  # as approved, though «Срок (дата)» moved it
    assert three.progress == ("до 15.12.2020: выполнено 20.12.2020, с опозданием на 5 дней",)
    assert line(report, "4").progress == ("до 31.10.2020: не выполнено (просрочено на 76 дней)",)
    assert line(report, "5").progress == ("отмечено: выполнено",)


def test_the_plan_keeps_its_sections_and_group_headings_in_order():
    report, _ = report_of()
    assert [(x.kind, x.number) for x in report.lines] == [
        ("section", "I"),
        ("group", "1"),
        ("item", "1.1"),
        ("item", "1.2"),
        ("section", "II"),
        ("item", "2"),
        ("item", "3"),
        ("item", "4"),
        ("item", "5"),
    ]


def test_every_obligation_falls_in_one_bucket_and_every_table_adds_up():
    report, obligations = report_of()
    assert report.total.total == len(obligations)
    schools = total_of(r.tally for r in report.schools if r.active)
    executors = total_of(r.tally for r in report.executors)
    assert schools + executors == report.total
    for _, _, tally in report.sections:
        assert sum(tally[b] for b in BUCKETS) == tally.total
    items = total_of(x.tally for x in report.lines if x.kind == "item")
    assert items == report.total
    # Counted by hand from TABS: н/т is its own bucket, neither not done nor in the percentage.
    assert {b: report.total[b] for b in BUCKETS} == {
        "done": 4,  # 1.1 by 01 twice (one a mark with no date), 1.2 by 01, line 2
        "late": 3,  # 1.1 by 03, 1.2 by 02, line 3
        "not_done": 3,  # 1.1 by 02, 1.2 by 03, line 4
        "not_required": 2,  # 1.1 by 02 and 03 in June
        "not_due": 0,
        "no_date": 1,  # line 5, on request
        "unclear": 0,
    }
    assert report.total.percent == "70 %"  # 7 done of the 10 due and required
    assert next(r for r in report.schools if r.code == "04").active is False


def test_the_demo_region_adds_up_per_section_and_per_school(tmp_path, project):
    path = tmp_path / "region.xlsx"
    build_region(path, project.settings())
    snapshot = XlsxWorkbook(path, project.settings().tabs).read()
    report, obligations = report_of(snapshot.tabs, date(2020, 12, 31))
    assert sum(t.total for _, _, t in report.sections) == len(obligations) == report.total.total
    school_obs = [o for o in obligations if o.party.kind == "school"]
    assert total_of(r.tally for r in report.schools if r.active).total == len(school_obs)
    assert report.total["not_required"] > 0 and report.total["late"] > 0


def test_the_word_report_is_landscape_a4_with_borders_and_a_header_row_on_each_page():
    report, _ = report_of()
    document = build_year_report(report)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    tables = document.tables
    assert len(tables) == 4  # sections, schools, executors, the plan
    for table in tables:
        assert table.style.name == "Table Grid"
        header = table.rows[0]._tr.trPr
        assert header.find(qn("w:tblHeader")) is not None
    plan = tables[-1]
    assert [c.text for c in plan.rows[0].cells] == [
        "№ п/п",
        "Наименование мероприятия",
        "Срок (по плану)",
        "Ответственные",
        "Выполнение",
        "Примечание",
    ]
    section_row = plan.rows[1]
    assert len({id(c._tc) for c in section_row.cells}) == 1  # merged across the table
    assert section_row.cells[0].text == "I. Отчётность"
    sections = tables[0]
    assert sections.rows[-1].cells[1].text == "Итого"
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_the_report_command_writes_the_document(tmp_path, project, capsys):
    from tests.sample_workbook import make

    make(project)
    project.settings()
    out = tmp_path / "report.docx"
    code = cli.main(
        [
            "report",
            "--docx",
            str(out),
            "--as-of",
            "2020-12-31",
            "--config",
            str(project.root / "config" / "settings.toml"),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0 and out.is_file(), printed
    assert "wrote" in printed and "as of 2020-12-31" in printed
    # Every obligation is counted once in what the line names: the parts add up to the total.
    total, done, not_done, not_required, *rest = map(
        int,
        re.findall(r"(\d+) (?:\(|done,|not done|not required|without|not yet|unclear)", printed),
    )
    assert total == done + not_done + not_required + sum(rest), printed
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "по состоянию на 31.12.2020" in text


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or pdftotext is not installed",
)
def test_libreoffice_converts_the_report_to_pdf_and_its_text_reads_back(tmp_path, project):
    path = tmp_path / "region.xlsx"
    build_region(path, project.settings())
    snapshot = XlsxWorkbook(path, project.settings().tabs).read()
    report, _ = report_of(snapshot.tabs, date(2021, 1, 15))
    out = tmp_path / "report.docx"
    write_year_report(report, out)
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.3" in info  # A4 landscape, in points
    pages = int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1])
    assert 3 <= pages <= 20
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Отчёт о выполнении плана мероприятий (дорожной карты)" in flat
    assert "по состоянию на 15.01.2021" in flat
    assert "VII. МЕРОПРИЯТИЯ В РАМКАХ ЕДИНОЙ СИСТЕМЫ ИБЦ СМОЛЕНСКОЙ ОБЛАСТИ" in flat
    assert "МБОУ «СШ № 1» г. Смоленска" in flat and "Итого" in flat
    assert f"Страница 1 из {pages}" in flat
    total = report.total
    assert (
        f"Итого {total['done']} {total['late']} {total['not_done']} {total['not_required']}" in flat
    )


def test_approved_finds_nothing_in_a_tab_without_a_header():
    records = read_records(TABS, ReadingSettings(), fallback_year=2020)
    assert (
        approved(
            [["нет заголовка"]],
            records,
            "Дорожная карта",
            {"number": ("№",), "title": ("Мероприятие",)},
        )
        == Approved()
    )
