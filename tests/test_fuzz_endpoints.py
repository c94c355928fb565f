"""Every parameter of every endpoint, fuzzed through the Flask test client: 200 or 400, never 500.

Values come from all Unicode categories (other scripts' digits, zone ids,
controls, combining marks, bidi marks) and raw percent-encodings (invalid
UTF-8 included), put in the query string byte for byte.  The app runs with
the public target policy against the test BIND; an address outside
loopback fails to connect as it would in the suite's network namespace.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.bind import NamedServer, free_port
from webdig import create_app
from webdig.lookup.params import Flag

ENDPOINTS = {
    "/": ("hostnames", "type", "ns", "useresolver", "nameservers", "hosting", "expected",
          "format", *(str(flag) for flag in Flag)),
    "/api/v1/lookup": ("hostnames", "type", "ns", "useresolver", "nameservers", "hosting",
                       "expected", *(str(flag) for flag in Flag)),
    "/check": ("domain", "expected"),
    "/api/v1/check": ("domain", "expected"),
    "/healthz": (),
    "/api/v1/openapi.json": (),
}  # fmt: skip

# Fragments that broke or nearly broke parsers: non-ASCII digits int() refuses,
# zone ids, brackets and ports, legacy IPv4 spellings, IDNA oddities.
_PIECES = (
    "፩", "١", "۲", "߃", "௪", "𝟓", "²", "½", "Ⅻ", "%eth0", "%25eth0", "%", "fe80::1", "::1",
    "8.8.8.8", ":", "#", "[", "]", "53", "0", "65536", "www", "webdig", "test", ".", "..",
    "xn--", "xn--zz", "\u0301", "\u200d", "\u202e", "\ufeff", "。", "ａ", "\x00", "\x7f",
    "\r\n", "\t", " ", "Reverse", "auth", "self", "nic", "all", "on", "ANY", "AXFR", "TYPE0",
    "CLASS3", "0x7f000001", "127.1", "xserver",
)  # fmt: skip
_ENCODED = ("%", "%2", "%zz", "%FF", "%C0%80", "%E1%8D%A9", "%F0%9F", "%00", "%0A", "%25", "+")
unicode_text = st.text(st.characters(codec="utf-8"), max_size=40)
value_text = st.one_of(
    unicode_text,
    st.lists(st.sampled_from(_PIECES), max_size=8).map("".join),
    st.lists(st.one_of(unicode_text, st.sampled_from(_PIECES)), max_size=4).map("\n".join),
)
raw_value = st.one_of(
    value_text.map(lambda text: quote(text, safe="")),
    st.lists(st.one_of(st.sampled_from(_ENCODED), value_text.map(quote)), max_size=6).map("".join),
)


def query_strings(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Raw query strings over ``names`` (and a stray name), values byte for byte."""
    keys = st.one_of(st.sampled_from(names or ("x",)), st.sampled_from(_ENCODED), st.just("x"))
    pairs = st.lists(st.tuples(keys, raw_value), max_size=len(names) + 2)
    return pairs.map(lambda items: "&".join(f"{key}={value}" for key, value in items))


@pytest.fixture(scope="module")
def namespace_network() -> Iterator[None]:
    """Connecting outside loopback fails with ENETUNREACH, as in a namespace with only lo."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and not str(address[0]).startswith(("127.", "::1")):
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        real_connect(self, address)

    patch = pytest.MonkeyPatch()
    patch.setattr(socket.socket, "connect", connect)
    yield
    patch.undo()


@pytest.fixture(scope="module")
def public_app(named: NamedServer, namespace_network: None) -> Flask:
    """webdig with the public target policy, its resolvers on the test BIND."""
    resolver = {"address": named.address, "port": named.port}
    closed = free_port()
    return create_app(
        {
            "TESTING": True,
            "RESOLVER": f"{named.address}#{named.port}",
            "TIMEOUT": 0.3,
            "TRIES": 1,
            "DEADLINE": 1.0,
            "RATE_LIMIT_DISABLED": True,
            "PRESETS": [{"key": "8.8.8.8", "label": "Google Public DNS", **resolver}],
            "ROOT_HINTS": ["127.0.0.1"],
            "HTTP_PORT": closed,
            "HTTPS_PORT": closed,
        }
    )


FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_every_endpoint_answers_200_or_400(public_app: Flask, path: str) -> None:
    client = public_app.test_client()

    @FUZZ
    @given(query_strings(ENDPOINTS[path]))
    @example("hostnames=fe80::1%25eth0&type=Reverse")
    @example("hostnames=x.webdig.test&ns=self&nameservers=8.8.8.8:%E1%8D%A9")
    @example("domain=www.webdig.test&expected=%E1%8D%A9")
    def answers(query: str) -> None:
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), (query, response.status_code)

    answers()
