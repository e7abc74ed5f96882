"""How fast a cycle reads the reply mailbox: messages a second through one IMAP connection.

    python bench/inbox.py [--messages 500]

Starts the tests' IMAP server on 127.0.0.1 (pymap, in-memory, STARTTLS, a certificate made
now), puts N messages in with IMAP APPEND (replies with a 100 KB attachment, auto-replies,
Postfix DSNs, in turn), then times the steps a cycle takes: `receive` (fetch, parse, save
attachments, record in SQLite), marking them written, and `flag_written` (one STORE), and
the parser alone. The server runs in this process, so its work is in the figures too. Checks every message was recorded once. Needs the test extras:
pip install -e '.[test]'.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sheets_sync.inbox import InboxClient, InboxStore, flag_written, parse_message, receive
from tests import inbox_messages as m
from tests.imap_server import LoopbackImap
from tests.smtp_server import make_certificates

NOW = datetime(2020, 3, 2, 10, 0, tzinfo=UTC)
ATTACHMENT = b"%PDF-1.4\n" + bytes(range(256)) * 400  # about 100 KB


def messages(count: int) -> list[bytes]:
    out = []
    for n in range(count):
        kind = n % 3
        if kind == 0:
            out.append(
                m.reply(
                    message_id=f"<r{n}@mail.example.org>",
                    sender=f"Школа № {n} <s{n}@example.org>",
                    attachments=((f"Отчёт {n}.pdf", "application/pdf", ATTACHMENT),),
                )
            )
        elif kind == 1:
            out.append(m.auto_reply().replace(b"<auto-1@", f"<auto-{n}@".encode()))
        else:
            out.append(m.postfix_dsn(f"s{n}@example.org").replace(b"5B1C91C0A4", str(n).encode()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    raws = messages(args.messages)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with LoopbackImap(make_certificates(folder / "tls")) as server:
            started = time.perf_counter()
            with server.mailbox() as box:
                for raw in raws:
                    box.append(raw, "INBOX")
            appended = time.perf_counter() - started
            settings = server.settings(attachments_dir=folder / "inbox")
            db = sqlite3.connect(folder / "state.sqlite3", isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # as sheets_sync/state.py opens it
            store = InboxStore(db)

            started = time.perf_counter()
            with InboxClient(settings) as client:
                received = receive(client, store, settings, now=NOW, limit=len(raws))
            receiving = time.perf_counter() - started

            # Memory apart (tracemalloc slows everything): the same work on a fresh state.
            again = InboxStore(sqlite3.connect(folder / "again.sqlite3", isolation_level=None))
            tracemalloc.start()
            with InboxClient(settings) as client:
                receive(client, again, settings, now=NOW, limit=len(raws))
            peak = tracemalloc.get_traced_memory()[1]  # both threads: client and server
            tracemalloc.stop()

            started = time.perf_counter()
            rows = store.unwritten()
            store.mark_written([(r.mailbox, r.uidvalidity, r.uid) for r in rows], NOW)
            writing = time.perf_counter() - started

            started = time.perf_counter()
            with InboxClient(settings) as client:
                flagged = flag_written(client, store, settings, now=NOW)
            flagging = time.perf_counter() - started

    started = time.perf_counter()
    for uid, raw in enumerate(raws, start=1):
        parse_message(uid, raw)
    parsing = time.perf_counter() - started

    n = len(raws)
    assert len(received.records) == n == len(rows) == flagged, (len(received.records), n)
    size = sum(len(r) for r in raws) / 1024 / 1024
    print(f"messages: {n} ({size:.1f} MB, a third with a 100 KB attachment)")
    print(f"APPEND (test setup):        {appended:6.2f} s")
    print(f"receive (fetch+parse+save): {receiving:6.2f} s  {n / receiving:7.0f} messages/s")
    print(f"  peak Python memory:       {peak / 1024 / 1024:6.1f} MB (client and server)")
    print(f"unwritten + mark_written:   {writing:6.3f} s")
    print(f"flag_written (one STORE):   {flagging:6.3f} s")
    print(f"parse_message alone:        {parsing:6.2f} s  {n / parsing:7.0f} messages/s")


if __name__ == "__main__":
    main()
