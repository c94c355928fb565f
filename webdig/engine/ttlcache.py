"""A small thread-safe cache whose entries expire after their own number of seconds.

:meth:`TtlCache.get_or_make` also merges fetches in flight: while one caller makes a
missing value, others asking for the same key wait for it instead of making it again.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar, cast

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MAX_ENTRIES = 4096

_MISSING = object()


class _Flight:
    """A value being made: its waiters wake when :attr:`done` is set."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: object = _MISSING
        """The value made; still missing when the maker failed."""


class TtlCache(Generic[K, V]):
    """Values kept for a given time; the least recently used go first when full."""

    def __init__(
        self, max_entries: int = MAX_ENTRIES, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_entries = max_entries
        # Seconds on a monotonic scale; injectable so that tests move time instead of sleeping.
        self._clock = clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._flights: dict[K, _Flight] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value stored under ``key``, or None when absent or expired."""
        with self._lock:
            value = self._fresh(key)
        return None if value is _MISSING else cast(V, value)

    def get_or_make(
        self,
        key: K,
        make: Callable[[], tuple[V, float]],
        *,
        deadline: float | None = None,
    ) -> V:
        """The value under ``key``; when there is none, ``make()`` gives it and its seconds.

        One caller at a time makes a key: others asking meanwhile wait for its value (two
        checks of one domain at the same moment fetch it once).  A waiter never waits past
        its own ``deadline`` (on ``time.monotonic()``'s scale, as the sessions' are: the
        wait is real, whatever clock the entries expire by); then it makes a value of its
        own, not kept, so an answer made under a spent deadline never replaces the one in
        flight.  When the maker fails, its waiters try again themselves.
        """
        while True:
            with self._lock:
                value = self._fresh(key)
                if value is not _MISSING:
                    return cast(V, value)
                flight = self._flights.get(key)
                leading = flight is None
                if flight is None:
                    flight = self._flights[key] = _Flight()
            if leading:
                return self._make(key, make, flight)
            wait = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not flight.done.wait(wait):
                return make()[0]
            if flight.value is not _MISSING:
                return cast(V, flight.value)

    def _make(self, key: K, make: Callable[[], tuple[V, float]], flight: _Flight) -> V:
        try:
            value, seconds = make()
            flight.value = value
            self.put(key, value, seconds)
        finally:
            # Kept (or not) before the flight ends: a caller arriving now finds the value.
            with self._lock:
                del self._flights[key]
            flight.done.set()
        return value

    def _fresh(self, key: K) -> object:
        """The unexpired value under ``key``, or ``_MISSING``; the lock is held."""
        entry = self._entries.get(key)
        if entry is None:
            return _MISSING
        expires, value = entry
        if expires <= self._clock():
            del self._entries[key]
            return _MISSING
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
