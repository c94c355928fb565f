"""The ``http-challenge`` check against real servers on loopback, one behaviour at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.webservers import LocalCA, WebServer, closed_port, has_ipv6, probe_settings
from webdig.findings.model import Finding, Level
from webdig.renewal.challenge import AddressFinding, challenge_check, combine, needs_comparison
from webdig.renewal.httpfetch import BROWSER_USER_AGENT, probe_http
from webdig.renewal.items import CheckResult, fix

NAME = "www.shop.test"
needs_ipv6 = pytest.mark.skipif(not has_ipv6(), reason="no IPv6 loopback here")


def check(port: int, addresses: tuple[str, ...] = ("127.0.0.1",), **settings) -> CheckResult:
    probes = probe_http(
        NAME,
        addresses,
        settings=probe_settings(http_port=port, **settings),
        resolve=lambda host: ["127.0.0.1"],
    )
    return challenge_check(NAME, probes)


@pytest.fixture(scope="module")
def https_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """An HTTPS server answering 404 (with an untrusted certificate); yields its port."""
    leaf = LocalCA(tmp_path_factory.mktemp("ca")).leaf("valid", NAME)
    with WebServer("404", certificate=leaf) as server:
        yield server.port


@pytest.mark.parametrize(
    ("behaviour", "status", "words"),
    [
        ("404", "pass", "answers 404 Not Found, as it should"),
        ("huge", "pass", "answers 404 Not Found"),
        ("https", "pass", "404 Not Found after a redirect to https"),
        (
            "redirect",
            "fail",
            "site forwarding is set: the challenge path is redirected to elsewhere",
        ),
        ("401", "fail", "access restriction is set: the challenge path answers 401"),
        ("403", "fail", "access restriction is set: the challenge path answers 403"),
        ("slow", "fail", "port 80 does not answer: the connection was accepted"),
        ("500", "fail", "answers 500 Internal Server Error"),
        ("loop", "fail", "redirects more than 10 times"),
        ("ftp", "fail", "only follows http and https"),
        ("garbage", "fail", "not valid HTTP"),
        ("200", "warn", "answers 200 OK for a file that does not exist"),
    ],
)
def test_each_behaviour_gets_its_verdict(
    https_site: int, behaviour: str, status: str, words: str
) -> None:
    # The slow server never answers, so a short timeout shows the same verdict sooner.
    short: dict[str, Any] = {"timeout": 0.5} if behaviour == "slow" else {}
    with WebServer(behaviour, https_port=https_site) as server:
        result = check(server.port, https_port=https_site, **short)
    assert result.id == "http-challenge"
    assert result.status == status, result.detail
    assert words in result.detail
    assert result.detail.startswith("On 127.0.0.1, ")
    assert bool(result.fix) == (status != "pass")


def test_nothing_listening_means_port_80_is_not_reachable() -> None:
    result = check(closed_port())
    assert result.status == "fail"
    assert "port 80 is not reachable: connection refused" in result.detail
    assert "port 80 is open" in result.fix


def test_forwarding_and_access_restriction_fixes_name_the_panel_settings() -> None:
    with WebServer("redirect") as forwarding, WebServer("401") as password:
        assert "site forwarding" in check(forwarding.port).fix
        assert "access restriction" in check(password.port).fix


def test_https_redirect_to_a_closed_port_names_port_443() -> None:
    port = closed_port()
    with WebServer("https", https_port=port) as server:
        result = check(server.port, https_port=port)
    assert result.status == "fail"
    assert "port 443 is not reachable (the site redirects to https)" in result.detail


def test_evidence_is_the_exchange_per_address() -> None:
    with WebServer("401") as server:
        result = check(server.port)
    (evidence,) = result.evidence
    assert evidence.title == "HTTP through 127.0.0.1"
    assert f"> Host: {NAME}" in evidence.text
    assert "> GET /.well-known/acme-challenge/" in evidence.text
    assert "< HTTP/1.1 401 Unauthorized" in evidence.text
    assert '< WWW-Authenticate: Basic realm="members only"' in evidence.text


def test_redirect_chain_shows_every_hop() -> None:
    with WebServer("redirect") as server:
        result = check(server.port)
    text = result.evidence[0].text
    assert "< Location: http://elsewhere.example/.well-known/acme-challenge/" in text
    assert "> Host: elsewhere.example" in text


def test_public_mode_explains_the_refusal() -> None:
    with WebServer("404") as server:
        result = check(server.port, allow_private=False)
    assert server.connections == 0
    assert result.status == "fail"
    assert "loopback" in result.detail
    assert "public internet addresses" in result.detail


@needs_ipv6
def test_ipv6_that_cannot_connect_is_a_warning_naming_the_address() -> None:
    with WebServer("404", addresses=("127.0.0.1",)) as server:
        result = check(server.port, ("127.0.0.1", "::1"))
    assert result.status == "warn"
    assert result.detail.startswith("IPv4 and IPv6 behave differently.")
    assert "On ::1, port 80 is not reachable" in result.detail
    assert "retries over IPv4" in result.detail
    assert [e.title for e in result.evidence] == ["HTTP through 127.0.0.1", "HTTP through ::1"]


@needs_ipv6
def test_ipv6_that_answers_differently_fails() -> None:
    with (
        WebServer("404", addresses=("127.0.0.1",)) as v4,
        WebServer("403", addresses=("::1",), port=v4.port),
    ):
        result = check(v4.port, ("127.0.0.1", "::1"))
    assert result.status == "fail"
    assert "On ::1, access restriction is set" in result.detail
    assert "On 127.0.0.1, the challenge path answers 404" in result.detail


@needs_ipv6
def test_ipv4_that_cannot_connect_fails() -> None:
    with WebServer("404", addresses=("::1",)) as server:
        result = check(server.port, ("127.0.0.1", "::1"))
    assert result.status == "fail"


@needs_ipv6
def test_same_behaviour_on_every_address_is_one_sentence() -> None:
    with WebServer("404", addresses=("127.0.0.1", "::1")) as server:
        result = check(server.port, ("127.0.0.1", "::1"))
    assert result.status == "pass"
    assert result.detail.startswith("On 127.0.0.1 and ::1, the challenge path answers 404")


def test_no_address_is_a_skip() -> None:
    assert challenge_check(NAME, []).status == "skip"


OK = Finding("http.not-found", Level.PASS, {"answer": "404 Not Found", "via": "direct"})
ODD = Finding("http.served", Level.WARN, {"answer": "200 OK", "via": "direct"})
DOWN = Finding("http.unreachable", Level.FAIL, {"port": 80, "reason": "refused"})
ADVICE = fix("fix.open-port-80")


@pytest.mark.parametrize(
    ("findings", "level"),
    [
        ([AddressFinding("192.0.2.1", OK), AddressFinding("192.0.2.2", ODD, (ADVICE,))], "warn"),
        ([AddressFinding("2001:db8::1", DOWN, (ADVICE,), connection=True)], "fail"),
        (
            [
                AddressFinding("192.0.2.1", DOWN, (ADVICE,), connection=True),
                AddressFinding("2001:db8::1", OK),
            ],
            "fail",
        ),
        (
            [
                AddressFinding("192.0.2.1", OK),
                AddressFinding("2001:db8::1", DOWN, (ADVICE,), connection=True),
            ],
            "warn",
        ),
    ],
)
def test_combine_takes_the_worst_except_the_ipv6_fallback(
    findings: list[AddressFinding], level: str
) -> None:
    fallback = Finding("http.ipv4-fallback", Level.INFO)
    assert combine(findings, fallback=fallback)[0] == Level(level)


def test_combine_names_every_address_of_one_finding_once() -> None:
    same = [AddressFinding("192.0.2.1", OK), AddressFinding("192.0.2.2", OK)]
    level, findings, fixes = combine(same, fallback=Finding("http.ipv4-fallback", Level.INFO))
    assert (level, fixes) == (Level.PASS, [])
    assert [f.params["addresses"] for f in findings] == [("192.0.2.1", "192.0.2.2")]


@pytest.mark.parametrize(
    ("behaviour", "again"),
    [("404", False), ("403", True), ("blocks-le", True), ("redirect", True), ("closed", False)],
)
def test_only_a_bad_answer_is_asked_again_as_a_browser(behaviour: str, again: bool) -> None:
    # A closed port got no request, so no User-Agent can have mattered there.
    settings = probe_settings(http_port=closed_port())
    with WebServer("404" if behaviour == "closed" else behaviour) as server:
        if behaviour != "closed":
            settings = probe_settings(http_port=server.port)
        probes = probe_http(NAME, ["127.0.0.1"], settings=settings, resolve=lambda host: [])
    assert needs_comparison(probes) == (["127.0.0.1"] if again else [])


@pytest.mark.parametrize(
    ("behaviour", "code"),
    [("blocks-le", "http.blocks-letsencrypt"), ("403", "http.access-denied")],
)
def test_a_browser_answer_names_a_block_on_lets_encrypt_only(behaviour: str, code: str) -> None:
    with WebServer(behaviour) as server:
        settings = probe_settings(http_port=server.port)
        probes = probe_http(NAME, ["127.0.0.1"], settings=settings, resolve=lambda host: [])
        browser = probe_http(
            NAME, ["127.0.0.1"], settings=settings, resolve=lambda host: [],
            user_agent=BROWSER_USER_AGENT,
        )  # fmt: skip
    result = challenge_check(NAME, probes, browser)
    assert (result.level, result.findings[0].code) == (Level.FAIL, code)
