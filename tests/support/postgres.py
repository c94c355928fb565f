"""A throwaway PostgreSQL cluster for the suite: initdb and pg_ctl on a loopback port.

PostgreSQL refuses to run as root, and the suite runs as root inside its network
namespace, so the cluster belongs to ``nobody`` (through ``runuser``) when the
suite is root, and to the current user otherwise.  Each test gets a database of
its own; the cluster is stopped and its files removed at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import psycopg

from tests.support.bind import free_port

USER = "webdig"
"""The cluster's superuser (trust authentication on loopback only)."""
_AS = "nobody"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs (Debian package postgresql) are not installed."""


def _program(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise PostgresUnavailable(f"{name} (Debian package postgresql) is not installed")
    return found


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", _AS, "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class PostgresCluster:
    """A running cluster on ``127.0.0.1:port``."""

    port: int = 0
    root: Path | None = None
    _names: count[int] = field(default_factory=lambda: count(1))

    @property
    def data(self) -> Path:
        """The cluster's data directory."""
        assert self.root is not None
        return self.root / "data"

    def init(self) -> PostgresCluster:
        """Create the cluster's files and start it."""
        initdb = _program("initdb")
        self.root = Path(tempfile.mkdtemp(prefix="webdig-pg-"))
        self.root.chmod(0o755)
        self.data.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.data, _AS)
        subprocess.run(
            _as_owner([initdb, "-D", str(self.data), "-U", USER, "-A", "trust", "--no-sync"]),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.root,
        )
        self.port = free_port()
        return self.start()

    def start(self) -> PostgresCluster:
        """Start the server (again) on the same port and wait until it accepts connections."""
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data} "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            _as_owner(
                [_program("pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "30",
                 "-l", str(self.data / "server.log"), "start"]
            ),
            check=True, stdout=subprocess.DEVNULL, cwd=self.root,
        )  # fmt: skip
        return self

    def stop(self) -> None:
        """Stop the server at once (``-m fast``: connections are cut, as in an outage)."""
        subprocess.run(
            _as_owner([_program("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            check=True, stdout=subprocess.DEVNULL, cwd=self.root,
        )  # fmt: skip

    def remove(self) -> None:
        """Stop the server if it runs, and delete its files."""
        if self.root is None:
            return
        subprocess.run(
            _as_owner([_program("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.root, check=False,
        )  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", scheme: str = "postgresql") -> str:
        """The URL of ``database`` on this cluster, as a user would write DATABASE_URL."""
        return f"{scheme}://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its name."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        with self._admin() as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, cutting whatever is still connected to it."""
        with self._admin() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        deadline = time.monotonic() + 10
        while True:
            try:
                return psycopg.connect(self.url(), autocommit=True, connect_timeout=3)
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
