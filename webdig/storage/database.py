"""Which database, and how webdig connects to it.

The default is an SQLite file in the app's instance folder, so a fresh checkout
needs no database service; ``DATABASE_URL`` (the PaaS convention) selects
PostgreSQL, which every instance behind a load balancer can share.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

SQLITE_FILE = "webdig.sqlite3"
"""The default database's file name, inside the instance folder."""

CONNECT_TIMEOUT = 3
"""Seconds to wait for the database: saving fails fast rather than holding a worker."""
STATEMENT_TIMEOUT_MS = 5000


def database_url(configured: str | None, instance_path: str | Path) -> str:
    """The SQLAlchemy URL for ``configured`` (``DATABASE_URL``), or the default SQLite file.

    ``postgres://`` (Heroku's spelling) and ``postgresql://`` both mean
    PostgreSQL through psycopg 3, the driver webdig ships with.
    """
    if not configured:
        return f"sqlite:///{Path(instance_path) / SQLITE_FILE}"
    scheme, sep, rest = configured.partition("://")
    if sep and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return configured


def create_engine(url: str) -> Engine:
    """An engine for ``url`` with bounded waits, and WAL mode for SQLite files."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and parsed.query.get("mode") != "ro":
            # A folder that cannot be made (read-only file system): connecting fails later,
            # which the store reports as unavailable while look-ups go on.
            with contextlib.suppress(OSError):
                Path(parsed.database.removeprefix("file:")).parent.mkdir(
                    parents=True, exist_ok=True
                )
        engine = sa.create_engine(url, connect_args={"timeout": CONNECT_TIMEOUT}, pool_timeout=5)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        options["connect_args"] = {
            "connect_timeout": CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        }
    # No ping before each use: a connection left from before a database restart
    # fails its statement, is dropped, and the store tries once more on a fresh one.
    return sa.create_engine(url, pool_timeout=5, pool_size=10, **options)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL lets readers go on while a worker writes; NORMAL sync is still safe
    # against a killed process (only an OS crash can lose the last commits).
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError:
        pass  # a read-only file keeps the journal mode it has; reading still works
    finally:
        cursor.close()
