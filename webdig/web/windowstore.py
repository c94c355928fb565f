"""Moving-window hit counts and in-flight requests in SQLite, shared by every process of a machine.

gunicorn's workers are processes: counts kept in each one's memory let a
client through once per worker.  A small SQLite file (the path gunicorn.conf.py
gives all workers of one master) holds the counts instead; without a path the
database lives in this process's memory.  One connection per process, used
under a lock.  Processes take turns with an ``flock`` on a file next to the
database (``<path>.lock``): the kernel wakes the next one as soon as the lock
is free, where SQLite's own busy handler would poll, sleeping 1 ms and more
while every thread of that worker queues behind it.

A window is cut into 60 buckets.  A hit is allowed when the buckets that
overlap the last period (61 of them, so never less than the full period)
hold fewer hits than the limit: "30 per minute" then holds over any 60 s,
at the price of refusing up to one bucket (1/60 of the period) early.
"""

from __future__ import annotations

import fcntl
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItem

BUCKETS = 60
"""Buckets per window period."""
BUSY_TIMEOUT_MS = 2000
"""How long a process waits for another one's write before giving up."""
PRUNE_SECONDS = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS hits (
    key TEXT NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL, expires REAL NOT NULL,
    PRIMARY KEY (key, bucket)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hits_expires ON hits (expires);
CREATE TABLE IF NOT EXISTS inflight (
    token INTEGER PRIMARY KEY, client TEXT NOT NULL, expires REAL NOT NULL
);
DROP INDEX IF EXISTS inflight_client;
"""
# No index on inflight.client: its rows are the requests running right now (and a few
# expired ones until the next prune), so counting a client's scans a handful of rows, while
# an index is one more B-tree written on every request and every release.

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
        self._db = sqlite3.connect(
            path or ":memory:", timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
            isolation_level=None,
        )  # fmt: skip
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path:
            # Counts are worth nothing after a crash: no fsync, a write-ahead log.
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = OFF")
        self._lock_path = f"{path}.lock" if path else None
        self._lock_file: tuple[int, int] | None = None
        """(pid, descriptor) of the open lock file: a forked process opens its own."""
        with self._turn():
            self._db.executescript(_SCHEMA)
        self._next_prune = 0.0

    def admit(self, checks: Sequence[Check], now: float | None = None) -> int | None:
        """Count one hit against every check, or none: None if admitted, else seconds to wait."""
        now = time.time() if now is None else now
        with self._turn(), self._transaction():
            self._prune(now)
            return self._count(checks, now)

    def acquire(self, client: str, limit: int, hold: float, now: float | None = None) -> int | None:
        """Take one of ``limit`` in-flight slots of ``client`` for at most ``hold`` seconds.

        Returns the slot's token, or None when all are taken.  A slot left
        by a crashed worker frees itself after ``hold``.
        """
        now = time.time() if now is None else now
        with self._turn(), self._transaction():
            self._prune(now)
            return self._claim(client, limit, hold, now)

    def admit_and_acquire(
        self,
        checks: Sequence[Check],
        slot: Slot,
        *,
        ready: Callable[[], bool] = lambda: True,
        now: float | None = None,
    ) -> tuple[int | None, int | None]:
        """:meth:`admit`, then, when admitted and ``ready()`` says yes, :meth:`acquire`, in
        one turn at the database (what every look-up request does: one turn, not two).

        Returns (seconds to wait, None) when a window refuses (nothing counted), else
        (None, the slot's token, or None when ``ready()`` said no or all slots are taken;
        the hit counts either way, as with :meth:`admit` then :meth:`acquire`).
        """
        now = time.time() if now is None else now
        with self._turn(), self._transaction():
            self._prune(now)
            wait = self._count(checks, now)
            if wait is not None or not ready():
                return wait, None
            return None, self._claim(slot.client, slot.limit, slot.hold, now)

    def _count(self, checks: Sequence[Check], now: float) -> int | None:
        wait = 0.0
        for item, key in checks:
            width = item.get_expiry() / BUCKETS
            first = math.floor(now / width) - BUCKETS
            # The sum alone, in SQLite: the buckets themselves only matter when refusing.
            (used,) = self._db.execute(
                "SELECT COALESCE(SUM(count), 0) FROM hits WHERE key = ? AND bucket >= ?",
                (key, first),
            ).fetchone()
            if used >= item.amount:
                rows = self._db.execute(
                    "SELECT bucket, count FROM hits WHERE key = ? AND bucket >= ? ORDER BY bucket",
                    (key, first),
                ).fetchall()
                wait = max(wait, _until_room(rows, used - item.amount + 1, width, now))
        if wait > 0:
            return max(1, math.ceil(wait))
        for item, key in checks:
            width = item.get_expiry() / BUCKETS
            current = math.floor(now / width)
            self._db.execute(
                "INSERT INTO hits VALUES (?, ?, 1, ?) "
                "ON CONFLICT (key, bucket) DO UPDATE SET count = count + 1",
                (key, current, (current + BUCKETS + 1) * width),
            )
        return None

    def _claim(self, client: str, limit: int, hold: float, now: float) -> int | None:
        (taken,) = self._db.execute(
            "SELECT COUNT(*) FROM inflight WHERE client = ? AND expires > ?", (client, now)
        ).fetchone()
        if taken >= limit:
            return None
        cursor = self._db.execute(
            "INSERT INTO inflight (client, expires) VALUES (?, ?)", (client, now + hold)
        )
        return cursor.lastrowid

    def release(self, token: int) -> None:
        """Give back the in-flight slot ``token``."""
        with self._turn():
            self._db.execute("DELETE FROM inflight WHERE token = ?", (token,))

    def _prune(self, now: float) -> None:
        """Now and then, drop the buckets and slots that have expired (they no longer count)."""
        if now >= self._next_prune:
            self._db.execute("DELETE FROM hits WHERE expires <= ?", (now,))
            self._db.execute("DELETE FROM inflight WHERE expires <= ?", (now,))
            self._next_prune = now + PRUNE_SECONDS

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """This thread's turn at the database: the process's lock, then the machine's."""
        with self._lock:
            if self._lock_path is None:
                yield
                return
            descriptor = self._lock_descriptor(self._lock_path)
            # Blocking: the holder only runs a few statements (SQLite's busy timeout
            # still bounds them), and the lock goes with its process if that dies.
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)

    def _lock_descriptor(self, path: str) -> int:
        # A forked child shares its parent's open file, and with it the parent's flock:
        # each process opens its own.
        pid = os.getpid()
        if self._lock_file is None or self._lock_file[0] != pid:
            self._lock_file = (pid, os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._lock_file[1]

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: the read and the write of a hit are one step."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _until_room(rows: list[tuple[int, int]], needed: int, width: float, now: float) -> float:
    """Seconds until the oldest buckets holding ``needed`` hits leave the window."""
    dropped = 0
    for bucket, count in rows:
        dropped += count
        if dropped >= needed:
            return (bucket + BUCKETS + 1) * width - now
    return width * (BUCKETS + 1)
