"""Local HTTP and TLS servers for the renewal checks, with certificates made by a test CA.

:class:`WebServer` answers every request the way its ``behaviour`` says
(see :data:`BEHAVIOURS`), on one or more loopback addresses sharing one
port, optionally over TLS.  It counts the connections it accepts, so a
test can prove that a refused target got none.  :class:`LocalCA`
issues certificates that expire when a test needs them to.
"""

from __future__ import annotations

import socket
import ssl
import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

from tests.support.bind import free_port
from tests.support.threadedservers import QuietHandler, ThreadedServer
from webdig.settings import Settings

BEHAVIOURS = {
    "404": "404 Not Found for every path, as a healthy site answers a random challenge token",
    "200": "200 OK for every path",
    "redirect": "301 to the same path on http://elsewhere.example (site forwarding)",
    "https": "301 to the same path over https on the same host and https_port",
    "loop": "302 to the very same URL, forever",
    "ftp": "301 to an ftp:// URL",
    "rawpath": "301 to a relative Location with a space and a non-ASCII letter, then 404",
    "401": "401 with WWW-Authenticate: Basic (a password)",
    "403": "403 Forbidden (an IP block)",
    "blocks-le": "403 Forbidden to Let's Encrypt's User-Agent only (a WAF rule), else 404",
    "500": "500 Internal Server Error",
    "slow": "accepts the connection and never answers (until the server stops)",
    "huge": "404 with a 4 MB body",
    "garbage": "answers bytes that are not HTTP",
}
SILENCE = 10.0
"""Longest a ``slow`` connection is held, in case a test forgets to stop the server."""

# Days left of each kind of certificate; half a day more, so that whole days left
# read as the kind's number for the whole test run.  Every kind lives 90 days (a
# Let's Encrypt certificate) unless the test asks for another lifetime.
LIFETIMES = {"valid": 60, "warning": 15, "expiring": 5, "expired": -10, "wrongname": 60}


def has_ipv6() -> bool:
    """Whether ::1 can be bound here."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def closed_port(address: str = "127.0.0.1") -> int:
    """A port nothing listens on (connections are refused)."""
    return free_port(address)


def probe_settings(
    http_port: int = 0, https_port: int = 0, ca_file: str | None = None, **more: Any
) -> Settings:
    """Engine settings for probing the local servers: private addresses allowed.

    The timeouts are generous, so a handshake on a loaded machine still finishes; a test
    that wants a timeout asks a server that never answers and passes its own ``timeout``."""
    values: dict[str, Any] = {"allow_private": True, "timeout": 3.0, "deadline": 15.0, **more}
    return Settings(
        http_port=http_port or closed_port(), https_port=https_port or closed_port(),
        tls_ca_file=ca_file, **values,
    )  # fmt: skip


@dataclass
class LocalCA:
    """A trustme CA whose certificate file webdig is told to trust (``TLS_CA_FILE``)."""

    directory: Path
    ca: trustme.CA = field(default_factory=trustme.CA)
    ca_file: str = field(init=False)
    """The CA certificate (PEM), written at creation, one file per CA."""

    def __post_init__(self) -> None:
        self.ca_file = str(self.directory / f"ca-{id(self):x}.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)

    def leaf(self, kind: str, *names: str, lifetime: int = 90) -> trustme.LeafCert:
        """A certificate of one :data:`LIFETIMES` kind, valid ``lifetime`` days in all;
        ``wrongname`` is for other.example."""
        now = datetime.now(UTC)
        days = LIFETIMES[kind]
        not_after = now + timedelta(days=days, hours=12 if days >= 0 else -12)
        identities = ("other.example",) if kind == "wrongname" else names
        return self.ca.issue_cert(
            *identities, not_before=not_after - timedelta(days=lifetime), not_after=not_after
        )


class _Handler(QuietHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        if self.server.owner.behaviour == "slow":
            self.server.owner.stopping.wait(SILENCE)
            raise ConnectionAbortedError("slow server gave up")
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(5)
            self.request.do_handshake()
        super().setup()

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.requests.append((self.headers.get("Host", ""), self.path))
        host = self.headers.get("Host", "").split(":")[0]
        answers: dict[str, tuple[int, list[tuple[str, str]]]] = {
            "404": (404, []),
            "200": (200, []),
            "redirect": (301, [("Location", f"http://elsewhere.example{self.path}")]),
            "https": (301, [("Location", f"https://{host}:{owner.https_port}{self.path}")]),
            "loop": (302, [("Location", f"http://{host}{self.path}")]),
            "ftp": (301, [("Location", f"ftp://{host}{self.path}")]),
            "rawpath": (301, [("Location", "/moved here/é")]),
            "401": (401, [("WWW-Authenticate", 'Basic realm="members only"')]),
            "403": (403, []),
            "500": (500, []),
            "huge": (404, []),
        }
        if owner.behaviour == "garbage":
            self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
            self.close_connection = True
            return
        if owner.behaviour == "blocks-le":
            agent = self.headers.get("User-Agent", "")
            blocked = "Let's Encrypt validation server" in agent
            answers["blocks-le"] = (403, []) if blocked else (404, [])
        status, headers = answers[owner.behaviour]
        if owner.behaviour == "rawpath" and self.path.startswith("/moved"):
            status, headers = 404, []
        body = b"x" * (4 << 20) if owner.behaviour == "huge" else f"{status}\n".encode()
        self.send_body(status, body, "text/plain", [*headers, ("Connection", "close")])
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    owner: WebServer

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        self.owner.connections += 1
        if self.owner.certificate is None:
            return sock, address
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.owner.certificate.configure_cert(context)
        context.sni_callback = self._record_sni
        # The handshake runs in the handler's thread, so a silent client cannot block accept().
        wrapped = context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return wrapped, address

    def _record_sni(self, sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        self.owner.sni.append(name)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up mid-answer are what these tests are made of


class _Server6(_Server):
    address_family = socket.AF_INET6


@dataclass
class WebServer:
    """An HTTP (or, with ``certificate``, HTTPS) server on loopback; a context manager."""

    behaviour: str = "404"
    addresses: tuple[str, ...] = ("127.0.0.1",)
    certificate: trustme.LeafCert | None = None
    https_port: int = 0
    """Where the ``https`` behaviour redirects to."""
    port: int = 0
    connections: int = 0
    """Connections accepted."""
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(Host header, path) of each request."""
    sni: list[str | None] = field(default_factory=list)
    """The server name each TLS client asked for."""
    stopping: threading.Event = field(default_factory=threading.Event)
    _servers: list[_Server] = field(default_factory=list)
    _running: ExitStack = field(default_factory=ExitStack)

    def __enter__(self) -> WebServer:
        assert self.behaviour in BEHAVIOURS, self.behaviour
        for _ in range(20):
            try:
                self._bind(self.port or free_port(self.addresses[0]))
                break
            except OSError:
                self._close()
                if self.port:
                    raise
        else:
            raise RuntimeError("no port free on every address")
        for server in self._servers:
            self._running.enter_context(ThreadedServer(server, poll=0.05))
        return self

    def _bind(self, port: int) -> None:
        for address in self.addresses:
            kind = _Server6 if ":" in address else _Server
            server = kind((address, port), _Handler)
            server.owner = self
            self._servers.append(server)
        self.port = port

    def _close(self) -> None:
        for server in self._servers:
            server.server_close()
        self._servers.clear()

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()  # first: a "slow" handler holding a connection lets go
        self._running.close()
        self._servers.clear()
