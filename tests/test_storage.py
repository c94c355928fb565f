"""Snapshots in SQLite and PostgreSQL: migrations, saving, reading, expiry and outages.

Every test that takes ``database_url`` runs once against each database.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.support.postgres import PostgresCluster
from webdig.storage import migrate
from webdig.storage.database import create_engine, database_url
from webdig.storage.snapshots import (
    Snapshot,
    SnapshotKind,
    SnapshotStore,
    SnapshotTooLarge,
    StorageUnavailable,
    frame,
    is_snapshot_id,
    unframe,
)

REPLIES = (b"\x12\x34\x81\x80" + bytes(8), b"", bytes(range(256)) * 3)
BODY = {"query": {"hostnames": ["www.example.jp"]}, "note": "日本語 <b>&"}


class Clock:
    """A settable UTC clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 1, 2, 3, 456789, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


EngineFor = Callable[[str], Engine]
StoreFor = Callable[..., SnapshotStore]


@pytest.fixture
def engine_for() -> Iterator[EngineFor]:
    """Engines for DATABASE_URL values, disposed (connections closed) after the test."""
    engines: list[Engine] = []

    def make(url: str) -> Engine:
        engines.append(create_engine(database_url(url, "/nonexistent")))
        return engines[-1]

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def store_for(engine_for: EngineFor) -> StoreFor:
    """Stores on a DATABASE_URL, with a fixed clock unless one is given."""

    def make(url: str, clock: Clock | None = None, **options: int) -> SnapshotStore:
        return SnapshotStore(
            engine_for(url),
            days=options.get("days", 30),
            max_bytes=options.get("max_bytes", 512 * 1024),
            clock=clock or Clock(),
        )

    return make


def table_names(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def index_names(engine: Engine) -> set[str]:
    return {str(index["name"]) for index in sa.inspect(engine).get_indexes("snapshots")}


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        (None, "sqlite:////srv/instance/webdig.sqlite3"),
        ("", "sqlite:////srv/instance/webdig.sqlite3"),
        ("postgres://u:p@db:5432/x", "postgresql+psycopg://u:p@db:5432/x"),
        ("postgresql://u@db/x", "postgresql+psycopg://u@db/x"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg://u@db/x"),
        ("sqlite:////var/lib/webdig.db", "sqlite:////var/lib/webdig.db"),
    ],
)
def test_database_url(configured: str | None, expected: str) -> None:
    assert database_url(configured, "/srv/instance") == expected


def test_upgrade_from_empty_and_downgrade(database_url: str, engine_for: EngineFor) -> None:
    engine = engine_for(database_url)
    assert migrate.current(engine) is None
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head() == "0002"
    assert "snapshots" in table_names(engine)
    assert "ix_snapshots_created" in index_names(engine)
    migrate.downgrade(engine, "0001")
    assert index_names(engine_for(database_url)) == set()
    migrate.downgrade(engine, "base")
    assert migrate.current(engine) is None
    assert "snapshots" not in table_names(engine_for(database_url))


def test_upgrade_keeps_rows_saved_under_the_first_schema(
    database_url: str, engine_for: EngineFor, store_for: StoreFor
) -> None:
    engine = engine_for(database_url)
    migrate.upgrade(engine, "0001")
    old = store_for(database_url)
    # The store would upgrade on first use; mark it ready to write as a 0001-era webdig did.
    old._ready = True
    saved = [old.save(SnapshotKind.LOOKUP, {**BODY, "n": n}, REPLIES, "0.0.9") for n in range(3)]
    assert migrate.current(engine) == "0001"

    migrate.upgrade(engine)

    assert migrate.current(engine) == "0002"
    new = store_for(database_url)
    for snapshot in saved:
        assert new.load(snapshot.id) == snapshot


def test_save_and_load_round_trip(database_url: str, store_for: StoreFor) -> None:
    store = store_for(database_url)
    saved = store.save(SnapshotKind.CHECK, BODY, REPLIES, "0.1.0")
    loaded = store_for(database_url).load(saved.id)
    assert loaded == saved
    assert loaded == Snapshot(saved.id, SnapshotKind.CHECK, Clock().now, "0.1.0", BODY, REPLIES)
    assert loaded.created.tzinfo is UTC


def test_rows_hold_no_client_data(database_url: str, store_for: StoreFor) -> None:
    store = store_for(database_url)
    store.ensure_schema()
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("snapshots")}
    assert columns == {"id", "kind", "created", "version", "body_format", "body", "replies"}


@pytest.mark.parametrize(
    "snapshot_id",
    ["", "x", "A" * 24, "A" * 23 + "!", "../../etc/passwd", "A" * 25, "' OR 1=1 --"],
)
def test_unknown_and_malformed_ids_find_nothing(
    database_url: str, snapshot_id: str, store_for: StoreFor
) -> None:
    store = store_for(database_url)
    store.save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0")
    assert store.load(snapshot_id) is None


def test_ids_are_random_and_url_safe(database_url: str, store_for: StoreFor) -> None:
    store = store_for(database_url)
    ids = {store.save(SnapshotKind.LOOKUP, BODY, (), "0.1.0").id for _ in range(20)}
    assert len(ids) == 20
    assert all(is_snapshot_id(i) for i in ids)
    # 24 base64url characters: 144 random bits, nothing sequential to walk.
    assert len({i[:4] for i in ids}) > 15


def test_too_large_results_are_refused(database_url: str, store_for: StoreFor) -> None:
    store = store_for(database_url, max_bytes=2048)
    incompressible = [os.urandom(1000) for _ in range(4)]
    with pytest.raises(SnapshotTooLarge) as raised:
        store.save(SnapshotKind.LOOKUP, BODY, incompressible, "0.1.0")
    assert raised.value.limit == 2048
    assert raised.value.size > 2048
    # Text that compresses well is measured compressed, so it fits.
    assert store.save(SnapshotKind.LOOKUP, {"dig": "x" * 100_000}, (), "0.1.0").id


def test_snapshots_expire_and_the_sweep_deletes_them(
    database_url: str, store_for: StoreFor
) -> None:
    clock = Clock()
    store = store_for(database_url, clock, days=30)
    old = store.save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0")
    clock.now += timedelta(days=20)
    young = store.save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0")
    clock.now += timedelta(days=10, seconds=1)

    assert store.load(old.id) is None
    assert store.load(young.id) == young
    assert store.sweep() == 1
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT id FROM snapshots")).scalars().all() == [young.id]


def test_concurrent_start_ups_upgrade_once(database_url: str, store_for: StoreFor) -> None:
    stores = [store_for(database_url) for _ in range(4)]
    errors: list[BaseException] = []

    def start(store: SnapshotStore) -> None:
        try:
            store.ensure_schema()
        except BaseException as exc:  # the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert migrate.current(stores[0].engine) == migrate.head()


def test_framing_round_trips() -> None:
    assert unframe(frame(REPLIES)) == REPLIES
    assert frame([b"ab"]) == b"\x00\x02ab"
    assert unframe(b"") == ()


def test_heroku_spelling_reaches_postgresql(postgres: PostgresCluster, store_for: StoreFor) -> None:
    name = postgres.create_database()
    try:
        store = store_for(postgres.url(name, scheme="postgres"))
        saved = store.save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0")
        assert store.engine.dialect.name == "postgresql"
        assert store.load(saved.id) == saved
    finally:
        postgres.drop_database(name)


def test_postgresql_outage_makes_storage_unavailable_until_it_returns(
    postgres: PostgresCluster, store_for: StoreFor
) -> None:
    name = postgres.create_database()
    try:
        store = store_for(postgres.url(name))
        saved = store.save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0")
        postgres.stop()
        try:
            with pytest.raises(StorageUnavailable):
                store.save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0")
            # What this process read or saved stays readable (snapshots never change);
            # anything else needs the database.
            assert store.load(saved.id) == saved
            with pytest.raises(StorageUnavailable):
                store_for(postgres.url(name)).load(saved.id)
        finally:
            postgres.start()
        assert store.load(saved.id) == saved
        assert store.save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0").id
    finally:
        postgres.drop_database(name)


def test_read_only_sqlite_reads_but_does_not_save(tmp_path: Path, store_for: StoreFor) -> None:
    path = tmp_path / "webdig.sqlite3"
    saved = store_for(f"sqlite:///{path}").save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0")
    read_only = store_for(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert read_only.load(saved.id) == saved
    with pytest.raises(StorageUnavailable):
        read_only.save(SnapshotKind.LOOKUP, BODY, REPLIES, "0.1.0")


def test_default_database_is_a_wal_sqlite_file(tmp_path: Path) -> None:
    engine = create_engine(database_url(None, tmp_path / "instance"))
    try:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
    assert (tmp_path / "instance" / "webdig.sqlite3").is_file()
