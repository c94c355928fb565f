"""Shared fixtures: a real BIND on loopback, the Flask app and its clients."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings

from tests.support import hierarchy as lab
from tests.support import hostile
from tests.support.appconfig import loopback_config
from tests.support.bind import NamedServer, free_port, main_zones, running_or_skip
from tests.support.browser import chromium_or_skip, close_pages
from tests.support.childprocess import die_with_parent
from tests.support.digcompare import dig_path
from tests.support.fakeserver import FakeServer
from tests.support.hierarchy import running as hierarchy_running
from tests.support.movingzone import MOVING_ZONE, updatable
from tests.support.postgres import PostgresCluster, PostgresUnavailable
from tests.support.prerequisites import missing
from tests.support.renewallab import RenewalLab, running_lab
from tests.support.webservers import LocalCA
from webdig import create_app
from webdig.settings import Settings
from webdig.web.snapshotstore import store_of

# On CI the property tests replay one fixed sequence of examples: a run decides whether a
# commit lands, so it must not hinge on which random inputs Hypothesis happens to draw
# that time.  Locally they stay random, which is where new failures get found.
# No per-example deadline anywhere: Hypothesis' default (200 ms of wall time) is a timing
# assertion, and on a shared 2-core machine one example of a 1 ms check took 286 ms.
hypothesis_settings.register_profile("local", deadline=None)
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # Unix sockets and the like never leave the machine.
    try:
        return ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback
    except ValueError:
        return str(address[0]) == "localhost"


@pytest.fixture(scope="session", autouse=True)
def loopback_only() -> Iterator[None]:
    """Fail any in-process connect/sendto to a non-loopback address.

    .ci/test also runs the suite in a network namespace with only ``lo``;
    this guard catches a stray public address (a preset, /etc/resolv.conf)
    even when the suite runs outside one.
    """
    real_connect, real_sendto = socket.socket.connect, socket.socket.sendto

    def connect(self: socket.socket, address: Any) -> None:
        if not _is_loopback(address):
            raise AssertionError(f"test tried to connect to {address}")
        real_connect(self, address)

    def sendto(self: socket.socket, data: bytes, *args: Any) -> int:
        if not _is_loopback(args[-1]):
            raise AssertionError(f"test tried to send to {args[-1]}")
        return real_sendto(self, data, *args)

    patch = pytest.MonkeyPatch()
    patch.setattr(socket.socket, "connect", connect)
    patch.setattr(socket.socket, "sendto", sendto)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def named() -> Iterator[NamedServer]:
    """The main test nameserver: authoritative for webdig.test, no recursion."""
    yield from running_or_skip(NamedServer(zones=main_zones()))


@pytest.fixture(scope="session")
def dig() -> str:
    """The real dig; missing on CI is a broken setup, elsewhere a skip."""
    path = dig_path()
    if path is None:
        missing("dig is not installed", "bind9-dnsutils")
    return path


@pytest.fixture
def settings_config(named: NamedServer, tmp_path: Path) -> dict[str, Any]:
    """App config that points every resolver and preset at the test BIND."""
    # Each test saves into an SQLite file of its own, migrated when first used.
    instance = {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_AUTO_UPGRADE": False}
    return loopback_config(named.address, named.port, **instance)


@pytest.fixture
def app(settings_config: dict[str, Any]) -> Iterator[Flask]:
    """The webdig app configured against the test BIND; its snapshot database is closed after."""
    made = create_app(settings_config)
    yield made
    store_of(made).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def moving() -> Iterator[NamedServer]:
    """A BIND for moving.test, whose www record the test moves with dynamic updates."""
    server = updatable("moving.test.", MOVING_ZONE)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hierarchy() -> Iterator[None]:
    """The delegation hierarchy of tests/support/hierarchy.py (root, TLD, zones) on port 53."""
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the delegation hierarchy needs root (port 53 on 127.0.53.x)")
        pytest.skip("the delegation hierarchy needs root (port 53 on 127.0.53.x)")
    with hierarchy_running():
        yield


@pytest.fixture
def lab_settings(hierarchy: None) -> Settings:
    """Engine settings for the hierarchy: its resolver, root and two presets.

    "Google Public DNS" is the up-to-date resolver; "Cloudflare" forwards to
    the old copy of good.lab, like a resolver still caching an old answer.
    """
    return Settings.from_mapping(lab.APP_CONFIG)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real redis-server on loopback, started for the suite."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server is not installed", "redis-server")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=die_with_parent,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def renewal_lab(hierarchy: None) -> Iterator[RenewalLab]:
    """The web servers, CA status page and caafail.lab nameserver, for this module."""
    with running_lab() as found:
        yield found


@pytest.fixture(scope="session")
def schema() -> Callable[[Any, str], None]:
    """Validate an instance against a component schema of the served OpenAPI document."""
    import jsonschema

    document = create_app({"TESTING": True}).test_client().get("/api/v1/openapi.json").get_json()

    def validate(instance: Any, name: str) -> None:
        wrapper = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        jsonschema.Draft202012Validator(wrapper).validate(instance)

    return validate


@pytest.fixture(scope="module")
def evil() -> Iterator[FakeServer]:
    """The hostile nameserver of tests/support/hostile.py, for this module."""
    with hostile.server() as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the module; on CI its absence fails the run."""
    yield from chromium_or_skip()


@pytest.fixture(autouse=True)
def _close_pages_after_each_test() -> Iterator[None]:
    """Each test's browser pages end with it (see :func:`close_pages`)."""
    yield
    close_pages()


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    """A local CA that webdig is told to trust, for this module's TLS servers."""
    return LocalCA(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster on loopback, started for the suite."""
    cluster = PostgresCluster()
    try:
        cluster.init()
    except PostgresUnavailable as exc:
        cluster.remove()
        missing(str(exc), "postgresql")
    yield cluster
    cluster.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind webdig supports, as a ``DATABASE_URL`` value."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'webdig.sqlite3'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    name = cluster.create_database()
    yield cluster.url(name)
    cluster.drop_database(name)
