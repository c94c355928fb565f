"""The dns-01 item against real BIND: the zones of tests/support/acmezones.py in the local
hierarchy (run as root in a network namespace), and its reading of replies on canned ones."""

from __future__ import annotations

import dns.name
import pytest

from tests.support import acmezones as acme
from tests.support.canned import failed_result, reply, result_from_text
from webdig.engine.names import parse_hostname
from webdig.engine.nameservers import own_resolver
from webdig.engine.session import QuerySession
from webdig.findings.model import Level
from webdig.renewal.acmerecords import (
    Kind,
    challenge_name,
    doubled_names,
    negative_ttl,
    read_answer,
)
from webdig.renewal.dns01 import dns01_check, find_challenge
from webdig.renewal.items import CheckId, CheckResult
from webdig.settings import Settings


def run(settings: Settings, name: str, *, asked: bool = True) -> tuple[CheckResult, int]:
    """The dns-01 item for ``name`` and how many queries it sent."""
    with QuerySession(settings) as session:
        chain = find_challenge(parse_hostname(name), session, own_resolver(settings))
        return dns01_check(chain, asked=asked), session.sent


def codes(item: CheckResult) -> list[str]:
    return [f.code for f in item.findings]


def test_record_at_every_nameserver_passes(lab_settings: Settings) -> None:
    item, _ = run(lab_settings, "www.dns01.lab")
    assert (item.id, item.level, codes(item)) == (CheckId.DNS01, Level.PASS, ["dns01.present"])
    assert item.detail == (
        "Every nameserver of dns01.lab (ns1.good.lab, ns2.good.lab) answers the TXT record at "
        f"_acme-challenge.www.dns01.lab: {acme.WWW_TOKEN}."
    )
    assert item.fixes == ()
    # The evidence is each nameserver's reply, as dig prints it.
    assert [e.title for e in item.evidence] == [
        "_acme-challenge.www.dns01.lab TXT @ns1.good.lab",
        "_acme-challenge.www.dns01.lab TXT @ns2.good.lab",
    ]
    assert acme.WWW_TOKEN in item.evidence[0].text


def test_a_wildcard_is_validated_at_its_parent_with_every_value(lab_settings: Settings) -> None:
    item, _ = run(lab_settings, "*.dns01.lab")
    assert item.level is Level.PASS
    assert item.findings[0].params["name"] == "_acme-challenge.dns01.lab"
    assert item.findings[0].params["values"] == acme.APEX_TOKENS


def test_missing_record_with_a_long_negative_cache_time_fails_and_says_how_long_to_wait(
    lab_settings: Settings,
) -> None:
    item, _ = run(lab_settings, "www.slowneg.lab")
    assert (item.level, codes(item)) == (Level.FAIL, ["dns01.missing", "dns01.negative-cache"])
    assert item.findings[0].params["rcode"] == "NXDOMAIN"
    # SOA minimum 3600 s, SOA TTL one day: resolvers keep the NXDOMAIN for the smaller.
    assert item.findings[1].params == {"zone": "slowneg.lab", "wait": 3600}
    assert "_acme-challenge.www.slowneg.lab does not exist at the nameservers of slowneg.lab" in (
        item.detail
    )
    assert "wait 60 minutes before pressing renew" in item.fix
    assert "in the panel's host name field, enter only _acme-challenge.www" in item.fix
    assert [f.code for f in item.fixes] == ["fix.dns01-add", "fix.dns01-wait", "fix.retry-once"]


def test_missing_record_is_only_a_fact_when_nobody_said_the_renewal_uses_dns01(
    lab_settings: Settings,
) -> None:
    item, _ = run(lab_settings, "www.slowneg.lab", asked=False)
    assert (item.level, item.status) == (Level.INFO, "pass")
    assert codes(item) == ["dns01.missing", "dns01.between-renewals"]
    assert item.fixes == ()


def test_alias_to_another_zone_is_followed_to_that_zones_own_nameservers(
    lab_settings: Settings,
) -> None:
    item, _ = run(lab_settings, "alias.dns01.lab")
    assert (item.level, codes(item)) == (Level.PASS, ["dns01.present"])
    assert item.detail == (
        "_acme-challenge.alias.dns01.lab is an alias (CNAME) for alias.acme-dns.lab, and every "
        "nameserver of acme-dns.lab (ns1.acme-dns.lab) answers its TXT record: "
        f"{acme.DELEGATED_TOKEN}."
    )
    # acme-dns.lab lives only on its own server: the token can only have come from there.
    assert "alias.acme-dns.lab TXT @ns1.acme-dns.lab" in [e.title for e in item.evidence]


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        (
            "dangling.dns01.lab",
            "dns01.alias-missing",
            "for gone.acme-dns.lab, which does not exist",
        ),
        (
            "nowhere.dns01.lab",
            "dns01.alias-missing",
            "for x.nobody-registered.lab, which does not exist",
        ),
    ],
)
def test_alias_to_a_name_that_does_not_exist_fails_even_when_not_asked(
    lab_settings: Settings, name: str, code: str, words: str
) -> None:
    item, _ = run(lab_settings, name, asked=False)
    assert (item.level, codes(item)) == (Level.FAIL, [code])
    assert words in item.detail
    assert item.fixes[0].code == "fix.dns01-alias"


@pytest.mark.parametrize(
    ("name", "found", "label"),
    [
        (
            "twice.dns01.lab",
            "_acme-challenge._acme-challenge.twice.dns01.lab",
            "_acme-challenge.twice",
        ),
        ("full.dns01.lab", "_acme-challenge.full.dns01.lab.dns01.lab", "_acme-challenge.full"),
    ],
)
def test_doubled_label_is_named_with_what_to_type_instead(
    lab_settings: Settings, name: str, found: str, label: str
) -> None:
    item, _ = run(lab_settings, name)
    assert (item.level, codes(item)[0]) == (Level.FAIL, "dns01.doubled")
    assert item.detail.startswith(
        f"The TXT record was created at {found} instead of _acme-challenge.{name}:"
    )
    assert f"enter only {label} (the panel adds dns01.lab itself)" in item.fix
    assert "wait 5 minutes" in item.fix  # dns01.lab's SOA minimum


def test_nameservers_with_different_records_fail_naming_each(lab_settings: Settings) -> None:
    item, _ = run(lab_settings, "www.txtsplit.lab")
    assert (item.level, codes(item)) == (Level.FAIL, ["dns01.differ"])
    assert 'ns1.good.lab: TXT "new-token"; ns2.good.lab: TXT "old-token"' in item.detail, (
        item.detail
    )
    assert item.fixes[0].code == "fix.dns01-same"


def test_the_registry_questions_of_domain_exists_are_reused(lab_settings: Settings) -> None:
    """Asked after the checklist's delegation look-up, the item sends only its own questions."""
    import dns.rdatatype

    from webdig.engine.query import QueryOptions
    from webdig.lookup.modes import delegation_facts

    settings = lab_settings
    with QuerySession(settings) as session:
        resolver = own_resolver(settings)
        hostname = parse_hostname("www.dns01.lab")
        delegation_facts(hostname, dns.rdatatype.A, session, resolver, QueryOptions())
        before = session.sent
        dns01_check(find_challenge(hostname, session, resolver), asked=True)
        # Zone SOA of the challenge name, then TXT of it and its 2 doubled names at 2 servers.
        assert session.sent - before <= 2 + 3 * 2


# Pure functions on canned replies.


def test_challenge_names() -> None:
    www = dns.name.from_text("www.example.com")
    assert challenge_name(www).to_text() == "_acme-challenge.www.example.com."
    assert challenge_name(dns.name.from_text("*.example.com")).to_text() == (
        "_acme-challenge.example.com."
    )
    zone = dns.name.from_text("example.com")
    assert [n.to_text() for n in doubled_names(challenge_name(www), zone)] == [
        "_acme-challenge._acme-challenge.www.example.com.",
        "_acme-challenge.www.example.com.example.com.",
    ]


def test_doubled_names_too_long_for_dns_are_left_out() -> None:
    long = dns.name.from_text(".".join(["a" * 60] * 3) + ".example")
    zone = dns.name.from_text("a" * 60 + ".example")
    assert doubled_names(challenge_name(long), zone) == [
        dns.name.Name((b"_acme-challenge", *challenge_name(long).labels))
    ]


SOA = (
    "example.com. {ttl} IN SOA ns1.example.com. hostmaster.example.com. 1 3600 900 604800 {minimum}"
)
QUESTION = "_acme-challenge.www.example.com. IN TXT"
NAME = dns.name.from_text("_acme-challenge.www.example.com")


@pytest.mark.parametrize(("ttl", "minimum", "wait"), [(600, 3600, 600), (86400, 300, 300)])
def test_negative_cache_time_is_the_smaller_of_soa_ttl_and_minimum(
    ttl: int, minimum: int, wait: int
) -> None:
    text = reply(
        rcode="NXDOMAIN", question=QUESTION, authority=SOA.format(ttl=ttl, minimum=minimum)
    )
    result = result_from_text(text, name="_acme-challenge.www.example.com", rdtype="TXT")
    assert negative_ttl(result) == wait
    assert read_answer(result, NAME).kind is Kind.NXDOMAIN


@pytest.mark.parametrize(
    ("answer", "rcode", "authority", "kind", "values"),
    [
        (f'{QUESTION.split()[0]} 60 IN TXT "ab" "cd"', "NOERROR", "", Kind.TXT, ('"abcd"',)),
        (
            f"{QUESTION.split()[0]} 60 IN CNAME t.acme.example.",
            "NOERROR",
            "",
            Kind.ALIAS,
            ("t.acme.example.",),
        ),
        ("", "NOERROR", SOA.format(ttl=60, minimum=60), Kind.NODATA, ()),
        ("", "NOERROR", "example.com. 60 IN NS ns1.example.com.", Kind.NO_ANSWER, ()),
        ("", "SERVFAIL", "", Kind.NO_ANSWER, ()),
    ],
)
def test_read_answer(
    answer: str, rcode: str, authority: str, kind: Kind, values: tuple[str, ...]
) -> None:
    text = reply(answer, rcode=rcode, question=QUESTION, authority=authority)
    result = result_from_text(text, name="_acme-challenge.www.example.com", rdtype="TXT")
    found = read_answer(result, NAME)
    assert (found.kind, found.values) == (kind, values)


def test_no_reply_is_no_answer() -> None:
    found = read_answer(failed_result(rdtype="TXT"), NAME)
    assert (found.kind, found.problem) == (
        Kind.NO_ANSWER,
        "ns1.example.net did not answer within 2 seconds.",
    )


def test_alias_loop_fails(lab_settings: Settings) -> None:
    item, _ = run(lab_settings, "loop.dns01.lab")
    assert (item.level, codes(item)) == (Level.FAIL, ["dns01.alias-loop"])
    assert "go round in a loop or go on for more than 8 steps" in item.detail


def test_a_silent_nameserver_is_named_next_to_the_verdict(lab_settings: Settings) -> None:
    # lame.lab's second nameserver is dead; the first has no record.
    item, _ = run(lab_settings, "www.lame.lab")
    assert (item.level, codes(item)) == (
        Level.FAIL,
        ["dns01.missing", "dns01.negative-cache", "dns01.silent"],
    )
    assert item.findings[2].params["servers"] == ("ns2.lame.lab",)
    assert "ns2.lame.lab gave no answer for _acme-challenge.www.lame.lab" in item.detail


def test_a_record_at_the_nameservers_that_answer_is_a_warning_when_one_is_silent(
    lab_settings: Settings,
) -> None:
    item, _ = run(lab_settings, "www.lame.lab", asked=False)
    assert (item.level, codes(item)[-1]) == (Level.WARN, "dns01.silent")
    assert "fix.check-nameservers" in [f.code for f in item.fixes]


def test_nameservers_that_cannot_be_found_leave_the_item_unknown(lab_settings: Settings) -> None:
    item, _ = run(lab_settings, "www.silent.lab")
    assert (item.level, item.status, codes(item)) == (Level.UNKNOWN, "skip", ["dns01.not-asked"])


@pytest.mark.parametrize("rcode", ["NXDOMAIN", "SERVFAIL"])
def test_an_alias_the_server_chased_itself_is_read_as_the_alias(rcode: str) -> None:
    # The rcode speaks of the end of the chain (RFC 6604), not of the name asked.
    chain = f"{QUESTION.split()[0]} 60 IN CNAME t.acme.example."
    text = reply(chain, rcode=rcode, question=QUESTION)
    result = result_from_text(text, name="_acme-challenge.www.example.com", rdtype="TXT")
    found = read_answer(result, NAME)
    assert (found.kind, found.values) == (Kind.ALIAS, ("t.acme.example.",))
