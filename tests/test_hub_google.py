"""The hub over Google spreadsheets, on the loopback emulator: what a cycle costs in requests
when nothing changed and when one source did, the hub's own writes told from staff's, sources
that fail (not shared, deleted, no roadmap tab), the Drive listing paged, the roll-up by
municipality cell by cell, and requests paced under the per-minute quota."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.hub.runner import HubRunner
from tests.hub_project import Hub, key_file
from tests.sample_workbook import staff

API = ("/v4/", "/drive/")


def api_calls(emulator):
    """Return the Sheets and Drive requests the emulator saw, by route (no token calls)."""
    return Counter(
        e["route"] for e in emulator.requests() if e["route"].split(" ", 1)[1].startswith(API)
    )


class GoogleHub:
    def __init__(self, tmp_path, emulator, info):
        self.emulator = emulator
        self.account = info["client_email"]
        self.summary = self.spreadsheet("Сводка района", {"Лист1": []})
        self.hub = Hub(tmp_path, hub={"spreadsheet": self.summary})
        self.hub.extra = {
            "google": {
                "credentials": str(key_file(tmp_path, info)),
                "api_endpoint": emulator.base_url,
                "timeout_seconds": 5,
                "retry_seconds": 60,
            }
        }

    def spreadsheet(self, title, tabs, shared=True):
        return self.emulator.create_spreadsheet(
            title, tabs, shared_with=[self.account] if shared else [], locale="ru_RU"
        )

    def source(self, name, municipality="", **extra):
        key = self.spreadsheet(name, extra.pop("tabs", None) or staff())
        self.hub.sources.append({"table": key, "name": name, "municipality": municipality, **extra})
        return key

    def run(self, **kwargs):
        self.emulator.reset_stats()
        result = self.hub.run(**kwargs)
        return result, api_calls(self.emulator)

    def tab(self, name):
        return self.emulator.values(self.summary, name)


@pytest.fixture
def google_hub(tmp_path, sheets_api, service_account_info):
    return GoogleHub(tmp_path, sheets_api, service_account_info)


STEADY = {
    "GET /v4/spreadsheets/{id}": 1,  # the summary's «Источники»
    "GET /drive/v3/files": 1,  # when every source last changed
    "POST /v4/spreadsheets/{id}:batchUpdate": 1,  # the hub's four tabs
}


def test_a_cycle_where_nothing_changed_costs_three_requests(google_hub):
    for n in range(5):
        google_hub.source(f"Школа {n}", "Район")
    google_hub.run()
    result, calls = google_hub.run()

    assert calls == STEADY
    assert result.requests == 3
    assert {o.row.status for o in result.outcomes} == {"без изменений"}


def test_a_changed_source_costs_a_read_and_a_write_and_the_hubs_own_write_is_no_change(
    google_hub,
):
    keys = [google_hub.source(f"Школа {n}", "Район") for n in range(3)]
    google_hub.run()
    google_hub.emulator.advance_clock(60)
    google_hub.emulator.edit(keys[1], "Сдача отчётов", [["сдано"]], row=3, column=3)
    changed, calls = google_hub.run(send=False)
    _after, again = google_hub.run(send=False)

    assert calls == {
        "GET /v4/spreadsheets/{id}": 2,
        "GET /drive/v3/files": 1,
        "POST /v4/spreadsheets/{id}:batchUpdate": 2,
    }
    assert [o.row.status for o in changed.outcomes] == [
        "без изменений",
        "прочитан, листы обновлены",
        "без изменений",
    ]
    assert again == STEADY
    assert google_hub.emulator.values(keys[1], "Сводка")  # its own tabs were rewritten
    done = {r[0]: r[4] for r in google_hub.tab("Сводка по источникам")[1:4]}
    assert done == {"Школа 0": "3", "Школа 1": "4", "Школа 2": "3"}


def test_a_source_only_read_costs_one_read_and_is_never_written(google_hub):
    key = google_hub.source("Школа", read_only=True)
    _, first = google_hub.run()
    google_hub.emulator.advance_clock(60)
    google_hub.emulator.edit(key, "Сдача отчётов", [["сдано"]], row=3, column=3)
    _, changed = google_hub.run()

    assert google_hub.emulator.sheet_titles(key) == [
        "Дорожная карта",
        "Школы",
        "Ответственные",
        "Сдача отчётов",
    ]
    # the first cycle also lists the new summary's tabs and reads it again
    assert first["GET /v4/spreadsheets/{id}"] == 3 + 1
    assert changed == {**STEADY, "GET /v4/spreadsheets/{id}": 2}


def test_sources_not_shared_deleted_or_without_a_roadmap_are_problems_and_the_rest_go_on(
    google_hub,
):
    hidden = google_hub.source("Закрытая")
    deleted = google_hub.source("Удалённая")
    google_hub.source("Без плана", tabs={"Лист1": [["заметки"]]})
    google_hub.source("Хорошая")
    google_hub.run()
    google_hub.emulator.unshare(hidden, google_hub.account)
    google_hub.emulator.delete(deleted)
    result, _ = google_hub.run()

    problems = {r[0]: r[2:5] for r in google_hub.tab("Проблемы")[1:]}
    assert problems == {
        "Закрытая": [
            "нет доступа к таблице: она не открыта служебному аккаунту",
            (
                f"Откройте таблицу, нажмите «Настройки доступа» и добавьте {google_hub.account} как "
                "редактора."
            ),
            "новая",
        ],
        "Удалённая": [
            "таблица не найдена: её удалили или в ссылке ошибка",
            "Восстановите таблицу из корзины Google Диска или исправьте ссылку в «Источниках».",
            "новая",
        ],
        "Без плана": [
            "в таблице нет листа «Дорожная карта»",
            (
                "Добавьте лист «Дорожная карта» (или переименуйте лист с планом), либо назовите его в "
                "настройках tabs.roadmap."
            ),
            "",  # never read, so not new
        ],
    }
    statuses = {o.row.name: (o.row.failed, o.row.status) for o in result.outcomes}
    assert statuses["Хорошая"] == (False, "без изменений")
    assert statuses["Закрытая"][0] and statuses["Удалённая"][0]


def test_the_municipalities_add_up_cell_by_cell(google_hub):
    google_hub.source("СОШ № 4", "Кардымовский район")
    google_hub.source("СОШ № 1", "Кардымовский район")
    google_hub.source("Гимназия", "г. Смоленск")
    google_hub.source("Лицей")
    google_hub.run()

    assert google_hub.tab("Муниципалитеты") == [
        [
            "Муниципалитет",
            "Источников",
            "Не прочитано",
            "Обязательств со сроком",
            "Выполнено",
            "Выполнено, %",
            "Просрочено",
            "Макс. просрочка, дней",
            "Срок в ближайшие 14 дней",
            "Проблем в данных",
        ],
        ["г. Смоленск", "1", "0", "8", "3", "43%", "3", "191", "1", "0"],
        ["Кардымовский район", "2", "0", "16", "6", "43%", "6", "191", "2", "0"],
        ["(не указан)", "1", "0", "8", "3", "43%", "3", "191", "1", "0"],
        ["Итого", "4", "0", "32", "12", "43%", "12", "191", "4", "0"],
    ]
    assert len(google_hub.tab("Просрочено (все)")) == 1 + 12


def test_the_drive_listing_is_paged_and_each_page_paced(google_hub):
    for n in range(5):
        google_hub.source(f"Школа {n}")
    google_hub.run()
    google_hub.emulator.set_drive_page_limit(2)  # 6 spreadsheets: the summary and 5 sources
    result, calls = google_hub.run()

    assert calls["GET /drive/v3/files"] == 3
    tokens = [
        e["params"].get("pageToken")
        for e in google_hub.emulator.requests()
        if e["route"] == "GET /drive/v3/files"
    ]
    assert tokens == [None, ["2"], ["4"]]
    assert {o.row.status for o in result.outcomes} == {"без изменений"}


@pytest.fixture
def paced_emulator(google_hub):
    """The emulator's clock is the hub's pacing clock (its quota windows move with the waits)."""
    emulator, pace = google_hub.emulator, google_hub.hub.pace
    emulator.set_clock(lambda: 1_600_000_000.0 + pace.now)
    yield emulator
    emulator.set_clock(time.time)  # the session's emulator goes on with the real clock


def test_requests_are_paced_under_the_quota_on_an_injected_clock(google_hub, paced_emulator):
    paced_emulator.set_quota(read_per_user=5, write_per_user=5)
    google_hub.hub.hub.update(reads_per_minute=3, writes_per_minute=3, burst=2)
    keys = [google_hub.source(f"Школа {n}") for n in range(6)]
    runner = HubRunner(google_hub.hub.settings(), clock=google_hub.hub.pace)
    now = datetime(2020, 9, 8, 9, tzinfo=ZoneInfo("Europe/Moscow"))
    first = runner.run(now, True)
    refused = Counter(e["status"] for e in paced_emulator.requests())[429]
    google_hub.hub.pace.now += 1  # a second later: every source changed, the next cycle at once
    for key in keys:
        paced_emulator.edit(key, "Сдача отчётов", [["сдано"]], row=3, column=3)
    paced_emulator.reset_stats()
    second = runner.run(now, True)

    assert refused == 0 and Counter(e["status"] for e in paced_emulator.requests())[429] == 0
    assert first.failed == second.failed == 0
    assert api_calls(paced_emulator) == {
        "GET /v4/spreadsheets/{id}": 1 + 6,
        "GET /drive/v3/files": 1,
        "POST /v4/spreadsheets/{id}:batchUpdate": 6 + 1,
    }
    assert first.waited > 60 and second.waited > 60  # 3 a minute after a burst of 2
