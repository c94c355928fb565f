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
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypeVar

import dns.rdatatype

from webdig.engine.names import Hostname
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.result import ErrorKind, QueryError, QueryResult
from webdig.engine.transport import exchange_all
from webdig.language.message import Message
from webdig.settings import Settings

SHARED_THREADS = 64
"""Threads of the process-wide pool: the most a worker process ever runs for look-ups."""
LANES = 8
"""Tasks one request may have in the shared pool at once; the rest run in its own threads."""
CHECK_LANES = 12
"""The same for a renewal check: it waits on several names' web servers at once."""
_PREFIX = "webdig-query"
T = TypeVar("T")
R = TypeVar("R")

TargetGate = Callable[[str, int], "int | None"]


@dataclass(frozen=True)
class Progress:
    """Which servers a running request still waits for, for a page that says so meanwhile."""

    waiting: tuple[str, ...]
    """The servers (labels, in the order first asked) with a query still unanswered."""


Reporter = Callable[[Progress], None]
"""Told the request's :class:`Progress` whenever a query goes out or finishes."""
"""Asked before each packet or connection to ``(address, port)``: None to send it, or the
seconds until webdig may (a budget that protects other people's servers is spent)."""

_Key = tuple[str, int, int, str, int, QueryOptions]


class QuerySession:
    """Sends the queries of one request; safe to use from many threads."""

    def __init__(
        self,
        settings: Settings,
        *,
        deadline: float | None = None,
        gate: TargetGate | None = None,
        progress: Reporter | None = None,
        lanes: int = LANES,
    ) -> None:
        self.settings = settings
        self.deadline = deadline if deadline is not None else time.monotonic() + settings.deadline
        self.gate = gate
        """Budgets per target (the web app's, per client); None: no budget."""
        self.busy_for = 0
        """The longest wait a budget asked for, in seconds (0: nothing held back)."""
        self._lane_count = lanes
        self._lanes: threading.BoundedSemaphore | None = None
        """Made when a fan-out first needs it: most requests never fan out."""
        self.sent = 0
        """Queries actually sent (cache hits and skipped queries not counted)."""
        self.skipped = 0
        self._lock = threading.Lock()
        self._answers: dict[_Key, Future[QueryResult]] = {}
        self.progress = progress
        """Told which servers are still waited for (the page's progress line); None: nobody."""
        self._flying: list[QueryResult] = []

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
                    watch=self._watch if self.progress is not None else None,
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

    def _watch(self, results: Sequence[QueryResult]) -> None:
        """Tell :attr:`progress` the servers still waited for, across every batch in flight."""
        with self._lock:
            known = {id(result) for result in self._flying}
            self._flying.extend(r for r in results if id(r) not in known)
            self._flying = [r for r in self._flying if r.response is None and r.error is None]
            waiting = tuple(dict.fromkeys(str(r.query.server.label) for r in self._flying))
        if self.progress is not None:
            self.progress(Progress(waiting))

    def _claim(self, query: Query) -> tuple[Future[QueryResult], bool]:
        """The future holding ``query``'s answer, and whether the caller must send it."""
        key: _Key = (
            query.hostname.key,
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
        wait = None if over_budget else self.admit(query.server.address, query.server.port)
        if over_budget:
            future.set_result(self._skipped(query))
        elif wait is not None:
            future.set_result(self._rate_limited(query, wait))
        else:
            return future, True
        return future, False

    def admit(self, address: str, port: int) -> int | None:
        """Ask the budgets before sending to ``address#port``: None, or seconds to wait."""
        if self.gate is None:
            return None
        wait = self.gate(address, port)
        if wait is not None:
            with self._lock:
                self.busy_for = max(self.busy_for, wait)
        return wait

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Run ``work`` over ``items`` concurrently, keeping their order.

        The calling thread does the first item itself: it would only wait
        otherwise, and handing work to another thread costs more CPU than
        a query to a nearby server.  A request never has more than
        ``lanes`` tasks in the process's one pool (no request starts
        threads of its own); what finds no free lane runs in the calling
        thread before it waits for anything, and a task still queued when its
        result is wanted is taken back and run by the waiter, so nested
        fan-outs cannot deadlock.
        """
        listed = list(items)
        if len(listed) <= 1:
            return [work(item) for item in listed]
        lanes, pool = self._free_lanes(), _shared_pool()
        handed: list[Future[R] | None] = []
        for item in listed[1:]:
            if lanes.acquire(blocking=False):
                handed.append(pool.submit(self._in_lane, lanes, work, item))
            else:
                handed.append(None)
        done: dict[int, R] = {0: work(listed[0])}
        # Every item that found no lane before waiting for any other: waiting first would
        # leave this thread idle while work it must do anyway is still to start.
        for index, future in enumerate(handed, start=1):
            if future is None:
                done[index] = work(listed[index])
        for index, future in enumerate(handed, start=1):
            if future is None:
                continue
            if future.cancel():
                lanes.release()  # never started: its lane is free again
                done[index] = work(listed[index])
            else:
                done[index] = future.result()
        return [done[index] for index in range(len(listed))]

    def _free_lanes(self) -> threading.BoundedSemaphore:
        with self._lock:
            if self._lanes is None:
                self._lanes = threading.BoundedSemaphore(self._lane_count)
            return self._lanes

    @staticmethod
    def _in_lane(lanes: threading.BoundedSemaphore, work: Callable[[T], R], item: T) -> R:
        try:
            return work(item)
        finally:
            lanes.release()

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
                problems.append(
                    Message(
                        "The resolver answered {rcode} for {host}.",
                        rcode=result.rcode,
                        host=hostname.text,
                    )
                )
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
            Message(
                "Not sent: this look-up reached its limit of {count} queries.",
                count=self.settings.max_queries,
            ),
            ";; query not sent: webdig's per-request query budget is spent",
        )
        return QueryResult(query=query, started=datetime.now(UTC), error=error)

    def _rate_limited(self, query: Query, wait: int) -> QueryResult:
        error = QueryError(
            ErrorKind.BUSY,
            Message(
                "Not sent: webdig is busy; try again in {wait} s (webdig limits how many queries "
                "it sends to {address}, to protect other people's nameservers).",
                wait=wait,
                address=query.server.address,
            ),
            f";; query not sent: webdig is busy; try again in {wait} s",
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


def _as_asked(result: QueryResult, query: Query) -> QueryResult:
    if result.query.server.name != query.server.name:
        # Same address asked under another name: label the copy as asked.
        return _relabel(result, query)
    return result


def _relabel(result: QueryResult, query: Query) -> QueryResult:
    # Everything as received (the queries sent included, for +qr), under the name asked.
    return replace(result, query=query, warnings=list(result.warnings))
