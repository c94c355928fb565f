"""The WHOIS exchange and the RDAP GET: policy, deadline and size cap hold."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.registryservers import RdapServer, WhoisServer
from tests.support.webservers import closed_port
from webdig.renewal.connection import Admit
from webdig.renewal.jprswhois import decode, is_absent, parse_record
from webdig.renewal.probeoutcome import ProbeErrorKind
from webdig.renewal.registryio import MAX_WHOIS_BYTES, WhoisReply, rdap_get, whois_query
from webdig.settings import Settings


def settings(port: int, **more: object) -> Settings:
    values = {"allow_private": True, "timeout": 3.0, **more}
    return Settings(whois_port=port, **values)  # type: ignore[arg-type]


def query(
    name: str, config: Settings, deadline: float = 10.0, admit: Admit | None = None
) -> WhoisReply:
    return whois_query(
        "whois.jprs.jp", name, settings=config, resolve=lambda host: ["127.0.0.1"],
        deadline=time.monotonic() + deadline, admit=admit,
    )  # fmt: skip


@pytest.mark.parametrize(("name", "encoding"), [("shop.jp", "iso-2022-jp"), ("shop.jp/e", "ascii")])
def test_the_answer_is_read_whole(name: str, encoding: str) -> None:
    with WhoisServer() as server:
        reply = query(name, settings(server.port))
    assert reply.error is None
    assert "[Domain Name]                   SHOP.JP" in reply.body.decode(encoding)
    assert server.queries == [name]


def test_a_public_webdig_only_connects_to_port_43_of_public_addresses() -> None:
    reply = query("shop.jp", Settings(whois_port=43))
    assert reply.error is not None
    assert reply.error.kind is ProbeErrorKind.POLICY
    assert "a loopback address" in reply.error.message
    with RdapServer() as rdap:
        hop = rdap_get(
            rdap.bootstrap("active"), settings=Settings(), resolve=lambda host: [],
            deadline=time.monotonic() + 5,
        )  # fmt: skip
    assert hop.error is not None
    assert hop.error.kind is ProbeErrorKind.POLICY
    assert rdap.requests == []


def test_a_silent_server_is_cut_off_by_the_deadline() -> None:
    with WhoisServer(mode="silent") as server:
        begin = time.monotonic()
        reply = query("shop.jp", settings(server.port), deadline=0.5)
        elapsed = time.monotonic() - begin  # not counting the server's shutdown (up to 0.5 s)
    assert elapsed < 3 * 0.5
    assert reply.error is not None
    assert reply.error.kind is ProbeErrorKind.SILENT


def test_a_huge_answer_is_capped() -> None:
    with WhoisServer(mode="huge") as server:
        reply = query("shop.jp", settings(server.port))
    assert (len(reply.body), reply.truncated) == (MAX_WHOIS_BYTES, True)


def test_the_budget_is_asked_before_connecting() -> None:
    with WhoisServer() as server:
        reply = query("shop.jp", settings(server.port), admit=lambda address, port: 40)
    assert reply.error is not None
    assert reply.error.kind is ProbeErrorKind.BUSY
    assert server.queries == []


def test_a_name_without_address() -> None:
    reply = whois_query(
        "whois.jprs.jp", "shop.jp", settings=settings(closed_port()), resolve=lambda host: [],
        deadline=time.monotonic() + 1,
    )  # fmt: skip
    assert reply.error is not None
    assert "has no address" in reply.error.message


@pytest.mark.parametrize("english", [False, True], ids=["ja", "en"])
@pytest.mark.parametrize(
    ("name", "expires_in", "absent"),
    [("shop.jp", 300, False), ("old.jp", -5, False), ("nothing.jp", None, True)],
)
def test_jprs_records_over_the_wire(
    english: bool, name: str, expires_in: int | None, absent: bool
) -> None:
    # Active, expired and unregistered, as JPRS sends them: ISO-2022-JP, or ASCII for "/e".
    with WhoisServer() as server:
        reply = query(name + ("/e" if english else ""), settings(server.port))
    text = decode(reply.body)
    registration = parse_record(text)
    assert is_absent(text) is absent
    if expires_in is not None:
        assert registration is not None
        assert registration.expires == datetime.now(UTC).date() + timedelta(days=expires_in)
