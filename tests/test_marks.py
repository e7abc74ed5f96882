"""Completion cells: dates, marks, н/т, nothing."""

from __future__ import annotations

from datetime import date

import pytest

from sheets_sync.inputs.marks import read_mark


@pytest.mark.parametrize(
    ("text", "kind", "dates"),
    [
        ("", "empty", ()),
        ("28.02.2020", "done", (date(2020, 2, 28),)),
        ("1.3.20", "done", (date(2020, 3, 1),)),
        ("2020-03-01", "done", (date(2020, 3, 1),)),
        ("28.02.2020 10:15", "done", (date(2020, 2, 28),)),
        ("сдано 28.02.2020", "done", (date(2020, 2, 28),)),
        ("01.03.2020; 28.05.2020", "done", (date(2020, 3, 1), date(2020, 5, 28))),
        ("Сдано", "done", ()),
        ("✓", "done", ()),
        ("+", "done", ()),
        ("да", "done", ()),
        ("н/т", "not_required", ()),
        ("Н/Т", "not_required", ()),
        ("нет", "not_done", ()),
        ("-", "not_done", ()),
        ("ИСТИНА", "done", ()),
        ("TRUE", "done", ()),
        ("ЛОЖЬ", "not_done", ()),
        ("31.02.2020", "unclear", ()),
        ("прислали по почте", "unclear", ()),
    ],
)
def test_a_completion_cell_reads_as(text, kind, dates):
    mark = read_mark(text)
    assert (mark.kind, mark.dates) == (kind, dates)
