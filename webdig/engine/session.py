"""One request's queries: shared deadline, query budget, and no duplicate queries.

Every query a look-up sends, including the NS and address look-ups that
modes such as ``auth`` need, goes through one :class:`QuerySession`.  It
sends each distinct question to each server once (concurrent askers wait
for the same answer), stops sending when the request's budget or deadline
is spent, and counts what it sent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar

import dns.rdatatype

from webdig.engine.names import Hostname
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.result import ErrorKind, QueryError, QueryResult
from webdig.engine.transport import exchange_all
from webdig.settings import Settings

MAX_THREADS = 64
"""Queries in flight at once per nested fan-out."""
SHARED_THREADS = 256
"""Threads of the process-wide pool; 20 hostnames × 3 servers fit in one round."""
_PREFIX = "webdig-query"
T = TypeVar("T")
R = TypeVar("R")

_Key = tuple[str, int, int, str, int, QueryOptions]

TargetGate = Callable[[str], bool]
"""Asked before each query with the server address; False: over that target's rate limit."""


class QuerySession:
    """Sends the queries of one request; safe to use from many threads."""

    def __init__(
        self, settings: Settings, *, gate: TargetGate | None = None, deadline: float | None = None
    ) -> None:
        self.settings = settings
        self.gate = gate
        self.deadline = deadline if deadline is not None else time.monotonic() + settings.deadline
        self.sent = 0
        """Queries actually sent (cache hits and skipped queries not counted)."""
        self.skipped = 0
        self._lock = threading.Lock()
        self._answers: dict[_Key, Future[QueryResult]] = {}
        self._pool = _shared_pool()

    def close(self) -> None:
        """Forget this request's answers (the shared worker threads live on)."""
        self._answers.clear()

    def __enter__(self) -> QuerySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ask(self, query: Query) -> QueryResult:
        """Send ``query`` (or reuse the answer already on its way) and return the result."""
        return self.ask_all([query])[0]

    def ask_all(self, queries: Iterable[Query]) -> list[QueryResult]:
        """Ask every query at once (each distinct one sent once); results in the same order."""
        listed = list(queries)
        claims = [self._claim(query) for query in listed]
        to_send = [
            (query, future) for query, (future, send) in zip(listed, claims, strict=True) if send
        ]
        if to_send:
            try:
                results = exchange_all(
                    [query for query, _ in to_send],
                    timeout=self.settings.timeout,
                    tries=self.settings.tries,
                    deadline=self.deadline,
                    parallel=self.map,
                )
            except BaseException as exc:  # pragma: no cover - exchange returns errors as data
                for _, future in to_send:
                    future.set_exception(exc)
                raise
            for (_, future), result in zip(to_send, results, strict=True):
                future.set_result(result)
        return [
            _as_asked(future.result(), query)
            for query, (future, _) in zip(listed, claims, strict=True)
        ]

    def _claim(self, query: Query) -> tuple[Future[QueryResult], bool]:
        """The future holding ``query``'s answer, and whether the caller must send it."""
        key: _Key = (
            query.hostname.ascii.lower(),
            int(query.rdtype),
            int(query.rdclass),
            query.server.address,
            query.server.port,
            query.options,
        )
        with self._lock:
            future = self._answers.get(key)
            if future is not None:
                return future, False  # asked already, by this or another thread
            future = Future()
            self._answers[key] = future
            over_budget = self.sent >= self.settings.max_queries
            if over_budget:
                self.skipped += 1
            else:
                self.sent += 1
        gate = self.gate
        if over_budget:
            future.set_result(self._skipped(query))
        elif gate is not None and not gate(query.server.address):
            future.set_result(self._rate_limited(query))
        else:
            return future, True
        return future, False

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Run ``work`` over ``items`` concurrently, keeping their order.

        The calling thread does the first item itself: it would only wait
        otherwise, and handing work to another thread costs more CPU than
        a query to a nearby server.
        """
        listed = list(items)
        if len(listed) <= 1:
            return [work(item) for item in listed]
        if threading.current_thread().name.startswith(_PREFIX):
            # Nested fan-out from a pool worker: waiting on the same pool
            # could deadlock once every worker waits, so use a fresh one.
            size = min(MAX_THREADS, len(listed) - 1)
            with ThreadPoolExecutor(size, thread_name_prefix=_PREFIX) as nested:
                return _first_here(nested, work, listed)
        return _first_here(self._pool, work, listed)

    def addresses(self, hostname: Hostname, resolver: Server) -> tuple[list[str], list[str]]:
        """A and AAAA addresses of ``hostname`` through ``resolver``, and problems met."""
        queries = [
            Query(hostname, rdtype, resolver, QueryOptions())
            for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA)
        ]
        found: list[str] = []
        problems: list[str] = []
        for query, result in zip(queries, self.ask_all(queries), strict=True):
            if result.error is not None:
                problems.append(result.error.message)
            elif result.rcode != "NOERROR":
                problems.append(f"the resolver answered {result.rcode}")
            else:
                found.extend(
                    rdata.to_text()
                    for rrset in result.answer
                    if rrset.rdtype == query.rdtype
                    for rdata in rrset
                )
        return list(dict.fromkeys(found)), list(dict.fromkeys(problems))

    def _skipped(self, query: Query) -> QueryResult:
        error = QueryError(
            ErrorKind.SKIPPED,
            f"Not sent: this look-up reached its limit of {self.settings.max_queries} queries.",
            ";; query not sent: webdig's per-request query budget is spent",
        )
        return QueryResult(query=query, started=datetime.now(UTC), error=error)

    def _rate_limited(self, query: Query) -> QueryResult:
        error = QueryError(
            ErrorKind.SKIPPED,
            f"Not sent: webdig has sent too many queries to {query.server.address} in the last "
            "minute (a limit that protects other people's nameservers). Try again shortly.",
            ";; query not sent: per-nameserver rate limit reached",
        )
        return QueryResult(query=query, started=datetime.now(UTC), error=error)


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _shared_pool() -> ThreadPoolExecutor:
    """One pool per process, created on first use (after gunicorn forks).

    Starting dozens of threads per request cost more than the queries
    themselves on a fast network; idle threads are cheap to keep.
    """
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(SHARED_THREADS, thread_name_prefix=_PREFIX)
        return _POOL


def _first_here(pool: ThreadPoolExecutor, work: Callable[[T], R], listed: list[T]) -> list[R]:
    """``pool.map`` over ``listed``, except that the calling thread does the first item."""
    futures = [pool.submit(work, item) for item in listed[1:]]
    first = work(listed[0])
    return [first, *(future.result() for future in futures)]


def _as_asked(result: QueryResult, query: Query) -> QueryResult:
    if result.query.server.name != query.server.name:
        # Same address asked under another name: label the copy as asked.
        return _relabel(result, query)
    return result


def _relabel(result: QueryResult, query: Query) -> QueryResult:
    return QueryResult(
        query=query,
        started=result.started,
        response=result.response,
        wire_size=result.wire_size,
        transport=result.transport,
        elapsed_ms=result.elapsed_ms,
        error=result.error,
        warnings=list(result.warnings),
    )
