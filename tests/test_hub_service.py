"""The hub as a command and as the service runs it: `python run.py hub`, its lock, and `serve`'s
loop on an injected clock running hub cycles (a send a day, refreshes that cost nothing when
nothing changed)."""

from __future__ import annotations

import threading
from datetime import date

from sheets_sync import cli
from sheets_sync.hub import hub_view
from sheets_sync.hub.runner import HubRunner
from sheets_sync.service.loop import Service
from sheets_sync.service.slots import sending_days
from sheets_sync.service.status import StatusFile
from tests.conftest import read_tab
from tests.hub_project import Hub
from tests.service_data import FakeClock, at


def small_hub(tmp_path):
    hub = Hub(tmp_path)
    hub.workbook("a.xlsx")
    hub.sources = [{"table": "a.xlsx", "name": "СОШ № 4", "municipality": "Район"}]
    return hub


def test_hub_runs_one_cycle_from_the_command_line(tmp_path, capsys):
    hub = small_hub(tmp_path)
    config = hub.settings().source

    assert cli.main(["hub", "--config", str(config), "--today", "2020-09-08"]) == 0
    out = capsys.readouterr().out
    assert "sources: 1: 1 read, 0 unchanged, 0 not read" in out
    assert "emails sent by the sources' cycles: 3" in out
    summary = read_tab(hub.summary, "Сводка по источникам")
    assert summary[1][0] == "СОШ № 4"
    assert "на дату 08.09.2020" in " ".join(str(c) for r in summary for c in r)  # --today
    assert cli.main(["hub", "--config", str(config), "--today", "2020-09-08", "--refresh"]) == 0
    assert "1 unchanged" in capsys.readouterr().out


def test_hub_without_a_hub_section_says_how_to_add_one(project, capsys):
    project.settings()

    assert cli.main(["hub", "--config", str(project.root / "config" / "settings.toml")]) == 1
    assert "no hub in the settings" in capsys.readouterr().err


def test_serve_with_a_hub_runs_hub_cycles_on_schedule(tmp_path):
    hub = small_hub(tmp_path)
    settings = hub_view(hub.settings())
    stop = threading.Event()
    clock = FakeClock(at("2020-09-08", "08:00"), at("2020-09-09", "10:30"), stop)
    Service(
        settings=settings.service,
        sends_on=sending_days(settings),
        cycle=HubRunner(settings, clock=hub.pace, stop=stop),
        status=StatusFile(settings.state_dir / "service.json"),
        clock=clock,
        stop=stop,
    ).run()

    status = StatusFile(settings.state_dir / "service.json").load()
    assert status.last_send_day == date(2020, 9, 9) and status.failures == 0
    journal = read_tab(tmp_path / "a.xlsx", "Журнал рассылки")
    assert len(journal) > 1 and len({r[-2] for r in journal[1:]}) == len(journal) - 1
    summary = read_tab(hub.summary, "Сводка по источникам")
    assert summary[1][10] == "09.09.2020 09:00"  # the source's last read: today's send
    assert ["", "Служба рассылки"] in summary  # the service's health, under the table
