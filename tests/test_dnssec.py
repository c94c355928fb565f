"""The ``dnssec`` item against real BIND: zones signed at test time (tests/support/signedzones.py),
DS records in the local ``lab.`` registry, every nameserver asked with the DO bit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

import dns.rdatatype
import pytest

from webdig.engine.names import parse_hostname
from webdig.engine.nameservers import own_resolver
from webdig.engine.query import QueryOptions
from webdig.engine.session import QuerySession
from webdig.findings.model import Level
from webdig.lookup.modes import delegation_facts
from webdig.renewal.dnssec import ask_zone, dnssec_check
from webdig.renewal.items import CheckResult
from webdig.settings import Settings


def checked(settings: Settings, host: str, now: datetime | None = None) -> CheckResult:
    """The item for ``host``, from the delegation facts the checklist gathers."""
    hostname = parse_hostname(host)
    with QuerySession(settings) as session:
        resolver = own_resolver(settings)
        facts = delegation_facts(hostname, dns.rdatatype.A, session, resolver, QueryOptions())
        replies = ask_zone(facts, [hostname], session, resolver)
    return dnssec_check(replies, host, now=now)


@pytest.mark.parametrize(
    ("host", "level", "code", "words"),
    [
        ("www.shop.lab", "pass", "dnssec.unsigned", "shop.lab is not signed with DNSSEC"),
        ("www.signed.lab", "pass", "dnssec.valid", "DNSSEC is valid for signed.lab"),
        ("www.staleds.lab", "fail", "dnssec.no-dnskey", "serve no DNSKEY"),
        ("www.expired.lab", "fail", "dnssec.expired", "expired on"),
        ("www.rolled.lab", "fail", "dnssec.ds-algorithm", "for algorithm ECDSAP256SHA256"),
    ],
)
def test_each_zone_gets_its_verdict(
    lab_settings: Settings, host: str, level: str, code: str, words: str
) -> None:
    item = checked(lab_settings, host)
    assert (item.level, item.findings[0].code) == (level, code), item.detail
    assert words in item.detail
    assert bool(item.fixes) == (level == "fail")


def test_a_stale_ds_says_what_resolvers_do_and_what_to_remove(lab_settings: Settings) -> None:
    item = checked(lab_settings, "www.staleds.lab")
    assert item.detail == (
        "The registry still publishes a DS record for staleds.lab, but your nameservers "
        "(ns1.good.lab, ns2.good.lab) serve no DNSKEY: every validating resolver, "
        "Let's Encrypt's included, answers SERVFAIL."
    )
    assert item.fix.startswith("Remove the DS record for staleds.lab at your registrar")
    assert "up to 60 minutes after it is removed" in item.fix


def test_a_rolled_algorithm_names_both_and_offers_the_new_ds(lab_settings: Settings) -> None:
    item = checked(lab_settings, "www.rolled.lab")
    assert "sign the zone with ED25519 only" in item.detail
    (replace,) = [f for f in item.fixes if f.code == "fix.replace-ds"]
    (ds,) = cast(tuple[str, ...], replace.params["ds"])
    assert ds.split()[1:3] == ["15", "2"]  # Ed25519, SHA-256


def test_expired_signatures_name_the_records_and_the_date(lab_settings: Settings) -> None:
    item = checked(lab_settings, "www.expired.lab")
    (expired,) = [f for f in item.findings if f.code == "dnssec.expired"]
    assert expired.params["records"] == (
        "expired.lab DNSKEY",
        "www.expired.lab A",
        "www.expired.lab AAAA",
        "www.expired.lab CAA",
    )
    when = datetime.fromisoformat(str(expired.params["expiry"]))
    assert timedelta(days=9) < datetime.now(UTC) - when < timedelta(days=11)


def test_the_clock_decides_which_signatures_are_valid(lab_settings: Settings) -> None:
    # signed.lab's signatures run from a day ago to 30 days ahead.
    later = datetime.now(UTC) + timedelta(days=31)
    assert checked(lab_settings, "www.signed.lab", now=later).findings[0].code == "dnssec.expired"
    earlier = datetime.now(UTC) - timedelta(days=2)
    first = checked(lab_settings, "www.signed.lab", now=earlier).findings[0]
    assert (first.code, first.level) == ("dnssec.not-yet-valid", Level.FAIL)
    # expired.lab was valid forty to ten days ago.
    then = datetime.now(UTC) - timedelta(days=20)
    assert checked(lab_settings, "www.expired.lab", now=then).level is Level.PASS


def test_evidence_shows_the_ds_and_dnskey_replies(lab_settings: Settings) -> None:
    item = checked(lab_settings, "www.signed.lab")
    titles = [e.title for e in item.evidence]
    assert "signed.lab DS +dnssec @ns1.nic.lab" in titles
    assert "signed.lab DNSKEY +dnssec @ns1.good.lab" in titles
    (keys,) = [
        e.text for e in item.evidence if e.title == "signed.lab DNSKEY +dnssec @ns2.good.lab"
    ]
    assert "IN\tRRSIG\tDNSKEY 13 " in keys
