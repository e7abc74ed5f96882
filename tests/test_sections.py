"""Section headings and separators: one reading for the roadmap tab, the importer and «Сводка»."""

from __future__ import annotations

import pytest

from sheets_sync.inputs.sections import is_heading, is_separator, split_heading


@pytest.mark.parametrize(
    ("text", "number", "title"),
    [
        ("VII. МЕРОПРИЯТИЯ В РАМКАХ СИСТЕМЫ", "VII", "МЕРОПРИЯТИЯ В РАМКАХ СИСТЕМЫ"),
        ("I) Раздел", "I", "Раздел"),
        ("II.Основной этап", "II", "Основной этап"),
        ("IV", "IV", ""),
        ("1 этап", "", "1 этап"),
        ("I.1", "", "I.1"),
        ("CMS-система", "", "CMS-система"),
    ],
)
def test_a_heading_splits_into_its_roman_number_and_title(text, number, title):
    assert split_heading(text) == (number, title)


@pytest.mark.parametrize(
    "text", ["I. ОБЩИЕ ПОЛОЖЕНИЯ", "I) Раздел", "1 этап", "2-й этап", "Этап 3", "Раздел 2", "ИТОГИ"]
)
def test_these_lone_cells_are_section_headings(text):
    assert is_heading(text)


@pytest.mark.parametrize(
    "text", ["I.1", "VI.2.5", "3 Разработка плана этапа", "Отчёт", "CMS-система", "ОО"]
)
def test_these_lone_cells_are_not_section_headings(text):
    assert not is_heading(text)


def test_a_rule_of_dashes_is_a_separator_and_text_is_not():
    assert is_separator("---- | ____ ===")
    assert not is_separator("1. Отчёт")
