"""Verdicts on canned replies: match, mismatch, chains, NXDOMAIN, errors."""

from __future__ import annotations

import ipaddress

import pytest

from tests.support.canned import failed_result, reply, result_from_text
from webdig.findings.catalog import sentence
from webdig.lookup.answers import judge

SERVER_IP = [ipaddress.ip_address("192.0.2.10")]
WWW_A = "www.example.com. 300 IN A 192.0.2.10"


def test_match_names_server_address_and_host() -> None:
    verdict = judge(result_from_text(reply(WWW_A)), SERVER_IP)
    assert verdict is not None
    assert verdict.status == "match"
    assert sentence(verdict.finding) == (
        "ns1.example.net answers 192.0.2.10 for www.example.com: this matches your server."
    )
    assert verdict.matched == ("192.0.2.10",)


def test_mismatch_lists_what_was_answered_instead() -> None:
    verdict = judge(result_from_text(reply("www.example.com. 300 IN A 203.0.113.7")), SERVER_IP)
    assert verdict is not None
    assert verdict.status == "mismatch"
    assert verdict.unexpected == ("203.0.113.7",)
    assert "203.0.113.7" in sentence(verdict.finding)
    assert "not your server (192.0.2.10)" in sentence(verdict.finding)


def test_partial_match_is_a_mismatch_that_names_both() -> None:
    answer = WWW_A + "\nwww.example.com. 300 IN A 203.0.113.7"
    verdict = judge(result_from_text(reply(answer)), SERVER_IP)
    assert verdict is not None
    assert verdict.status == "mismatch"
    assert (verdict.matched, verdict.unexpected) == (("192.0.2.10",), ("203.0.113.7",))
    assert "but also 203.0.113.7" in sentence(verdict.finding)


def test_cname_chain_is_followed_and_lines_marked() -> None:
    answer = (
        "www.example.com. 300 IN CNAME web.example.net.\n"
        "web.example.net. 300 IN CNAME host.example.org.\n"
        "host.example.org. 300 IN A 192.0.2.10\n"
        "stray.example.org. 300 IN A 203.0.113.7"
    )
    verdict = judge(result_from_text(reply(answer)), SERVER_IP)
    assert verdict is not None
    assert verdict.status == "match"
    assert "alias of host.example.org" in sentence(verdict.finding)
    assert verdict.mark("host.example.org.", 1, "192.0.2.10") is True
    # A record outside the chain is not judged, so not marked.
    assert verdict.mark("stray.example.org.", 1, "203.0.113.7") is None


def test_cname_loop_terminates() -> None:
    answer = (
        "www.example.com. 300 IN CNAME a.example.com.\na.example.com. 300 IN CNAME www.example.com."
    )
    verdict = judge(result_from_text(reply(answer)), SERVER_IP)
    assert verdict is not None
    assert verdict.status == "no-answer"


@pytest.mark.parametrize(
    ("rcode", "status", "fragment"),
    [
        ("NXDOMAIN", "no-answer", "does not exist (NXDOMAIN)"),
        ("REFUSED", "error", "not a nameserver of this domain"),
        ("SERVFAIL", "error", "SERVFAIL"),
        ("NOTIMP", "error", "NOTIMP"),
    ],
)
def test_rcodes_become_plain_words(rcode: str, status: str, fragment: str) -> None:
    verdict = judge(result_from_text(reply(rcode=rcode)), SERVER_IP)
    assert verdict is not None
    assert verdict.status == status
    assert fragment in sentence(verdict.finding)


def test_nodata_says_no_record_of_that_type() -> None:
    verdict = judge(result_from_text(reply()), SERVER_IP)
    assert verdict is not None
    assert sentence(verdict.finding) == "ns1.example.net has no A record for www.example.com."


def test_referral_explains_server_is_not_the_domains_nameserver() -> None:
    authority = "example.com. 3600 IN NS ns.other.example."
    verdict = judge(result_from_text(reply(authority=authority, flags="QR")), SERVER_IP)
    assert verdict is not None
    assert "referred the question" in sentence(verdict.finding)


def test_timeout_is_an_error_verdict() -> None:
    verdict = judge(failed_result(), SERVER_IP)
    assert verdict is not None
    assert (verdict.status, sentence(verdict.finding)) == (
        "error",
        "ns1.example.net did not answer within 2 seconds.",
    )


def test_missing_aa_flag_warns_when_user_picked_the_server() -> None:
    result = result_from_text(reply(WWW_A, flags="QR RD RA"))
    verdict = judge(result, SERVER_IP, server_is_authority=True)
    assert verdict is not None
    assert "not authoritative" in sentence(verdict.notes[0])
    quiet = judge(result, SERVER_IP, server_is_authority=False)
    assert quiet is not None
    assert quiet.notes == ()


def test_aaaa_without_ipv6_expected_is_flagged() -> None:
    text = reply("www.example.com. 300 IN AAAA 2001:db8::99", question="www.example.com. IN AAAA")
    verdict = judge(result_from_text(text, rdtype="AAAA"), SERVER_IP)
    assert verdict is not None
    assert verdict.status == "mismatch"
    assert "no IPv6 address to compare with" in sentence(verdict.finding)


def test_ipv6_expected_matches_in_any_spelling() -> None:
    text = reply(
        "www.example.com. 300 IN AAAA 2001:db8:0:0::10", question="www.example.com. IN AAAA"
    )
    verdict = judge(result_from_text(text, rdtype="AAAA"), [ipaddress.ip_address("2001:DB8::10")])
    assert verdict is not None
    assert verdict.status == "match"


@pytest.mark.parametrize("rdtype", ["MX", "TXT"])
def test_no_verdict_for_other_types(rdtype: str) -> None:
    text = reply(question=f"www.example.com. IN {rdtype}")
    assert judge(result_from_text(text, rdtype=rdtype), SERVER_IP) is None


def test_no_verdict_without_expected() -> None:
    assert judge(result_from_text(reply(WWW_A)), []) is None
