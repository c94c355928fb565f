"""Snapshots across real gunicorn instances sharing one PostgreSQL: saved through one, read
through another; and a worker killed with SIGKILL in the middle of a burst of saves leaves
no broken row behind."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import dns.message
import jsonschema
import pytest

from tests.support.bind import NamedServer, free_port
from tests.support.postgres import PostgresCluster
from tests.support.waiting import wait_until
from webdig import create_app
from webdig.storage.database import create_engine, database_url
from webdig.storage.schema import snapshots
from webdig.storage.snapshots import SnapshotStore

ROOT = Path(__file__).resolve().parent.parent


class Gunicorn:
    """One gunicorn instance of webdig on a loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            data = json.dumps(body) if body is not None else None
            headers = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            connection.close()

    def workers(self) -> list[int]:
        """The worker processes' ids (children of the master)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def shared_database(postgres: PostgresCluster) -> Iterator[str]:
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture(scope="module")
def instances(
    named: NamedServer, shared_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Gunicorn]]:
    """Two instances, as behind a load balancer: same database, same secret key."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PORT": "",
        "DATABASE_URL": shared_database,
        "SECRET_KEY": "shared-by-the-instances",
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_RATE_LIMIT_DISABLED": "true",
    }
    tmp_path = tmp_path_factory.mktemp("instances")
    started: list[Gunicorn] = []
    try:
        for number in (1, 2):
            started.append(Gunicorn({**env, "WEBDIG_INSTANCE_PATH": str(tmp_path / str(number))}))
        yield started
    finally:
        for instance in started:
            instance.stop()


def question(named: NamedServer) -> dict[str, Any]:
    return {"hostnames": ["www.webdig.test"], "ns": "self",
            "nameservers": [f"127.0.0.1#{named.port}"], "expected": ["192.0.2.10"]}  # fmt: skip


def test_saved_through_one_instance_read_through_the_other(
    instances: list[Gunicorn], named: NamedServer
) -> None:
    first, second = instances
    status, saved = first.request("POST", "/api/v1/snapshots", question(named))
    assert status == 201, saved
    status, read = second.request("GET", f"/api/v1/snapshots/{saved['id']}")
    assert status == 200
    assert read["result"] == saved["result"]
    assert read["replies"] == saved["replies"]


def test_a_worker_killed_during_saves_leaves_no_broken_row(
    instances: list[Gunicorn], named: NamedServer, shared_database: str, tmp_path: Path
) -> None:
    first, _ = instances

    def save(_: int) -> int:
        try:
            return first.request("POST", "/api/v1/snapshots", question(named))[0]
        except (OSError, http.client.HTTPException):
            return 0  # the killed worker's connections

    with ThreadPoolExecutor(8) as pool:
        burst = [pool.submit(save, n) for n in range(48)]
        # Once one save is through, the rest are on their way: kill a worker among them.
        assert wait_until(lambda: any(future.done() for future in burst), timeout=60)
        victim = first.workers()[0]
        os.kill(victim, signal.SIGKILL)
        codes = [future.result() for future in burst]
    assert codes.count(201) >= 8, codes

    schema = lookup_schema(tmp_path)
    store = SnapshotStore(create_engine(database_url(shared_database, "/")), days=30,
                          max_bytes=512 * 1024)  # fmt: skip
    try:
        with store.engine.connect() as connection:
            ids = connection.execute(snapshots.select().with_only_columns(snapshots.c.id))
            stored = [row.id for row in ids]
        assert len(stored) >= codes.count(201)
        for snapshot_id in stored:
            snapshot = store.load(snapshot_id)
            assert snapshot is not None
            jsonschema.validate(snapshot.body, schema)
            for reply in snapshot.replies:
                if reply:
                    dns.message.from_wire(reply)
    finally:
        store.engine.dispose()
    # The instance replaced its worker and goes on saving.
    assert first.request("POST", "/api/v1/snapshots", question(named))[0] == 201


def lookup_schema(instance: Path) -> dict[str, Any]:
    """The OpenAPI document's LookupResponse schema, with its components."""
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance)})
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    return {"$ref": "#/components/schemas/LookupResponse", "components": document["components"]}
