"""Every ns mode and cross-server verdict, end to end through the local hierarchy."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support import hierarchy as lab
from webdig import create_app
from webdig.cli.main import main
from webdig.dig.trace import render_trace
from webdig.findings.catalog import sentence
from webdig.findings.model import Level
from webdig.lookup.context import LookupContext
from webdig.lookup.crosschecks import check_of
from webdig.lookup.params import LookupParams
from webdig.lookup.run import Outcome, lookup
from webdig.output.jsonbody import CHECK_STATUS
from webdig.settings import Settings


def run(
    settings: Settings, host: str, ns: str, context: LookupContext | None = None, **kw: object
) -> Outcome:
    params = LookupParams(hostnames=(host,), ns=ns, **kw)  # type: ignore[arg-type]
    return lookup(params, settings, context)


def findings(outcome: Outcome, kind: str) -> list[tuple[str, str]]:
    return [(CHECK_STATUS[f.level], sentence(f)) for f in outcome.verdicts if check_of(f) == kind]


def main_blocks(outcome: Outcome) -> list[tuple[str, str, str | None]]:
    return [
        (b.mode, b.query.server.address, b.result.rcode) for b in outcome.blocks if not b.companion
    ]


def test_auth_asks_every_nameserver_address_without_recursion(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.good.lab", "auth")
    assert main_blocks(outcome) == [
        ("auth", "127.0.53.3", "NOERROR"),
        ("auth", "127.0.53.4", "NOERROR"),
    ]
    assert all("aa" in b.result.flags and "rd" not in b.result.flags for b in outcome.blocks)
    assert findings(outcome, "consistency") == [
        ("ok", "All 2 nameserver addresses answer 192.0.2.10 for www.good.lab.")
    ]
    assert findings(outcome, "delegation")[0][0] == "ok"


def test_auth_names_the_stale_nameserver(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.split.lab", "auth", expected=("192.0.2.10",))
    [(status, message)] = findings(outcome, "consistency")
    assert status == "fail"
    assert message.startswith(
        "1 of your 2 nameserver addresses answer 192.0.2.10 for www.split.lab;"
    )
    assert "ns2.split.lab (127.0.53.4) still answers 203.0.113.7" in message
    odd = [(r.server, r.answer) for r in outcome.comparison if r.odd]
    assert odd == [("ns2.split.lab", "203.0.113.7")]


def test_dead_nameserver_is_a_row_and_a_warning(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.lame.lab", "auth")
    dead = [b for b in outcome.blocks if b.query.server.address == "127.0.53.9"]
    assert dead
    assert dead[0].result.error is not None
    [(status, message)] = findings(outcome, "consistency")
    assert status == "warn"
    assert message.startswith("ns2.lame.lab (127.0.53.9) did not give a usable answer")


def test_nic_shows_the_registry_referral(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.moved.lab", "nic")
    [(mode, address, rcode)] = main_blocks(outcome)
    assert (mode, address, rcode) == ("nic", "127.0.53.2", "NOERROR")
    referral = outcome.blocks[0].result.authority
    assert [r.to_text() for r in referral] == ["moved.lab. 3600 IN NS ns2.good.lab."]


def ask_old_nameserver_of_moved_lab(
    settings: Settings, context: LookupContext | None = None
) -> Outcome:
    """www.moved.lab at ns1.good.lab, which the registry no longer delegates to."""
    return run(
        settings,
        "www.moved.lab",
        "self",
        context,
        nameservers=("ns1.good.lab",),
        expected=("192.0.2.10",),
    )


def test_registry_delegating_elsewhere_is_the_verdict(lab_settings: Settings) -> None:
    outcome = ask_old_nameserver_of_moved_lab(lab_settings)
    main = [b for b in outcome.blocks if not b.companion]
    assert main[0].verdict is not None
    assert main[0].verdict.status == "match"  # the old server does answer the right IP...
    [(status, message)] = findings(outcome, "delegation")
    assert status == "fail"  # ...but it is not the server that counts.
    assert message.startswith(
        "The registry delegates moved.lab to ns2.good.lab, so the records you edit at "
        "ns1.good.lab are not used."
    )


def test_registry_delegation_is_reused_by_the_next_look_up(lab_settings: Settings) -> None:
    context = LookupContext()

    def check(settings: Settings) -> tuple[int, list[tuple[str, str]]]:
        outcome = ask_old_nameserver_of_moved_lab(settings, context)
        return outcome.queries_sent, findings(outcome, "delegation")

    (first, verdict), (again, same) = check(lab_settings), check(lab_settings)
    assert verdict[0][0] == "fail"
    assert same == verdict
    # Only the look-up itself is sent again: A, AAAA and the nameserver's addresses.
    assert again < first
    assert first - again >= 4
    uncached = replace(lab_settings, delegation_cache=0)
    assert check(uncached)[0] == check(uncached)[0] == first


def test_zone_ns_set_differing_from_registry_is_flagged(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.drift.lab", "auth")
    assert (
        "warn",
        "The registry delegates drift.lab to ns1.drift.lab and ns2.drift.lab, but the zone "
        "itself lists ns1.drift.lab and ns3.drift.lab. Resolvers may use either list: make "
        "them the same.",
    ) in findings(outcome, "delegation")


def every_sentence(outcome: Outcome) -> list[str]:
    """Everything the look-up says in words: findings, notes and per-answer verdicts."""
    verdicts = [b.verdict for b in outcome.blocks if b.verdict is not None]
    said = [*outcome.verdicts, *outcome.notes]
    said += [f for v in verdicts for f in (v.finding, *v.notes)]
    return [sentence(f) for f in said]


def test_an_aaaa_webdig_cannot_judge_is_a_question_not_a_fail(lab_settings: Settings) -> None:
    """Only an IPv4 address given: the AAAA record may be the server's own (issue 11, item 3)."""
    outcome = run(lab_settings, "v6stale.good.lab", "auth", expected=("192.0.2.10",))
    [finding] = [f for f in outcome.verdicts if check_of(f) == "ipv6"]
    assert (finding.code, finding.level) == ("ipv6.unverified-aaaa", Level.WARN)
    assert "Is 2001:db8::dead your server's IPv6 address? If not," in sentence(finding)
    companions = [b.verdict for b in outcome.blocks if b.companion and b.verdict]
    assert companions
    assert {v.level for v in companions} == {Level.WARN}
    assert not [text for text in every_sentence(outcome) if "Delete" in text]


def test_an_a_record_webdig_cannot_judge_is_a_question_not_a_fail(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "v6stale.good.lab", "auth", expected=("2001:db8::dead",))
    ipv6 = [(f.code, f.level) for f in outcome.verdicts if check_of(f) == "ipv6"]
    assert ipv6 == [("ipv6.aaaa-matches", Level.PASS), ("ipv6.unverified-a", Level.WARN)]
    assert not any(f.level is Level.FAIL for f in outcome.verdicts)
    assert not [text for text in every_sentence(outcome) if "Delete" in text]


def test_a_stray_aaaa_fails_when_an_ipv6_address_was_given(lab_settings: Settings) -> None:
    expected = ("192.0.2.10", "2001:db8::10")
    outcome = run(lab_settings, "v6stale.good.lab", "auth", expected=expected)
    [(status, message)] = findings(outcome, "ipv6")
    assert status == "fail"
    assert "AAAA record (2001:db8::dead)" in message
    assert "Let's Encrypt prefers IPv6" in message


def test_resolvers_that_all_fail_are_unknown_never_ok(lab_settings: Settings) -> None:
    """ns=all when no public resolver answers: no "Every resolver asked answers" (item 2)."""
    dead = [
        {"key": "8.8.8.8", "label": "Google Public DNS", "address": lab.DEAD},
        {"key": "1.1.1.1", "label": "Cloudflare", "address": lab.DEAD},
    ]
    settings = Settings.from_mapping({**lab.APP_CONFIG, "PRESETS": dead})
    outcome = run(settings, "www.good.lab", "all", expected=("192.0.2.10",))
    cache = [f for f in outcome.verdicts if check_of(f) == "cache"]
    assert [(f.code, f.level) for f in cache] == [("cache.no-replies", Level.UNKNOWN)]
    assert findings(outcome, "cache")[0][0] == "warn"  # API v1 has no unknown: warn, never ok
    assert not [text for text in every_sentence(outcome) if text.startswith("Every resolver")]


def test_all_mode_says_how_long_a_cache_may_keep_the_old_answer(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.good.lab", "all")
    modes = {b.mode for b in outcome.blocks}
    assert modes == {"resolver", "auth"}
    [(status, message)] = findings(outcome, "cache")
    assert status == "warn"
    assert message.startswith("Cloudflare still answers 203.0.113.7 for www.good.lab and may serve")
    assert "more (until" in message
    assert "Google" not in message


def test_expected_may_be_a_server_name(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.good.lab", "auth", expected=("ns1.good.lab",))
    assert findings(outcome, "expected") == [
        ("ok", "ns1.good.lab resolves to 127.0.53.3; answers are compared with that address.")
    ]
    assert outcome.blocks[0].verdict is not None
    assert outcome.blocks[0].verdict.status == "mismatch"


def test_trace_walks_from_the_local_root(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.good.lab", "resolver", flags=frozenset({"trace"}))
    [walk] = outcome.traces
    servers = [step.result.query.server.label for step in walk.steps]
    assert servers == ["127.0.53.1", "a.root-servers.lab", "ns1.nic.lab", "ns1.good.lab"]
    assert [r.name.to_text() for r in walk.steps[1].records] == ["lab."]
    assert walk.final is not None
    assert [r.to_text() for r in walk.final.answer] == ["www.good.lab. 300 IN A 192.0.2.10"]
    assert [b.mode for b in outcome.blocks] == ["trace"]


def test_trace_of_a_missing_tld_ends_at_the_root(lab_settings: Settings) -> None:
    outcome = run(lab_settings, "www.nosuch", "resolver", flags=frozenset({"trace"}))
    [walk] = outcome.traces
    assert walk.final is not None
    assert walk.final.rcode == "NXDOMAIN"


def test_auth_discovery_is_shared_between_hostnames(lab_settings: Settings) -> None:
    one = run(lab_settings, "www.good.lab", "auth").queries_sent
    two = lookup(
        LookupParams(hostnames=("www.good.lab", "v6stale.good.lab"), ns="auth"), lab_settings
    ).queries_sent
    # A second name in the same zone costs its own SOA probe, its registry
    # question and one query per nameserver address: nothing is resolved again.
    assert two - one == 1 + 1 + 2


def test_query_budget_leaves_explained_rows(lab_settings: Settings) -> None:
    tight = Settings(**{**lab_settings.__dict__, "max_queries": 6})
    outcome = run(tight, "www.good.lab", "auth")
    assert any(note.code == "note.queries-skipped" for note in outcome.notes)


@pytest.mark.parametrize("mode", ["auth", "nic", "all"])
def test_public_mode_refuses_discovered_private_addresses(
    lab_settings: Settings, mode: str
) -> None:
    public = Settings(**{**lab_settings.__dict__, "allow_private": False})
    outcome = run(public, "www.good.lab", mode)
    assert outcome.blocks
    assert all(b.result.error is not None for b in outcome.blocks if b.mode != "resolver")
    assert all(
        b.result.error.kind == "not-allowed"
        for b in outcome.blocks
        if b.result.error and b.mode != "resolver"
    )


def _trace_steps(text: str) -> list[tuple[list[str], str]]:
    """(sorted record lines, 'from ADDRESS#53(NAME)') per step of +trace text."""
    steps: list[tuple[list[str], str]] = []
    records: list[str] = []
    for line in text.splitlines():
        if line.startswith(";; Received"):
            source = line.split(" from ", 1)[1].split(" in ", 1)[0]
            steps.append((sorted(records), source))
            records = []
        elif line and not line.startswith(";"):
            records.append(line)
    return steps


# dig +trace sets the DO bit: a signed zone's answers come with their RRSIG records,
# and a name that does not exist with the NSEC records that prove it.
@pytest.mark.parametrize("name", ["www.good.lab", "www.signed.lab", "nope.signed.lab"])
def test_trace_text_matches_dig_trace(lab_settings: Settings, tmp_path: Path, name: str) -> None:
    resolv = tmp_path / "resolv.conf"
    resolv.write_text(f"nameserver {lab.RESOLVER}\n")
    # dig +trace resolves NS names with the system resolver: give it the lab's,
    # in a private mount namespace so the machine's file is untouched.
    script = f"mount --bind {resolv} /etc/resolv.conf && dig +trace @{lab.RESOLVER} {name} A"
    dig = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, check=True
    )
    outcome = run(lab_settings, name, "resolver", flags=frozenset({"trace"}))
    ours = _trace_steps(render_trace(outcome.traces[0]))
    theirs = _trace_steps(dig.stdout)
    assert len(ours) == len(theirs) == 4
    assert ours[1:3] == theirs[1:3]
    # good.lab has two nameservers and dig picks one at random.
    assert ours[3][0] == theirs[3][0]

    # The first step differs on purpose: dig asks its @server (a cache, so
    # the TTL counts down) for the root NS set; webdig asks a root server.
    def no_ttl(lines: list[str]) -> list[str]:
        return [re.sub(r"\t\d+\t", "\tTTL\t", line, count=1) for line in lines]

    assert no_ttl(ours[0][0]) == no_ttl(theirs[0][0])


@pytest.fixture
def lab_env(lab_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBDIG_RESOLVER", lab.RESOLVER)
    monkeypatch.setenv("WEBDIG_ROOT_HINTS", f'["{lab.ROOT}"]')
    monkeypatch.setenv("WEBDIG_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("WEBDIG_TIMEOUT", "0.5")


@pytest.mark.parametrize(
    ("argv", "expected_lines"),
    [
        (["www.split.lab", "@auth"], [";; webdig: ✗ 1 of your 2 nameserver addresses answer"]),
        (["www.moved.lab", "+nic"], ["moved.lab.\t\t3600\tIN\tNS\tns2.good.lab."]),
        (["www.good.lab", "+trace"], [";; Received", "(a.root-servers.lab)", "(ns1.nic.lab)"]),
    ],
)
def test_cli_modes(
    lab_env: None, capsys: pytest.CaptureFixture[str], argv: list[str], expected_lines: list[str]
) -> None:
    main(["lookup", *argv, "--expected", "192.0.2.10"])
    out = capsys.readouterr().out
    for fragment in expected_lines:
        assert fragment in out


def test_api_reports_modes_and_verdicts(lab_settings: Settings) -> None:
    app = create_app(lab.APP_CONFIG)
    body = app.test_client().get("/api/v1/lookup?hostnames=www.split.lab&ns=auth").get_json()
    assert {r["mode"] for r in body["results"]} == {"auth"}
    assert body["verdicts"][0]["kind"] == "consistency"
    assert body["verdicts"][0]["status"] == "fail"
    assert [row["odd"] for row in body["comparison"]] == [False, True] or [
        row["odd"] for row in body["comparison"]
    ] == [True, False]
    assert body["queries_sent"] > 0
