"""Messages a second through one SMTP connection to the loopback server.

    python bench/mail.py [--messages 1000]

Starts the tests' SMTP server on 127.0.0.1 (aiosmtpd: STARTTLS and AUTH required, a certificate
made now), renders N Russian digests with the real templates (`mail.render`, `build_message`),
sends them all through ONE `SmtpDelivery` session (yagmail), checks the server accepted every
one, and prints messages per second and the number of connections. Needs the test extras:
pip install -e '.[test]'.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sheets_sync.deadlines import Deadline
from sheets_sync.inputs.cells import SourceRef
from sheets_sync.inputs.records import RoadmapItem
from sheets_sync.mail.message import build_message
from sheets_sync.mail.render import Email, MailContext, render, template_env
from sheets_sync.mail.smtp import SmtpDelivery
from sheets_sync.obligations import Obligation, Party, State
from sheets_sync.reminders import Digest, Reminder
from sheets_sync.stages import Stage
from tests.smtp_server import LoopbackSmtp, make_certificates

TODAY = date(2025, 11, 12)
NOW = datetime(2025, 11, 12, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
SENDER = "Координатор РИБЦ <coordinator@example.org>"
TITLES = [
    "Отчёт о работе интернет-страницы школьного информационно-библиотечного центра",
    "План работы ШИБЦ на учебный год",
    "Мониторинг обеспеченности учебниками",
    "Участие в региональном конкурсе «Лучшая школьная библиотека»",
    "Анализ читательской активности обучающихся",
    "Отчёт о проведении Недели детской книги",
]


def digests(count: int) -> list[Digest]:
    """Return `count` digests, one per school, each with one to three reminders."""
    rng = random.Random(1)
    out = []
    for n in range(1, count + 1):
        party = Party("school", f"{n:04d}", f"МОУ «Средняя школа № {n}»", (f"s{n}@example.org",))
        reminders = []
        for k in range(rng.randint(1, 3)):
            due = date(2025, rng.choice([10, 11]), rng.randint(1, 28))
            ref = SourceRef("Дорожная карта", 5 + k)
            item = RoadmapItem(
                f"VII.{k + 1}",
                str(k + 1),
                "VII",
                rng.choice(TITLES),
                Deadline("", "dates", (due,)),
                "ШИБЦ ОО",
                (),
                True,
                ref,
                ref.at(3),
            )
            left = (due - TODAY).days
            ob = Obligation(
                item,
                due,
                party,
                State.OVERDUE if left < 0 else State.DUE_SOON,
                days_late=max(-left, 0),
                days_left=max(left, 0),
            )
            stage = "overdue" if left < 0 else "before-7"
            reminders.append(Reminder(party.recipient, ob, Stage.parse(stage)))
        out.append(Digest(party.recipient, "reminder", party.name, party.emails, tuple(reminders)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000, help="how many digests to send")
    args = parser.parse_args()
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # the server's own chatter

    started = time.perf_counter()
    env = template_env()
    ctx = MailContext(
        plan_title="План мероприятий на 2025 год",
        today=TODAY,
        workbook_id="bench",
        spreadsheet_url="https://docs.example/sheet",
        contact="coordinator@example.org",
    )
    letters: list[tuple[Email, bytes]] = []
    for digest in digests(args.messages):
        email = render(digest, ctx, env, SENDER)
        letters.append((email, build_message(email, SENDER, "", NOW)))
    rendered = time.perf_counter() - started
    size = sum(len(raw) for _, raw in letters) / len(letters)

    with (
        tempfile.TemporaryDirectory() as folder,
        LoopbackSmtp(make_certificates(Path(folder))) as server,
    ):
        delivery = SmtpDelivery(server.smtp_settings(), SENDER, sleep=lambda s: None)
        started = time.perf_counter()
        with delivery.session() as send:
            for email, raw in letters:
                send(email, raw)
        elapsed = time.perf_counter() - started
        received, connections = len(server.messages), server.connections
        addresses = {a for m in server.messages for a in m.rcpt_tos}

    print(
        f"rendered {len(letters)} digests in {rendered:.2f} s "
        f"({len(letters) / rendered:.0f}/s, {size / 1024:.1f} KiB each)"
    )
    print(
        f"sent {received} messages in {elapsed:.2f} s over {connections} connection(s) "
        f"(STARTTLS + AUTH, loopback): {received / elapsed:.0f} messages/s"
    )
    if received != len(letters) or len(addresses) != len(letters) or connections != 1:
        print(
            f"FAILED: the server accepted {received} of {len(letters)} messages for "
            f"{len(addresses)} addresses over {connections} connections",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
