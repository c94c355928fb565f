"""Whole look-ups against the test BIND: planning, concurrency, caps, failures as rows."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from tests.support.bind import NamedServer, free_port
from tests.support.fakeserver import FakeServer
from webdig.findings.model import Finding, Level
from webdig.lookup.params import LookupParams
from webdig.lookup.run import InvalidParams, lookup, plan
from webdig.settings import Settings


@pytest.fixture
def settings(named: NamedServer) -> Settings:
    return Settings(
        resolver=f"127.0.0.1#{named.port}", allow_private=True, timeout=0.5, tries=1, deadline=3
    )


def self_params(named: NamedServer, *hosts: str, **kw: object) -> LookupParams:
    return LookupParams(
        hostnames=hosts,
        ns="self",
        nameservers=(f"127.0.0.1:{named.port}",),
        **kw,  # type: ignore[arg-type]
    )


def test_one_block_per_hostname_and_server(named: NamedServer, settings: Settings) -> None:
    params = LookupParams(
        hostnames=("www.webdig.test", "wrong.webdig.test"),
        ns="self",
        nameservers=(f"127.0.0.1:{named.port}", f"ns1.webdig.test:{named.port}"),
        expected=("192.0.2.10",),
    )
    outcome = lookup(params, settings)
    statuses = [
        (b.query.hostname.text, b.query.server.label, b.verdict.status)
        for b in outcome.blocks
        if b.verdict and not b.companion
    ]
    assert statuses == [
        ("www.webdig.test", "127.0.0.1", "match"),
        ("www.webdig.test", "ns1.webdig.test", "match"),
        ("wrong.webdig.test", "127.0.0.1", "mismatch"),
        ("wrong.webdig.test", "ns1.webdig.test", "mismatch"),
    ]


def test_reverse_type_queries_ptr(named: NamedServer, settings: Settings) -> None:
    outcome = lookup(self_params(named, "192.0.2.10", type="Reverse"), settings)
    [block] = outcome.blocks
    assert block.query.type_text == "PTR"
    assert block.result.answer[0][0].to_text() == "www.webdig.test."


def test_idn_hostname_is_sent_as_a_label(named: NamedServer, settings: Settings) -> None:
    [block] = lookup(self_params(named, "bücher.webdig.test"), settings).blocks
    assert block.result.answer[0].name.to_text() == "xn--bcher-kva.webdig.test."


def test_resolver_mode_uses_configured_resolver(named: NamedServer, settings: Settings) -> None:
    [block] = lookup(LookupParams(hostnames=("www.webdig.test",)), settings).blocks
    assert (block.query.server.address, block.query.server.port) == ("127.0.0.1", named.port)


def test_a_dead_server_is_a_row_not_an_exception(named: NamedServer, settings: Settings) -> None:
    params = LookupParams(
        hostnames=("www.webdig.test",),
        ns="self",
        nameservers=(f"127.0.0.1:{named.port}", f"127.0.0.1:{free_port()}"),
        expected=("192.0.2.10",),
    )
    alive, dead = [b for b in lookup(params, settings).blocks if not b.companion]
    assert alive.verdict is not None
    assert alive.verdict.status == "match"
    assert dead.result.error is not None
    assert dead.verdict is not None
    assert dead.verdict.status == "error"


def test_queries_run_concurrently(named: NamedServer) -> None:
    settings = Settings(allow_private=True, timeout=0.6, tries=1, deadline=5)
    with FakeServer() as silent:
        hosts = tuple(f"h{i}.webdig.test" for i in range(10))
        params = LookupParams(hostnames=hosts, ns="self", nameservers=(f"127.0.0.1:{silent.port}",))
        begin = time.monotonic()
        outcome = lookup(params, settings)
        elapsed = time.monotonic() - begin
    assert all(b.result.error is not None for b in outcome.blocks)
    # Ten silent 0.6 s queries one after another would take 6 s.
    assert elapsed < 2.0


def test_any_gets_rfc8482_note(named: NamedServer, settings: Settings) -> None:
    assert (
        lookup(self_params(named, "webdig.test", type="ANY"), settings).notes[0].code == "note.any"
    )


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"hostnames": ()}, "hostnames", "at least one hostname"),
        ({"hostnames": tuple(f"h{i}.example" for i in range(21))}, "hostnames", "at most 20"),
        ({"type": "AXFR"}, "type", "Zone transfers"),
        ({"type": "IXFR"}, "type", "Zone transfers"),
        ({"type": "BOGUS"}, "type", "not a DNS record type"),
        ({"ns": "auth2"}, "ns", "not a nameserver choice"),
        ({"nameservers": (), "hosting": "nosuch"}, "hosting", "not a hosting provider"),
        ({"nameservers": ()}, "nameservers", "Enter the nameserver"),
        ({"nameservers": tuple(f"192.0.2.{i}" for i in range(11))}, "nameservers", "at most 10"),
        ({"nameservers": ("missing.webdig.test",)}, "nameservers", "could not be resolved"),
        ({"expected": ("not-an-ip",)}, "expected", "neither an IP address nor a server name"),
        ({"expected": ("sv1.missing.webdig.test",)}, "expected", "could not be resolved"),
    ],
)
def test_invalid_params_are_reported_by_field(
    named: NamedServer, settings: Settings, changes: dict[str, object], field: str, fragment: str
) -> None:
    base = {"hostnames": ("www.webdig.test",), "ns": "self", "nameservers": ("127.0.0.1",)}
    with pytest.raises(InvalidParams) as info:
        plan(LookupParams(**{**base, **changes}), settings)  # type: ignore[arg-type]
    assert fragment in " ".join(info.value.fields[field])


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("192.0.2.10", "192.0.2.10"),
        (" 2001:db8::1 ", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
    ],
)
def test_expected_addresses_are_read_as_typed(settings: Settings, text: str, address: str) -> None:
    params = LookupParams(hostnames=("a.example",), ns="self", nameservers=("127.0.0.1",))
    planned = plan(replace(params, expected=(text,)), settings)
    assert [str(a) for a in planned.expected] == [address]


@pytest.mark.parametrize("text", ["192.0.2", "192.0.2.300", "<b>"])
def test_expected_values_that_are_no_address_are_explained(settings: Settings, text: str) -> None:
    params = LookupParams(hostnames=("a.example",), ns="self", nameservers=("127.0.0.1",))
    with pytest.raises(InvalidParams) as info:
        plan(replace(params, expected=(text,)), settings)
    assert "is neither an IP address nor a server name" in info.value.fields["expected"][0]


def test_unknown_preset_is_reported(settings: Settings) -> None:
    with pytest.raises(InvalidParams) as info:
        plan(LookupParams(hostnames=("a.example",), useresolver="bigdns"), settings)
    assert "not one of the resolvers offered" in info.value.fields["useresolver"][0]


def test_useresolver_takes_any_preset_address_or_service(settings: Settings) -> None:
    for key in ("8.8.4.4", "2001:4860:4860:0:0:0:0:8844", "google", "Google Public DNS"):
        planned = plan(LookupParams(hostnames=("a.example",), useresolver=key), settings)
        assert [s.name for s in planned.servers] == ["Google Public DNS"], key
        assert planned.notes == ()


def test_a_retired_service_is_still_a_key_with_a_note(settings: Settings) -> None:
    planned = plan(LookupParams(hostnames=("a.example",), useresolver="64.6.65.6"), settings)
    assert [s.address for s in planned.servers] == ["64.6.65.6"]
    assert planned.notes == (
        Finding(
            "note.preset-retired",
            Level.INFO,
            {
                "service": "Verisign Public DNS",
                "address": "64.6.65.6",
                "successor": "Neustar's UltraDNS Public",
            },
        ),
    )


def test_other_public_resolver_is_asked_like_a_typed_nameserver(settings: Settings) -> None:
    planned = plan(LookupParams(hostnames=("a.example",), useresolver="6.6.6.6"), settings)
    assert [(s.address, s.port) for s in planned.servers] == [("6.6.6.6", 53)]
    assert planned.notes == (
        Finding("note.resolver-not-preset", Level.INFO, {"address": "6.6.6.6"}),
    )


def test_other_resolver_obeys_the_target_policy(named: NamedServer) -> None:
    params = LookupParams(hostnames=("a.example",), useresolver="127.0.0.1")
    with pytest.raises(InvalidParams) as info:
        plan(params, Settings(allow_private=False))
    assert "loopback" in info.value.fields["useresolver"][0]


def test_all_asks_one_address_of_each_running_service(settings: Settings) -> None:
    planned = plan(LookupParams(hostnames=("a.example",), ns="all"), settings)
    assert [s.address for s in planned.servers] == [
        "1.1.1.1", "94.140.14.14", "68.94.156.1", "8.26.56.26", "8.8.8.8",
        "168.95.1.1", "208.67.222.222", "9.9.9.9", "77.88.8.8",
    ]  # fmt: skip


def test_query_budget_is_enforced(named: NamedServer) -> None:
    settings = Settings(allow_private=True, max_queries=5)
    params = LookupParams(
        hostnames=("a.example", "b.example", "c.example"),
        ns="self",
        nameservers=("127.0.0.1", "127.0.0.2"),
    )
    with pytest.raises(InvalidParams) as info:
        plan(params, settings)
    assert "at most 5" in info.value.fields["hostnames"][0]


def test_public_mode_refuses_loopback_before_sending(named: NamedServer) -> None:
    with FakeServer() as listener:
        params = LookupParams(hostnames=("a.example",), ns="self", nameservers=("127.0.0.1",))
        with pytest.raises(InvalidParams) as info:
            lookup(params, Settings(allow_private=False))
        assert listener.packets == 0
    assert "loopback" in info.value.fields["nameservers"][0]


def test_a_pasted_url_or_e_mail_address_is_understood_with_a_note(settings: Settings) -> None:
    params = LookupParams(
        hostnames=("https://www.example.com/page", "info@example.com", "www.example.org"),
        useresolver="8.8.8.8",
    )
    planned = plan(params, settings)
    assert [h.text for h in planned.hostnames] == [
        "www.example.com",
        "example.com",
        "www.example.org",
    ]
    assert [dict(note.params) for note in planned.notes if note.code == "note.host-understood"] == [
        {"given": "https://www.example.com/page", "host": "www.example.com"},
        {"given": "info@example.com", "host": "example.com"},
    ]


@pytest.mark.parametrize(
    ("hostnames", "rdtype", "noted"),
    [
        (("192.0.2.10",), "A", ["192.0.2.10"]),
        (("192.0.2.10.", "www.example.com"), "AAAA", ["192.0.2.10"]),
        (("www.example.com",), "A", []),
        (("10.example.com", "192.0.2"), "A", []),
        (("192.0.2.10",), "Reverse", []),
    ],
)
def test_an_address_typed_as_the_name_gets_a_note(
    settings: Settings, hostnames: tuple[str, ...], rdtype: str, noted: list[str]
) -> None:
    # Still asked as dig asks it; the note says which field an address belongs in.
    planned = plan(LookupParams(hostnames=hostnames, type=rdtype), settings)
    found = [n.params["address"] for n in planned.notes if n.code == "note.address-as-name"]
    assert found == noted
