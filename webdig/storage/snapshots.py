"""Saved results: store one, read one back, forget the expired ones.

A snapshot is what the JSON API returned for a look-up or a check (``body``)
plus the raw DNS replies it was built from (``replies``), so a later rendering
can re-read every message.  Both are kept zlib-compressed; the replies are
framed as DNS over TCP frames them (a two-byte length before each message).

Database failures never escape as driver errors: saving or reading raises
:class:`StorageUnavailable`, and the caller answers "saving is unavailable
right now" while look-ups go on.
"""

from __future__ import annotations

import json
import re
import secrets
import struct
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from webdig.errors import WebdigError
from webdig.storage import migrate
from webdig.storage.database import create_engine, database_url
from webdig.storage.schema import snapshots

T = TypeVar("T")

ID_BYTES = 18
"""Random bytes per id: 144 bits, 24 URL-safe characters, never guessable or enumerable."""
_ID = re.compile(r"[A-Za-z0-9_-]{24}")

BODY_FORMAT = 1
"""Version of what ``body`` holds; a later webdig that changes it can still read old rows."""

SWEEP_EVERY = 3600.0
"""Seconds between two sweeps of expired snapshots by one process."""

CACHED = 256
"""Snapshots each process keeps in memory once read: they never change, so a link that is
opened by many people (or polled) is read from the database once."""
CACHED_BYTES = 32 * 1024 * 1024
"""Their uncompressed JSON and replies together, at most: 512 KB compressed can hold 18 MB
of JSON (repeated TXT records from a nameserver of the saver's own), ~35 MB in memory once
parsed, and 256 of those would be 9 GB per worker."""
CACHED_ONE = CACHED_BYTES // 8
"""A larger snapshot is read from the database each time, never kept."""


class SnapshotKind(StrEnum):
    """What was saved: a look-up (``/``) or a renewal check (``/check``)."""

    LOOKUP = "lookup"
    CHECK = "check"


class StorageError(WebdigError):
    """Base of the errors of saving and reading snapshots."""


class StorageUnavailable(StorageError):
    """The database cannot be reached, is read-only or full: saving is unavailable right now."""


class StorageFull(StorageUnavailable):
    """The snapshots kept already take the whole quota: saving is unavailable until some expire."""


class SnapshotTooLarge(StorageError):
    """The result is larger than a snapshot may be, even compressed."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the result is {size} bytes compressed; at most {limit} can be saved")
        self.size = size
        self.limit = limit


@dataclass(frozen=True)
class Snapshot:
    """One saved result."""

    id: str
    kind: SnapshotKind
    created: datetime
    """When the result was seen (UTC)."""
    version: str
    """The webdig version that produced it."""
    body: dict[str, Any]
    """What the JSON API returned for it."""
    replies: tuple[bytes, ...]
    """The raw DNS replies, in wire format, as ``body`` numbers them."""


def is_snapshot_id(text: str) -> bool:
    """Whether ``text`` has the shape of a snapshot id (cheap check before any query)."""
    return _ID.fullmatch(text) is not None


def new_id() -> str:
    """A fresh random id."""
    return secrets.token_urlsafe(ID_BYTES)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SnapshotStore:
    """Snapshots in one database; safe to share between a worker's threads."""

    def __init__(
        self,
        engine: Engine,
        *,
        days: float,
        max_bytes: int,
        quota_bytes: int | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.engine = engine
        self.days = days
        self.max_bytes = max_bytes
        self.quota_bytes = quota_bytes
        """The most the kept snapshots may take together, compressed (None: no bound)."""
        self._clock = clock
        self._ready = False
        self._lock = threading.Lock()
        self._last_sweep = -SWEEP_EVERY
        self._cache: OrderedDict[str, tuple[Snapshot, int]] = OrderedDict()
        self._cached_bytes = 0

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], instance_path: str, environ: Mapping[str, str]
    ) -> SnapshotStore:
        """The store an app's config describes: ``DATABASE_URL`` (config, else environment;
        unset: SQLite in ``instance_path``), ``SNAPSHOT_DAYS``, ``SNAPSHOT_MAX_BYTES`` and
        ``SNAPSHOT_QUOTA_MB`` (0: no bound)."""
        configured = config.get("DATABASE_URL") or environ.get("DATABASE_URL")
        quota = float(config["SNAPSHOT_QUOTA_MB"])
        return cls(
            create_engine(database_url(configured, instance_path)),
            days=float(config["SNAPSHOT_DAYS"]),
            max_bytes=int(config["SNAPSHOT_MAX_BYTES"]),
            quota_bytes=int(quota * 1024 * 1024) if quota > 0 else None,
        )

    def ensure_schema(self) -> None:
        """Upgrade the database to this webdig's schema, once per process.

        Called at start-up; if the database is down then, the first save tries again.
        """
        if self._ready:
            return
        with self._lock:
            if not self._ready:
                try:
                    migrate.upgrade(self.engine)
                except (SQLAlchemyError, OSError) as exc:
                    raise StorageUnavailable(str(exc)) from exc
                self._ready = True

    def save(
        self,
        kind: SnapshotKind,
        body: dict[str, Any],
        replies: Sequence[bytes],
        version: str,
        *,
        charge: Callable[[int], None] | None = None,
    ) -> Snapshot:
        """Store a result; return it with its new id and time.

        ``charge`` is told the compressed size before anything is written, and may refuse
        by raising (a per-client budget); :class:`StorageFull` when the quota has no room.
        """
        plain_body, plain_replies = _json_bytes(body), frame(replies)
        packed_body = zlib.compress(plain_body)
        packed_replies = zlib.compress(plain_replies)
        size = len(packed_body) + len(packed_replies)
        if size > self.max_bytes:
            raise SnapshotTooLarge(size, self.max_bytes)
        if charge is not None:
            charge(size)
        snapshot = Snapshot(new_id(), kind, self._clock(), version, body, tuple(replies))
        self.ensure_schema()
        if self.quota_bytes is not None and self.kept_bytes() + size > self.quota_bytes:
            raise StorageFull(f"the snapshots kept take the whole {self.quota_bytes} bytes")
        insert = snapshots.insert().values(
            id=snapshot.id,
            kind=kind.value,
            created=snapshot.created,
            version=version,
            body_format=BODY_FORMAT,
            body=packed_body,
            replies=packed_replies,
        )
        self._run(lambda connection: connection.execute(insert), write=True)
        self._remember(snapshot, len(plain_body) + len(plain_replies))
        self._sweep_now_and_then()
        return snapshot

    def load(self, snapshot_id: str) -> Snapshot | None:
        """The snapshot with ``snapshot_id``; None if there is none (or it expired)."""
        if not is_snapshot_id(snapshot_id):
            return None
        cutoff = self._cutoff()
        with self._lock:
            kept = self._cache.get(snapshot_id)
            if kept is not None:
                self._cache.move_to_end(snapshot_id)
        cached = kept[0] if kept is not None else None
        if cached is not None:
            return cached if cached.created >= cutoff else None
        self.ensure_schema()
        query = sa.select(snapshots).where(
            snapshots.c.id == snapshot_id, snapshots.c.created >= cutoff
        )
        row = self._run(lambda connection: connection.execute(query).first())
        if row is None:
            return None
        created = row.created if row.created.tzinfo else row.created.replace(tzinfo=UTC)
        plain_body, plain_replies = zlib.decompress(row.body), zlib.decompress(row.replies)
        snapshot = Snapshot(
            id=row.id,
            kind=SnapshotKind(row.kind),
            created=created.astimezone(UTC),
            version=row.version,
            body=json.loads(plain_body),
            replies=unframe(plain_replies),
        )
        self._remember(snapshot, len(plain_body) + len(plain_replies))
        return snapshot

    def kept_bytes(self) -> int:
        """What the snapshots not yet expired take together, compressed."""
        self.ensure_schema()
        taken = sa.func.coalesce(
            sa.func.sum(sa.func.length(snapshots.c.body) + sa.func.length(snapshots.c.replies)), 0
        )
        query = sa.select(taken).where(snapshots.c.created >= self._cutoff())
        return int(self._run(lambda connection: connection.execute(query).scalar_one()))

    def sweep(self) -> int:
        """Delete the snapshots older than the retention; return how many went."""
        self.ensure_schema()
        try:
            with self.engine.begin() as connection:
                done = connection.execute(
                    snapshots.delete().where(snapshots.c.created < self._cutoff())
                )
        except SQLAlchemyError as exc:
            raise StorageUnavailable(str(exc)) from exc
        return done.rowcount

    def _run(self, work: Callable[[sa.Connection], T], *, write: bool = False) -> T:
        """Run ``work`` on a pooled connection (in a transaction when ``write``).

        A connection that died with its server (a restart, a failover) is found
        out by the statement itself: then one fresh connection tries again, which
        spares every request a ping before it.
        """
        for attempt in (1, 2):
            try:
                with self.engine.begin() if write else self.engine.connect() as connection:
                    return work(connection)
            except DBAPIError as exc:
                if attempt == 1 and exc.connection_invalidated:
                    continue
                raise StorageUnavailable(str(exc)) from exc
            except SQLAlchemyError as exc:
                raise StorageUnavailable(str(exc)) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _remember(self, snapshot: Snapshot, size: int) -> None:
        """Keep ``snapshot`` (``size`` bytes uncompressed) in memory, within :data:`CACHED`
        snapshots and :data:`CACHED_BYTES`, forgetting the least recently read."""
        if size > CACHED_ONE:
            return
        with self._lock:
            if snapshot.id in self._cache:
                return
            self._cache[snapshot.id] = (snapshot, size)
            self._cached_bytes += size
            while len(self._cache) > CACHED or self._cached_bytes > CACHED_BYTES:
                self._cached_bytes -= self._cache.popitem(last=False)[1][1]

    def _cutoff(self) -> datetime:
        return self._clock() - timedelta(days=self.days)

    def _sweep_now_and_then(self) -> None:
        # Saving is what makes the table grow, so saves drive the sweep: at
        # most once an hour per process, and reads ignore expired rows anyway.
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_EVERY:
            return
        self._last_sweep = now
        try:
            self.sweep()
        except StorageUnavailable:
            self._last_sweep = now - SWEEP_EVERY / 2  # try again sooner


def _json_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def frame(messages: Sequence[bytes]) -> bytes:
    """DNS messages joined with a two-byte length before each (RFC 1035, 4.2.2)."""
    return b"".join(struct.pack("!H", len(message)) + message for message in messages)


def unframe(data: bytes) -> tuple[bytes, ...]:
    """The messages :func:`frame` joined."""
    messages, offset = [], 0
    while offset < len(data):
        (length,) = struct.unpack_from("!H", data, offset)
        messages.append(data[offset + 2 : offset + 2 + length])
        offset += 2 + length
    return tuple(messages)
