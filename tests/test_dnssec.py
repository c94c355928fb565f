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


def test_signatures_about_to_expire_warn_with_the_key_the_time_and_what_to_do(
    lab_settings: Settings,
) -> None:
    # expiring.lab: 30-day signatures made 28 days ago, so two days are left.
    now = datetime.now(UTC)
    item = checked(lab_settings, "www.expiring.lab", now=now)
    assert item.level is Level.WARN, item.detail
    soon, valid = item.findings[:2]
    assert (soon.code, valid.code) == ("dnssec.expiring", "dnssec.valid")
    assert soon.params["records"] == (
        "expiring.lab DNSKEY",
        "www.expiring.lab A",
        "www.expiring.lab AAAA",
        "www.expiring.lab CAA",
    )
    assert soon.params["tags"] == valid.params["tags"]  # the one key signs everything
    expiry = datetime.fromisoformat(str(soon.params["expiry"]))
    assert timedelta(days=2) - timedelta(minutes=5) < expiry - now <= timedelta(days=2)
    left = int(cast(int, soon.params["left"]))
    assert left == int((expiry - now).total_seconds())
    (tag,) = cast(tuple[str, ...], soon.params["tags"])
    # Under 48 hours left reads in hours (the lab signed the zone a little earlier).
    hours = round(left / 3600)
    words = f"(key tag {tag}) expire on {expiry:%-d %B %Y} at {expiry:%H:%M} UTC, in {hours} hours."
    assert words in item.detail
    assert [f.code for f in item.fixes] == ["fix.resign-before-expiry"]
    assert "remove the DS record at your registrar first" in item.fix
    assert "only 60 minutes later" in item.fix  # the lab registry's DS TTL


@pytest.mark.parametrize(
    ("host", "days", "level", "code"),
    [
        ("www.expiring.lab", -10, Level.PASS, "dnssec.valid"),  # 12 days left
        ("www.expiring.lab", 3, Level.FAIL, "dnssec.expired"),
        ("www.signed.lab", 0, Level.PASS, "dnssec.valid"),  # 30 days left
        ("www.signed.lab", 26, Level.PASS, "dnssec.valid"),  # 4 days left: not yet
        ("www.signed.lab", 28, Level.WARN, "dnssec.expiring"),  # 2 days left
    ],
)
def test_the_warning_comes_three_days_before_a_30_day_signature_expires(
    lab_settings: Settings, host: str, days: int, level: Level, code: str
) -> None:
    item = checked(lab_settings, host, now=datetime.now(UTC) + timedelta(days=days))
    assert (item.level, item.findings[0].code) == (level, code), item.detail
    assert ("dnssec.expiring" in [f.code for f in item.findings]) == (level is Level.WARN)
