"""`python run.py import`: into a new workbook, into an existing .xlsx (its other sheets kept byte
for byte) or Google spreadsheet (only the roadmap tab addressed), and nothing written while the
document has problems or a roadmap would be replaced without --replace."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheets_sync import cli
from sheets_sync.inputs.plan import read_records
from sheets_sync.settings.types import ReadingSettings, TabNames
from sheets_sync.workbook.xlsx import XlsxWorkbook
from tests.conftest import read_tab
from tests.docx_fixtures import Table, make_docx
from tests.sample_workbook import staff

SEEDS = Path(__file__).resolve().parent.parent / "sheets_sync" / "demo" / "data"
HEADER = ["№ п/п", "Наименование мероприятия", "Сроки реализации", "Ответственные исполнители"]


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config/settings.toml of the developer's is read
    return tmp_path


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def word(path: Path, rows, title="План мероприятий на 2020 год") -> Path:
    path.write_bytes(make_docx(title, Table(HEADER, rows)))
    return path


def test_a_seed_imports_into_a_new_workbook_with_every_input_tab_that_reads_as_planned(
    here, capsys
):
    seed = shutil.copy(SEEDS / "regional-roadmap-2020.txt", here / "plan.txt")
    code, out, _ = run(capsys, "import", seed, "--into", here / "region.xlsx")
    assert code == 0, out
    assert "32 lines and 9 group headings in 8 sections; plan year 2020" in out
    book = openpyxl.load_workbook(here / "region.xlsx")
    assert book.sheetnames == [
        "Дорожная карта",
        "Школы",
        "Ответственные",
        "Сдача отчётов",
        "Журнал рассылки",
    ]
    snapshot = XlsxWorkbook(here / "region.xlsx", TabNames()).read()
    records = read_records(snapshot.tabs, ReadingSettings(), fallback_year=1999)
    assert records.plan_year == 2020 and len(records.items) == 32
    assert [s.split(".")[0] for s in records.sections] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
    ]
    vii8 = next(i for i in records.items if i.key == "VII.8")
    assert [d.isoformat() for d in vii8.deadline.due_dates] == [
        "2020-03-01",
        "2020-06-01",
        "2020-09-01",
        "2020-12-01",
    ]
    assert vii8.school_report
    # Of the roadmap, only its executors are unknown until «Ответственные» is filled in.
    about_roadmap = [p.what for p in records.problems if p.tab == "Дорожная карта"]
    assert about_roadmap and all("не найден в листе «Ответственные»" in w for w in about_roadmap)


def test_a_document_with_problems_writes_nothing_unless_forced(here, capsys):
    doc = word(
        here / "plan.docx", [["1", "Первое", "когда-нибудь", "СОИРО"], ["2", "", "май", "СОИРО"]]
    )
    code, out, err = run(capsys, "import", doc)
    assert code == 1 and not (here / "plan.xlsx").exists()
    assert "таблица 1, строка 2, столбец 3: не удалось прочитать срок «когда-нибудь»" in out
    assert "таблица 1, строка 3, столбец 2: у строки нет названия мероприятия" in out
    assert "nothing was written: 2 problem(s)" in err and "--force" in err
    code, out, _ = run(capsys, "import", doc, "--force")
    assert code == 0 and (here / "plan.xlsx").exists()


EXISTING = [
    ["План мероприятий на 2020 год"],
    [],
    ["№", "Мероприятие", "Срок", "Ответственные", "Выполнено", "Комментарий"],
    ["1", "Отчёт о работе интернет-страницы", "До 01.03.2020", "СОИРО", "20.02.2020", "звонили"],
    ["2", "План работы на учебный год", "До 10.09.2020", "ШИБЦ ОО"],
    ["3", "Участие в заседаниях РУМО", "По плану РУМО", "СОИРО", "+"],
]


def existing_workbook(path: Path) -> Path:
    from sheets_sync.workbook.xlsx import create_workbook

    tabs = staff()
    tabs["Дорожная карта"] = EXISTING
    create_workbook(
        path, [(n, rows, 3 if n == "Дорожная карта" else 1) for n, rows in tabs.items()]
    )
    book = openpyxl.load_workbook(path)
    book["Школы"]["F1"] = "=1+1"  # a formula: its calcChain must not outlive the rewrite
    book.save(path)
    return path


def test_replacing_a_roadmap_prints_the_changes_keeps_staff_cells_and_other_sheets(here, capsys):
    target = existing_workbook(here / "staff.xlsx")
    doc = word(
        here / "new.docx",
        [
            ["1", "Отчёт о работе интернет-страницы", "До 01.03.2020; До 01.06.2020", "СОИРО"],
            ["2", "План работы на учебный год", "До 10.09.2020", "ШИБЦ ОО"],
            ["4", "Круглый стол", "октябрь", "СОИРО"],
        ],
    )
    before = target.read_bytes()
    code, out, err = run(capsys, "import", doc, "--into", target)
    assert code == 1 and target.read_bytes() == before
    assert "has 3 lines; the import leaves 3: 1 added, 1 removed, 1 changed, 1 unchanged" in out
    assert "  + 4  Круглый стол  (октябрь)" in out
    assert "  - 3  Участие в заседаниях РУМО" in out
    assert "      deadline: «До 01.03.2020» -> «До 01.03.2020; До 01.06.2020»" in out
    assert "kept from the tab for 1 lines: «Выполнено», «Комментарий»" in out
    assert "run again with --replace" in err

    old_parts = parts(target)
    code, out, _ = run(capsys, "import", doc, "--into", target, "--replace")
    assert code == 0, out
    roadmap = read_tab(target, "Дорожная карта")
    assert roadmap[2][:2] == ["№", "Мероприятие"] and roadmap[2][-1] == "Комментарий"
    line1 = dict(zip(roadmap[2], roadmap[3], strict=False))
    assert line1["Выполнено"] == "20.02.2020" and line1["Комментарий"] == "звонили"
    assert [r[0] for r in roadmap[3:]] == ["1", "2", "4"]
    new_parts = parts(target)
    roadmap_part = "xl/worksheets/sheet1.xml"
    unchanged = {
        n
        for n in old_parts
        if n
        not in (
            roadmap_part,
            "xl/styles.xml",
            "[Content_Types].xml",
            "xl/_rels/workbook.xml.rels",
            "xl/calcChain.xml",
        )
    }
    assert {n: new_parts[n] for n in unchanged} == {n: old_parts[n] for n in unchanged}
    assert read_tab(target, "Сдача отчётов") == read_tab_from(old_parts, "Сдача отчётов")


def read_tab_from(package: dict[str, bytes], name: str) -> list[list[str]]:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for part, data in package.items():
            z.writestr(part, data)
    path = Path("before.xlsx")
    path.write_bytes(out.getvalue())
    return read_tab(path, name)


def test_a_workbook_without_a_roadmap_tab_gets_one_and_nothing_else_changes(here, capsys):
    from sheets_sync.workbook.xlsx import create_workbook

    target = here / "schools.xlsx"
    create_workbook(target, [("Школы", staff()["Школы"], 1), ("Заметки", [["что угодно"]], 0)])
    old = parts(target)
    doc = word(here / "plan.docx", [["1", "Круглый стол", "октябрь", "СОИРО"]])
    code, out, _ = run(capsys, "import", doc, "--into", target)
    assert code == 0, out
    assert "«Ответственные», «Сдача отчётов»: `python run.py init` adds them" in out
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Школы", "Заметки", "Дорожная карта"]
    new = parts(target)
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml"):
        assert new.get(name) == old.get(name), name
    assert read_tab(target, "Дорожная карта")[2:] == [
        [
            "№",
            "Мероприятие",
            "Содержание",
            "Срок",
            "Срок (дата)",
            "Ответственные",
            "Отчёт школ",
            "Выполнено",
            "Примечание",
        ],
        ["1", "Круглый стол", "", "октябрь", "", "СОИРО"],
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_a_workbook_the_import_wrote_into(here, capsys):
    target = existing_workbook(here / "staff.xlsx")
    doc = word(here / "new.docx", [["1", "Круглый стол", "октябрь", "СОИРО"]])
    assert run(capsys, "import", doc, "--into", target, "--replace")[0] == 0
    profile = (here / "lo-profile").as_uri()
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(here / "csv"),
            str(target),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = (here / "csv" / "staff.csv").read_text(encoding="utf-8", errors="replace")
    assert "Круглый стол" in text  # the roadmap is the first, active sheet


def test_importing_into_a_google_spreadsheet_rewrites_only_the_roadmap_tab(here, capsys, google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    others = {
        t: google.emulator.values(key, t) for t in ("Школы", "Ответственные", "Сдача отчётов")
    }
    doc = word(
        here / "plan.docx",
        [
            ["1", "Отчёт о работе интернет-страницы", "До 01.03.2020", "СОИРО"],
            ["5", "Семинар", "май", "СОИРО"],
        ],
    )
    code, _, err = run(capsys, "import", doc, "--into", key, "--config", settings.source)
    assert code == 1 and "run again with --replace" in err
    code, _, err = run(
        capsys, "import", doc, "--into", key, "--config", settings.source, "--replace"
    )
    assert code == 0, err
    values = google.emulator.values(key, "Дорожная карта")
    assert values[0] == ["План мероприятий на 2020 год"]
    assert [r[:2] for r in values[3:]] == [
        ["1", "Отчёт о работе интернет-страницы"],
        ["5", "Семинар"],
    ]
    assert {t: google.emulator.values(key, t) for t in others} == others
    roadmap_id = google.emulator.sheet_properties(key, "Дорожная карта")["sheetId"]
    writes = [r["body"] for r in google.emulator.requests() if r["path"].endswith(":batchUpdate")]
    assert len(writes) == 1 and _sheet_ids(writes[0]) == {roadmap_id}
    assert (
        google.emulator.sheet_properties(key, "Дорожная карта")["gridProperties"]["frozenRowCount"]
        == 3
    )


def _sheet_ids(node):
    if isinstance(node, dict):
        found = {node["sheetId"]} if "sheetId" in node else set()
        return found.union(*(_sheet_ids(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_sheet_ids(v) for v in node))
    return set()


def test_a_spreadsheet_without_a_roadmap_tab_gets_one_from_the_import(here, capsys, google):
    tabs = staff()
    del tabs["Дорожная карта"]
    key = google.spreadsheet(tabs)
    settings = google.settings(key)
    doc = word(here / "plan.docx", [["1", "Семинар", "май", "СОИРО"]])
    code, _out, err = run(capsys, "import", doc, "--into", key, "--config", settings.source)
    assert code == 0, err
    assert google.emulator.sheet_titles(key)[-1] == "Дорожная карта"
    assert google.emulator.values(key, "Дорожная карта")[3][:2] == ["1", "Семинар"]


def test_the_import_names_each_column_it_read(here, capsys):
    doc = here / "plan.docx"
    doc.write_bytes(
        make_docx(
            "План мероприятий на 2020 год",
            Table(
                ["№", "Содержание работы", "Классы", "Дата проведения", "Ответственный"],
                [["1", "Линейка", "1-11", "1 сентября", "Завуч"]],
            ),
            "СОГЛАСОВАНО",
        )
    )
    code, out, _ = run(capsys, "import", doc)
    assert code == 0
    assert (
        "columns: «№» number, «Содержание работы» title, «Классы» (kept as it is), "
        "«Дата проведения» deadline, «Ответственный» owners"
    ) in out
    assert "«СОГЛАСОВАНО» (абзац 2) heads no lines: left out" in out


def test_importing_the_roadmap_the_workbook_already_holds_writes_nothing_and_succeeds(here, capsys):
    seed = shutil.copy(SEEDS / "school-roadmap-sosh4.txt", here / "plan.txt")
    assert run(capsys, "import", seed, "--into", here / "school.xlsx")[0] == 0
    before = (here / "school.xlsx").read_bytes()

    code, out, _ = run(capsys, "import", seed, "--into", here / "school.xlsx")

    assert code == 0 and "already holds this roadmap: nothing to write" in out
    assert (here / "school.xlsx").read_bytes() == before
