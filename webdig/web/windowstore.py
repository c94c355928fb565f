"""Moving-window hit counts and in-flight requests in memory shared by every process of a machine.

gunicorn's workers are processes: counts kept in each one's memory let a
client through once per worker.  A file mapped into every worker's memory
(the path gunicorn.conf.py gives all workers of one master) holds the counts
instead; without a path the table lives in this process's memory.  Its layout
is :mod:`webdig.web.windowtable`'s.  Threads take turns with a lock, processes
with an ``flock`` on the file, each turn a few microseconds of reading and
writing memory.

A window is cut into 60 buckets.  A hit is allowed when the buckets that
overlap the last period (61 of them, so never less than the full period)
hold fewer hits than the limit: "30 per minute" then holds over any 60 s,
at the price of refusing up to one bucket (1/60 of the period) early.

The table has a fixed size: when every place a new key may take holds a
live window, the one holding the fewest hits is forgotten.  Its key may then
take that many hits again, the fewest any choice lets through.  Someone
spraying keys (many addresses, many target servers) can so give keys with few
hits a fresh start; the whole app's limit, which every look-up counts against,
holds the most hits and stays.  A client's in-flight slots lie in a run of
places shared with the clients hashed near it; when all of them are held,
the client is refused as if it held its own limit.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import hashlib
import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from limits import RateLimitItem

from webdig.web.windowtable import BUCKETS, RING, Window, WindowTable, open_memory

Check = tuple[RateLimitItem, str]
"""A limit and the key it is counted under."""


@dataclass(frozen=True)
class Slot:
    """In-flight slots to take one of: ``limit`` per ``client``, each held ``hold`` s at most."""

    client: str
    limit: int
    hold: float


class WindowStore:
    """Moving-window counts and in-flight slots; safe to share between threads."""

    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.Lock()
        self._path = path
        self._lock_file: tuple[int, int] | None = None
        """(pid, descriptor) of the open file: a forked process opens its own to lock."""
        with self._turn():
            descriptor = None if path is None else self._lock_descriptor(path)
            self._table = WindowTable(open_memory(descriptor))

    def admit(
        self, checks: Sequence[Check], now: float | None = None, *, cost: int = 1
    ) -> int | None:
        """Count ``cost`` hits against every check, or none: None if admitted, else seconds
        to wait.  A window is refused once used up; the hits that use it up count in full."""
        now = time.time() if now is None else now
        with self._turn():
            return self._count(checks, now, cost)

    def acquire(self, client: str, limit: int, hold: float, now: float | None = None) -> int | None:
        """Take one of ``limit`` in-flight slots of ``client`` for at most ``hold`` seconds.

        Returns the slot's token, or None when all are taken.  A slot left
        by a crashed worker frees itself after ``hold``.
        """
        now = time.time() if now is None else now
        with self._turn():
            return self._table.claim(_hash(client), limit, now + hold, now)

    def admit_and_acquire(
        self,
        checks: Sequence[Check],
        slot: Slot,
        *,
        ready: Callable[[], bool] = lambda: True,
        now: float | None = None,
    ) -> tuple[int | None, int | None]:
        """:meth:`admit`, then, when admitted and ``ready()`` says yes, :meth:`acquire`, in
        one turn at the store (what every look-up request does: one turn, not two).

        Returns (seconds to wait, None) when a window refuses (nothing counted), else
        (None, the slot's token, or None when ``ready()`` said no or all slots are taken;
        the hit counts either way, as with :meth:`admit` then :meth:`acquire`).
        """
        now = time.time() if now is None else now
        with self._turn():
            wait = self._count(checks, now)
            if wait is not None or not ready():
                return wait, None
            return None, self._table.claim(_hash(slot.client), slot.limit, now + slot.hold, now)

    def release(self, token: int) -> None:
        """Give back the in-flight slot ``token``."""
        with self._turn():
            self._table.release(token)

    def _count(self, checks: Sequence[Check], now: float, cost: int = 1) -> int | None:
        # Test all, then hit all: a refused request counts nothing.  One key listed twice
        # is one window, read once and hit twice.
        windows: dict[str, Window] = {}
        wait = 0.0
        for item, key in checks:
            window = windows.get(key)
            if window is None:
                window = windows[key] = self._table.read(_hash(key), now)
            width = item.get_expiry() / BUCKETS
            current = math.floor(now / width)
            used = _used(window, current)
            if used >= item.amount:
                rows = _buckets(window, current)
                wait = max(wait, _until_room(rows, used - item.amount + 1, width, now))
        if wait > 0:
            return max(1, math.ceil(wait))
        for item, key in checks:
            width = item.get_expiry() / BUCKETS
            self._table.hit(windows[key], math.floor(now / width), width, now, cost)
        return None

    def _turn(self) -> _Turn:
        """This thread's turn at the table: the process's lock, then the machine's."""
        return _Turn(self)

    def _lock_descriptor(self, path: str) -> int:
        # A forked child shares its parent's open file, and with it the parent's flock:
        # each process opens its own.
        pid = _PID.value
        if self._lock_file is None or self._lock_file[0] != pid:
            self._lock_file = (pid, os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._lock_file[1]


class _Turn:
    """A context manager rather than a generator: it is entered twice per request."""

    def __init__(self, store: WindowStore) -> None:
        self._store = store
        self._descriptor: int | None = None

    def __enter__(self) -> None:
        store = self._store
        store._lock.acquire()
        if store._path is not None:
            try:
                self._descriptor = store._lock_descriptor(store._path)
                _lock_file(self._descriptor)
            except BaseException:
                store._lock.release()
                raise

    def __exit__(self, *exc: object) -> None:
        try:
            if self._descriptor is not None:
                _unlock_file(self._descriptor)
        finally:
            self._store._lock.release()


# flock through ctypes.PyDLL, whose calls keep the GIL.  fcntl.flock lets the GIL go for the
# call, and a thread that got the file lock then waited for the GIL again (up to the 5 ms
# switch interval, while its worker's other threads ran) holding the lock every other
# worker's look-ups queue on: under wrk with 2 workers that cost a quarter of the
# throughput.  Held with the GIL, the turn is the few microseconds of memory work.
_LIBC = ctypes.PyDLL(None, use_errno=True)
_FLOCK = _LIBC.flock
_FLOCK.argtypes = (ctypes.c_int, ctypes.c_int)
_FLOCK.restype = ctypes.c_int


def _lock_file(descriptor: int) -> None:
    """Take the machine's lock: at once if it is free, keeping the GIL; else wait for it."""
    if _FLOCK(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB) == 0:
        return
    failure = ctypes.get_errno()
    if failure not in (errno.EWOULDBLOCK, errno.EINTR):
        raise OSError(failure, os.strerror(failure))
    # Another worker holds it: wait without the GIL (blocking, and the lock goes with its
    # process if that dies).
    fcntl.flock(descriptor, fcntl.LOCK_EX)


def _unlock_file(descriptor: int) -> None:
    """Give the machine's lock back (never blocks, so the GIL is kept)."""
    if _FLOCK(descriptor, fcntl.LOCK_UN) != 0:
        failure = ctypes.get_errno()
        raise OSError(failure, os.strerror(failure))


class _ProcessId:
    """This process's id, read again after a fork only (``os.getpid`` is a system call,
    asked at every turn)."""

    def __init__(self) -> None:
        self.value = os.getpid()
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self.value = os.getpid()


_PID = _ProcessId()


@functools.lru_cache(maxsize=8192)
def _hash(key: str) -> int:
    """64 bits of ``key``, where the table finds it (never 0, which marks a free place)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") or 1


def _used(window: Window, current: int) -> int:
    """Hits of ``window`` in the buckets overlapping the period up to bucket ``current``."""
    gone = current - window.newest  # buckets that left since the newest hit: the oldest ones
    if gone <= 0:
        return sum(window.counts)
    if gone >= RING:
        return 0
    counts = window.counts
    return sum(counts) - sum(counts[(window.newest + 1 + i) % RING] for i in range(gone))


def _buckets(window: Window, current: int) -> list[tuple[int, int]]:
    """(bucket, hits) of ``window`` overlapping the period up to ``current``, oldest first."""
    counts = window.counts
    first = max(window.newest, current) - BUCKETS
    return [(b, counts[b % RING]) for b in range(first, window.newest + 1) if counts[b % RING]]


def _until_room(rows: list[tuple[int, int]], needed: int, width: float, now: float) -> float:
    """Seconds until the oldest buckets holding ``needed`` hits leave the window."""
    dropped = 0
    for bucket, count in rows:
        dropped += count
        if dropped >= needed:
            return (bucket + BUCKETS + 1) * width - now
    return width * (BUCKETS + 1)
