"""[hub] in the settings file: the summary workbook, the sources, the tabs and the pacing; a
hub-only file; and every mistake named with its key and the fix."""

from __future__ import annotations

import json

import pytest

from sheets_sync.errors import ConfigError
from sheets_sync.settings.hub import HubSource, table_kind
from sheets_sync.settings.load import load_settings

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


def write(tmp_path, text):
    path = tmp_path / "config" / "settings.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    return list(info.value.problems)


@pytest.fixture
def google_env(service_account_info):
    return {"SHEETS_SYNC_GOOGLE_CREDENTIALS": json.dumps(service_account_info)}


def test_a_hub_section_names_its_summary_and_its_sources(tmp_path, google_env):
    path = write(
        tmp_path,
        f"""
[workbook]
path = "region.xlsx"
[hub]
path = "summary.xlsx"
reads_per_minute = 30
[[hub.sources]]
table = "https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
name = "МОУ «СОШ №4»"
municipality = "Кардымовский район"
[[hub.sources]]
table = "schools/12.xlsx"
read_only = true
active = false
""",
    )
    settings = load_settings(path, env=google_env)

    hub = settings.hub
    assert hub is not None
    assert (hub.workbook.backend, hub.workbook.path) == ("xlsx", tmp_path / "summary.xlsx")
    assert hub.sources == (
        HubSource(
            f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
            "МОУ «СОШ №4»",
            "Кардымовский район",
        ),
        HubSource(str(tmp_path / "schools/12.xlsx"), active=False, read_only=True),
    )
    assert (hub.reads_per_minute, hub.writes_per_minute, hub.burst) == (30, 45, 10)
    assert hub.tabs.generated == (
        "Сводка по источникам",
        "Просрочено (все)",
        "Муниципалитеты",
        "Проблемы",
    )
    assert settings.workbook.path == tmp_path / "region.xlsx"


def test_a_hub_only_file_needs_no_workbook_and_the_summary_stands_for_it(tmp_path, google_env):
    path = write(tmp_path, f'[hub]\nspreadsheet = "{KEY}"\n')
    settings = load_settings(path, env=google_env)

    assert settings.hub is not None
    assert settings.workbook == settings.hub.workbook
    assert (settings.workbook.backend, settings.workbook.spreadsheet) == ("google", KEY)


def test_a_hub_section_without_a_summary_is_no_hub(tmp_path):
    path = write(
        tmp_path,
        '[workbook]\npath = "a.xlsx"\n[hub]\nburst = 5\n[hub.tabs]\nsources = "Школы района"\n',
    )

    assert load_settings(path, env={}).hub is None


def test_a_google_summary_or_source_needs_the_google_credentials(tmp_path):
    path = write(tmp_path, f'[hub]\npath = "s.xlsx"\n[[hub.sources]]\ntable = "{KEY}"\n')

    assert any("credentials" in p for p in problems(path))


def test_every_mistake_in_the_hub_section_is_named_with_its_fix(tmp_path):
    path = write(
        tmp_path,
        """
[hub]
backend = "sheets"
burst = 0
due_within_days = -1
[hub.tabs]
summary = "Проблемы"
[[hub.sources]]
table = "где-то"
[[hub.sources]]
table = "a.xlsx"
nmae = "опечатка"
[[hub.sources]]
table = "b.xlsx"
active = "да"
""",
    )
    found = problems(path)

    assert found == [
        (
            '`hub.sources` #1: `table` = "где-то" is neither a Google Sheets URL or key nor an .xlsx '
            "path: paste the spreadsheet's address, or name the .xlsx file"
        ),
        (
            "`hub.sources` #2: unknown key `nmae`; a source takes table, name, municipality, "
            "active, read_only"
        ),
        "`hub.sources` #3: `active` must be true or false",
        '`hub.tabs.problems` and `hub.tabs.summary` are both "Проблемы": every tab needs its own name',
        "`hub.burst` must be 1 or more",
        "`hub.due_within_days` must be 0 or more days",
        '`hub.backend` = "sheets": write "google" (a Google spreadsheet) or "xlsx"',
        (
            '`hub.path` = "" is not an .xlsx file: name the summary workbook, e.g. path = '
            '"data/region-summary.xlsx" (or give `hub.spreadsheet`)'
        ),
    ]


def test_the_region_escalates_later_when_a_municipality_has_a_coordinator(tmp_path):
    path = write(
        tmp_path,
        '[workbook]\npath = "a.xlsx"\n[reminders]\nescalate_region_after_days = -2\n',
    )

    assert problems(path) == ["`reminders.escalate_region_after_days` must be 0 (off) or more days"]
    path.write_text('[workbook]\npath = "a.xlsx"\n', encoding="utf-8")
    assert load_settings(path, env={}).reminders.escalate_region_after_days == 7


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0", ("google", KEY)),
        (KEY, ("google", KEY)),
        ("data/Школа 4.XLSX", ("xlsx", "data/Школа 4.XLSX")),
        ("школа.ods", ("", "школа.ods")),
    ],
)
def test_a_source_is_a_google_spreadsheet_or_an_xlsx_file(text, kind):
    assert table_kind(text) == kind


def test_the_summary_cannot_be_the_roadmap_workbook_itself(tmp_path):
    path = write(tmp_path, '[workbook]\npath = "region.xlsx"\n[hub]\npath = "region.xlsx"\n')

    assert problems(path) == [
        (
            "`hub` names the `workbook` roadmap as its summary: give the hub a workbook of its own "
            "(list the roadmap among `hub.sources` to include it)"
        )
    ]
