"""The demo's two workbooks, built from the seed roadmaps: the regional roadmap with 30
example schools, «Ответственные» and a submission table partly filled in (on time, late,
missing, н/т); the school roadmap with its executors."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sheets_sync.documents.tab_separated import ImportedRoadmap, read_tab_separated
from sheets_sync.inputs.sections import number_order
from sheets_sync.inputs.plan import read_records
from sheets_sync.settings.types import Settings
from sheets_sync.workbook.layout import column_header
from sheets_sync.workbook.xlsx import create_workbook

DATA = Path(__file__).resolve().parent / "data"
REGION_SEED = DATA / "regional-roadmap-2020.txt"
SCHOOL_SEED = DATA / "school-roadmap-sosh4.txt"
# A working Wednesday late in each plan year: reports due, overdue and soon due all show up.
REGION_DAY = date(2020, 11, 25)
SCHOOL_DAY = date(2024, 11, 25)

TOWNS = [
    "г. Смоленска",
    "г. Смоленска",
    "г. Смоленска",
    "г. Смоленска",
    "г. Смоленска",
    "Вяземская",
    "Гагаринская",
    "Рославльская",
    "Сафоновская",
    "Ярцевская",
    "Демидовская",
    "Дорогобужская",
    "Духовщинская",
    "Ельнинская",
    "Велижская",
    "Починковская",
    "Руднянская",
    "Сычёвская",
    "Кардымовская",
    "Монастырщинская",
    "Новодугинская",
    "Тёмкинская",
    "Угранская",
    "Хиславичская",
    "Холм-Жирковская",
    "Шумячская",
    "Краснинская",
    "Глинковская",
    "Ершичская",
    "Десногорская",
]
SURNAMES = [
    "Иванова",
    "Петрова",
    "Смирнова",
    "Кузнецова",
    "Соколова",
    "Попова",
    "Лебедева",
    "Козлова",
    "Новикова",
    "Морозова",
    "Волкова",
    "Алексеева",
    "Павлова",
    "Семёнова",
    "Егорова",
]
# Events the plan names the schools in, but which ask no report of them.
REGION_NOT_REPORTS = {"I.1.1", "I.1.2", "III.1.1", "III.2.1", "III.2.2"}
REGION_DONE = {
    "I.2.1": "20.04.2020",
    "III.2.1": "+",
    "III.2.2": "+",
    "V.1.1": "30.06.2020",
    "VI.2.2": "20.02.2020",
    "VI.2.3": "28.02.2020",
    "VI.2.5": "выполнено",
    "VII.1": "29.04.2020",
    "VII.2": "26.02.2020",
    "VII.3": "25.06.2020",
    "VII.5": "28.02.2020; 08.05.2020",
    "VII.7": "10.09.2020",
    "VII.8": "28.02.2020; 29.05.2020; 31.08.2020",
    "VIII.2": "01.06.2020",
}
REGION_NOTES = {"VII.8": "Отчёт — по форме на сайте РИБЦ", "VII.9": "Форма МТБ-2020"}
SCHOOL_DONE = {"1": "27.05.2024", "5": "26.04.2024"}
SCHOOL_EXECUTORS = [
    ("Директор МОУ «СОШ №4»", "director@sosh4.example.org", "Директор"),
    ("Зав. ИБЦ", "ibc@sosh4.example.org", "Зав ИБЦ; заведующий ИБЦ"),
    ("ТОИПКРО", "toipkro@example.org", ""),
    ("УО", "uo@example.org", "Управление образования"),
    ("МОУ «СОШ №4»", "school4@sosh4.example.org", "МОУ «СОШ№4»"),
]


def _roadmap_rows(
    roadmap: ImportedRoadmap, extra: list[str], fill: dict[str, dict[str, str]]
) -> list[list[Any]]:
    header = roadmap.header + extra
    rows: list[list[Any]] = [[roadmap.title], [], header]
    for cells in roadmap.rows:
        if len(cells) == 1:
            rows.append(cells)
            continue
        number = cells[0]
        rows.append(cells + [fill.get(name, {}).get(number, "") for name in extra])
    return rows


def build_region(path: Path, settings: Settings) -> None:
    """Write the regional demo workbook: roadmap, 30 schools, executors, submissions."""
    roadmap = read_tab_separated(REGION_SEED.read_text(encoding="utf-8"))
    deadline_col = roadmap.header.index("Сроки реализации")
    roadmap.header.insert(deadline_col + 1, "Срок (дата)")
    for cells in roadmap.rows:
        if len(cells) > 1:
            cells.insert(deadline_col + 1, "")
    fill = {
        "Отчёт школ": {k: "нет" for k in REGION_NOT_REPORTS},
        "Выполнено": REGION_DONE,
        "Примечание": REGION_NOTES,
    }
    road_rows = _roadmap_rows(roadmap, ["Отчёт школ", "Выполнено", "Примечание"], fill)
    schools = _schools()
    executors = [
        ["Исполнитель", "Email", "Синонимы"],
        ["СОИРО", "ribc@example.org", "ГАУ ДПО СОИРО; РИБЦ"],
    ]
    tabs = {settings.tabs.roadmap: road_rows}
    # Which obligations the schools owe comes from the product's own reading of the roadmap.
    records = read_records(
        {settings.tabs.roadmap: [[str(c) for c in r] for r in road_rows]},
        settings.reading,
        fallback_year=REGION_DAY.year,
    )
    columns = [(i.key, d) for i in records.items if i.school_report for d in i.deadline.due_dates]
    columns.sort(key=lambda kd: (kd[1], number_order(kd[0])))
    submissions = [["Код", "Школа", *(column_header(k, d) for k, d in columns)]]
    rng = random.Random(2020)
    for school in schools[1:]:
        active = school[-1] != "нет"
        submissions.append(
            [
                school[0],
                school[1],
                *(_submission(rng, due, REGION_DAY) if active else "" for _, due in columns),
            ]
        )
    create_workbook(
        path,
        [
            (settings.tabs.roadmap, tabs[settings.tabs.roadmap], 3),
            (settings.tabs.schools, schools, 1),
            (settings.tabs.executors, executors, 1),
            (settings.tabs.submissions, submissions, 1),
        ],
        title=roadmap.title,
        identity="sheets-sync-demo-region",  # fixed: a reset gives the same emails again
    )


def _schools() -> list[list[str]]:
    rows = [["Код", "Школа", "Email", "Контактное лицо", "Активна"]]
    for n, town in enumerate(TOWNS, start=1):
        name = (
            f"МБОУ «СШ № {n}» {town}"
            if town.startswith("г.")
            else f"МБОУ «{town} СШ № {n % 3 + 1}»"
        )
        email = f"shibc{n:02d}@example.org"
        if n == 17:
            email = "shibc17@example,org"  # a typo, as real lists have: shown in «Проблемы»
        contact = (
            f"{SURNAMES[n % len(SURNAMES)]} {chr(1040 + n % 20)}. {chr(1040 + n % 17)}., зав. ШИБЦ"
        )
        rows.append([f"ОО-{n:02d}", name, email, contact, "нет" if n == 30 else "да"])
    return rows


def _submission(rng: random.Random, due: date, today: date) -> Any:
    """Return a plausible cell of «Сдача отчётов» for a report due on `due`, as of `today`."""
    roll = rng.random()
    if due > today:
        return today - timedelta(days=rng.randint(1, 12)) if roll < 0.12 else ""
    if roll < 0.62:
        return due - timedelta(days=rng.randint(0, 12))
    if roll < 0.76:
        return min(due + timedelta(days=rng.randint(1, 25)), today)
    if roll < 0.82:
        return rng.choice(["сдано", "✓", "+"])
    if roll < 0.84:
        return "н/т"
    return ""


def build_school(path: Path, settings: Settings) -> None:
    """Write the school demo workbook: roadmap with its executors."""
    roadmap = read_tab_separated(SCHOOL_SEED.read_text(encoding="utf-8"))
    rows = _roadmap_rows(
        roadmap, ["Срок (дата)", "Выполнено", "Примечание"], {"Выполнено": SCHOOL_DONE}
    )
    executors = [["Исполнитель", "Email", "Синонимы"], *map(list, SCHOOL_EXECUTORS)]
    create_workbook(
        path,
        [
            (settings.tabs.roadmap, rows, 3),
            (settings.tabs.executors, executors, 1),
        ],
        title=roadmap.title,
        identity="sheets-sync-demo-school",
    )
