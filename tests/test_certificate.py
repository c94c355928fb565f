"""The ``certificate`` check against real TLS servers with certificates made by a test CA."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pytest
import trustme

from tests.support.webservers import LocalCA, WebServer, has_ipv6, probe_settings
from webdig.language.translator import translator
from webdig.renewal.certificate import certificate_check, covers, read_certificate
from webdig.renewal.items import CheckResult
from webdig.renewal.probeoutcome import TlsProbe
from webdig.renewal.tlsprobe import probe_tls

NAME = "www.shop.test"
needs_ipv6 = pytest.mark.skipif(not has_ipv6(), reason="no IPv6 loopback here")


@pytest.fixture(scope="module")
def servers(authority: LocalCA) -> Iterator[dict[str, int]]:
    """One TLS server per certificate kind, plus one whose CA webdig does not trust."""
    leaves = {kind: authority.leaf(kind, NAME) for kind in ("valid", "warning", "expiring")}
    leaves |= {kind: authority.leaf(kind, NAME) for kind in ("expired", "wrongname")}
    leaves["untrusted"] = LocalCA(authority.directory).leaf("valid", NAME)
    leaves["wildcard"] = authority.ca.issue_cert("*.shop.test")
    with ExitStack() as stack:
        running = {k: stack.enter_context(WebServer(certificate=v)) for k, v in leaves.items()}
        yield {kind: server.port for kind, server in running.items()}


def check(
    port: int, authority: LocalCA, addresses: tuple[str, ...] = ("127.0.0.1",), **more
) -> CheckResult:
    settings = probe_settings(https_port=port, ca_file=authority.ca_file, **more)
    return certificate_check(NAME, probe_tls(NAME, addresses, settings=settings))


@pytest.mark.parametrize(
    ("kind", "status", "words"),
    [
        ("valid", "pass", "(60 days left) and covers www.shop.test"),
        ("wildcard", "pass", "covers www.shop.test"),
        ("warning", "warn", "has 15 days left of its 90 days (valid until"),
        ("expiring", "fail", "expires in 5 days"),
        ("expired", "fail", "expired on"),
        ("wrongname", "fail", "does not cover www.shop.test: it is for other.example"),
        ("untrusted", "fail", "its chain does not verify (unable to get local issuer"),
    ],
)
def test_each_certificate_gets_its_verdict(
    servers: dict[str, int], authority: LocalCA, kind: str, status: str, words: str
) -> None:
    result = check(servers[kind], authority)
    assert result.id == "certificate"
    assert result.status == status, result.detail
    assert words in result.detail
    assert result.detail.startswith("On 127.0.0.1, ")
    assert bool(result.fix) == (status != "pass")


def test_an_expiring_certificate_says_auto_renewal_has_stopped(
    servers: dict[str, int], authority: LocalCA
) -> None:
    result = check(servers["expiring"], authority)
    assert "expires in 5 days" in result.detail
    assert "auto-renewal has stopped" in result.detail
    assert "press renew" in result.fix


def test_an_expired_certificate_is_not_also_called_a_broken_chain(
    servers: dict[str, int], authority: LocalCA
) -> None:
    detail = check(servers["expired"], authority).detail
    assert "10 days ago" in detail
    assert "chain" not in detail


def test_now_decides_the_days_left(servers: dict[str, int], authority: LocalCA) -> None:
    settings = probe_settings(https_port=servers["valid"], ca_file=authority.ca_file)
    probes = probe_tls(NAME, ["127.0.0.1"], settings=settings)
    today = datetime.now(UTC)
    assert certificate_check(NAME, probes, now=today).status == "pass"
    assert certificate_check(NAME, probes, now=today + timedelta(days=45)).status == "warn"
    assert certificate_check(NAME, probes, now=today + timedelta(days=58)).status == "fail"
    assert certificate_check(NAME, probes, now=today + timedelta(days=61)).status == "fail"


@pytest.mark.parametrize(
    ("lifetime", "left", "status"),
    [
        # 90 days: every host's last retry (20 days) is still healthy; a fifth is 18 days.
        (90, 25, "pass"),
        (90, 20, "pass"),
        (90, 18.5, "pass"),
        (90, 17.5, "warn"),
        (90, 7.5, "warn"),
        (90, 6.5, "fail"),
        # 45 days: a fifth is 9 days, a tenth 4.5.
        (45, 20, "pass"),
        (45, 9.5, "pass"),
        (45, 8.5, "warn"),
        (45, 6.5, "warn"),
        (45, 5, "warn"),
        (45, 4, "fail"),
    ],
)
def test_the_thresholds_follow_the_certificate_lifetime(
    authority: LocalCA, lifetime: int, left: float, status: str
) -> None:
    leaf = authority.leaf("valid", NAME, lifetime=lifetime)
    with WebServer("404", certificate=leaf) as server:
        settings = probe_settings(https_port=server.port, ca_file=authority.ca_file)
        probes = probe_tls(NAME, ["127.0.0.1"], settings=settings)
    # The leaf has 60.5 days left now: move the clock to leave ``left`` days.
    now = datetime.now(UTC) + timedelta(days=60.5 - left)
    result = certificate_check(NAME, probes, now=now)
    assert result.status == status, result.detail
    if status == "warn":
        assert f"left of its {lifetime} days" in result.detail
        assert "auto-renewal has failed at least once" in result.detail


def test_a_japanese_reader_is_told_the_lifetime(
    servers: dict[str, int], authority: LocalCA
) -> None:
    settings = probe_settings(https_port=servers["warning"], ca_file=authority.ca_file)
    result = certificate_check(NAME, probe_tls(NAME, ["127.0.0.1"], settings=settings))
    japanese = result.detail_in(translator("ja"))
    assert "有効期間90日" in japanese
    assert "（残り15日）です" in japanese
    assert "自動更新がすでに1回以上失敗しています" in japanese


def test_nothing_answering_on_443_fails() -> None:
    result = certificate_check(NAME, probe_tls(NAME, ["127.0.0.1"], settings=probe_settings()))
    assert result.status == "fail"
    assert "nothing answers on port 443: connection refused" in result.detail


def test_evidence_shows_the_fields_a_browser_shows(
    servers: dict[str, int], authority: LocalCA
) -> None:
    (evidence,) = check(servers["valid"], authority).evidence
    assert evidence.title == f"TLS 127.0.0.1 port {servers['valid']}"
    for field in ("Subject:", "Issuer:", "Not before:", "Not after:", "SHA-256:"):
        assert field in evidence.text
    assert f"Names (SAN): {NAME}" in evidence.text
    assert "(60 days left)" in evidence.text
    assert "Chain:       verifies" in evidence.text
    assert f"(SNI {NAME})" in evidence.text


def test_public_mode_refuses_loopback_without_connecting(
    authority: LocalCA, servers: dict[str, int]
) -> None:
    with WebServer(certificate=authority.leaf("valid", NAME)) as server:
        result = check(server.port, authority, allow_private=False)
    assert server.connections == 0
    assert result.status == "fail"
    assert "loopback" in result.detail


@needs_ipv6
def test_different_certificates_per_address_are_reported(authority: LocalCA) -> None:
    new, old = authority.leaf("valid", NAME), authority.leaf("warning", NAME)
    with (
        WebServer(addresses=("127.0.0.1",), certificate=new) as v4,
        WebServer(addresses=("::1",), port=v4.port, certificate=old),
    ):
        result = check(v4.port, authority, ("127.0.0.1", "::1"))
    assert result.status == "warn"
    assert "IPv4 and IPv6 behave differently." in result.detail
    assert "The addresses serve different certificates" in result.detail
    assert "::1: one valid until" in result.detail
    assert [e.title.split()[1] for e in result.evidence] == ["127.0.0.1", "::1"]


@needs_ipv6
def test_the_same_certificate_on_every_address_is_one_sentence(authority: LocalCA) -> None:
    leaf = authority.leaf("valid", NAME)
    with WebServer(addresses=("127.0.0.1", "::1"), certificate=leaf) as server:
        result = check(server.port, authority, ("127.0.0.1", "::1"))
    assert result.status == "pass"
    assert result.detail.startswith("On 127.0.0.1 and ::1, the certificate from trustme")


@needs_ipv6
def test_ipv6_without_https_is_a_warning(authority: LocalCA) -> None:
    leaf = authority.leaf("valid", NAME)
    with WebServer(addresses=("127.0.0.1",), certificate=leaf) as server:
        result = check(server.port, authority, ("127.0.0.1", "::1"))
    assert result.status == "warn"
    assert "On ::1, nothing answers on port 443" in result.detail


def test_no_address_is_a_skip() -> None:
    assert certificate_check(NAME, []).status == "skip"


@pytest.mark.parametrize(
    ("names", "name", "covered"),
    [
        (["www.shop.test"], "www.shop.test", True),
        (["WWW.Shop.Test."], "www.shop.test", True),
        (["*.shop.test"], "www.shop.test", True),
        (["*.shop.test"], "shop.test", False),
        (["*.shop.test"], "a.www.shop.test", False),
        (["shop.test"], "www.shop.test", False),
        ([], "www.shop.test", False),
    ],
)
def test_covers_follows_browser_rules(names: list[str], name: str, covered: bool) -> None:
    assert covers(names, name) is covered


def test_read_certificate_reads_the_fields() -> None:
    ca = trustme.CA()
    leaf = ca.issue_cert("a.shop.test", "192.0.2.7", not_after=datetime(2030, 1, 2, tzinfo=UTC))
    pem = leaf.cert_chain_pems[0].bytes().decode()
    facts = read_certificate(ssl.PEM_cert_to_DER_cert(pem))
    assert facts.names == ["a.shop.test", "192.0.2.7"]
    assert facts.not_after == datetime(2030, 1, 2, tzinfo=UTC)
    assert facts.issuer_label.startswith("trustme")
    assert len(facts.fingerprint) == 64


def test_an_unreadable_certificate_fails() -> None:
    probe = TlsProbe(NAME, "192.0.2.1", 443, certificate=b"not DER", verified=True)
    result = certificate_check(NAME, [probe])
    assert result.status == "fail"
    assert "cannot be read" in result.detail
