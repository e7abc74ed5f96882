"""pytest fixtures for the loopback Sheets API: one server per session, fresh state per test.

Exposed to the suite through one import line in tests/conftest.py.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.sheets_api.emulator import Emulator

# Keys made by `service_account_info` this session; re-registered after every reset.
_SESSION_KEYS: list[dict[str, str]] = []


__all__ = ["no_egress", "service_account_info", "sheets_api", "sheets_api_server"]


@pytest.fixture(scope="session")
def sheets_api_server() -> Iterator[Emulator]:
    """The one emulator of the test session (not reset; most tests want ``sheets_api``)."""
    emu = Emulator().start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def sheets_api(sheets_api_server: Emulator) -> Iterator[Emulator]:
    """The session's emulator, reset to empty; fails the test if the emulator itself crashed."""
    emu = sheets_api_server
    emu.reset()
    for info in _SESSION_KEYS:
        emu.register_service_account(info)
    yield emu
    crashes = emu.internal_errors
    if crashes:
        pytest.fail("the Sheets API emulator crashed (answered 500):\n" + "\n".join(crashes))


@pytest.fixture(scope="session")
def service_account_info(sheets_api_server: Emulator) -> dict[str, str]:
    """A generated service-account key (sheets-sync@test-project...) whose token_uri is the
    emulator; it stays registered across the per-test resets."""
    info = sheets_api_server.service_account_info()
    _SESSION_KEYS.append(info)
    return info


def _is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    name = "" if host is None else str(host).strip("[]").lower()
    if name in ("", "localhost", "localhost.localdomain"):
        return True  # "" and None resolve a wildcard bind, not a remote host
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@pytest.fixture
def no_egress(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse, and fail the test on, any name lookup or connection beyond loopback.

    Yields the list of refused hosts; background threads (google-auth's allowedLocations
    lookup) cannot raise into the test, so the check also runs at teardown.
    """
    refused: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            refused.append(str(host))
            raise OSError(f"no_egress: refused DNS lookup of {host!r} (tests stay on 127.0.0.1)")
        return real_getaddrinfo(host, *args, **kwargs)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(address[0]):
            refused.append(str(address[0]))
            raise OSError(f"no_egress: refused connection to {address!r} (tests stay on 127.0.0.1)")
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    yield refused
    if refused:
        pytest.fail(f"the test tried to reach beyond loopback: {sorted(set(refused))}")
