"""Tab-separated roadmap text (the seeds) -> roadmap rows."""

from __future__ import annotations

from pathlib import Path

from sheets_sync.documents.tab_separated import read_tab_separated

SEEDS = Path(__file__).resolve().parent.parent / "sheets_sync" / "demo" / "data"


def test_the_regional_seed_reads_title_sections_groups_and_numbers():
    roadmap = read_tab_separated((SEEDS / "regional-roadmap-2020.txt").read_text(encoding="utf-8"))
    assert roadmap.title.endswith("в Смоленской области на 2020 год.")
    assert roadmap.header == [
        "№ п/п",
        "Наименование мероприятия",
        "Сроки реализации",
        "Ответственные исполнители",
    ]
    sections = [r[0] for r in roadmap.rows if len(r) == 1]
    assert sections[0] == "I. ИНФОРМАЦИОННО-МЕТОДИЧЕСКАЯ РАБОТА" and len(sections) == 8
    numbers = [r[0] for r in roadmap.rows if len(r) > 1]
    assert numbers[:3] == ["I.1", "I.1.1", "I.1.2"] and "VII.8" in numbers and "VIII.3" in numbers
    assert len(numbers) == len(set(numbers))
    vii8 = next(r for r in roadmap.rows if r[0] == "VII.8")
    assert vii8[2] == "До 01.03.2020; До 01.06.2020; До 01.09.2020; До 01.12.2020."


def test_a_cell_broken_over_lines_is_joined():
    roadmap = read_tab_separated((SEEDS / "school-roadmap-sosh4.txt").read_text(encoding="utf-8"))
    row3 = next(r for r in roadmap.rows if r[0] == "3")
    assert row3[1].endswith("с библиотекарями общеобразовательных организаций Томской области")
    assert row3[4] == "ежегодно (по отдельному плану-графику)"
    assert [r[0] for r in roadmap.rows if len(r) > 1] == ["1", "2", "3", "4", "5"]


def test_numbering_that_never_repeats_keeps_its_numbers():
    text = "Заголовок\n№\tМероприятие\tСрок\tОтветственные\n1.\tА\tмай\tСОИРО\nII. Раздел\n2.\tБ\tиюнь\tСОИРО\n"
    roadmap = read_tab_separated(text)
    assert roadmap.rows == [["1", "А", "май", "СОИРО"], ["II. Раздел"], ["2", "Б", "июнь", "СОИРО"]]
