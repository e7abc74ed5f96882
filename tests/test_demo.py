"""The demo as the foundation issue accepts it: the regional workbook built from the seed."""

from __future__ import annotations

import shutil

import pytest

from sheets_sync import cli
from sheets_sync.demo.build import DATA as SEEDS
from sheets_sync.documents.tab_separated import read_tab_separated
from tests.conftest import ROOT_CONFIG, read_tab


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT_CONFIG, folder / "config")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        assert cli.main(["demo"]) == 0
    return folder


def test_deadlines_tab_reads_every_seed_line_as_the_issue_says(region):
    rows = read_tab(region / "demo" / "region-2020.xlsx", "Сроки")
    reading = {r[3]: r[4] for r in rows[1:]}
    seed = read_tab_separated((SEEDS / "regional-roadmap-2020.txt").read_text(encoding="utf-8"))
    deadline, owners = (
        seed.header.index("Сроки реализации"),
        seed.header.index("Ответственные исполнители"),
    )
    lines = [r for r in seed.rows if len(r) > 1 and r[0] and (r[deadline] or r[owners])]
    assert [r[1] for r in rows[1:]] == [r[0] for r in lines]  # every numbered line, in order
    assert reading["До 01.03.2020; До 01.06.2020; До 01.09.2020; До 01.12.2020."] == (
        "4 срока: 01.03.2020, 01.06.2020, 01.09.2020, 01.12.2020"
    )
    assert reading["ноябрь – декабрь"] == "срок: 31.12.2020"
    assert reading["По плану РУМО"] == "по запросу — без срока"
    assert reading[
        "До 09.05.2020 и с 01.06. - 31.12.2020 План мероприятий представить до 01.03.2020"
    ] == ("3 срока: 01.03.2020, 09.05.2020, 31.12.2020")


def test_summary_shows_the_thirty_schools_and_the_sections(region):
    summary = read_tab(region / "demo" / "region-2020.xlsx", "Сводка")
    every = summary.index(["", "Все школы"])
    schools = [r for r in summary[every:] if r and r[0].startswith("ОО-")]
    assert [r[0] for r in schools] == [f"ОО-{n:02d}" for n in range(1, 31)]
    assert ["VII", "МЕРОПРИЯТИЯ В РАМКАХ ЕДИНОЙ СИСТЕМЫ ИБЦ СМОЛЕНСКОЙ ОБЛАСТИ"] in [
        r[:2] for r in summary
    ]


def test_overdue_lists_days_late_and_the_outbox_holds_one_russian_digest_per_recipient(region):
    overdue = read_tab(region / "demo" / "region-2020.xlsx", "Просрочено")
    assert overdue[0][5] == "Дней просрочки" and int(overdue[1][5]) > int(overdue[-1][5]) > 0
    journal = read_tab(region / "demo" / "region-2020.xlsx", "Журнал рассылки")
    outbox = list((region / "demo" / "outbox").glob("*.eml"))
    school_journal = read_tab(region / "demo" / "school-sosh4.xlsx", "Журнал рассылки")
    recipients = [r[1] for r in journal[1:]]
    assert len(recipients) == len(set(recipients)) == len(outbox) - (len(school_journal) - 1)
    assert all(r[5] == "отправлено" for r in journal[1:])
