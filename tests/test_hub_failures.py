"""One bad source never stops the others: each failure is a row of the hub's «Проблемы» with the
reason and the fix; a source readable last time and not now is flagged new. And the sources tab
«Источники»: a school added there without touching the server, merged with the settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from sheets_sync.service.lock import instance_lock
from sheets_sync.settings.types import WorkbookSettings
from sheets_sync.workbook.xlsx import create_workbook
from tests.conftest import read_tab
from tests.hub_project import Hub
from tests.sample_workbook import ROADMAP

ALL_READ = (
    "Все источники прочитаны. Ошибки в данных каждого источника — на листе «Проблемы» его "
    "таблицы (их число — в «Сводка по источникам»)."
)


@pytest.fixture
def hub(tmp_path):
    hub = Hub(tmp_path)
    hub.workbook("good.xlsx")
    hub.sources = [{"table": "good.xlsx", "name": "Хорошая", "municipality": "Район"}]
    return hub


def problems(hub):
    return read_tab(hub.summary, "Проблемы")[1:]


def test_a_missing_file_is_a_problem_and_the_others_are_still_processed(hub):
    hub.sources.append({"table": "gone.xlsx", "name": "Пропавшая", "municipality": "Район"})
    result = hub.run()

    assert [(o.row.name, o.row.failed) for o in result.outcomes] == [
        ("Хорошая", False),
        ("Пропавшая", True),
    ]
    [row] = problems(hub)
    assert row[:4] == [
        "Пропавшая",
        str(hub.root / "gone.xlsx"),
        f"файл не найден: {hub.root / 'gone.xlsx'}",
        "Проверьте путь в «Источниках» (или в настройках) и что файл на месте.",
    ]
    summary = read_tab(hub.summary, "Сводка по источникам")
    assert summary[1][:4] == ["Пропавшая", "Район", "не прочитан (см. «Проблемы»)", ""]
    assert summary[1][10] == "не было"
    assert read_tab(hub.summary, "Муниципалитеты")[1][:4] == ["Район", "2", "1", "8"]


def test_a_source_readable_last_time_and_not_now_is_flagged_new_once(hub):
    hub.run()
    (hub.root / "good.xlsx").unlink()
    hub.run()
    first = problems(hub)
    hub.run()
    later = problems(hub)

    assert first[0][2].startswith("файл не найден") and first[0][4] == "новая"
    assert first[0][5] == "08.09.2020 09:00"
    assert later[0][4] == ""
    # its last figures stay shown, with when it was last read
    summary = read_tab(hub.summary, "Сводка по источникам")[1]
    assert summary[2:7] == ["не прочитан (см. «Проблемы»)", "8", "3", "43%", "3"]
    assert summary[10] == "08.09.2020 09:00"


def test_a_broken_header_is_a_problem_with_the_cell_and_the_fix(hub):
    roadmap = [row[:] for row in ROADMAP]
    roadmap[2] = ["Номер строки", "Что делаем", "Когда", "Кто"]
    path = hub.root / "broken.xlsx"
    create_workbook(path, [("Дорожная карта", roadmap, 3)])
    hub.sources.append({"table": "broken.xlsx", "name": "Сломанная", "read_only": True})
    hub.run()

    [row] = problems(hub)
    assert row[0] == "Сломанная"
    assert row[2].startswith("«Дорожная карта», строка 1: не найдена строка заголовков")
    assert row[3].startswith("Вставьте в начало листа строку заголовков")
    assert row[4] == "новая"


def test_a_file_that_is_not_a_workbook_is_a_problem(hub):
    (hub.root / "bad.xlsx").write_bytes(b"not a zip")
    hub.sources.append({"table": "bad.xlsx", "name": "Не книга"})
    hub.run()

    [row] = problems(hub)
    assert row[2].startswith("файл не читается: ")
    assert row[3].startswith("Откройте файл в Excel или LibreOffice")


def test_a_source_another_run_holds_is_skipped_and_said_so(hub):
    settings = hub.settings()
    source = replace(settings, workbook=WorkbookSettings("xlsx", hub.root / "good.xlsx"))
    now = datetime(2020, 9, 8, 9, tzinfo=ZoneInfo("Europe/Moscow"))
    with instance_lock(source, "once", now):
        hub.run()

    [row] = problems(hub)
    assert row[2] == "таблицу сейчас обрабатывает другой запуск sheets_sync; хаб её пропустил"


def test_a_school_added_in_the_sources_tab_is_read_without_touching_the_settings(hub):
    hub.workbook("new.xlsx")
    hub.run()  # makes the summary with its «Источники» tab
    book = openpyxl.load_workbook(hub.summary)
    book["Источники"].append(["new.xlsx", "Новая школа", "Другой район", "да", "да"])
    book.save(hub.summary)
    result = hub.run()

    assert [o.row.name for o in result.outcomes] == ["Хорошая", "Новая школа"]
    new = result.outcomes[1].row.source
    assert (new.municipality, new.read_only, new.ref.cell) == ("Другой район", True, "A2")
    assert [r[0] for r in read_tab(hub.summary, "Муниципалитеты")[1:]] == [
        "Другой район",
        "Район",
        "Итого",
    ]


def test_the_sources_tab_wins_over_the_settings_and_its_empty_cells_take_theirs(hub):
    hub.sources[0]["read_only"] = True
    hub.run()
    book = openpyxl.load_workbook(hub.summary)
    book["Источники"].append([str(hub.root / "good.xlsx"), "Переименована", "", "", "нет"])
    book.save(hub.summary)
    result = hub.run()

    [outcome] = result.outcomes
    source = outcome.row.source
    assert (outcome.row.name, source.municipality, source.active, source.read_only) == (
        "Переименована",
        "Район",
        True,
        False,
    )


def test_mistakes_in_the_sources_tab_are_problems_with_their_cells(hub):
    hub.run()
    book = openpyxl.load_workbook(hub.summary)
    sheet = book["Источники"]
    sheet.append(["где-то там", "Без адреса"])
    sheet.append(["good.xlsx", "Повтор"])
    sheet.append(["good.xlsx", "Ещё раз", "", "может быть"])
    sheet.append(["summary.xlsx", "Сама сводка"])
    book.save(hub.summary)
    hub.run()

    rows = [r[:3] for r in problems(hub)]
    assert rows == [
        [
            "«Источники»",
            "«Источники», A2",
            "«где-то там» — не адрес таблицы Google и не файл .xlsx",
        ],
        ["«Источники»", "«Источники», A4", "эта таблица уже указана в A3"],
        [
            "«Источники»",
            "«Источники», A5",
            "это сама сводная таблица: её листы пишет хаб, источником она быть не может",
        ],
    ]


def test_a_source_that_recovers_and_fails_again_is_new_again_from_the_second_failure(hub):
    good = hub.root / "good.xlsx"
    kept = good.read_bytes()
    hub.run()
    good.unlink()
    hub.run(hour=10)
    good.write_bytes(kept)
    hub.run(hour=11)
    assert problems(hub) == [[ALL_READ]]
    good.unlink()
    hub.run(hour=12)

    [row] = problems(hub)
    assert row[4:6] == ["новая", "08.09.2020 12:00"]
