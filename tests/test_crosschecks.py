"""Cross-server verdicts on canned replies."""

from __future__ import annotations

import ipaddress

from tests.support.canned import failed_result, reply, result_from_text
from webdig.engine.result import ErrorKind
from webdig.findings.catalog import sentence
from webdig.findings.model import Level
from webdig.lookup.block import Block
from webdig.lookup.crosschecks import caches, consistency
from webdig.lookup.modes import Role

DUAL_STACK = [ipaddress.ip_address("192.0.2.10"), ipaddress.ip_address("2001:db8::10")]


def blocks(resolver_answer: str) -> list[Block]:
    cached = result_from_text(reply(resolver_answer, flags="QR RD RA"))
    source = result_from_text(reply("www.example.com. 300 IN A 192.0.2.10"))
    return [Block(cached, None, Role.RESOLVER), Block(source, None, Role.AUTH)]


def test_dual_stack_expected_does_not_make_a_matching_cache_stale() -> None:
    [finding] = caches(blocks("www.example.com. 300 IN A 192.0.2.10"), DUAL_STACK)
    assert finding.level is Level.PASS


def test_stale_cache_says_until_when() -> None:
    [finding] = caches(blocks("www.example.com. 3240 IN A 203.0.113.7"), DUAL_STACK)
    assert finding.level is Level.WARN
    assert "still answers 203.0.113.7" in sentence(finding)
    assert "up to 54 minutes more" in sentence(finding)


def test_nameservers_that_all_stay_silent_are_unknown() -> None:
    silent = [Block(failed_result(), None, Role.AUTH), Block(failed_result(), None, Role.AUTH)]
    [finding] = consistency(silent, DUAL_STACK)
    assert (finding.code, finding.level) == ("consistency.no-replies", Level.UNKNOWN)


def test_a_query_not_sent_is_no_evidence() -> None:
    answered = result_from_text(reply("www.example.com. 300 IN A 192.0.2.10"))
    blocks = [
        Block(answered, None, Role.AUTH),
        Block(failed_result(ErrorKind.NOT_ALLOWED), None, Role.AUTH),
    ]
    [finding] = consistency(blocks, DUAL_STACK)
    assert (finding.code, finding.params["total"]) == ("consistency.agree", 1)


def test_a_silent_resolver_is_named_not_counted_as_agreeing() -> None:
    silent = Block(failed_result(), None, Role.RESOLVER)
    source = result_from_text(reply("www.example.com. 300 IN A 192.0.2.10"))
    found = caches([silent, Block(source, None, Role.AUTH)], DUAL_STACK)
    assert [(f.code, f.level) for f in found] == [("cache.no-replies", Level.UNKNOWN)]
