"""The DNSSEC judgement as pure functions: replies signed in-process by dnspython, fixed clock.

The same verdicts against real BIND and ``dnssec-signzone`` are in tests/test_dnssec.py; here
the cases BIND's lab does not stage (another key of the same algorithm, a DS of an algorithm
nobody validates, forged signatures, silent servers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

import dns.dnssec
import dns.flags
import dns.message
import dns.name
import dns.rdatatype
import dns.rrset
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from dns.rdtypes.ANY.DNSKEY import DNSKEY
from dns.rdtypes.ANY.DS import DS

from tests.support.canned import failed_result
from webdig.engine.names import parse_hostname
from webdig.engine.query import Query, Server
from webdig.engine.result import QueryResult
from webdig.findings.model import Level
from webdig.renewal.dnssec import DO, ServerReplies, ZoneReplies, dnssec_check
from webdig.renewal.dnssecchain import Flaw, judge_reply, suggested_ds, validatable

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ZONE = dns.name.from_text("example.com.")
DAY = timedelta(days=1)


@dataclass
class Key:
    """A zone key and its private half."""

    private: ed25519.Ed25519PrivateKey
    dnskey: DNSKEY

    @classmethod
    def make(cls, flags: int = 257) -> Key:
        private = ed25519.Ed25519PrivateKey.generate()
        return cls(private, dns.dnssec.make_dnskey(private.public_key(), 15, flags=flags))

    def ds(self) -> str:
        return dns.dnssec.make_ds(ZONE, self.dnskey, "SHA256").to_text()


def signed(
    rrset: dns.rrset.RRset, key: Key, *, start: datetime = NOW - DAY, end: datetime = NOW + DAY
) -> list[dns.rrset.RRset]:
    """``rrset`` and its RRSIG by ``key``, valid from ``start`` to ``end``."""
    sig = dns.dnssec.sign(
        rrset, key.private, ZONE, key.dnskey, inception=start, expiration=end, origin=ZONE
    )
    return [rrset, dns.rrset.from_rdata(rrset.name, rrset.ttl, sig)]


def result(name: str, rdtype: str, answer: list[dns.rrset.RRset], server: str) -> QueryResult:
    """A reply from ``server`` to ``name rdtype`` holding ``answer``."""
    query = Query(
        parse_hostname(name), dns.rdatatype.from_text(rdtype), Server("192.0.2.1", 53, server), DO
    )
    message = dns.message.make_query(name, rdtype, want_dnssec=True)
    response = dns.message.make_response(message)
    response.flags |= dns.flags.AA
    response.answer.extend(answer)
    return QueryResult(query=query, started=NOW, response=response)


def keys_rrset(*keys: Key) -> dns.rrset.RRset:
    return dns.rrset.from_rdata_list(ZONE, 300, [k.dnskey for k in keys])


def a_rrset() -> dns.rrset.RRset:
    return dns.rrset.from_text("www.example.com.", 300, "IN", "A", "192.0.2.10")


def zone(ds: list[str], *servers: ServerReplies) -> ZoneReplies:
    records = [dns.rrset.from_text(ZONE, 3600, "IN", "DS", *ds)] if ds else []
    registry = [result("example.com", "DS", records, "a.gtld-servers.net")]
    return ZoneReplies("example.com.", registry, list(servers))


def server(
    label: str, key_answer: list[dns.rrset.RRset], a_answer: list[dns.rrset.RRset]
) -> ServerReplies:
    return ServerReplies(
        label,
        result("example.com", "DNSKEY", key_answer, label),
        [result("www.example.com", "A", a_answer, label)],
    )


def healthy(key: Key, label: str = "ns1.example.net") -> ServerReplies:
    return server(label, signed(keys_rrset(key), key), signed(a_rrset(), key))


@pytest.fixture(scope="module")
def key() -> Key:
    return Key.make()


@pytest.mark.parametrize(
    ("start", "end", "flaw"),
    [
        (NOW - DAY, NOW + DAY, None),
        (NOW - 3 * DAY, NOW - DAY, Flaw.EXPIRED),
        (NOW + DAY, NOW + 3 * DAY, Flaw.NOT_YET_VALID),
    ],
)
def test_a_signature_is_judged_by_the_given_clock(
    key: Key, start: datetime, end: datetime, flaw: Flaw | None
) -> None:
    reply = result("www.example.com", "A", signed(a_rrset(), key, start=start, end=end), "ns1")
    judged = judge_reply(reply, ZONE, [key.dnskey], NOW)
    assert (judged.record, judged.flaw) == ("www.example.com A", flaw)
    assert judged.moment == {None: end, Flaw.EXPIRED: end, Flaw.NOT_YET_VALID: start}[flaw]


def test_the_longest_lasting_valid_signature_counts_with_its_key_and_lifetime(key: Key) -> None:
    # A resolver accepts any valid signature: the set goes bogus only when the last one expires.
    other = Key.make()
    short = signed(a_rrset(), key, start=NOW - DAY, end=NOW + DAY)
    long = signed(a_rrset(), other, start=NOW - 2 * DAY, end=NOW + 20 * DAY)
    reply = result("www.example.com", "A", [*short, long[1]], "ns1")
    judged = judge_reply(reply, ZONE, [key.dnskey, other.dnskey], NOW)
    assert (judged.flaw, judged.moment) == (None, NOW + 20 * DAY)
    assert (judged.key_tag, judged.lifetime) == (dns.dnssec.key_id(other.dnskey), 22 * DAY)


def test_a_signature_by_a_key_the_zone_does_not_serve_does_not_verify(key: Key) -> None:
    reply = result("www.example.com", "A", signed(a_rrset(), Key.make()), "ns1")
    assert judge_reply(reply, ZONE, [key.dnskey], NOW).flaw is Flaw.INVALID


def test_records_of_another_zone_in_the_reply_are_not_judged(key: Key) -> None:
    other = dns.rrset.from_text("www.example.net.", 300, "IN", "A", "192.0.2.10")
    reply = result("www.example.com", "A", [*signed(a_rrset(), key), other], "ns1")
    assert judge_reply(reply, ZONE, [key.dnskey], NOW).flaw is None


def test_a_healthy_chain_passes_with_the_first_expiry(key: Key) -> None:
    item = dnssec_check(zone([key.ds()], healthy(key)), "www.example.com", now=NOW)
    assert item.level is Level.PASS
    assert item.detail == (
        "DNSSEC is valid for example.com: the registry's DS record matches the key its "
        f"nameservers serve (key tag {dns.dnssec.key_id(key.dnskey)}, ED25519), and the "
        "signatures are valid until 2 December 2026."
    )


def test_a_ds_for_another_key_of_the_same_algorithm_is_a_mismatch(key: Key) -> None:
    item = dnssec_check(zone([Key.make().ds()], healthy(key)), "www.example.com", now=NOW)
    assert (item.level, item.findings[0].code) == (Level.FAIL, "dnssec.ds-mismatch")
    (replace,) = [f for f in item.fixes if f.code == "fix.replace-ds"]
    assert replace.params["ds"] == (key.ds(),)
    assert key.ds() in item.fix


def test_a_second_ds_for_a_key_not_yet_published_is_fine(key: Key) -> None:
    # A key roll in progress: the new key's DS is at the registry before the key is served.
    item = dnssec_check(zone([key.ds(), Key.make().ds()], healthy(key)), "www.example.com", now=NOW)
    assert item.level is Level.PASS


def test_one_stale_server_fails_the_zone(key: Key) -> None:
    stale = server("ns2.example.net", [], [a_rrset()])
    item = dnssec_check(zone([key.ds()], healthy(key), stale), "www.example.com", now=NOW)
    assert item.findings[0].code == "dnssec.no-dnskey"
    assert item.findings[0].params["servers"] == ("ns2.example.net",)


def test_unsigned_answers_under_a_ds_fail(key: Key) -> None:
    bare = server("ns1.example.net", signed(keys_rrset(key), key), [a_rrset()])
    item = dnssec_check(zone([key.ds()], bare), "www.example.com", now=NOW)
    assert item.findings[0].code == "dnssec.unsigned-records"
    assert "www.example.com A carry no DNSSEC signature" in item.detail
    assert item.fixes[0].code == "fix.resign-zone"


def test_a_dnskey_set_signed_only_by_a_key_no_ds_names_fails(key: Key) -> None:
    other = Key.make()
    keys = signed(keys_rrset(key, other), other)
    item = dnssec_check(
        zone([key.ds()], server("ns1.example.net", keys, signed(a_rrset(), key))),
        "www.example.com",
        now=NOW,
    )
    assert item.findings[0].code == "dnssec.bad-signature"
    assert item.findings[0].params["records"] == ("example.com DNSKEY",)


def test_keys_without_a_ds_are_ignored_by_resolvers(key: Key) -> None:
    item = dnssec_check(zone([], healthy(key)), "www.example.com", now=NOW)
    assert (item.level, item.findings[0].code) == (Level.PASS, "dnssec.keys-without-ds")


def test_a_ds_of_an_algorithm_nobody_validates_is_not_judged(key: Key) -> None:
    rsamd5 = "12345 1 2 " + "AB" * 32
    assert not validatable(cast(DS, dns.rdata.from_text("IN", "DS", rsamd5)))
    item = dnssec_check(zone([rsamd5], healthy(key)), "www.example.com", now=NOW)
    assert (item.level, item.findings[0].code) == (Level.UNKNOWN, "dnssec.unsupported")
    assert "RSAMD5" in item.detail


def test_silence_is_unknown_never_a_pass(key: Key) -> None:
    quiet = ServerReplies("ns1.example.net", failed_result(rdtype="DNSKEY"), [])
    registry_down = ZoneReplies("example.com.", [failed_result(rdtype="DS")], [healthy(key)])
    assert dnssec_check(registry_down, "www.example.com", now=NOW).findings[0].code == (
        "dnssec.registry-silent"
    )
    nobody = dnssec_check(zone([key.ds()], quiet), "www.example.com", now=NOW)
    assert (nobody.level, nobody.findings[0].code) == (Level.UNKNOWN, "dnssec.no-replies")
    partly = dnssec_check(zone([key.ds()], healthy(key), quiet), "www.example.com", now=NOW)
    assert [f.code for f in partly.findings] == ["dnssec.valid", "dnssec.silent"]
    assert dnssec_check(None, "www.gone.example", now=NOW).level is Level.UNKNOWN


def test_the_suggested_ds_is_for_the_key_signing_key(key: Key) -> None:
    zsk = Key.make(flags=256)
    assert suggested_ds(ZONE, [zsk.dnskey, key.dnskey]) == [key.ds()]
