"""The attacks of issue 10, replayed against webdig under a real gunicorn on loopback.

Each test sends what a hostile visitor sent and checks the new behaviour.
The public target policy is on (no ``WEBDIG_ALLOW_PRIVATE``) where the
attack is about what webdig may reach.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import dns.message
import dns.rdatatype
import dns.rrset
import pytest

from tests.support.atonce import at_once
from tests.support.bind import NamedServer
from tests.support.fakeserver import FakeServer
from tests.support.gunicornapp import get, serving
from tests.support.waiting import wait_until
from webdig.engine.session import SHARED_THREADS
from webdig.renewal.failuretext import MAX_QUERY_TEXT


@pytest.fixture(scope="module")
def public_webdig(named: NamedServer) -> Iterator[int]:
    """webdig with the default (public) target policy; its own resolver is the test BIND."""
    with serving({"WEBDIG_RESOLVER": f"127.0.0.1#{named.port}"}) as port:
        yield port


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("168.63.129.16", "Azure's platform address"),
        ("169.254.169.254", "instance metadata service"),
        ("100.100.100.200", "Alibaba Cloud's instance metadata service"),
        ("192.0.0.192", "Oracle Cloud's instance metadata service"),
        ("[fd00:ec2::254]:53", "Amazon EC2's IPv6 metadata service"),
    ],
)
def test_cloud_platform_addresses_are_refused_with_their_reason(
    public_webdig: int, address: str, reason: str
) -> None:
    path = f"/api/v1/lookup?hostnames=www.example.com&ns=self&nameservers={address}"
    status, _, body = get("127.0.0.1", public_webdig, path)
    assert status == 400
    assert reason in json.loads(body)["fields"]["nameservers"][0]


@pytest.mark.parametrize(
    "query",
    [
        "hostnames=fe80::1%25eth0&type=Reverse",
        "hostnames=www.example.com&nameservers=8.8.8.8:%E1%8D%A9",
    ],
)
@pytest.mark.parametrize("path", ["/", "/api/v1/lookup", "/?format=text&"])
def test_the_inputs_that_gave_500s_get_an_answer(public_webdig: int, path: str, query: str) -> None:
    separator = "" if path.endswith("&") else "?"
    status, _, _ = get("127.0.0.1", public_webdig, f"{path}{separator}{query}")
    assert status in (200, 400)


# A realistic failure text (spaces, quotes, a URL: each encodes to three bytes) of the
# longest length a link may carry, and one character more.
_ACME = ('Invalid response from http://www.example.com/.well-known/acme-challenge/abc: "404 '
         'Not Found" (type: "urn:ietf:params:acme:error:unauthorized"); ')  # fmt: skip


def _failure_text(length: int) -> str:
    return (_ACME * (length // len(_ACME) + 1))[:length]


@pytest.mark.parametrize("path", ["/check", "/api/v1/check"])
def test_a_long_error_link_gets_webdigs_answer_not_the_servers(
    public_webdig: int, path: str
) -> None:
    longest = urlencode({"domain": "www.example.com", "error": _failure_text(MAX_QUERY_TEXT)})
    status, _, body = get("127.0.0.1", public_webdig, f"{path}?{longest}&lang=en", timeout=30)
    assert status in (200, 400), body[:300]
    # A whole mail in a link: gunicorn's default request-line limit (4094 bytes) answered
    # a plain 400 of its own before webdig could say where to paste a text this long.
    for length in (MAX_QUERY_TEXT + 1, 5000):
        over = urlencode({"domain": "www.example.com", "error": _failure_text(length)})
        assert length == MAX_QUERY_TEXT + 1 or 4094 < len(over) < 8190
        status, _, body = get("127.0.0.1", public_webdig, f"{path}?{over}&lang=en")
        assert status == 413
        assert b"/api/v1/decode" in body or b"paste" in body.lower()


# --- Budgets, limits and threads (findings 1, 7, 11 and concurrency per client) ----------


def answer_any(query: dns.message.Message, _: bytes) -> list[bytes]:
    """NS queries get 40 nameserver names; A queries a loopback address; the rest empty."""
    reply = dns.message.make_response(query)
    question = query.question[0]
    if question.rdtype == dns.rdatatype.NS:
        names = [f"ns{i}.victim.test." for i in range(40)]
        reply.answer.append(dns.rrset.from_text_list(question.name, 300, "IN", "NS", names))
    elif question.rdtype == dns.rdatatype.A:
        reply.answer.append(dns.rrset.from_text(question.name, 300, "IN", "A", "127.0.0.9"))
    return [reply.to_wire()]


@pytest.fixture(scope="module")
def victim_ns() -> Iterator[FakeServer]:
    """A nameserver of somebody else's: it answers everything, and counts packets."""
    with FakeServer(udp=answer_any) as server:
        yield server


@pytest.fixture(scope="module")
def default_webdig(named: NamedServer) -> Iterator[int]:
    """webdig with every default budget and limit; only the policy allows loopback targets."""
    env = {"WEBDIG_ALLOW_PRIVATE": "true", "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}"}
    with serving(env) as port:
        yield port


def lookup_json(port: int, ns: FakeServer, names: list[str], source: str) -> dict[str, Any]:
    path = "/api/v1/lookup?" + urlencode(
        {"hostnames": "\n".join(names), "ns": "self", "nameservers": f"127.0.0.1:{ns.port}"}
    )
    status, _, body = get("127.0.0.1", port, path, source=source)
    assert status == 200, body
    document: dict[str, Any] = json.loads(body)
    return document


def test_one_client_cannot_spend_a_nameservers_budget_for_everyone(
    default_webdig: int, victim_ns: FakeServer
) -> None:
    # Finding 1: 14 requests of 20 hostnames from one address, within its own look-up limit.
    hostile = [
        lookup_json(default_webdig, victim_ns, [f"h{r}-{i}.victim.test" for i in range(20)],
                    source="127.0.0.2")
        for r in range(14)
    ]  # fmt: skip
    held = [r["error"] for r in hostile[-1]["results"] if r["error"]]
    assert held
    assert all("webdig is busy; try again in" in error for error in held)
    # Everyone else still gets answers from the same nameserver.
    for visitor in ("127.0.0.3", "127.0.0.4"):
        normal = lookup_json(default_webdig, victim_ns, ["www.victim.test"], source=visitor)
        assert [r["error"] for r in normal["results"]] == [None]


def test_the_client_limit_holds_with_two_workers(default_webdig: int) -> None:
    # Finding 7: 80 requests on new connections (both workers take them), 30 per minute allowed.
    codes = [get("127.0.0.1", default_webdig, "/", source="127.0.0.5")[0] for _ in range(80)]
    assert 27 <= codes.count(200) <= 33
    assert codes.count(200) + codes.count(429) == 80


def test_a_client_gets_a_few_look_ups_at_once_and_healthz_stays_fast(
    default_webdig: int,
) -> None:
    with FakeServer() as silent:  # never answers: each look-up waits for its timeout
        path = f"/api/v1/lookup?hostnames=www.victim.test&nameservers=127.0.0.1:{silent.port}"

        def look_up() -> int:
            return get("127.0.0.1", default_webdig, path, source="127.0.0.6")[0]

        with at_once(look_up, 7) as results:
            # The three refusals come back at once; the four look-ups let in wait 4 s for
            # the silent server.
            assert wait_until(lambda: len(results) >= 3, timeout=60)
            assert get("127.0.0.1", default_webdig, "/healthz", timeout=30)[0] == 200
            # Answered while every look-up let in still waited: not after one of them.
            ended_meanwhile = [status for status, _ in results]
    assert 200 not in ended_meanwhile
    codes = [status for status, _ in results]  # in the order the answers came
    # The extra ones were refused at once, not after waiting their turn.
    assert codes == [429] * 3 + [200] * 4


def worker_threads(port: int) -> int:
    """Threads of every process serving ``port`` (the gunicorn master and its workers)."""
    total = 0
    for proc in Path("/proc").iterdir():
        try:
            if f"127.0.0.1:{port}".encode() in (proc / "cmdline").read_bytes():
                total += len(list((proc / "task").iterdir()))
        except OSError:
            continue
    return total


def test_a_wide_auth_look_up_cannot_explode_the_thread_count(named: NamedServer) -> None:
    # Finding 11: ns=auth over 20 zones with many nameserver names each.
    with FakeServer(udp=answer_any) as resolver:
        env = {
            "WEBDIG_ALLOW_PRIVATE": "true",
            "WEBDIG_RESOLVER": f"127.0.0.1#{resolver.port}",
            "WEB_CONCURRENCY": "1",
            "WEBDIG_RATE_LIMIT_CLIENT": "1000/minute",
        }
        with serving(env) as port:
            idle = worker_threads(port)
            names = "\n".join(f"www.zone{i}.victim.test" for i in range(20))
            path = "/api/v1/lookup?" + urlencode({"hostnames": names, "ns": "auth"})
            peak = [idle]
            done = threading.Event()

            def sample() -> None:
                while not done.wait(0.01):  # a sample every 10 ms until the requests end
                    peak.append(worker_threads(port))

            sampler = threading.Thread(target=sample)
            sampler.start()
            requests = [
                threading.Thread(target=get, args=("127.0.0.1", port, path), kwargs={"timeout": 30})
                for _ in range(4)
            ]
            for thread in requests:
                thread.start()
            for thread in requests:
                thread.join(timeout=60)
            done.set()
            sampler.join()
    # gunicorn's own threads, its 16 request threads and the 64 of the shared query pool.
    assert max(peak) <= idle + 16 + SHARED_THREADS
