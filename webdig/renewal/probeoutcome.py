"""What the HTTP and TLS probes of a website found, failures included, as plain data.

Kept apart from the modules that fill them in (:mod:`webdig.renewal.httpfetch`,
:mod:`webdig.renewal.tlsprobe`, :mod:`webdig.renewal.connection`), so that
:mod:`webdig.renewal.redirects` can build them without importing the module that
opens sockets (and without an import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ProbeErrorKind(StrEnum):
    """Why a probe got no answer (a DNS query's own reasons: ``webdig.engine.result.ErrorKind``)."""

    POLICY = "policy"
    """The target policy refused the address or port: nothing was sent."""
    REFUSED = "refused"
    """No connection: the port is closed."""
    TIMEOUT = "timeout"
    """No connection: nothing answered in time."""
    UNREACHABLE = "unreachable"
    """No connection: no route, or another network error."""
    SILENT = "silent"
    """Connected, but no answer (or no finished TLS handshake) came in time."""
    TLS = "tls"
    """The TLS handshake failed."""
    PROTOCOL = "protocol"
    """The answer is not valid HTTP."""
    REDIRECT = "redirect"
    """A redirect Let's Encrypt would not follow."""
    BUSY = "busy"
    """Not tried: a budget that protects that server is spent for now."""


NO_CONNECTION = frozenset(
    {ProbeErrorKind.REFUSED, ProbeErrorKind.TIMEOUT, ProbeErrorKind.UNREACHABLE}
)
"""The kinds where no connection was made at all."""


@dataclass(frozen=True)
class ProbeError:
    """Why a connection, an exchange or a redirect did not give an answer, in plain words."""

    kind: ProbeErrorKind
    message: str
    retry_after: int = 0
    """``busy``: seconds until webdig may connect there again."""


@dataclass(frozen=True)
class HttpHop:
    """One request of a redirect chain and what came back."""

    url: str
    address: str
    port: int
    request: str
    """The request as sent ("" when the target policy refused the address)."""
    status: int | None = None
    reason: str = ""
    version: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    """A few telling headers (Location, Server, WWW-Authenticate, Content-*), in order."""
    body: bytes = b""
    """The body's first :data:`~webdig.renewal.httpfetch.MAX_BODY` bytes."""
    truncated: bool = False
    elapsed_ms: int = 0
    error: ProbeError | None = None

    @property
    def location(self) -> str | None:
        """The Location header, if any."""
        return next((v for k, v in self.headers if k.lower() == "location"), None)


@dataclass(frozen=True)
class HttpProbe:
    """The challenge URL fetched through one address of the name, redirects followed."""

    name: str
    address: str
    hops: list[HttpHop]
    error: ProbeError | None = None
    """Why the chain ended without an answer: the last hop failed or a redirect was not followed."""


@dataclass(frozen=True)
class TlsProbe:
    """A TLS handshake with SNI=name to one address of the name."""

    name: str
    address: str
    port: int
    certificate: bytes | None = None
    """The server's certificate (DER); None when no handshake completed."""
    verified: bool = False
    """Whether the chain verifies against the system store (plus ``tls_ca_file``)."""
    verify_error: str | None = None
    """OpenSSL's reason when the chain does not verify."""
    verify_code: int | None = None
    tls_version: str | None = None
    elapsed_ms: int = 0
    error: ProbeError | None = None


@dataclass(frozen=True)
class Reach:
    """Whether a port of an address accepts a connection: all webdig says about an address the
    user did not give as their server."""

    address: str
    port: int
    error: ProbeError | None = None
    """None: the connection was accepted."""
    elapsed_ms: int = 0
