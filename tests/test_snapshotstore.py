"""The app's snapshot store: which database, migrated on start-up, and a database that is down."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.postgres import PostgresCluster
from webdig import create_app
from webdig.storage import migrate
from webdig.web.snapshotstore import store_of


def test_start_up_migrates_the_default_sqlite_file_in_the_instance_folder(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")})
    store = store_of(app)
    try:
        assert str(store.engine.url) == f"sqlite:///{tmp_path}/instance/webdig.sqlite3"
        assert migrate.current(store.engine) == migrate.head()
    finally:
        store.engine.dispose()


def test_no_upgrade_on_start_up_when_turned_off(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_AUTO_UPGRADE": False})
    store = store_of(app)
    try:
        assert migrate.current(store.engine) is None
    finally:
        store.engine.dispose()


def test_start_up_migrates_postgresql_from_database_url(
    postgres: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = postgres.create_database()
    monkeypatch.setenv("DATABASE_URL", postgres.url(name, scheme="postgres"))
    store = store_of(create_app({"TESTING": True, "INSTANCE_PATH": str(postgres.root)}))
    try:
        assert store.engine.dialect.name == "postgresql"
        assert migrate.current(store.engine) == migrate.head()
    finally:
        store.engine.dispose()
        postgres.drop_database(name)


def test_a_database_that_is_down_does_not_stop_the_app(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    )
    assert "snapshot database postgresql+psycopg://nobody@127.0.0.1:1/none unavailable" in (
        caplog.text
    )
    assert app.test_client().get("/healthz").status_code == 200
    store_of(app).engine.dispose()


def test_an_instance_folder_that_cannot_be_made_does_not_stop_the_app(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("")
    instance = tmp_path / "file" / "instance"  # as on a read-only file system
    app = create_app({"INSTANCE_PATH": str(instance)})
    assert f"cannot keep a secret key in {instance}/secret_key" in caplog.text
    assert f"snapshot database sqlite:///{instance}/webdig.sqlite3 unavailable" in caplog.text
    assert app.config["SECRET_KEY"]
    assert app.test_client().get("/healthz").status_code == 200
    store_of(app).engine.dispose()
