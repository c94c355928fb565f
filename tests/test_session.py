"""The per-request query session: each question sent once, budget enforced."""

from __future__ import annotations

import dns.message
import dns.rdatatype

from tests.support.fakeserver import FakeServer
from webdig.engine.names import parse_hostname
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.result import ErrorKind
from webdig.engine.session import Progress, QuerySession
from webdig.settings import Settings


def answering(query: dns.message.Message, _: bytes) -> list[bytes]:
    return [dns.message.make_response(query).to_wire()]


def query(port: int, name: str = "a.example", label: str | None = None) -> Query:
    return Query(
        parse_hostname(name), dns.rdatatype.A, Server("127.0.0.1", port, label), QueryOptions()
    )


def test_identical_questions_are_sent_once() -> None:
    with FakeServer(udp=answering) as server, QuerySession(Settings(timeout=1)) as session:
        results = session.ask_all([query(server.port)] * 10)
        assert server.packets == 1
        assert session.sent == 1
    assert all(r.rcode == "NOERROR" for r in results)


def test_same_address_under_another_name_keeps_its_label() -> None:
    with FakeServer(udp=answering) as server, QuerySession(Settings(timeout=1)) as session:
        first = session.ask(query(server.port, label="ns1.example"))
        second = session.ask(query(server.port, label="ns2.example"))
    assert (first.query.server.label, second.query.server.label) == ("ns1.example", "ns2.example")


def test_budget_skips_with_an_explanation() -> None:
    settings = Settings(timeout=1, max_queries=2)
    with FakeServer(udp=answering) as server, QuerySession(settings) as session:
        results = session.ask_all([query(server.port, f"h{i}.example") for i in range(4)])
        assert server.packets == 2
    skipped = [r for r in results if r.error is not None]
    assert len(skipped) == 2
    assert skipped[0].error is not None
    assert skipped[0].error.kind is ErrorKind.SKIPPED
    assert "limit of 2 queries" in skipped[0].error.message
    assert session.skipped == 2


def test_nested_fan_out_does_not_deadlock() -> None:
    with FakeServer(udp=answering) as server, QuerySession(Settings(timeout=1)) as session:

        def inner(i: int) -> int:
            return len(session.ask_all([query(server.port, f"n{i}-{j}.example") for j in range(3)]))

        assert session.map(inner, range(100)) == [3] * 100


def test_progress_names_the_server_still_waited_for() -> None:
    told: list[Progress] = []
    settings = Settings(timeout=0.5, tries=1)
    with (
        FakeServer(udp=answering) as quick,
        FakeServer() as silent,
        QuerySession(settings, progress=told.append) as session,
    ):
        session.ask_all([query(quick.port, label="quick"), query(silent.port, label="silent")])
    assert told[0].waiting == ("quick", "silent")  # both asked at once
    assert Progress(("silent",)) in told  # the quick one answered; the silent one is named
    assert told[-1].waiting == ()  # the silent one timed out: nothing is waited for
