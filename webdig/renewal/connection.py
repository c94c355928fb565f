"""TCP connections for the renewal probes: under the target policy, a budget and a deadline.

One of the few modules that open sockets (with :mod:`webdig.renewal.httpfetch`,
:mod:`webdig.renewal.tlsprobe` and :mod:`webdig.renewal.registryio`).  Every
connection goes to an address literal the target policy allowed (no second
resolution), and every socket operation is bounded by the caller's absolute
deadline, so a server dribbling bytes cannot hold a worker.  Failures become
:class:`~webdig.renewal.probeoutcome.ProbeError` in plain words, never exceptions.
"""

from __future__ import annotations

import errno
import functools
import http.client
import io
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol, TypeVar

from webdig.engine.policy import check_target, refusal_reason
from webdig.errors import PolicyError
from webdig.findings.markers import N_
from webdig.language.message import Message, Quote
from webdig.renewal.probeoutcome import ProbeError, ProbeErrorKind, Reach
from webdig.settings import Settings

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

WORKERS = 8
_T = TypeVar("_T")

Admit = Callable[[str, int], "int | None"]
"""The session's budget check before a connection: None to connect, or seconds to wait."""


class Parallel(Protocol):
    """Runs a function over a list concurrently, keeping the order (a session's ``map``)."""

    def __call__(self, work: Callable[[str], _T], items: Iterable[str], /) -> list[_T]: ...


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
        refusal = refusal_for(address, port, settings) or held(admit, address, port)
        if refusal is not None:
            return Reach(address, port, refusal)
        begin = time.monotonic()
        try:
            connect(address, port, settings.timeout, deadline).close()
        except OSError as exc:
            waited = time.monotonic() - begin
            return Reach(address, port, describe(exc, "connect", waited), int(waited * 1000))
        return Reach(address, port, None, int((time.monotonic() - begin) * 1000))

    return each(one, addresses, parallel)


def held(admit: Admit | None, address: str, port: int) -> ProbeError | None:
    """The budget's answer for a connection to ``address#port``, as a probe error, or None."""
    wait = admit(address, port) if admit is not None else None
    if wait is None:
        return None
    return ProbeError(
        ProbeErrorKind.BUSY,
        Message("not tried: webdig is busy; try again in {wait} s", wait=wait),
        wait,
    )


def each(
    probe: Callable[[str], _T], addresses: Iterable[str], parallel: Parallel | None
) -> list[_T]:
    """``probe`` over ``addresses`` concurrently (through ``parallel`` when given), in order."""
    wanted = list(addresses)
    if len(wanted) <= 1:
        return [probe(a) for a in wanted]
    if parallel is not None:
        return parallel(probe, wanted)
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(wanted))) as pool:
        return list(pool.map(probe, wanted))


LETS_ENCRYPT_CONNECTS = Message("Let's Encrypt only connects")
"""Who the refusal of a private address speaks for, by default."""


def refusal_for(
    address: str,
    port: int,
    settings: Settings,
    *,
    ports: tuple[int, ...] = (80, 443),
    who: Message = LETS_ENCRYPT_CONNECTS,
) -> ProbeError | None:
    """The target policy's verdict on ``address#port`` as a probe error, or None to connect.

    ``ports`` are those a public webdig may connect to for this purpose; ``who``
    ends the sentence on why a private address is refused.
    """
    try:
        check_target(
            address, port, allow_private=settings.allow_private, shown=address, ports=ports
        )
    except PolicyError as exc:
        reason = refusal_reason(ipaddress.ip_address(address))
        if reason is None:
            return ProbeError(ProbeErrorKind.POLICY, exc.message)
        return ProbeError(
            ProbeErrorKind.POLICY,
            Message(
                "webdig does not connect there: {reason}, and {who} to public internet addresses",
                reason=reason,
                who=who,
            ),
        )
    except ValueError:
        return ProbeError(
            ProbeErrorKind.POLICY, Message("{address} is not an IP address", address=address)
        )
    return None


def connect(address: str, port: int, timeout: float, deadline: float) -> socket.socket:
    """A TCP connection to ``address#port``, within ``timeout`` and not past ``deadline``."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(left(timeout, deadline))
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


def wrap_tls(
    sock: socket.socket, host: str, context: ssl.SSLContext, timeout: float, deadline: float
) -> ssl.SSLSocket:
    """``sock`` after a TLS handshake with SNI ``host``, under the same bounds."""
    wrapped = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
    try:
        wrapped.settimeout(left(timeout, deadline))
        wrapped.do_handshake()
    except BaseException:
        wrapped.close()
        raise
    return wrapped


def unverified_context() -> ssl.SSLContext:
    """A TLS context that accepts any certificate (Let's Encrypt does not verify redirects)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def verifying_context(settings: Settings, *, check_hostname: bool = True) -> ssl.SSLContext:
    """The system's trust store, plus ``settings.tls_ca_file`` when set (tests)."""
    return _verifying(settings.tls_ca_file, check_hostname)


@functools.lru_cache(maxsize=8)
def _verifying(ca_file: str | None, check_hostname: bool) -> ssl.SSLContext:
    # Reading the system's trust store takes ~100 ms on a busy machine: once per process,
    # not once per connection.  A context is safe to share between threads once set up.
    context = ssl.create_default_context()
    context.check_hostname = check_hostname
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def left(timeout: float, deadline: float) -> float:
    """Seconds the next socket operation may wait; :class:`TimeoutError` when none are left."""
    remaining = min(timeout, deadline - time.monotonic())
    if remaining <= 0:
        raise TimeoutError
    return remaining


class DeadlineReader(io.RawIOBase):
    """The socket as :class:`http.client.HTTPResponse` reads it: each read re-armed."""

    def __init__(self, sock: socket.socket, timeout: float, deadline: float) -> None:
        super().__init__()
        self._sock, self._timeout, self._deadline = sock, timeout, deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        """What :class:`http.client.HTTPResponse` reads from."""
        return io.BufferedReader(self)

    def readable(self) -> bool:
        """Always: this is a reader."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """One ``recv`` into ``buffer``, bounded by the timeout and the deadline."""
        self._sock.settimeout(left(self._timeout, self._deadline))
        return self._sock.recv_into(buffer)


_TIMEOUTS = {
    "connect": (
        N_("no answer to the connection within 1 second"),
        N_("no answer to the connection within {seconds} seconds"),
    ),
    "handshake": (
        N_("the connection was accepted but the TLS handshake did not finish within 1 second"),
        N_(
            "the connection was accepted but the TLS handshake did not finish within "
            "{seconds} seconds"
        ),
    ),
    "answer": (
        N_("the connection was accepted but no HTTP answer came within 1 second"),
        N_("the connection was accepted but no HTTP answer came within {seconds} seconds"),
    ),
    "whois": (
        N_("the connection was accepted but no WHOIS answer came within 1 second"),
        N_("the connection was accepted but no WHOIS answer came within {seconds} seconds"),
    ),
}
"""What did not come in time at each stage: the wording for one second, and for more."""


def describe(exc: BaseException, stage: str, waited: float) -> ProbeError:
    """A socket, TLS or HTTP failure at ``stage`` (connect, handshake, answer) in plain words."""
    # The time actually waited: the request's deadline may end a probe before its timeout.
    rounded = round(waited, 1)
    if isinstance(exc, TimeoutError):
        kind = ProbeErrorKind.TIMEOUT if stage == "connect" else ProbeErrorKind.SILENT
        one, more = _TIMEOUTS[stage]
        return ProbeError(
            kind, Message(one) if rounded == 1 else Message(more, seconds=format(rounded, "g"))
        )
    if isinstance(exc, http.client.RemoteDisconnected):
        return ProbeError(
            ProbeErrorKind.PROTOCOL, Message("the server closed the connection without answering")
        )
    if isinstance(exc, http.client.HTTPException):
        return ProbeError(
            ProbeErrorKind.PROTOCOL,
            Message("the answer is not valid HTTP ({error})", error=type(exc).__name__),
        )
    if isinstance(exc, ssl.SSLError):
        # OpenSSL's own words stay as they are: they are what a search finds.
        reason = Quote(re.sub(r"\s*\(_ssl\.c:\d+\)", "", str(exc)))
        if stage == "handshake":
            return ProbeError(
                ProbeErrorKind.TLS, Message("the TLS handshake failed: {reason}", reason=reason)
            )
        return ProbeError(ProbeErrorKind.TLS, Message("TLS failed: {reason}", reason=reason))
    if isinstance(exc, ConnectionRefusedError):
        return ProbeError(ProbeErrorKind.REFUSED, Message("connection refused"))
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return ProbeError(
            ProbeErrorKind.UNREACHABLE, Message("no route to the address from this webdig server")
        )
    if isinstance(exc, ConnectionResetError):  # a firewall or WAF cutting the exchange
        return ProbeError(ProbeErrorKind.UNREACHABLE, Message("the server reset the connection"))
    if isinstance(exc, (BrokenPipeError, ConnectionAbortedError)):
        return ProbeError(
            ProbeErrorKind.UNREACHABLE, Message("the connection closed before the exchange ended")
        )
    # The system's words for any other failure are English only: its errno's name (what a
    # search finds) goes in a sentence the catalogs translate.
    code = errno.errorcode.get(exc.errno or 0, "") if isinstance(exc, OSError) else ""
    return ProbeError(
        ProbeErrorKind.UNREACHABLE,
        Message("the connection failed ({code})", code=code or type(exc).__name__),
    )
