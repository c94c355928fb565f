"""The transport against real and scripted servers: fallback, bounds, failures as data."""

from __future__ import annotations

import time

import dns.flags
import dns.message
import dns.rdatatype
import pytest

from tests.support.bind import NamedServer, free_port
from tests.support.fakeserver import FakeServer, framed
from webdig.engine.names import parse_hostname
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.result import ErrorKind
from webdig.engine.transport import MAX_IN_FLIGHT, exchange, exchange_all
from webdig.engine.wire import build_message, query_wire


def make_query(
    port: int, name: str = "www.webdig.test", rdtype: str = "A", **options: bool
) -> Query:
    return Query(
        parse_hostname(name),
        dns.rdatatype.from_text(rdtype),
        Server("127.0.0.1", port),
        QueryOptions(**options),  # type: ignore[arg-type]
    )


def answer_for(query: dns.message.Message, *, flags: int = 0) -> bytes:
    response = dns.message.make_response(query)
    response.flags |= flags
    return response.to_wire()


def test_query_is_built_like_dig() -> None:
    message = build_message(make_query(53, dnssec=True, nsid=True), cookie=b"12345678")
    assert message.flags & dns.flags.RD
    assert message.flags & dns.flags.AD
    assert message.payload == 1232
    assert message.ednsflags & dns.flags.DO
    assert {int(option.otype) for option in message.options} == {3, 10}


@pytest.mark.parametrize(
    ("name", "rdtype", "options"),
    [
        ("www.webdig.test", "A", {}),
        ("Bücher.webdig.test", "AAAA", {"dnssec": True}),
        (".", "NS", {"nsid": True, "recurse": False}),
        ("x.webdig.test", "TXT", {"nsid": True, "dnssec": True, "tcp": True}),
    ],
)
def test_reused_wire_form_is_the_built_message(
    name: str, rdtype: str, options: dict[str, bool]
) -> None:
    query = make_query(53, name, rdtype, **options)
    for query_id, cookie in ((0, b"\0" * 8), (0xBEEF, b"abcdefgh"), (1, b"\xff" * 8)):
        message = build_message(query, cookie=cookie)
        message.id = query_id
        assert query_wire(query, query_id, cookie) == message.to_wire()


def test_norecurse_clears_rd() -> None:
    assert not build_message(make_query(53, recurse=False)).flags & dns.flags.RD


def test_answer_over_udp(named: NamedServer) -> None:
    result = exchange(make_query(named.port), timeout=1)
    assert result.error is None
    assert (result.rcode, result.transport) == ("NOERROR", "udp")
    assert result.flags[:2] == ["qr", "aa"]
    assert result.wire_size is not None
    assert result.wire_size > 40


def test_truncated_answer_falls_back_to_tcp(named: NamedServer) -> None:
    result = exchange(make_query(named.port, "big.webdig.test", "TXT"), timeout=1)
    assert result.transport == "tcp"
    assert result.warnings == [";; Truncated, retrying in TCP mode."]
    assert len(result.answer[0]) == 16


def test_tcp_option_uses_tcp_directly(named: NamedServer) -> None:
    result = exchange(make_query(named.port, tcp=True), timeout=1)
    assert (result.transport, result.warnings, result.rcode) == ("tcp", [], "NOERROR")


def test_nothing_listening_is_a_refused_error() -> None:
    result = exchange(make_query(free_port()), timeout=1)
    assert result.error is not None
    assert result.error.kind is ErrorKind.REFUSED
    assert "no DNS server is listening" in result.error.message


def test_silent_server_times_out_within_bounds() -> None:
    with FakeServer() as server:
        begin = time.monotonic()
        result = exchange(make_query(server.port), timeout=0.3, tries=2)
        elapsed = time.monotonic() - begin
    assert result.error is not None
    assert result.error.kind is ErrorKind.TIMEOUT
    assert server.packets == 2
    assert elapsed < 1.8  # two tries of 0.3 s; bounds are 3x, for a loaded machine


def test_deadline_caps_retries() -> None:
    with FakeServer() as server:
        begin = time.monotonic()
        exchange(make_query(server.port), timeout=5, tries=3, deadline=time.monotonic() + 0.3)
        assert time.monotonic() - begin < 1.0


def test_wrong_id_is_ignored_and_noted() -> None:
    def reply(query: dns.message.Message, _: bytes) -> list[bytes]:
        wrong = dns.message.make_response(query)
        wrong.id = (query.id + 1) % 65536
        return [wrong.to_wire(), answer_for(query)]

    with FakeServer(udp=reply) as server:
        result = exchange(make_query(server.port), timeout=1)
    assert result.error is None
    assert result.warnings[0].startswith(";; Warning: ID mismatch")


def test_garbage_reply_is_malformed_error() -> None:
    def reply(query: dns.message.Message, _: bytes) -> list[bytes]:
        return [query.id.to_bytes(2, "big") + b"\x81\x80garbage"]

    with FakeServer(udp=reply) as server:
        result = exchange(make_query(server.port), timeout=1)
    assert result.error is not None
    assert result.error.kind is ErrorKind.MALFORMED
    assert "not a valid DNS message" in result.error.message


def test_trailing_junk_is_accepted_with_a_warning() -> None:
    def reply(query: dns.message.Message, _: bytes) -> list[bytes]:
        return [answer_for(query) + b"junk"]

    with FakeServer(udp=reply) as server:
        result = exchange(make_query(server.port), timeout=1)
    assert result.error is None
    assert "malformed message packet" in result.warnings[0]


def test_byte_dribbling_tcp_server_is_cut_off_by_the_deadline() -> None:
    def reply(query: dns.message.Message, _: bytes) -> list[bytes]:
        wire = framed(answer_for(query))
        return [wire[i : i + 1] for i in range(len(wire))]

    with FakeServer(tcp=reply, tcp_pause=0.2) as server:
        begin = time.monotonic()
        result = exchange(make_query(server.port, tcp=True), timeout=0.5)
        elapsed = time.monotonic() - begin
    assert result.error is not None
    assert result.error.kind is ErrorKind.TIMEOUT
    assert elapsed < 1.5  # the 0.5 s timeout, not 0.2 s per byte of the reply


@pytest.mark.parametrize("garbage", [b"", b"\x00\x05abc"])
def test_truncated_udp_then_bad_tcp_is_an_error(garbage: bytes) -> None:
    def udp(query: dns.message.Message, _: bytes) -> list[bytes]:
        return [answer_for(query, flags=dns.flags.TC)]

    def tcp(query: dns.message.Message, _: bytes) -> list[bytes]:
        return [garbage]

    with FakeServer(udp=udp, tcp=tcp) as server:
        result = exchange(make_query(server.port), timeout=0.5)
    assert result.transport == "tcp"
    assert result.error is not None
    assert result.error.kind in (ErrorKind.MALFORMED, ErrorKind.TIMEOUT)


def test_batch_waits_for_the_slowest_try_not_the_sum(named: NamedServer) -> None:
    # Two silent servers and three live questions (one truncated, one over TCP)
    # in one batch: the silent ones cost one timeout schedule, side by side.
    with FakeServer() as silent_a, FakeServer() as silent_b:
        queries = [
            make_query(silent_a.port),
            make_query(named.port),
            make_query(named.port, "big.webdig.test", "TXT"),
            make_query(silent_b.port),
            make_query(named.port, "webdig.test", "MX", tcp=True),
        ]
        begin = time.monotonic()
        results = exchange_all(queries, timeout=0.4, tries=2)
        elapsed = time.monotonic() - begin
        assert (silent_a.packets, silent_b.packets) == (2, 2)
    assert [r.query for r in results] == queries
    kinds = [r.error.kind if r.error else None for r in results]
    assert kinds == [ErrorKind.TIMEOUT, None, None, ErrorKind.TIMEOUT, None]
    assert [r.transport for r in results] == ["udp", "udp", "tcp", "udp", "tcp"]
    assert results[2].warnings == [";; Truncated, retrying in TCP mode."]
    # Side by side, not one after the other: each silent server got its first query before
    # the other got its retry (an order, so a loaded machine cannot make it fail).
    (first_a, retry_a), (first_b, retry_b) = silent_a.arrivals, silent_b.arrivals
    assert first_b < retry_a
    assert first_a < retry_b
    assert 0.8 <= elapsed < 2.4  # two tries of 0.4 s


def test_batch_larger_than_the_sockets_in_flight_answers_every_query(
    named: NamedServer,
) -> None:
    names = [f"h{i}.webdig.test" for i in range(MAX_IN_FLIGHT + 6)]
    results = exchange_all([make_query(named.port, name) for name in names], timeout=2)
    assert [r.query.hostname.text for r in results] == names
    assert all(r.error is None and r.rcode is not None for r in results)


def test_refusal_in_a_batch_is_not_retried_and_does_not_stop_the_rest(
    named: NamedServer,
) -> None:
    results = exchange_all([make_query(free_port()), make_query(named.port)], timeout=1)
    assert results[0].error is not None
    assert results[0].error.kind is ErrorKind.REFUSED
    assert results[1].rcode == "NOERROR"
