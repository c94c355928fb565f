"""Shared fixtures: a real BIND on loopback, the Flask app and its clients."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.bind import NamedServer, NamedUnavailable, main_zones


@pytest.fixture(scope="session")
def named() -> Iterator[NamedServer]:
    """The main test nameserver: authoritative for webdig.test, no recursion."""
    server = NamedServer(zones=main_zones())
    try:
        server.start()
    except NamedUnavailable as exc:
        # On CI a missing named is a broken setup, never a reason to skip.
        if os.environ.get("CI"):
            pytest.fail(f"{exc}: .ci/test must install bind9")
        pytest.skip(str(exc))
    yield server
    server.stop()
