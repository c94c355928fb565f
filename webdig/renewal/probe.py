"""HTTP and TLS probes of a website, for the renewal checklist.

Besides :mod:`webdig.engine.transport`, the only module that opens sockets.  It
fetches the HTTP-01 challenge path the way Let's Encrypt's validation
server does (following redirects by the rules in :mod:`webdig.renewal.redirects`),
and shakes hands with the site's TLS server.  What happened is data
(:class:`HttpProbe`, :class:`TlsProbe`, from :mod:`webdig.renewal.probeoutcome`),
never an exception.  Every connection goes to an address literal the
target policy allowed (no second resolution), and every socket operation
is bounded by the probe's absolute deadline, so a server dribbling bytes
cannot hold a worker.
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
from typing import TYPE_CHECKING, Protocol, TypeVar, cast
from urllib.parse import quote, urlsplit

from webdig.engine.policy import check_target, refusal_reason
from webdig.errors import PolicyError
from webdig.renewal.probeoutcome import (
    HttpHop,
    HttpProbe,
    ProbeError,
    ProbeErrorKind,
    Reach,
    TlsProbe,
)
from webdig.renewal.redirects import MAX_REDIRECTS, REDIRECTS, Target, ascii_host, follow
from webdig.settings import Settings

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# The result types and redirect limits are re-exported: callers import them from here.
__all__ = [
    "BROWSER_USER_AGENT",
    "CHALLENGE_PATH",
    "MAX_BODY",
    "MAX_REDIRECTS",
    "REDIRECTS",
    "USER_AGENT",
    "WORKERS",
    "HttpHop",
    "HttpProbe",
    "ProbeError",
    "Reach",
    "TlsProbe",
    "fetch_document",
    "probe_http",
    "probe_reach",
    "probe_tls",
]

CHALLENGE_PATH = "/.well-known/acme-challenge/"
MAX_BODY = 8 * 1024
WORKERS = 8
USER_AGENT = (
    "Mozilla/5.0 (compatible; Let's Encrypt validation server; +https://www.letsencrypt.org)"
)
"""What Let's Encrypt's validation server sends: WAF rules that block it match this string."""
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
"""A browser's, to tell a block aimed at Let's Encrypt from a site that is simply broken."""
DOCUMENT_USER_AGENT = "Mozilla/5.0 (compatible; webdig)"
"""For documents webdig reads for itself, such as the CA's status page."""
_URL_SAFE = "/%:@!$&'()*+,;=-._~"
_KEPT_HEADERS = {"location", "server", "www-authenticate", "content-type", "content-length"}
_T = TypeVar("_T")


Admit = Callable[[str, int], "int | None"]
"""The session's budget check before a connection: None to connect, or seconds to wait."""


class Parallel(Protocol):
    """Runs a function over a list concurrently, keeping the order (a session's ``map``)."""

    def __call__(self, work: Callable[[str], _T], items: Iterable[str], /) -> list[_T]: ...


def probe_http(
    name: str,
    addresses: Iterable[str],
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    token: str | None = None,
    deadline: float | None = None,
    parallel: Parallel | None = None,
    admit: Admit | None = None,
    user_agent: str = USER_AGENT,
) -> list[HttpProbe]:
    """GET ``http://name/.well-known/acme-challenge/<token>`` through each address, concurrently.

    ``resolve`` gives the addresses of a redirect target's host; ``deadline``
    (a :func:`time.monotonic` value) defaults to now plus ``settings.deadline``;
    ``user_agent`` is Let's Encrypt's unless a comparison asks for a browser's.
    """
    host = ascii_host(name)
    path = CHALLENGE_PATH + (token or secrets.token_urlsafe(32))
    end = deadline if deadline is not None else time.monotonic() + settings.deadline

    def fetch(target: Target) -> HttpHop:
        # Every hop, redirects included, is a connection the target's budget counts.
        refusal = _refusal(target.address, target.port, settings) or _held(
            admit, target.address, target.port
        )
        if refusal is not None:
            return HttpHop(target.url, target.address, target.port, "", error=refusal)
        return _fetch(target, settings.timeout, end, user_agent=user_agent)

    def one(address: str) -> HttpProbe:
        return follow(host, address, path, settings=settings, resolve=resolve, fetch=fetch)

    return _each(one, addresses, parallel)


def probe_tls(
    name: str,
    addresses: Iterable[str],
    *,
    settings: Settings,
    deadline: float | None = None,
    parallel: Parallel | None = None,
    admit: Admit | None = None,
) -> list[TlsProbe]:
    """Shake hands with SNI=``name`` on ``settings.https_port`` of each address, concurrently."""
    host = ascii_host(name)
    end = deadline if deadline is not None else time.monotonic() + settings.deadline
    verifying = ssl.create_default_context()
    verifying.check_hostname = False  # renewal.certificate judges names
    if settings.tls_ca_file:
        verifying.load_verify_locations(cafile=settings.tls_ca_file)

    def one(address: str) -> TlsProbe:
        held = _held(admit, address, settings.https_port)
        if held is not None:
            return TlsProbe(host, address, settings.https_port, error=held)
        return _handshake(host, address, verifying, settings=settings, deadline=end)

    return _each(one, addresses, parallel)


def fetch_document(
    url: str,
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    timeout: float | None = None,
    max_body: int = MAX_BODY,
) -> HttpHop:
    """GET ``url`` once (no redirects), under the target policy and ``deadline``.

    ``timeout`` bounds each socket operation (default ``settings.timeout``).
    For documents the operator configures, such as the certificate
    authority's status API: https certificates are verified (against
    ``settings.tls_ca_file`` too), and the body is kept up to ``max_body``
    bytes (``truncated`` says there was more).
    """
    try:
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        port = parts.port or (443 if secure else 80)
    except ValueError:
        return HttpHop(
            url, "", 0, "", error=ProbeError(ProbeErrorKind.POLICY, "the URL is not valid")
        )
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return HttpHop(
            url, "", port, "", error=ProbeError(ProbeErrorKind.POLICY, "not an http(s) URL")
        )
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolve(host)
    if not addresses:
        return HttpHop(
            url,
            "",
            port,
            "",
            error=ProbeError(ProbeErrorKind.UNREACHABLE, f"{host} has no address"),
        )
    target = Target(url, host, addresses[0], secure, port)
    refusal = _refusal(target.address, port, settings)
    if refusal is not None:
        return HttpHop(url, target.address, port, "", error=refusal)
    verifying = ssl.create_default_context()
    if settings.tls_ca_file:
        verifying.load_verify_locations(cafile=settings.tls_ca_file)
    waits = settings.timeout if timeout is None else timeout
    return _fetch(
        target, waits, deadline, context=verifying, max_body=max_body,
        user_agent=DOCUMENT_USER_AGENT,
    )  # fmt: skip


def probe_reach(
    addresses: Iterable[str],
    port: int,
    *,
    settings: Settings,
    deadline: float,
    parallel: Parallel | None = None,
    admit: Admit | None = None,
) -> list[Reach]:
    """Whether ``port`` of each address accepts a TCP connection; nothing is sent on it.

    All webdig finds out about an address the user did not give as their
    server: a public webdig must not become a scanner that reports other
    people's server software and certificates.
    """

    def one(address: str) -> Reach:
        refusal = _refusal(address, port, settings) or _held(admit, address, port)
        if refusal is not None:
            return Reach(address, port, refusal)
        begin = time.monotonic()
        try:
            _connect(address, port, settings.timeout, deadline).close()
        except OSError as exc:
            waited = time.monotonic() - begin
            return Reach(address, port, _error(exc, "connect", waited), int(waited * 1000))
        return Reach(address, port, None, int((time.monotonic() - begin) * 1000))

    return _each(one, addresses, parallel)


def _held(admit: Admit | None, address: str, port: int) -> ProbeError | None:
    """The budget's answer for a connection to ``address#port``, as a probe error, or None."""
    wait = admit(address, port) if admit is not None else None
    if wait is None:
        return None
    return ProbeError(
        ProbeErrorKind.BUSY, f"not tried: webdig is busy; try again in {wait} s", wait
    )


def _each(
    probe: Callable[[str], _T], addresses: Iterable[str], parallel: Parallel | None
) -> list[_T]:
    wanted = list(addresses)
    if len(wanted) <= 1:
        return [probe(a) for a in wanted]
    if parallel is not None:
        return parallel(probe, wanted)
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(wanted))) as pool:
        return list(pool.map(probe, wanted))


def _refusal(address: str, port: int, settings: Settings) -> ProbeError | None:
    """The target policy's verdict on ``address#port`` as a probe error, or None to connect."""
    try:
        check_target(
            address, port, allow_private=settings.allow_private, shown=address, ports=(80, 443)
        )
    except PolicyError as exc:
        reason = refusal_reason(ipaddress.ip_address(address))
        if reason is None:
            return ProbeError(ProbeErrorKind.POLICY, exc.message)
        return ProbeError(
            ProbeErrorKind.POLICY,
            f"webdig does not connect there: {reason}, and Let's Encrypt only connects to "
            "public internet addresses",
        )
    except ValueError:
        return ProbeError(ProbeErrorKind.POLICY, f"{address} is not an IP address")
    return None


def _fetch(
    target: Target,
    timeout: float,
    deadline: float,
    *,
    context: ssl.SSLContext | None = None,
    max_body: int = MAX_BODY,
    user_agent: str = USER_AGENT,
) -> HttpHop:
    """One GET of ``target``; https is not verified unless ``context`` verifies."""
    parts = urlsplit(target.url)
    # Percent-encode what a Location header may carry raw (spaces, non-ASCII), as Go's client does.
    path = quote(parts.path or "/", safe=_URL_SAFE)
    path += f"?{quote(parts.query, safe=_URL_SAFE + '?')}" if parts.query else ""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {target.host}\r\nUser-Agent: {user_agent}\r\n"
        "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
    )
    begin, stage, sock = time.monotonic(), "connect", None
    try:
        sock = _connect(target.address, target.port, timeout, deadline)
        if target.secure:
            stage = "handshake"
            sock = _tls(sock, target.host, context or _UNVERIFIED, timeout, deadline)
        stage = "answer"
        sock.settimeout(_left(timeout, deadline))
        sock.sendall(request.encode("ascii"))
        reader = _DeadlineReader(sock, timeout, deadline)
        response = http.client.HTTPResponse(cast(socket.socket, reader), method="GET")
        response.begin()
        try:
            body = response.read(max_body + 1)
        except (OSError, http.client.HTTPException):
            body = b""  # the status and headers are what matter; a broken body is not
        response.close()
    except (OSError, http.client.HTTPException) as exc:
        elapsed = int((time.monotonic() - begin) * 1000)
        error = _error(exc, stage, time.monotonic() - begin)
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
        body=body[:max_body],
        truncated=len(body) > max_body,
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
            return TlsProbe(
                host, address, port, error=_error(exc, "connect", time.monotonic() - begin)
            )
        try:
            with _tls(raw, host, context, timeout, deadline) as sock:
                der, version = sock.getpeercert(binary_form=True), sock.version()
        except ssl.SSLCertVerificationError as exc:
            verify_code, verify_error = exc.verify_code, exc.verify_message
            continue
        except OSError as exc:
            return TlsProbe(
                host, address, port, error=_error(exc, "handshake", time.monotonic() - begin)
            )
        finally:
            raw.close()
        elapsed = int((time.monotonic() - begin) * 1000)
        verified = context is verifying
        return TlsProbe(
            host, address, port, der, verified, verify_error, verify_code, version, elapsed
        )
    raise AssertionError("a handshake without verification cannot fail verification")


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


def _error(exc: BaseException, stage: str, waited: float) -> ProbeError:
    # The time actually waited: the request's deadline may end a probe before its timeout.
    rounded = round(waited, 1)
    seconds = f"{rounded:g} second{'' if rounded == 1 else 's'}"
    if isinstance(exc, TimeoutError):
        what = {
            "connect": "no answer to the connection",
            "handshake": "the connection was accepted but the TLS handshake did not finish",
            "answer": "the connection was accepted but no HTTP answer came",
        }
        kind = ProbeErrorKind.TIMEOUT if stage == "connect" else ProbeErrorKind.SILENT
        return ProbeError(kind, f"{what[stage]} within {seconds}")
    if isinstance(exc, http.client.RemoteDisconnected):
        return ProbeError(
            ProbeErrorKind.PROTOCOL, "the server closed the connection without answering"
        )
    if isinstance(exc, http.client.HTTPException):
        return ProbeError(
            ProbeErrorKind.PROTOCOL, f"the answer is not valid HTTP ({type(exc).__name__})"
        )
    if isinstance(exc, ssl.SSLError):
        reason = re.sub(r"\s*\(_ssl\.c:\d+\)", "", str(exc))
        failed = "the TLS handshake failed" if stage == "handshake" else "TLS failed"
        return ProbeError(ProbeErrorKind.TLS, f"{failed}: {reason}")
    if isinstance(exc, ConnectionRefusedError):
        return ProbeError(ProbeErrorKind.REFUSED, "connection refused")
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return ProbeError(
            ProbeErrorKind.UNREACHABLE, "no route to the address from this webdig server"
        )
    if isinstance(exc, OSError) and exc.strerror:
        return ProbeError(ProbeErrorKind.UNREACHABLE, exc.strerror.lower())
    return ProbeError(ProbeErrorKind.UNREACHABLE, str(exc) or type(exc).__name__)
