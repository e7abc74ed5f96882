"""A real SMTP server on loopback for the tests and the mail bench.

aiosmtpd on 127.0.0.1 with a certificate made at test time (`cryptography`): STARTTLS required
and AUTH (LOGIN, PLAIN) required over TLS, or implicit TLS from the first byte (port-465 style).
It keeps every message it accepted (envelope, bytes, parsed) and counts connections, and it can
be told to misbehave a given number of times: refuse a recipient (550/553), answer 421 or 451 to
MAIL, RCPT or DATA, or cut the connection once the DATA is in, before it replies.
"""

from __future__ import annotations

import asyncio
import email
import ipaddress
import socket
import ssl
import threading
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from functools import cached_property
from pathlib import Path
from typing import Any, Self

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sheets_sync.settings.types import Settings, SmtpSettings

USER = "sheets-sync@example.org"
PASSWORD = "Lo0pback-Pa55word-7d1e"
DROP = "__drop the connection__"  # a reply the server never sends: it cuts the line instead


@dataclass(frozen=True, slots=True)
class Certificates:
    """A self-signed certificate for 127.0.0.1 and localhost: the server's, and the CA to trust."""

    cert_file: Path
    key_file: Path

    @property
    def ca_file(self) -> Path:
        return self.cert_file


def make_certificates(folder: Path) -> Certificates:
    """Write a fresh self-signed certificate and its key into `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sheets_sync tests"),
        ]
    )
    now = datetime.now(UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        # It is its own authority (the client trusts it through `ca_file`); the extensions
        # below satisfy OpenSSL's strict checks, which newer Pythons turn on by default.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificates(cert_file, key_file)


@dataclass(frozen=True)
class Received:
    """A message the server accepted: its envelope, the bytes of its DATA, and the connection."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    connection: int
    tls: bool
    login: str

    @cached_property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass(slots=True)
class _Fault:
    command: str  # MAIL, RCPT or DATA
    reply: str  # an SMTP reply, or DROP
    times: int
    address: str | None = None  # for RCPT: only this recipient


@dataclass
class LoopbackSmtp:
    """An aiosmtpd server on 127.0.0.1: STARTTLS (or implicit TLS) and AUTH required."""

    certificates: Certificates
    implicit_tls: bool = False
    mechanisms: tuple[str, ...] = ("LOGIN", "PLAIN")
    user: str = USER
    password: str = PASSWORD
    port: int = 0
    messages: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (mechanism, user) that worked
    failed_logins: int = 0
    commands: Counter[str] = field(default_factory=Counter)  # MAIL/RCPT/DATA seen
    connections: int = 0  # connections that said EHLO or HELO
    _refused: dict[str, int] = field(default_factory=dict)
    _faults: list[_Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Controller | None = None

    # -- what a test tells it -----------------------------------------------------------------

    def refuse(self, address: str, code: int = 550) -> None:
        """Refuse RCPT TO `address` with `code` (550 or 553) every time, until `behave()`."""
        self._refused[address.lower()] = code

    def fail(self, command: str, code: int, *, times: int = 1, address: str | None = None) -> None:
        """Answer the next `times` `command`s (MAIL, RCPT, DATA; RCPT: to `address`) with
        `code`; after a 421 the server closes the connection, as real servers do."""
        text = {421: "4.3.2 Service shutting down, try again later", 451: "4.3.0 Try again later"}
        reply = f"{code} {text.get(code, '5.0.0 Refused')}"
        with self._lock:
            self._faults.append(_Fault(command.upper(), reply, times, address and address.lower()))

    def drop_during_data(self, *, times: int = 1) -> None:
        """Cut the next `times` connections once the message is in, before the reply to DATA."""
        with self._lock:
            self._faults.append(_Fault("DATA", DROP, times))

    def behave(self) -> None:
        """Forget every refusal and every fault still pending."""
        with self._lock:
            self._faults.clear()
            self._refused.clear()

    def smtp_settings(self, **changes: Any) -> SmtpSettings:
        """Return settings that reach this server and trust its certificate."""
        settings = SmtpSettings(
            host="127.0.0.1",
            port=self.port,
            security="ssl" if self.implicit_tls else "starttls",
            user=self.user,
            password=self.password,
            timeout_seconds=5.0,
            retries=3,
            ca_file=self.certificates.ca_file,
        )
        return replace(settings, **changes)

    def config(self, **changes: Any) -> dict[str, Any]:
        """Return the `[mail.smtp]` keys of settings.toml that reach this server (no login:
        the password only ever comes from the environment)."""
        smtp = self.smtp_settings()
        return {
            "host": smtp.host,
            "port": smtp.port,
            "security": smtp.security,
            "timeout_seconds": smtp.timeout_seconds,
            "retries": smtp.retries,
            "ca_file": str(smtp.ca_file),
            **changes,
        }

    def to(self, address: str) -> list[Received]:
        """Return the messages accepted for `address`."""
        return [m for m in self.messages if address in m.rcpt_tos]

    # -- running ------------------------------------------------------------------------------

    def start(self) -> Self:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificates.cert_file, self.certificates.key_file)
        for _attempt in range(5):  # another process may take the free port in between
            self.port = free_port()
            controller = _Controller(self, context)
            try:
                controller.start()
            except OSError:
                continue
            self._controller = controller
            return self
        raise RuntimeError("could not find a free port on 127.0.0.1 for the SMTP server")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- called from the server's thread ------------------------------------------------------

    def _count_command(self, command: str, address: str | None = None) -> str | None:
        """Count `command`; return the fault reply it gets, if one is pending."""
        with self._lock:
            self.commands[command] += 1
            for fault in self._faults:
                if fault.command != command or fault.times < 1:
                    continue
                if fault.address and fault.address != (address or "").lower():
                    continue
                fault.times -= 1
                return fault.reply
        return None

    def _authenticate(self, server: SMTP, mechanism: str, data: Any) -> AuthResult:
        encrypted = server.transport is not None and bool(
            server.transport.get_extra_info("ssl_object")
        )
        if (
            encrypted
            and isinstance(data, LoginPassword)
            and data.login == self.user.encode()
            and data.password == self.password.encode()
        ):
            with self._lock:
                self.logins.append((mechanism, data.login.decode()))
            return AuthResult(success=True, auth_data=data)
        with self._lock:
            self.failed_logins += 1
        return AuthResult(success=False, handled=False)


def logged_in(settings: Settings, user: str = USER, password: str = PASSWORD) -> Settings:
    """Return `settings` with the login the loopback server expects, as the environment gives it."""
    smtp = replace(settings.mail.smtp, user=user, password=password)
    return replace(settings, mail=replace(settings.mail, smtp=smtp))


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler:
    def __init__(self, owner: LoopbackSmtp) -> None:
        self.owner = owner

    async def handle_EHLO(
        self, server: _Smtp, session: Session, envelope: Envelope, hostname: str, responses: Any
    ) -> Any:
        session.host_name = hostname
        server.greeted()
        return responses

    async def handle_HELO(
        self, server: _Smtp, session: Session, envelope: Envelope, hostname: str
    ) -> str:
        session.host_name = hostname
        server.greeted()
        return f"250 {server.hostname}"

    async def handle_MAIL(
        self, server: _Smtp, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        fault = self.owner._count_command("MAIL")
        if fault:
            return fault
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: _Smtp, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        fault = self.owner._count_command("RCPT", address)
        if fault:
            return fault
        code = self.owner._refused.get(address.lower())
        if code:
            return f"{code} 5.1.1 <{address}>: Recipient address rejected: no such mailbox"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: _Smtp, session: Session, envelope: Envelope) -> str:
        fault = self.owner._count_command("DATA")
        if fault:
            return fault
        assert envelope.mail_from is not None and envelope.original_content is not None
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=envelope.original_content,
            connection=server.number,
            tls=server.transport is not None
            and bool(server.transport.get_extra_info("ssl_object")),
            login=session.auth_data.login.decode() if session.auth_data else "",
        )
        with self.owner._lock:
            self.owner.messages.append(received)
        return f"250 2.0.0 OK queued as {len(self.owner.messages)}"


class _Smtp(SMTP):
    """aiosmtpd's SMTP, numbering its connection and hanging up after a 421 or a DROP."""

    def __init__(self, owner: LoopbackSmtp, **kwargs: Any) -> None:
        with warnings.catch_warnings():
            # Implicit TLS: the whole connection is encrypted, so AUTH need not wait for
            # STARTTLS; aiosmtpd cannot tell and warns.
            warnings.simplefilter("ignore")
            super().__init__(_Handler(owner), **kwargs)
        self.owner = owner
        self.number = 0

    def greeted(self) -> None:
        if not self.number:
            with self.owner._lock:
                self.owner.connections += 1
                self.number = self.owner.connections

    async def push(self, status: Any) -> None:
        if status == DROP:
            assert isinstance(self.transport, asyncio.WriteTransport)
            self.transport.abort()
            return
        await super().push(status)
        if isinstance(status, str) and status.startswith("421") and self.transport is not None:
            self.transport.close()


class _Controller(Controller):
    def __init__(self, owner: LoopbackSmtp, context: ssl.SSLContext) -> None:
        implicit = owner.implicit_tls
        super().__init__(
            None,
            hostname="127.0.0.1",
            port=owner.port,
            ssl_context=context if implicit else None,
            server_hostname="mail.loopback.test",
            tls_context=None if implicit else context,
            require_starttls=not implicit,
            auth_required=True,
            auth_require_tls=not implicit,
            auth_exclude_mechanism=[m for m in ("LOGIN", "PLAIN") if m not in owner.mechanisms],
            authenticator=lambda server, session, envelope, mechanism, data: owner._authenticate(
                server, mechanism, data
            ),
            timeout=30,
        )
        self.owner = owner

    def factory(self) -> _Smtp:
        return _Smtp(self.owner, **self.SMTP_kwargs)


@pytest.fixture(scope="session")
def smtp_certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A self-signed certificate for 127.0.0.1, made once per test session."""
    return make_certificates(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def smtp_server(smtp_certificates: Certificates) -> Iterator[LoopbackSmtp]:
    """A loopback SMTP server: STARTTLS required, then AUTH (LOGIN, PLAIN) required."""
    with LoopbackSmtp(smtp_certificates) as server:
        yield server


@pytest.fixture
def smtps_server(smtp_certificates: Certificates) -> Iterator[LoopbackSmtp]:
    """A loopback SMTP server on implicit TLS (port-465 style), AUTH required."""
    with LoopbackSmtp(smtp_certificates, implicit_tls=True) as server:
        yield server
