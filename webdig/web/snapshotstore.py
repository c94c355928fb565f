"""The app's snapshot store: built once from the config, migrated on start-up.

``DATABASE_URL`` (unset: an SQLite file in the instance folder) chooses the
database; ``WEBDIG_SNAPSHOT_DAYS`` how long a saved result is kept and
``WEBDIG_SNAPSHOT_MAX_BYTES`` how large it may be, compressed.  A database that
is down at start-up does not stop the app: look-ups work, and saving tries the
migration again when it is first used.
"""

from __future__ import annotations

import os

from flask import Flask, current_app

from webdig.storage.snapshots import SnapshotStore, StorageUnavailable

_EXTENSION = "webdig.snapshots"


def install(app: Flask) -> SnapshotStore:
    """Create the app's store and, unless turned off, bring its schema up to date."""
    store = SnapshotStore.from_config(app.config, app.instance_path, os.environ)
    app.extensions[_EXTENSION] = store
    if app.config["DATABASE_AUTO_UPGRADE"]:
        try:
            store.ensure_schema()
        except StorageUnavailable as exc:
            where = store.engine.url.render_as_string(hide_password=True)
            app.logger.error("snapshot database %s unavailable: %s", where, exc)
    return store


def current_store() -> SnapshotStore:
    """The snapshot store of the app handling this request."""
    store: SnapshotStore = current_app.extensions[_EXTENSION]
    return store


def store_of(app: Flask) -> SnapshotStore:
    """The snapshot store of ``app`` (outside a request: the CLI, tests)."""
    store: SnapshotStore = app.extensions[_EXTENSION]
    return store
