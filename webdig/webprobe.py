"""HTTP and TLS probes of a website, for the renewal checklist.

Besides :mod:`webdig.transport`, the only module that opens sockets.  It
fetches the HTTP-01 challenge path the way Let's Encrypt's validation
server does, and shakes hands with the site's TLS server.  What happened is
data (:class:`HttpProbe`, :class:`TlsProbe`), never an exception.  Every
connection goes to an address literal the target policy allowed (no second
resolution), and every socket operation is bounded by the probe's absolute
deadline, so a server dribbling bytes cannot hold a worker.
"""

from __future__ import annotations

import errno
import http.client
import io
import ipaddress
import re
import secrets
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar, cast
from urllib.parse import quote, urljoin, urlsplit

from webdig.errors import InputError, PolicyError, WebdigError
from webdig.names import parse_hostname
from webdig.policy import check_target, refusal_reason
from webdig.settings import Settings

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

ErrorKind = Literal[
    "policy", "refused", "timeout", "unreachable", "silent", "tls", "protocol", "redirect"
]
"""``refused``, ``timeout`` and ``unreachable``: no connection; ``silent``: connected, no answer."""

CHALLENGE_PATH = "/.well-known/acme-challenge/"
MAX_REDIRECTS = 10
"""Let's Encrypt follows at most 10 redirects."""
MAX_BODY = 8 * 1024
WORKERS = 8
REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "Mozilla/5.0 (compatible; webdig; checks like Let's Encrypt's validation server)"
_URL_SAFE = "/%:@!$&'()*+,;=-._~"
_KEPT_HEADERS = {"location", "server", "www-authenticate", "content-type", "content-length"}
_T = TypeVar("_T")


@dataclass(frozen=True)
class ProbeError:
    """Why a connection, an exchange or a redirect did not give an answer, in plain words."""

    kind: ErrorKind
    message: str


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
    """The body's first :data:`MAX_BODY` bytes."""
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


def probe_http(
    name: str,
    addresses: Iterable[str],
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    token: str | None = None,
    deadline: float | None = None,
) -> list[HttpProbe]:
    """GET ``http://name/.well-known/acme-challenge/<token>`` through each address, concurrently.

    ``resolve`` gives the addresses of a redirect target's host; ``deadline``
    (a :func:`time.monotonic` value) defaults to now plus ``settings.deadline``.
    """
    host = _ascii(name)
    path = CHALLENGE_PATH + (token or secrets.token_urlsafe(32))
    end = deadline if deadline is not None else time.monotonic() + settings.deadline

    def one(address: str) -> HttpProbe:
        return _follow(host, address, path, settings=settings, resolve=resolve, deadline=end)

    return _each(one, addresses)


def probe_tls(
    name: str, addresses: Iterable[str], *, settings: Settings, deadline: float | None = None
) -> list[TlsProbe]:
    """Shake hands with SNI=``name`` on ``settings.https_port`` of each address, concurrently."""
    host = _ascii(name)
    end = deadline if deadline is not None else time.monotonic() + settings.deadline
    verifying = ssl.create_default_context()
    verifying.check_hostname = False  # the names are judged by webdig.certificate, not OpenSSL
    if settings.tls_ca_file:
        verifying.load_verify_locations(cafile=settings.tls_ca_file)

    def one(address: str) -> TlsProbe:
        return _handshake(host, address, verifying, settings=settings, deadline=end)

    return _each(one, addresses)


def _each(probe: Callable[[str], _T], addresses: Iterable[str]) -> list[_T]:
    wanted = list(addresses)
    if len(wanted) <= 1:
        return [probe(a) for a in wanted]
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(wanted))) as pool:
        return list(pool.map(probe, wanted))


class _Target(NamedTuple):
    """Where one hop of the chain goes."""

    url: str
    host: str
    address: str
    secure: bool
    port: int


def _follow(
    host: str,
    address: str,
    path: str,
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
) -> HttpProbe:
    target = _Target(f"http://{host}{path}", host, address, False, settings.http_port)
    hops: list[HttpHop] = []
    for _ in range(MAX_REDIRECTS + 1):
        refusal = _refusal(target.address, target.port, settings)
        hop = (
            HttpHop(target.url, target.address, target.port, "", error=refusal)
            if refusal
            else _fetch(target, settings.timeout, deadline)
        )
        hops.append(hop)
        if hop.error is not None:
            return HttpProbe(host, address, hops, hop.error)
        if hop.status not in REDIRECTS or not hop.location:
            return HttpProbe(host, address, hops)  # Let's Encrypt stops where Go's client does
        following = _redirect(hop.location, target, host, address, settings, resolve)
        if isinstance(following, ProbeError):
            return HttpProbe(host, address, hops, following)
        target = following
    too_many = ProbeError(
        "redirect", f"the challenge path redirects more than {MAX_REDIRECTS} times"
    )
    return HttpProbe(host, address, hops, too_many)


def _redirect(
    location: str,
    here: _Target,
    name: str,
    address: str,
    settings: Settings,
    resolve: Callable[[str], list[str]],
) -> _Target | ProbeError:
    """Where a redirect leads, judged as Let's Encrypt judges it."""
    url = urljoin(here.url, location)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return _unfollowed(url, "Let's Encrypt only follows http and https redirects")
    try:
        explicit = parts.port
    except ValueError:
        return _unfollowed(url, "its port is not a number")
    # In tests the configured ports stand for 80 and 443.
    ports = {80: settings.http_port, 443: settings.https_port}
    ports |= {settings.http_port: settings.http_port, settings.https_port: settings.https_port}
    port = ports.get(explicit if explicit is not None else 80 if scheme == "http" else 443)
    if port is None:
        return _unfollowed(url, "Let's Encrypt only follows redirects to ports 80 and 443")
    try:
        ipaddress.ip_address(parts.hostname or "")
    except ValueError:
        pass
    else:
        return _unfollowed(url, "Let's Encrypt does not follow redirects to IP addresses")
    try:
        host = _ascii(parts.hostname or "")
    except InputError:
        return _unfollowed(url, "its host name is not valid")
    if host in (name, here.host):
        # The same name: stay on the checked address, so each address is judged on its own.
        return _Target(
            url, host, address if host == name else here.address, scheme == "https", port
        )
    try:
        found = resolve(host)
    except (WebdigError, ValueError, OSError) as exc:
        return _unfollowed(url, f"{host} could not be resolved ({exc})")
    # Stay in the address family of the address being checked where the target allows.
    same = [a for a in found if (":" in a) == (":" in address)] or found
    if not same:
        return _unfollowed(url, f"{host} has no address")
    return _Target(url, host, same[0], scheme == "https", port)


def _unfollowed(url: str, why: str) -> ProbeError:
    return ProbeError("redirect", f"the redirect to {url} cannot be followed: {why}")


def _refusal(address: str, port: int, settings: Settings) -> ProbeError | None:
    """The target policy's verdict on ``address#port`` as a probe error, or None to connect."""
    try:
        check_target(
            address, port, allow_private=settings.allow_private, shown=address, ports=(80, 443)
        )
    except PolicyError as exc:
        reason = refusal_reason(ipaddress.ip_address(address))
        if reason is None:
            return ProbeError("policy", exc.message)
        return ProbeError(
            "policy",
            f"webdig does not connect there: {reason}, and Let's Encrypt only connects to "
            "public internet addresses",
        )
    except ValueError:
        return ProbeError("policy", f"{address} is not an IP address")
    return None


def _fetch(target: _Target, timeout: float, deadline: float) -> HttpHop:
    parts = urlsplit(target.url)
    # Percent-encode what a Location header may carry raw (spaces, non-ASCII), as Go's client does.
    path = quote(parts.path or "/", safe=_URL_SAFE)
    path += f"?{quote(parts.query, safe=_URL_SAFE + '?')}" if parts.query else ""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {target.host}\r\nUser-Agent: {USER_AGENT}\r\n"
        "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
    )
    begin, stage, sock = time.monotonic(), "connect", None
    try:
        sock = _connect(target.address, target.port, timeout, deadline)
        if target.secure:
            stage = "handshake"
            sock = _tls(sock, target.host, _UNVERIFIED, timeout, deadline)
        stage = "answer"
        sock.settimeout(_left(timeout, deadline))
        sock.sendall(request.encode("ascii"))
        reader = _DeadlineReader(sock, timeout, deadline)
        response = http.client.HTTPResponse(cast(socket.socket, reader), method="GET")
        response.begin()
        try:
            body = response.read(MAX_BODY + 1)
        except (OSError, http.client.HTTPException):
            body = b""  # the status and headers are what matter; a broken body is not
        response.close()
    except (OSError, http.client.HTTPException) as exc:
        elapsed = int((time.monotonic() - begin) * 1000)
        error = _error(exc, stage, timeout)
        return HttpHop(
            target.url, target.address, target.port, request, elapsed_ms=elapsed, error=error
        )
    finally:
        if sock is not None:
            sock.close()
    return HttpHop(
        target.url, target.address, target.port, request,
        status=response.status,
        reason=response.reason,
        version="HTTP/1.0" if response.version == 10 else "HTTP/1.1",
        headers=[(k, v) for k, v in response.getheaders() if k.lower() in _KEPT_HEADERS][:10],
        body=body[:MAX_BODY],
        truncated=len(body) > MAX_BODY,
        elapsed_ms=int((time.monotonic() - begin) * 1000),
    )  # fmt: skip


def _handshake(
    host: str, address: str, verifying: ssl.SSLContext, *, settings: Settings, deadline: float
) -> TlsProbe:
    port, timeout = settings.https_port, settings.timeout
    refusal = _refusal(address, port, settings)
    if refusal is not None:
        return TlsProbe(host, address, port, error=refusal)
    begin = time.monotonic()
    verify_code: int | None = None
    verify_error: str | None = None
    # Verify first; only when the chain fails, shake hands again to read the certificate.
    for context in (verifying, _UNVERIFIED):
        try:
            raw = _connect(address, port, timeout, deadline)
        except OSError as exc:
            return TlsProbe(host, address, port, error=_error(exc, "connect", timeout))
        try:
            with _tls(raw, host, context, timeout, deadline) as sock:
                der, version = sock.getpeercert(binary_form=True), sock.version()
        except ssl.SSLCertVerificationError as exc:
            verify_code, verify_error = exc.verify_code, exc.verify_message
            continue
        except OSError as exc:
            return TlsProbe(host, address, port, error=_error(exc, "handshake", timeout))
        finally:
            raw.close()
        elapsed = int((time.monotonic() - begin) * 1000)
        verified = context is verifying
        return TlsProbe(
            host, address, port, der, verified, verify_error, verify_code, version, elapsed
        )
    raise AssertionError("a handshake without verification cannot fail verification")


def _ascii(name: str) -> str:
    return parse_hostname(name).ascii.rstrip(".")


def _unverified_context() -> ssl.SSLContext:
    # Let's Encrypt does not validate certificates when following a redirect to https.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


_UNVERIFIED = _unverified_context()


def _connect(address: str, port: int, timeout: float, deadline: float) -> socket.socket:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(_left(timeout, deadline))
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _tls(
    sock: socket.socket, host: str, context: ssl.SSLContext, timeout: float, deadline: float
) -> ssl.SSLSocket:
    wrapped = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
    try:
        wrapped.settimeout(_left(timeout, deadline))
        wrapped.do_handshake()
    except BaseException:
        wrapped.close()
        raise
    return wrapped


def _left(timeout: float, deadline: float) -> float:
    left = min(timeout, deadline - time.monotonic())
    if left <= 0:
        raise TimeoutError
    return left


class _DeadlineReader(io.RawIOBase):
    """The socket as :class:`http.client.HTTPResponse` reads it: each read re-armed."""

    def __init__(self, sock: socket.socket, timeout: float, deadline: float) -> None:
        super().__init__()
        self._sock, self._timeout, self._deadline = sock, timeout, deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(self)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        self._sock.settimeout(_left(self._timeout, self._deadline))
        return self._sock.recv_into(buffer)


def _error(exc: BaseException, stage: str, timeout: float) -> ProbeError:
    seconds = f"{timeout:g} second{'' if timeout == 1 else 's'}"
    if isinstance(exc, TimeoutError):
        waited = {
            "connect": "no answer to the connection",
            "handshake": "the connection was accepted but the TLS handshake did not finish",
            "answer": "the connection was accepted but no HTTP answer came",
        }
        kind: ErrorKind = "timeout" if stage == "connect" else "silent"
        return ProbeError(kind, f"{waited[stage]} within {seconds}")
    if isinstance(exc, http.client.RemoteDisconnected):
        return ProbeError("protocol", "the server closed the connection without answering")
    if isinstance(exc, http.client.HTTPException):
        return ProbeError("protocol", f"the answer is not valid HTTP ({type(exc).__name__})")
    if isinstance(exc, ssl.SSLError):
        reason = re.sub(r"\s*\(_ssl\.c:\d+\)", "", str(exc))
        failed = "the TLS handshake failed" if stage == "handshake" else "TLS failed"
        return ProbeError("tls", f"{failed}: {reason}")
    if isinstance(exc, ConnectionRefusedError):
        return ProbeError("refused", "connection refused")
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return ProbeError("unreachable", "no route to the address from this webdig server")
    if isinstance(exc, OSError) and exc.strerror:
        return ProbeError("unreachable", exc.strerror.lower())
    return ProbeError("unreachable", str(exc) or type(exc).__name__)
