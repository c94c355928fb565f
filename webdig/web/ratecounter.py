"""Counting requests and queries against rate limits, in Redis or in memory.

Limits are fixed windows, written as the ``limits`` library reads them
(``30/minute;300/hour``).  With a Redis URL, ``limits`` counts in Redis, so
every gunicorn worker and every instance shares the counts; while Redis is
unreachable, :class:`RateCounter` counts in this process's memory instead
(refusing everyone, or counting nothing, would both be worse) and tries
Redis again every few seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from limits.util import WindowStats

RETRY_STORAGE_SECONDS = 5.0
"""How long to count in memory after a storage error before trying Redis again."""
STORAGE_TIMEOUT_SECONDS = 1.0
"""Connect and read timeout of the Redis client: a slow Redis must not stall requests."""
PRUNE_SECONDS = 10.0
"""How often the in-memory counts drop windows that have ended."""
T = TypeVar("T")


class _Limiter(Protocol):
    def hit(self, item: RateLimitItem, *identifiers: str) -> bool: ...

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats: ...


class MemoryWindows:
    """Fixed-window counts in this process's memory.

    ``limits``' own memory storage starts a timer thread to expire keys,
    again and again under load; a dictionary pruned in passing does the
    same work without threads.
    """

    def __init__(self) -> None:
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one hit; False when the window's amount was already used up."""
        now = time.time()
        key = item.key_for(*identifiers)
        with self._lock:
            if now >= self._next_prune:
                self._prune(now)
            end, count = self._counts.get(key, (0.0, 0))
            if end <= now:
                period = item.get_expiry()
                end, count = (now // period + 1) * period, 0
            if count >= item.amount:
                return False
            self._counts[key] = (end, count + 1)
            return True

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        """When the current window ends, and how many hits it has left."""
        now = time.time()
        with self._lock:
            end, count = self._counts.get(item.key_for(*identifiers), (0.0, 0))
        if end <= now:
            period = item.get_expiry()
            return WindowStats((now // period + 1) * period, item.amount)
        return WindowStats(end, max(0, item.amount - count))

    def _prune(self, now: float) -> None:
        self._counts = {key: entry for key, entry in self._counts.items() if entry[0] > now}
        self._next_prune = now + PRUNE_SECONDS


def parse_limits(text: str) -> list[RateLimitItem]:
    """``"30/minute;300/hour"`` as limit items (raises ValueError when unreadable)."""
    return parse_many(text)


class RateCounter:
    """Hits against limits; safe to share between threads."""

    def __init__(
        self,
        storage_uri: str | None = None,
        *,
        prefix: str = "webdig",
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self.prefix = prefix
        self._memory = MemoryWindows()
        self._shared: FixedWindowRateLimiter | None = None
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
            self._shared = FixedWindowRateLimiter(storage)
        self._on_error = on_error
        self._shared_down_until = 0.0

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one hit; False when ``item`` is already used up for ``identifiers``."""
        return bool(self._call(lambda limiter: limiter.hit(item, self.prefix, *identifiers)))

    def retry_after(self, item: RateLimitItem, *identifiers: str) -> int:
        """Whole seconds (at least 1) until the window of ``item`` for ``identifiers`` resets."""
        stats = self._call(
            lambda limiter: limiter.get_window_stats(item, self.prefix, *identifiers)
        )
        return max(1, int(stats.reset_time - time.time() + 0.999))

    def _call(self, action: Callable[[_Limiter], T]) -> T:
        shared = self._shared
        if shared is None or time.monotonic() < self._shared_down_until:
            return action(self._memory)
        try:
            return action(shared)
        except Exception as exc:  # any storage failure: Redis down, timeout, auth…
            self._shared_down_until = time.monotonic() + RETRY_STORAGE_SECONDS
            if self._on_error is not None:
                self._on_error(exc)
            return action(self._memory)
