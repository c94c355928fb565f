"""``webdig db``: upgrade, current, downgrade and sweep on the database the server uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.postgres import PostgresCluster
from webdig.cli.exitstatus import EXIT_DATABASE, EXIT_OK
from webdig.cli.main import main


def test_upgrade_current_downgrade_and_sweep(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["db", "current"]) == EXIT_OK
    assert "at revision base (empty) (this webdig: 0002)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == EXIT_OK
    assert "at revision 0002" in capsys.readouterr().out
    assert main(["db", "sweep"]) == EXIT_OK
    assert "deleted 0 expired snapshot(s)" in capsys.readouterr().out
    assert main(["db", "downgrade", "0001"]) == EXIT_OK
    assert "at revision 0001 (this webdig: 0002)" in capsys.readouterr().out
    assert main(["db", "downgrade"]) == EXIT_OK
    assert "at revision base" in capsys.readouterr().out


def test_password_stays_out_of_messages(
    postgres: PostgresCluster, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgres://u:hunter2@127.0.0.1:{postgres.port}/missing")
    assert main(["db", "upgrade"]) == EXIT_DATABASE
    err = capsys.readouterr().err
    assert "postgresql+psycopg://u:***@127.0.0.1" in err
    assert "hunter2" not in err


def test_default_database_is_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("WEBDIG_INSTANCE_PATH", str(tmp_path))
    assert main(["db", "upgrade"]) == EXIT_OK
    assert f"sqlite:///{tmp_path}/webdig.sqlite3: at revision 0002" in capsys.readouterr().out
