"""A real IMAP server on loopback for the tests: pymap with its in-memory (dict) backend.

It runs in-process, on its own asyncio loop in a thread, listening on a port of 127.0.0.1 the
system picks; it takes one login (user and password) and speaks STARTTLS, implicit TLS from
the first byte (port-993 style) or plain IMAP, with a certificate made at test time
(`cryptography`, shared with the SMTP server). By default it keeps custom keywords such as
$SheetsSyncDone (PERMANENTFLAGS \\*), as Yandex, Gmail and Dovecot do; `keywords=False` makes
one that keeps only the system flags, as some servers do.

Tests put messages in with a real IMAP APPEND and read folders, flags and UIDVALIDITY back over
IMAP too (imap-tools), so what they see is what any mail client would.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from argparse import Namespace
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal, Self

import pytest
from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from proxyprotocol.noop import ProxyProtocolNoop
from proxyprotocol.reader import ProxyProtocolReader
from proxyprotocol.sock import SocketInfo
from pymap.backend.dict import Config, Identity, Login
from pymap.backend.dict.filter import FilterSet
from pymap.backend.dict.mailbox import MailboxData, MailboxSet
from pymap.concurrent import Subsystem
from pymap.imap import IMAPServer
from pymap.parsing.specials.flag import Flag, Wildcard
from pymap.user import Passwords, UserMetadata
from pysasl.hashing import BuiltinHash

from sheets_sync.inbox import InboxSettings
from tests.smtp_server import Certificates, make_certificates

USER = "replies@example.org"
PASSWORD = "Imap-Lo0pback-Pa55word-3c9a"
APPENDED = datetime(2020, 3, 2, 9, 30, tzinfo=UTC)  # the internal date of delivered messages

Security = Literal["starttls", "ssl", "none"]


class _Config(Config):
    @property
    def greeting(self) -> bytes:
        return b"Server ready imap.loopback.test"  # pymap would ask the resolver for our FQDN


class _KeywordMailbox(MailboxData):
    """A folder that keeps any keyword, like most servers (PERMANENTFLAGS includes \\*)."""

    @property
    def permanent_flags(self) -> frozenset[Flag]:
        return super().permanent_flags | {Wildcard}


class _KeywordMailboxSet(MailboxSet):
    """pymap's in-memory folders, each of them a `_KeywordMailbox`."""

    def __init__(self) -> None:
        super().__init__()
        self._inbox = _keeping_keywords(self._inbox)

    async def add_mailbox(self, name: str) -> Any:
        mailbox_id = await super().add_mailbox(name)
        _keeping_keywords(self._set[name])
        return mailbox_id

    async def rename_mailbox(self, before: str, after: str) -> None:
        await super().rename_mailbox(before, after)  # renaming INBOX makes a new, empty one
        self._inbox = _keeping_keywords(self._inbox)


def _keeping_keywords(mailbox: MailboxData) -> MailboxData:
    mailbox.__class__ = _KeywordMailbox
    return mailbox


@dataclass
class LoopbackImap:
    """pymap on 127.0.0.1: one user, STARTTLS / implicit TLS / plain, keywords kept or not."""

    certificates: Certificates
    security: Security = "starttls"
    keywords: bool = True
    user: str = USER
    password: str = PASSWORD
    port: int = 0
    connections: list[bool] = field(default_factory=list)  # per closed connection: was it TLS
    _loop: asyncio.AbstractEventLoop | None = None
    _stop: asyncio.Event | None = None
    _thread: threading.Thread | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _error: BaseException | None = None

    # -- running ------------------------------------------------------------------------------

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._run, name="loopback-imap", daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the loopback IMAP server did not start")
        if self._error is not None:
            raise RuntimeError(f"the loopback IMAP server failed: {self._error}")
        return self

    def stop(self) -> None:
        loop, stop, thread = self._loop, self._stop, self._thread
        if loop is not None and stop is not None and not loop.is_closed():
            with suppress(RuntimeError):  # the loop ended already
                loop.call_soon_threadsafe(stop.set)
        if thread is not None:
            thread.join(30)
            if thread.is_alive():
                raise RuntimeError("the loopback IMAP server did not stop")
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported to the test by start()
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="loopback-imap-cpu")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificates.cert_file, self.certificates.key_file)
        config = _Config(
            Namespace(passlib_cfg=None, proxy_protocol=None, inherited_sockets=None),
            host="127.0.0.1",
            port=0,
            demo_data=False,
            demo_user=self.user,
            demo_password=self.password,
            ssl_context=context,
            tls_enabled=self.security == "starttls",
            reject_dnsbl=False,
            invalid_user_sleep=0.0,
            hash_context=BuiltinHash(rounds=1000),  # the default 500000 rounds: 0.3 s a login
            cpu_subsystem=Subsystem.for_executor(executor),
            bad_command_limit=None,
        )
        config.apply_context()
        login = Login(config)
        hashed = await Passwords(config).hash_password(self.password)
        await Identity(self.user, login, None, frozenset()).set(
            UserMetadata(config, self.user, password=hashed)
        )
        folders = _KeywordMailboxSet() if self.keywords else MailboxSet()
        config.set_cache[self.user] = (folders, FilterSet())
        imap = IMAPServer(login, config)
        tasks: set[asyncio.Task[Any]] = set()

        async def connection(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, info: SocketInfo
        ) -> None:
            task = asyncio.current_task()
            assert task is not None
            tasks.add(task)
            try:
                await imap(reader, writer, info)
            finally:
                tasks.discard(task)
                self.connections.append(bool(writer.get_extra_info("ssl_object")))

        server = await asyncio.start_server(
            ProxyProtocolReader(ProxyProtocolNoop()).get_callback(connection),
            host="127.0.0.1",
            port=0,
            ssl=context if self.security == "ssl" else None,
        )
        self.port = int(server.sockets[0].getsockname()[1])
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            server.close()
            for task in list(tasks):
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await server.wait_closed()
            executor.shutdown(wait=True)

    # -- what a test uses ---------------------------------------------------------------------

    def settings(self, **changes: Any) -> InboxSettings:
        """Return settings that reach this server, log in, and trust its certificate."""
        settings = InboxSettings(
            host="127.0.0.1",
            port=self.port,
            security=self.security,
            user=self.user,
            password=self.password,
            timeout_seconds=10.0,
            ca_file=self.certificates.ca_file,
        )
        return replace(settings, **changes)

    @contextmanager
    def mailbox(self) -> Iterator[Any]:
        """A logged-in imap-tools client of our own, to look at the mailbox as a person would."""
        if self.security == "none":
            box: Any = MailBoxUnencrypted("127.0.0.1", self.port, timeout=10)
        else:
            context = ssl.create_default_context(cafile=str(self.certificates.ca_file))
            if self.security == "ssl":
                box = MailBox("127.0.0.1", self.port, timeout=10, ssl_context=context)
            else:
                box = MailBoxStartTls("127.0.0.1", self.port, timeout=10, ssl_context=context)
        box.login(self.user, self.password, initial_folder=None)
        try:
            yield box
        finally:
            box.logout()

    def deliver(self, raw: bytes, folder: str = "INBOX", flags: tuple[str, ...] = ()) -> None:
        """Put one RFC 5322 message into `folder` with IMAP APPEND, as a delivery agent would."""
        with self.mailbox() as box:
            box.append(raw, folder, dt=APPENDED, flag_set=list(flags) or None)

    def create_folder(self, name: str) -> None:
        with self.mailbox() as box:
            box.folder.create(name)

    def folders(self) -> list[str]:
        with self.mailbox() as box:
            return [f.name for f in box.folder.list()]

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.mailbox() as box:
            return int(box.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])

    def contents(self, folder: str = "INBOX") -> dict[int, tuple[str, frozenset[str]]]:
        """Return each message in `folder` by UID: its Message-ID and its flags."""
        with self.mailbox() as box:
            box.folder.set(folder, readonly=True)
            return {
                int(m.uid): (str(m.obj.get("Message-ID", "")).strip(), frozenset(m.flags))
                for m in box.fetch(mark_seen=False, headers_only=True)
            }

    def rebuild(self, folder: str) -> int:
        """Recreate `folder` with the same messages, as a server restored from a backup does:
        the messages come back under a new UIDVALIDITY, without their flags. Return it."""
        before = self.uidvalidity(folder)
        for attempt in range(1, 20):  # pymap's UIDVALIDITY has a random part: it may repeat
            with self.mailbox() as box:
                box.folder.set(folder, readonly=True)
                raws = [m.obj.as_bytes() for m in box.fetch(mark_seen=False)]
            with self.mailbox() as box:
                box.folder.rename(folder, f"{folder}-old-{attempt}")
                if folder.upper() != "INBOX":  # renaming INBOX leaves a new, empty INBOX
                    box.folder.create(folder)
                for raw in raws:
                    box.append(raw, folder, dt=APPENDED)
            after = self.uidvalidity(folder)
            if after != before:
                return after
        raise RuntimeError(f"the UIDVALIDITY of {folder} never changed")


@pytest.fixture(scope="session")
def imap_certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A self-signed certificate for 127.0.0.1, made once per test session."""
    return make_certificates(tmp_path_factory.mktemp("imap-tls"))


@pytest.fixture
def imap_server(imap_certificates: Certificates) -> Iterator[LoopbackImap]:
    """A loopback IMAP server with STARTTLS that keeps keywords; its folders start empty."""
    with LoopbackImap(imap_certificates) as server:
        yield server


@pytest.fixture
def imaps_server(imap_certificates: Certificates) -> Iterator[LoopbackImap]:
    """A loopback IMAP server on implicit TLS (port-993 style)."""
    with LoopbackImap(imap_certificates, security="ssl") as server:
        yield server


@pytest.fixture
def start_imap(imap_certificates: Certificates) -> Iterator[Callable[..., LoopbackImap]]:
    """Start more loopback servers with options (security, keywords); all stop afterwards."""
    servers: list[LoopbackImap] = []

    def start(**options: Any) -> LoopbackImap:
        server = LoopbackImap(imap_certificates, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
