"""Counting requests and queries against rate limits: this machine's store, or Redis.

Limits are written as the ``limits`` library reads them (``30/minute;300/hour``)
and counted over a moving window.  By default the counts live in a
:class:`~webdig.web.windowstore.WindowStore` shared by every worker of this
machine; with a Redis URL, ``limits``' moving window counts in Redis, so
every instance shares them.  While Redis is unreachable, counting falls back
to this machine's store (refusing everyone, or counting nothing, would both
be worse) and Redis is tried again every few seconds.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Sequence

from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from webdig.web.windowstore import Check, Slot, WindowStore

RETRY_STORAGE_SECONDS = 5.0
"""How long to count on this machine after a storage error before trying Redis again."""
STORAGE_TIMEOUT_SECONDS = 1.0
"""Connect and read timeout of the Redis client: a slow Redis must not stall requests."""

Limit = tuple[RateLimitItem, tuple[str, ...]]
"""A limit and the identifiers it is counted under (``("client", "192.0.2.1")``)."""


def parse_limits(text: str) -> list[RateLimitItem]:
    """``"30/minute;300/hour"`` as limit items (raises ValueError when unreadable)."""
    return parse_many(text)


class RateCounter:
    """Hits against limits; safe to share between threads."""

    def __init__(
        self,
        storage_uri: str | None = None,
        *,
        store: WindowStore | None = None,
        prefix: str = "webdig",
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self.prefix = prefix
        self.store = store if store is not None else WindowStore()
        """This machine's counts (and in-flight slots); the fallback when Redis is down."""
        self._shared: MovingWindowRateLimiter | None = None
        if storage_uri:
            storage = storage_from_string(
                storage_uri,
                socket_connect_timeout=STORAGE_TIMEOUT_SECONDS,
                socket_timeout=STORAGE_TIMEOUT_SECONDS,
            )
            if not isinstance(storage, Storage):
                raise ValueError(
                    f"{storage_uri} names an asyncio storage; webdig counts in threads"
                )
            self._shared = MovingWindowRateLimiter(storage)
        self._on_error = on_error
        self._shared_down_until = 0.0

    def admit(self, limits: Sequence[Limit], *, cost: int = 1) -> int | None:
        """Count ``cost`` hits against every limit, or none: None if admitted, else seconds
        to wait.  A limit is refused once used up; the hits that use it up count in full
        (on this machine's store; Redis refuses hits that would go over)."""
        shared = self._shared_up()
        if shared is not None:
            try:
                return self._admit_shared(shared, limits, cost)
            except Exception as exc:  # any storage failure: Redis down, timeout, auth…
                self._shared_failed(exc)
        return self.store.admit(self._keyed(limits), cost=max(1, cost))

    def admit_and_acquire(
        self, limits: Sequence[Limit], slot: Slot, *, ready: Callable[[], bool] = lambda: True
    ) -> tuple[int | None, int | None]:
        """:meth:`admit`, then, when admitted and ``ready()`` says yes, one of ``slot``'s
        in-flight slots in this machine's store (see :meth:`WindowStore.admit_and_acquire`,
        which does both in one turn when the counts are this machine's too)."""
        shared = self._shared_up()
        if shared is not None:
            try:
                wait = self._admit_shared(shared, limits)
            except Exception as exc:  # any storage failure: Redis down, timeout, auth…
                self._shared_failed(exc)
            else:
                if wait is not None or not ready():
                    return wait, None
                return None, self.store.acquire(slot.client, slot.limit, slot.hold)
        return self.store.admit_and_acquire(self._keyed(limits), slot, ready=ready)

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one hit of one limit; False when it is already used up."""
        return self.admit([(item, identifiers)]) is None

    def _shared_up(self) -> MovingWindowRateLimiter | None:
        """Redis's limiter, unless there is none or it failed a moment ago."""
        if self._shared is not None and time.monotonic() >= self._shared_down_until:
            return self._shared
        return None

    def _shared_failed(self, exc: Exception) -> None:
        self._shared_down_until = time.monotonic() + RETRY_STORAGE_SECONDS
        if self._on_error is not None:
            self._on_error(exc)

    def _keyed(self, limits: Sequence[Limit]) -> list[Check]:
        return [(item, _key(item, self.prefix, identifiers)) for item, identifiers in limits]

    def _admit_shared(
        self, shared: MovingWindowRateLimiter, limits: Sequence[Limit], cost: int = 1
    ) -> int | None:
        # Test all, then hit all: a refused request uses up none of its limits.
        # Two workers may both pass the test; the moving window stays exact.
        for item, identifiers in limits:
            if not shared.test(item, self.prefix, *identifiers, cost=min(cost, item.amount)):
                stats = shared.get_window_stats(item, self.prefix, *identifiers)
                return max(1, math.ceil(stats.reset_time - time.time()))
        for item, identifiers in limits:
            shared.hit(item, self.prefix, *identifiers, cost=min(cost, item.amount))
        return None


@functools.lru_cache(maxsize=8192)
def _key(item: RateLimitItem, prefix: str, identifiers: tuple[str, ...]) -> str:
    """``item``'s key for ``identifiers``: the same few clients and servers, over and over."""
    return item.key_for(prefix, *identifiers)
