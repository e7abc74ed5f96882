"""Roadmap documents -> roadmap lines: both seeds against tables checked by hand, the same seeds
as Word tables, and five real layouts from public documents (tests/roadmap_layouts.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sheets_sync.deadlines import parse_deadline
from sheets_sync.documents.docx_reader import read_docx
from sheets_sync.documents.imported import ImportedPlan
from sheets_sync.documents.roadmap import read_roadmap
from sheets_sync.documents.tab_separated import text_document
from tests.docx_fixtures import Table, make_docx
from tests.roadmap_layouts import LAYOUTS, Layout

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "sheets_sync" / "demo" / "data"
DATA = Path(__file__).resolve().parent / "data"
REGIONAL = SEEDS / "regional-roadmap-2020.txt"
SCHOOL = SEEDS / "school-roadmap-sosh4.txt"


def expected(name: str) -> list[tuple[str, ...]]:
    """Return a hand-checked table: kind (S section, G group heading, I line), then fields."""
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return [tuple(r) for r in rows[1:]]


def lines(plan: ImportedPlan, fields: tuple[str, ...]) -> list[tuple[str, ...]]:
    out = []
    for line in plan.lines:
        kind = "S" if line.kind == "section" else "G" if line.group else "I"
        if line.kind == "section":
            out.append((kind, "", line.value("title"), *[""] * (len(fields) - 1)))
        else:
            out.append((kind, *(line.value(f) for f in ("number", *fields))))
    return out


def read_text(path: Path) -> ImportedPlan:
    return read_roadmap(
        text_document(path.read_text(encoding="utf-8"), path.name), fallback_year=2099
    )


def read_word(data: bytes) -> ImportedPlan:
    return read_roadmap(read_docx(data), fallback_year=2099)


REGIONAL_FIELDS = ("title", "deadline", "owners")
SCHOOL_FIELDS = ("title", "content", "owners", "deadline")


def test_the_regional_seed_imports_every_line_as_the_hand_checked_table():
    plan = read_text(REGIONAL)
    assert lines(plan, REGIONAL_FIELDS) == expected("seed_regional_expected.tsv")
    assert plan.title == (
        "План мероприятий (Дорожная карта) по реализации концепции развития школьных "
        "информационно-библиотечных центров в Смоленской области на 2020 год."
    )
    assert (plan.plan_year, plan.school_year, plan.problems) == (2020, False, [])


def test_the_school_seed_imports_every_line_as_the_hand_checked_table():
    plan = read_text(SCHOOL)
    assert lines(plan, SCHOOL_FIELDS) == expected("seed_school_expected.tsv")
    assert plan.title == (
        "Дорожная карта (план мероприятий) по внедрению единой информационно-библиотечной "
        "модели в МОУ «СОШ №4»"
    )
    assert plan.problems == []
    # The title names no year; the deadline cells do, and the import says how it read them.
    assert plan.plan_year is None and any("as of 2024" in n for n in plan.notes)


def seed_tables(path: Path) -> tuple[list[str], list[Table | str]]:
    """Turn a seed into Word: its title paragraphs, then its tables as Word tables, the cells a
    copy broke over lines as paragraphs of one cell; a heading line a row merged across."""
    title: list[str] = []
    header: list[str] | None = None
    rows: list[str | list[str]] = []
    repeats: list[int] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or set(raw) <= set("-\t "):
            continue
        cells = raw.split("\t")
        if header is None and len(cells) == 1 and not raw.startswith(("I", "V")):
            title.append(raw.strip("* "))
        elif header is None and len(cells) > 1:
            header = cells
        elif cells == header or (len(cells) > 1 and cells[0] == "№ п/п"):
            repeats.append(len(rows))
        elif len(cells) == 1 or not any(cells[1:]) and not cells[0][:1].isdigit():
            rows.append(cells[0].strip())
        elif not cells[0] and rows:  # a row the copy broke over lines
            last = rows[-1]
            assert isinstance(last, list)
            rows[-1] = [f"{a}\n\n{b}" if b else a for a, b in zip(last, cells, strict=True)]
        else:
            rows.append(cells)
    assert header is not None
    return title, [Table(header, rows, repeat_header_before=tuple(repeats))]


def test_the_regional_seed_as_one_word_table_imports_to_the_same_rows():
    # One table, the header marked to repeat on each page and also repeated by hand before
    # each section, the sections merged rows; the first section heading is above the table.
    title, tables = seed_tables(REGIONAL)
    assert (
        isinstance(tables[0], Table) and tables[0].rows[0] == "I. ИНФОРМАЦИОННО-МЕТОДИЧЕСКАЯ РАБОТА"
    )
    plan = read_word(make_docx(*title, *tables))
    assert lines(plan, REGIONAL_FIELDS) == expected("seed_regional_expected.tsv")
    assert plan.problems == [] and plan.plan_year == 2020


def test_the_regional_seed_as_a_table_per_section_imports_to_the_same_rows():
    # Several tables, each with its own header row, the section headings paragraphs between.
    title, tables = seed_tables(REGIONAL)
    (table,) = tables
    assert isinstance(table, Table)
    blocks: list[str | Table] = list(title)
    current: list = []
    for row in table.rows:
        if isinstance(row, str):
            blocks += [Table(table.header, current), row] if current else [row]
            current = []
        else:
            current.append(row)
    blocks.append(Table(table.header, current))
    plan = read_word(make_docx(*blocks))
    assert lines(plan, REGIONAL_FIELDS) == expected("seed_regional_expected.tsv")


def test_the_school_seed_as_a_word_table_with_cells_of_several_paragraphs_imports_the_same():
    title, tables = seed_tables(SCHOOL)
    table = tables[0]
    assert isinstance(table, Table)
    broken = [r for r in table.rows if not isinstance(r, str) and "\n\n" in r[1]]
    assert len(broken) == 1  # row 3: its title, content and deadline over two paragraphs each
    plan = read_word(make_docx(*title, table))
    assert lines(plan, SCHOOL_FIELDS) == expected("seed_school_expected.tsv")


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_a_real_layout_imports_to_its_hand_written_lines(layout: Layout):
    plan = read_word(make_docx(*layout.blocks))
    assert lines(plan, ("title", "deadline", "owners")) == list(layout.lines)
    assert (plan.plan_year, plan.school_year) == (layout.plan_year, layout.school_year)
    for name, values in layout.extra.items():
        assert tuple(line.value(name) for line in plan.items) == values
    unreadable = [
        line.cells["deadline"]
        for line in plan.items
        if parse_deadline(
            line.value("deadline"), plan.checked_year, school_year=plan.school_year
        ).kind
        == "unknown"
    ]
    assert sorted(p.place for p in plan.problems) == sorted([*unreadable, *layout.problem_places])


def test_the_real_layouts_differ_in_columns_sections_and_year():
    plans = {layout.name: read_word(make_docx(*layout.blocks)) for layout in LAYOUTS}
    assert len({p.header for p in plans.values()}) == len(LAYOUTS)
    assert len({(p.fields, p.extra) for p in plans.values()}) >= 3
    assert plans["mordovia-fgos-2021"].fields == ("number", "title", "result", "deadline", "owners")
    assert "owners" not in plans["syasstroy-victory-2024"].fields
    assert plans["loznyanskaya-month-2022-2023"].school_year
    assert plans["krasnoturansk-80-2014"].sections == []
