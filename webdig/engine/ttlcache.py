"""A small thread-safe cache whose entries expire after their own number of seconds."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MAX_ENTRIES = 4096


class TtlCache(Generic[K, V]):
    """Values kept for a given time; the least recently used go first when full."""

    def __init__(
        self, max_entries: int = MAX_ENTRIES, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_entries = max_entries
        # Seconds on a monotonic scale; injectable so that tests move time instead of sleeping.
        self._clock = clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value stored under ``key``, or None when absent or expired."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires <= now:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V, seconds: float) -> None:
        """Keep ``value`` under ``key`` for ``seconds`` (nothing is kept for 0 or less)."""
        if seconds <= 0:
            return
        with self._lock:
            self._entries[key] = (self._clock() + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
