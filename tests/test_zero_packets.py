"""A refused nameserver gets zero packets: every loopback spelling, through the page and the API.

A listener on loopback counts every UDP datagram and TCP connection.  In
public mode (``ALLOW_PRIVATE`` off) each spelling of it must come back as a
400 whose reason sits next to the nameservers field, and the listener must
have seen nothing.  The same spellings in private mode do reach it, so the
count is known to work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import dns.message
import dns.query
import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from tests.support.bind import NamedServer
from tests.support.fakeserver import FakeServer
from tests.support.pagehtml import field_errors
from webdig import create_app


def answer(query: dns.message.Message, wire: bytes) -> list[bytes]:
    """Reply at once, so the private-mode control does not wait for a timeout."""
    return [dns.message.make_response(query).to_wire()]


@pytest.fixture
def listener4() -> Iterator[FakeServer]:
    """A counting DNS listener on 127.0.0.1."""
    with FakeServer(udp=answer) as server:
        yield server


@pytest.fixture
def listener6() -> Iterator[FakeServer]:
    """A counting DNS listener on ::1, where this machine has it."""
    try:
        server = FakeServer(udp=answer, address="::1").__enter__()
    except OSError as exc:
        pytest.skip(f"cannot listen on ::1: {exc}")
    yield server
    server.__exit__()


def public_app(settings_config: dict[str, Any]) -> Flask:
    """The app in public mode; its own resolver is still the test BIND."""
    return create_app({**settings_config, "ALLOW_PRIVATE": False})


LOOPBACK = "loopback address"
INVALID = "is not a valid IP address"

# (spelling of the listener, listener family, words of the refusal)
REFUSED: list[tuple[str, int, str]] = [
    ("127.0.0.1:{port}", 4, LOOPBACK),
    ("127.0.0.1#{port}", 4, LOOPBACK),
    ("[::1]:{port}", 6, LOOPBACK),
    ("[::1%lo]:{port}", 6, "scope"),
    ("[::ffff:127.0.0.1]:{port}", 4, "embeds 127.0.0.1, a loopback address"),
    ("[::ffff:7f00:1]:{port}", 4, "embeds 127.0.0.1, a loopback address"),
    ("ns1.webdig.test:{port}", 4, "ns1.webdig.test (127.0.0.1) is not queried: it is a loopback"),
    ("127.1:{port}", 4, INVALID),
    ("0x7f000001:{port}", 4, INVALID),
    ("2130706433:{port}", 4, INVALID),
    ("0177.0.0.1:{port}", 4, INVALID),
    ("127.0.0.1.:{port}", 4, INVALID),
    # The same legacy spellings dressed as URLs.
    ("https://127.1:{port}", 4, INVALID),
    ("http://0x7f000001:{port}/", 4, INVALID),
]


def listener(request: pytest.FixtureRequest, family: int) -> FakeServer:
    """The listener of ``family``, started for this test."""
    server: FakeServer = request.getfixturevalue("listener6" if family == 6 else "listener4")
    return server


def packets_before_a_marker(server: FakeServer) -> int:
    """What ``server`` had counted before a marker query, once it has answered the marker.

    A datagram sent to a loopback socket is queued before ``sendto`` returns, and the
    listener reads its queue in order: once the marker's answer is back, every stray datagram
    sent before it has been counted, however late a loaded machine runs the listener.  (The
    look-ups here ask an A record over UDP: TCP would follow only an answer.)"""
    marker = dns.message.make_query("marker.webdig.test.", "A")
    dns.query.udp(marker, server.address, port=server.port, timeout=30)
    return server.packets - 1


def ask(client: FlaskClient, path: str, nameserver: str) -> Any:
    """Look www.webdig.test up, asking ``nameserver``."""
    query = {"hostnames": "www.webdig.test", "ns": "self", "nameservers": nameserver}
    return client.get(path, query_string=query)


@pytest.mark.parametrize(
    ("spelling", "family", "reason"), REFUSED, ids=[spelling for spelling, _, _ in REFUSED]
)
def test_refused_with_a_reason_and_nothing_sent(
    request: pytest.FixtureRequest,
    settings_config: dict[str, Any],
    spelling: str,
    family: int,
    reason: str,
) -> None:
    server = listener(request, family)
    client = public_app(settings_config).test_client()
    nameserver = spelling.format(port=server.port)
    page = ask(client, "/", nameserver)
    api = ask(client, "/api/v1/lookup", nameserver)
    assert packets_before_a_marker(server) == 0
    assert (page.status_code, api.status_code) == (400, 400)
    html = page.get_data(as_text=True)
    assert str(escape(reason)) in field_errors(html, "nameservers")
    # Only the nameservers field is wrong: the rest of the form was fine.
    assert re.findall(r'<ul class="errors" id="([a-z]+)-errors">', html) == ["nameservers"]
    fields = api.get_json()["fields"]
    assert list(fields) == ["nameservers"]
    assert any(reason in message for message in fields["nameservers"])


@pytest.mark.parametrize(
    ("spelling", "family"),
    [
        ("127.0.0.1:{port}", 4),
        ("127.0.0.1#{port}", 4),
        ("[::1]:{port}", 6),
        ("ns1.webdig.test:{port}", 4),
    ],
)
def test_private_mode_reaches_the_listener(
    request: pytest.FixtureRequest,
    named: NamedServer,
    client: FlaskClient,
    spelling: str,
    family: int,
) -> None:
    # The control: the count works, and the refusals above are the policy's doing.
    server = listener(request, family)
    response = ask(client, "/api/v1/lookup", spelling.format(port=server.port))
    assert response.status_code == 200
    [result] = response.get_json()["results"]
    assert result["status"] == "NOERROR"
    assert server.packets >= 1
