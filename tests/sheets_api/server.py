"""The socket layer: a stdlib ThreadingHTTPServer speaking HTTP/1.1 with keep-alive."""

from __future__ import annotations

import contextlib
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.sheets_api import control, drive_routes, google_routes, routing
from tests.sheets_api.app import App, Request, Response, fault_response

CONTROL_PREFIX = "/_emulator/"
# The route modules register their handlers on import.
_ROUTE_MODULES = (drive_routes, google_routes)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""
    server: EmulatorServer

    def setup(self) -> None:
        super().setup()
        # Without TCP_NODELAY, headers and body leave as two small segments and the client's
        # delayed ACK stalls every keep-alive request by ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: test output should show failures, not one line per request."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        raw_path, _, query = self.path.partition("?")
        headers = {key.lower(): value for key, value in self.headers.items()}
        request = Request(self.command, raw_path, query, headers, body)
        app = self.server.app
        if raw_path.startswith(CONTROL_PREFIX):
            self._send(control.handle(self.server.owner, request))
            return
        _, _, name = routing.match(request)
        fault = app.begin(request, name)
        principal = None
        applied = fault is not None and fault.applied
        if fault is not None and fault.delay and not applied:
            # Outside the lock: a slow answer must not stall other clients.
            time.sleep(fault.delay)
        if fault is not None and fault.replaces_response and not applied:
            response = fault_response(fault, request)
        else:
            response, principal = routing.dispatch(app, request)
            if fault is not None and applied:  # done, then the answer is lost or late
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.replaces_response:
                    response = fault_response(fault, request)
        app.finish(request, name, response, principal)
        self._send(response)

    def _send(self, response: Response) -> None:
        if response.drop:
            # Abort without a byte of response: the client sees a dropped connection.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self.send_response(response.status)
            for key, value in response.headers.items():
                self.send_header(key, value)
            if response.status != 204:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if response.status != 204:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. its timeout fired during an injected delay).
            self.close_connection = True


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App, owner: Any) -> None:
        super().__init__(address, _Handler)
        self.app = app
        # The Emulator facade, for the /_emulator/ control routes.
        self.owner = owner
