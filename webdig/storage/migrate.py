"""Bringing a database's schema to the version this webdig needs (Alembic, run in-process).

Several gunicorn workers start at once and each upgrades on start-up, so an upgrade
holds a lock: PostgreSQL's advisory lock for the transaction (DDL is transactional
there), and for an SQLite file an exclusive ``flock`` on a file beside it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

SCRIPTS = Path(__file__).resolve().parent / "migrations"

_LOCK_KEY = 0x77656264  # "webd": one advisory lock for webdig's migrations
_PG_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this webdig knows."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None, "webdig ships at least one migration"
    return found


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: no webdig tables yet)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision``; a database already there is left alone."""
    with _locked(engine) as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to ``revision`` (``base``: no webdig tables, no saved results)."""
    with _locked(engine) as connection:
        command.downgrade(_config(connection), revision)


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no other webdig process migrates at the same time."""
    database = engine.url.database or ""
    if engine.dialect.name == "sqlite" and database not in ("", ":memory:"):
        path = Path(database.removeprefix("file:"))
        with path.with_name(path.name + ".migrate-lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with engine.begin() as connection:
                yield connection
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(_PG_LOCK, {"key": _LOCK_KEY})
        yield connection
