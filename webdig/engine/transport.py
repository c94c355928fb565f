"""The one module that sends packets.

It sends queries built by :mod:`webdig.engine.wire` over UDP, falls back to
TCP when a reply is truncated, and turns every failure into a
:class:`~webdig.engine.result.QueryError`.  Every socket operation is bounded by
an absolute deadline, so a silent or byte-dribbling server cannot hold a
worker longer than the caller allows.

The queries of one request go out together from the calling thread and
their replies are collected as they arrive (:func:`exchange_all`): a
thread per query cost more CPU than the queries themselves.
"""

from __future__ import annotations

import math
import os
import select
import socket
import struct
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import dns.flags
import dns.message
import dns.rdatatype

from webdig.engine.query import Query
from webdig.engine.result import ErrorKind, QueryError, QueryResult
from webdig.engine.wire import (
    COOKIE_SIZE,
    TRUNCATED,
    Failure,
    parse_reply,
    query_wire,
    retry_wire,
    socket_error,
    timeout_error,
)
from webdig.language.message import Message
from webdig.settings import DEFAULTS

MAX_MESSAGE = 65535
MAX_IN_FLIGHT = 64
"""UDP sockets one batch keeps open at once (the rest wait their turn)."""

Parallel = Callable[[Callable[["_Exchange"], None], list["_Exchange"]], object]
Watch = Callable[[Sequence[QueryResult]], None]
"""Told the results of one :func:`exchange_all` as they go out and as they finish."""
"""Runs a function over a list, possibly concurrently (the session's ``map``)."""


@dataclass
class _Exchange:
    """One query on its way: the result so far and the current UDP try."""

    query: Query
    result: QueryResult
    query_id: int
    wire: bytes
    tries_left: int
    needs_tcp: bool
    sock: socket.socket | None = None
    begin: float = 0.0
    expiration: float = 0.0
    last_failure: QueryError | None = None
    """How the previous UDP try failed (timed out, or refused), when another may follow."""


def exchange(
    query: Query,
    *,
    timeout: float = DEFAULTS["TIMEOUT"],
    tries: int = DEFAULTS["TRIES"],
    deadline: float | None = None,
) -> QueryResult:
    """Send ``query`` and return what happened; never raises for DNS trouble.

    ``timeout`` bounds each UDP try and the TCP exchange; ``deadline`` (a
    :func:`time.monotonic` value) bounds the whole call.
    """
    return exchange_all([query], timeout=timeout, tries=tries, deadline=deadline)[0]


def exchange_all(
    queries: Sequence[Query],
    *,
    timeout: float = DEFAULTS["TIMEOUT"],
    tries: int = DEFAULTS["TRIES"],
    deadline: float | None = None,
    parallel: Parallel | None = None,
    watch: Watch | None = None,
) -> list[QueryResult]:
    """Send every query at once and return their results in the same order.

    UDP queries share one wait for replies in this thread; queries that
    need TCP (asked for, ANY, or a truncated UDP reply) go through
    ``parallel`` (default: one after another).  ``watch`` is called with the
    results when the queries go out and again each time one may have finished
    (a result without ``response`` or ``error`` is still waited for).
    """
    exchanges = [_start(query, tries) for query in queries]
    results = [x.result for x in exchanges]
    changed = partial(watch, results) if watch is not None else None
    if changed is not None:
        changed()
    _udp_all([x for x in exchanges if not x.needs_tcp], timeout, deadline, changed)
    over_tcp = [x for x in exchanges if x.needs_tcp and x.result.error is None]

    def tcp(x: _Exchange) -> None:
        _tcp(x, timeout=timeout, deadline=deadline)
        if changed is not None:
            changed()

    if parallel is not None:
        parallel(tcp, over_tcp)
    else:
        for x in over_tcp:
            tcp(x)
    return results


def _start(query: Query, tries: int) -> _Exchange:
    random = os.urandom(2 + COOKIE_SIZE)
    query_id = int.from_bytes(random[:2])
    wire = query_wire(query, query_id, random[2:])
    return _Exchange(
        query=query,
        result=QueryResult(query=query, started=datetime.now(UTC), sent=wire),
        query_id=query_id,
        wire=wire,
        # +tries/+retry asked for this query wins over the configured number.
        tries_left=max(1, query.options.tries or tries),
        # dig 9.18 asks ANY over TCP: answers are large and UDP ANY is abused.
        needs_tcp=query.options.tcp or query.rdtype == dns.rdatatype.ANY,
    )


def _store(
    result: QueryResult, reply: dns.message.Message, data: bytes, elapsed: float, transport: str
) -> None:
    result.response = reply
    result.wire = data
    result.wire_size = len(data)
    result.elapsed_ms = int(elapsed * 1000)
    result.transport = transport


def _expiration(timeout: float, deadline: float | None) -> float:
    end = time.monotonic() + timeout
    return end if deadline is None else min(end, deadline)


def _udp_all(
    exchanges: list[_Exchange],
    timeout: float,
    deadline: float | None,
    changed: Callable[[], None] | None = None,
) -> None:
    """Run every UDP try of ``exchanges``, at most ``MAX_IN_FLIGHT`` at a time; ``changed``
    after each wake-up (a reply, or a try that timed out)."""
    if not exchanges:
        return
    waiting = deque(exchanges)
    # poll(2) rather than a selectors.DefaultSelector: epoll costs two more system
    # calls per batch (create, close) and the selectors layer a dozen Python calls per
    # socket, some 10 µs per batch where a typical look-up sends one or two queries.
    poller = select.poll()
    flying: dict[int, _Exchange] = {}  # the UDP tries in flight, by file descriptor

    def launch(x: _Exchange) -> None:
        if not _send_try(x, timeout, deadline):
            return
        assert x.sock is not None
        fd = x.sock.fileno()
        poller.register(fd, select.POLLIN)
        flying[fd] = x

    def finish(x: _Exchange) -> None:
        assert x.sock is not None
        fd = x.sock.fileno()
        poller.unregister(fd)
        del flying[fd]
        x.sock.close()
        x.sock = None

    def refill() -> None:
        while waiting and len(flying) < MAX_IN_FLIGHT:
            launch(waiting.popleft())

    refill()
    while flying:
        active = list(flying.values())
        wait = min(x.expiration for x in active) - time.monotonic()
        # poll() counts whole milliseconds: round up, or it wakes just before a timeout.
        for fd, _ in poller.poll(max(0, math.ceil(wait * 1000))):
            # Any event is read: an error (ICMP port unreachable) surfaces from recv().
            x = flying[fd]
            if _receive(x):
                finish(x)
                if _refused_try(x):
                    launch(x)  # the next try, if any is left, as dig does
        now = time.monotonic()
        for x in active:
            if x.sock is not None and x.expiration <= now:
                finish(x)
                x.last_failure = timeout_error(x.query, x.expiration - x.begin)
                launch(x)  # the next try, if any is left
        refill()
        if changed is not None:
            changed()


def _refused_try(x: _Exchange) -> bool:
    """Whether ``x``'s try just ended without a reply, an error or a switch to TCP."""
    over = x.result.response is not None or x.result.error is not None or x.needs_tcp
    return x.last_failure is not None and not over


def _send_try(x: _Exchange, timeout: float, deadline: float | None) -> bool:
    """Start the next UDP try of ``x``; False (with the error set) when none is left."""
    if x.tries_left <= 0 or (deadline is not None and time.monotonic() >= deadline):
        _fail(x, x.last_failure or timeout_error(x.query, timeout), "udp")
        return False
    x.tries_left -= 1
    if x.last_failure is not None:
        # dig reports each try that failed before it tries again.
        x.result.warnings.append(x.last_failure.dig_line)
    x.begin = time.monotonic()
    x.expiration = _expiration(x.query.options.timeout or timeout, deadline)
    sock = _socket(x.query, socket.SOCK_DGRAM)
    sock.setblocking(False)
    try:
        # A connected socket makes the kernel drop datagrams from other
        # sources and report ICMP port-unreachable as ECONNREFUSED.
        sock.connect((x.query.server.address, x.query.server.port))
        sock.send(x.wire)
    except OSError as exc:
        sock.close()
        _fail(x, socket_error(x.query, exc), "udp")
        return False
    x.sock = sock
    return True


def _receive(x: _Exchange) -> bool:
    """Read one datagram for ``x``; True when its UDP part is over (answer or failure)."""
    assert x.sock is not None
    try:
        data = x.sock.recv(MAX_MESSAGE)
    except BlockingIOError:
        return False
    except ConnectionRefusedError as exc:
        # ICMP port unreachable: dig counts it as a failed try and tries again.
        x.last_failure = socket_error(x.query, exc)
        return True
    except OSError as exc:
        _fail(x, socket_error(x.query, exc), "udp")
        return True
    try:
        reply = parse_reply(data, x.query_id, x.query, x.result.warnings)
    except Failure as failure:
        _fail(x, failure.error, "udp")
        return True
    if reply is None:
        return False  # not the answer to this question: keep waiting
    if reply.flags & dns.flags.TC:
        x.result.warnings.append(TRUNCATED)
        x.needs_tcp = True
        x.wire = x.result.resent = retry_wire(x.query, x.wire, reply)
    else:
        _store(x.result, reply, data, time.monotonic() - x.begin, "udp")
    return True


def _fail(x: _Exchange, error: QueryError, transport: str) -> None:
    x.result.error = error
    x.result.transport = transport


def _tcp(x: _Exchange, *, timeout: float, deadline: float | None) -> None:
    try:
        reply, data, elapsed = _tcp_exchange(
            x.query_id,
            x.wire,
            x.query,
            _expiration(x.query.options.timeout or timeout, deadline),
            x.result.warnings,
        )
    except Failure as failure:
        _fail(x, failure.error, "tcp")
    else:
        _store(x.result, reply, data, elapsed, "tcp")


def _tcp_exchange(
    query_id: int,
    wire: bytes,
    query: Query,
    expiration: float,
    warnings: list[str],
) -> tuple[dns.message.Message, bytes, float]:
    server = query.server
    begin = time.monotonic()
    with _socket(query, socket.SOCK_STREAM) as sock, _failures(query, begin, expiration):
        sock.settimeout(_remaining(expiration, query))
        try:
            sock.connect((server.address, server.port))
        except TimeoutError:
            raise
        except OSError as exc:
            raise Failure(socket_error(query, exc, connecting=True)) from exc
        sock.sendall(struct.pack("!H", len(wire)) + wire)
        (length,) = struct.unpack("!H", _read_exactly(sock, 2, expiration, query))
        data = _read_exactly(sock, length, expiration, query)
        reply = parse_reply(data, query_id, query, warnings)
        if reply is None:
            # Over TCP there is no second datagram to wait for.
            raise Failure(
                QueryError(
                    ErrorKind.MALFORMED,
                    Message(
                        "{server} sent a TCP reply that does not answer the question.",
                        server=query.server.label,
                    ),
                    f";; communications error to {query.server.endpoint()}: "
                    "reply does not match query",
                )
            )
        return reply, data, time.monotonic() - begin


def _socket(query: Query, kind: socket.SocketKind) -> socket.socket:
    family = socket.AF_INET6 if query.server.family == 6 else socket.AF_INET
    return socket.socket(family, kind)


@contextmanager
def _failures(query: Query, begin: float, expiration: float) -> Iterator[None]:
    """Turn socket exceptions into :class:`Failure` with a readable error."""
    try:
        yield
    except TimeoutError as exc:
        raise Failure(timeout_error(query, expiration - begin)) from exc
    except Failure:
        raise
    except OSError as exc:
        raise Failure(socket_error(query, exc)) from exc


def _read_exactly(sock: socket.socket, count: int, expiration: float, query: Query) -> bytes:
    chunks = bytearray()
    while len(chunks) < count:
        # Re-arm the timeout from the absolute deadline on every read, so a
        # server sending one byte at a time still finishes by the deadline.
        sock.settimeout(_remaining(expiration, query))
        chunk = sock.recv(count - len(chunks))
        if not chunk:
            raise Failure(
                QueryError(
                    ErrorKind.MALFORMED,
                    Message(
                        "{server} closed the TCP connection before the reply was complete.",
                        server=query.server.label,
                    ),
                    f";; communications error to {query.server.endpoint()}: end of file",
                )
            )
        chunks += chunk
    return bytes(chunks)


def _remaining(expiration: float, query: Query) -> float:
    left = expiration - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left
