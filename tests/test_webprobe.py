"""HTTP and TLS probes against real servers on loopback: what is sent, what is recorded."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.webservers import LocalCA, WebServer, closed_port, has_ipv6, probe_settings
from webdig.renewal.certificate import read_certificate
from webdig.renewal.httpfetch import CHALLENGE_PATH, MAX_BODY, fetch_document, probe_http
from webdig.renewal.redirects import MAX_REDIRECTS
from webdig.renewal.tlsprobe import probe_tls

NAME = "www.shop.test"
needs_ipv6 = pytest.mark.skipif(not has_ipv6(), reason="no IPv6 loopback here")


def no_resolve(host: str) -> list[str]:
    raise AssertionError(f"{host} should not be resolved")


def fetch(server: WebServer, *, resolve=no_resolve, **settings):
    settings.setdefault("http_port", server.port)
    (probe,) = probe_http(NAME, ["127.0.0.1"], settings=probe_settings(**settings), resolve=resolve)
    return probe


def test_challenge_request_goes_to_the_address_with_the_name_as_host() -> None:
    with WebServer("404") as server:
        probe = fetch(server)
    (hop,) = probe.hops
    assert (hop.status, hop.reason, hop.version, probe.error) == (
        404,
        "Not Found",
        "HTTP/1.1",
        None,
    )
    assert (hop.address, hop.port) == ("127.0.0.1", server.port)
    ((host, path),) = server.requests
    assert host == NAME
    assert path.startswith(CHALLENGE_PATH)
    assert len(path) > len(CHALLENGE_PATH) + 30  # a random token, as long as an ACME one
    assert hop.url == f"http://{NAME}{path}"
    assert hop.request.startswith(f"GET {path} HTTP/1.1\r\nHost: {NAME}\r\n")


def test_tokens_are_random_unless_given() -> None:
    with WebServer("404") as server:
        settings = probe_settings(http_port=server.port)
        for _ in range(2):
            probe_http(NAME, ["127.0.0.1"], settings=settings, resolve=no_resolve)
        chosen = "abc"
        probe_http(NAME, ["127.0.0.1"], settings=settings, resolve=no_resolve, token=chosen)
    paths = [path for _, path in server.requests]
    assert paths[0] != paths[1]
    assert paths[2] == CHALLENGE_PATH + "abc"


def test_redirect_to_another_host_is_resolved_and_followed() -> None:
    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        return ["::1", "127.0.0.2"]

    with (
        WebServer("redirect") as forwarding,
        WebServer("404", addresses=("127.0.0.2",), port=forwarding.port) as other,
    ):
        probe = fetch(forwarding, resolve=resolve)
    assert asked == ["elsewhere.example"]
    assert [(h.address, h.status) for h in probe.hops] == [("127.0.0.1", 301), ("127.0.0.2", 404)]
    assert other.requests[0][0] == "elsewhere.example"  # the IPv4 address, like the first hop


def test_https_redirect_is_followed_without_verifying_the_certificate(authority: LocalCA) -> None:
    # Let's Encrypt does not validate certificates on redirects; an expired one must not matter.
    expired = authority.leaf("expired", NAME)
    with (
        WebServer("404", certificate=expired) as tls,
        WebServer("https", https_port=tls.port) as web,
    ):
        probe = fetch(web, https_port=tls.port)
    assert [h.status for h in probe.hops] == [301, 404]
    assert probe.hops[1].url.startswith(f"https://{NAME}:{tls.port}{CHALLENGE_PATH}")
    assert tls.sni == [NAME]
    assert tls.requests[0][0] == NAME


def test_raw_characters_in_a_location_are_percent_encoded() -> None:
    with WebServer("rawpath") as server:
        probe = fetch(server)
    assert [h.status for h in probe.hops] == [301, 404]
    assert server.requests[1][1] == "/moved%20here/%C3%A9"


@pytest.mark.parametrize(
    ("behaviour", "kind", "words"),
    [
        ("loop", "redirect", f"redirects more than {MAX_REDIRECTS} times"),
        ("ftp", "redirect", "only follows http and https"),
        ("https", "redirect", "only follows redirects to ports 80 and 443"),
        ("garbage", "protocol", "not valid HTTP"),
    ],
)
def test_redirects_and_answers_let_s_encrypt_would_refuse(
    behaviour: str, kind: str, words: str
) -> None:
    # "https" here redirects to a port that stands for neither 80 nor 443.
    with WebServer(behaviour, https_port=closed_port()) as server:
        probe = fetch(server)
    assert probe.error is not None
    assert probe.error.kind == kind
    assert words in probe.error.message
    assert len(probe.hops) == (MAX_REDIRECTS + 1 if behaviour == "loop" else 1)


def test_nothing_listening_is_refused() -> None:
    probe = fetch(WebServer(), http_port=closed_port())
    assert probe.error is not None
    assert probe.error.kind == "refused"


def test_a_silent_server_is_given_up_after_the_timeout() -> None:
    with WebServer("slow") as server:
        begin = time.monotonic()
        probe = fetch(server, timeout=0.3)
        elapsed = time.monotonic() - begin
    assert probe.error is not None
    assert probe.error.kind == "silent"
    assert elapsed < 1.5


def test_bodies_are_read_up_to_the_cap() -> None:
    with WebServer("huge") as server:
        probe = fetch(server)
    (hop,) = probe.hops
    assert hop.status == 404
    assert hop.truncated
    assert len(hop.body) == MAX_BODY


def test_every_redirect_hop_is_checked_against_the_policy() -> None:
    # A scoped IPv6 address is refused even when private addresses are allowed.
    with WebServer("redirect") as server:
        probe = fetch(server, resolve=lambda host: ["fe80::1%1"])
    assert [h.request != "" for h in probe.hops] == [True, False]
    assert probe.error is not None
    assert probe.error.kind == "policy"


def test_public_mode_refuses_loopback_without_connecting(authority: LocalCA) -> None:
    cert = authority.leaf("valid", NAME)
    with WebServer("404") as web, WebServer("404", certificate=cert) as tls:
        settings = probe_settings(web.port, tls.port, allow_private=False)
        (http,) = probe_http(NAME, ["127.0.0.1"], settings=settings, resolve=no_resolve)
        (handshake,) = probe_tls(NAME, ["127.0.0.1"], settings=settings)
    assert web.connections == tls.connections == 0
    for error in (http.error, handshake.error):
        assert error is not None
        assert error.kind == "policy"
        assert "loopback" in error.message


@needs_ipv6
def test_each_address_is_probed_on_its_own() -> None:
    with WebServer("404", addresses=("127.0.0.1",)) as server:
        settings = probe_settings(http_port=server.port)
        probes = probe_http(NAME, ["127.0.0.1", "::1"], settings=settings, resolve=no_resolve)
    assert [p.address for p in probes] == ["127.0.0.1", "::1"]
    assert probes[0].hops[0].status == 404
    assert probes[1].error is not None
    assert probes[1].error.kind == "refused"


@pytest.fixture
def tls_server(authority: LocalCA, request: pytest.FixtureRequest) -> Iterator[WebServer]:
    with WebServer(certificate=authority.leaf(request.param, NAME)) as server:
        yield server


@pytest.mark.parametrize("tls_server", ["valid"], indirect=True)
def test_tls_probe_reads_a_verified_certificate(authority: LocalCA, tls_server: WebServer) -> None:
    settings = probe_settings(https_port=tls_server.port, ca_file=authority.ca_file)
    (probe,) = probe_tls(NAME, ["127.0.0.1"], settings=settings)
    assert (probe.verified, probe.error, probe.verify_error) == (True, None, None)
    assert probe.certificate is not None
    assert read_certificate(probe.certificate).names == [NAME]
    assert probe.tls_version in ("TLSv1.2", "TLSv1.3")
    assert tls_server.sni == [NAME]


@pytest.mark.parametrize("tls_server", ["valid"], indirect=True)
def test_tls_probe_without_the_ca_reports_the_chain(tls_server: WebServer) -> None:
    (probe,) = probe_tls(NAME, ["127.0.0.1"], settings=probe_settings(https_port=tls_server.port))
    assert not probe.verified
    assert probe.certificate is not None  # read in a second, unverified handshake
    assert "unable to get local issuer certificate" in (probe.verify_error or "")


@pytest.mark.parametrize("tls_server", ["expired"], indirect=True)
def test_tls_probe_reports_openssls_reason(authority: LocalCA, tls_server: WebServer) -> None:
    settings = probe_settings(https_port=tls_server.port, ca_file=authority.ca_file)
    (probe,) = probe_tls(NAME, ["127.0.0.1"], settings=settings)
    assert (probe.verified, probe.verify_code) == (False, 10)
    assert probe.certificate is not None


def test_tls_probe_of_a_closed_port_and_a_silent_server(tmp_path: Path) -> None:
    (closed,) = probe_tls(NAME, ["127.0.0.1"], settings=probe_settings())
    with WebServer("slow", certificate=LocalCA(tmp_path).leaf("valid", NAME)) as server:
        settings = probe_settings(https_port=server.port, timeout=0.3)
        (silent,) = probe_tls(NAME, ["127.0.0.1"], settings=settings)
    assert closed.error is not None
    assert closed.error.kind == "refused"
    assert silent.error is not None
    assert silent.error.kind == "silent"
    assert "TLS handshake" in silent.error.message


def test_a_configured_document_is_fetched_once_without_following_redirects() -> None:
    with WebServer("redirect") as server:
        hop = fetch_document(
            f"http://status.test:{server.port}/status.json",
            settings=probe_settings(),
            resolve=lambda host: ["127.0.0.1"] if host == "status.test" else [],
            deadline=time.monotonic() + 5,
        )
    assert (hop.status, hop.error, hop.address) == (301, None, "127.0.0.1")
    assert server.requests == [("status.test", "/status.json")]


def test_a_configured_document_obeys_the_target_policy_and_the_deadline() -> None:
    with WebServer("404") as server:
        url = f"http://127.0.0.1:{server.port}/status.json"
        public = fetch_document(
            url,
            settings=probe_settings(allow_private=False),
            resolve=no_resolve,
            deadline=time.monotonic() + 5,
        )
        late = fetch_document(
            url, settings=probe_settings(), resolve=no_resolve, deadline=time.monotonic() - 1
        )
        assert server.connections == 0
    assert public.error is not None
    assert (public.error.kind, "loopback" in public.error.message) == ("policy", True)
    assert late.error is not None
    assert late.error.kind == "timeout"


def test_a_configured_document_is_capped_at_its_own_size() -> None:
    with WebServer("huge") as server:
        hop = fetch_document(
            f"http://127.0.0.1:{server.port}/",
            settings=probe_settings(),
            resolve=no_resolve,
            deadline=time.monotonic() + 5,
            max_body=100,
        )
    assert (len(hop.body), hop.truncated) == (100, True)
