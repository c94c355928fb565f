"""Servers the tests run in threads of their own: a socketserver for the length of a ``with``
block, and an HTTP handler that logs nothing and sends whole replies."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler
from typing import Any, Self


class ThreadedServer:
    """``server`` served from a daemon thread inside a ``with`` block, then shut and closed."""

    def __init__(self, server: socketserver.TCPServer, *, poll: float = 0.5) -> None:
        self.server = server
        # A short poll makes shutdown quick where a test starts and stops many servers.
        self._thread = threading.Thread(target=server.serve_forever, args=(poll,), daemon=True)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.server.socket.getsockname()[1])

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test output clean and sends each reply whole."""

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Answer ``status`` with ``body``, its length given so the client knows where it ends."""
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass
