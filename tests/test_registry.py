"""Asking the registry through a local RDAP server and a local JPRS WHOIS server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.registryservers import REGISTRAR, RdapServer, WhoisServer
from tests.support.webservers import closed_port
from webdig.engine.ttlcache import TtlCache
from webdig.renewal import registryio
from webdig.renewal.registry import ask_for_zone, ask_registry
from webdig.renewal.registrydata import AnswerState, RegistryAnswer
from webdig.settings import Settings


@pytest.fixture(scope="module")
def rdap() -> Iterator[RdapServer]:
    with RdapServer() as server:
        yield server


@pytest.fixture(scope="module")
def whois() -> Iterator[WhoisServer]:
    with WhoisServer() as server:
        yield server


def settings(bootstrap: str | None, whois_port: int = 0, **more: object) -> Settings:
    values = {"allow_private": True, "timeout": 3.0, "deadline": 15.0, **more}
    return Settings(
        rdap_bootstrap_url=bootstrap,
        whois_port=whois_port or closed_port(),
        **values,  # type: ignore[arg-type]
    )


def ask(
    domain: str, config: Settings, cache: TtlCache[str, object] | None = None, deadline: float = 10
) -> RegistryAnswer:
    return ask_registry(
        domain, settings=config, resolve=lambda host: ["127.0.0.1"],
        deadline=time.monotonic() + deadline, cache=cache,
    )  # fmt: skip


def in_days(days: int) -> object:
    return datetime.now(UTC).date() + timedelta(days=days)


@pytest.mark.parametrize(
    ("scenario", "expires", "statuses"),
    [
        ("active", 400, ("active", "client transfer prohibited")),
        ("expired", -10, ("active",)),
        ("hold", 200, ("client hold",)),
        ("camelhold", 200, ("client hold",)),
        ("redemption", -35, ("redemption period",)),
    ],
)
def test_rdap_answers(
    rdap: RdapServer, scenario: str, expires: int, statuses: tuple[str, ...]
) -> None:
    answer = ask("shop.lab", settings(rdap.bootstrap(scenario)))
    assert (answer.state, answer.protocol, answer.server) == (
        AnswerState.FOUND,
        "RDAP",
        "127.0.0.1",
    )
    assert answer.registration is not None
    assert answer.registration.registrar == REGISTRAR
    assert (answer.registration.expires, answer.registration.statuses) == (
        in_days(expires),
        statuses,
    )
    assert answer.request.endswith(f"/{scenario}/domain/shop.lab")
    path, accept = rdap.requests[-1]
    assert (path, accept.split(",")[0]) == (f"/{scenario}/domain/shop.lab", "application/rdap+json")


def test_404_is_not_registered(rdap: RdapServer) -> None:
    answer = ask("gone.lab", settings(rdap.bootstrap("active")))
    assert answer.state is AnswerState.NOT_REGISTERED
    assert ask("shop.lab", settings(rdap.bootstrap("404"))).state is AnswerState.NOT_REGISTERED


@pytest.mark.parametrize(
    ("scenario", "reason"),
    [
        ("malformed", {"code": "registry.unreadable"}),
        ("not-rdap", {"code": "registry.unreadable"}),
        ("500", {"code": "registry.http-status", "status": "500 Internal Server Error"}),
        ("huge", {"code": "registry.too-large", "kb": 256}),
    ],
)
def test_unusable_answers_are_unavailable(
    rdap: RdapServer, scenario: str, reason: dict[str, object]
) -> None:
    answer = ask("shop.lab", settings(rdap.bootstrap(scenario)))
    assert (answer.state, answer.reason, answer.server) == (
        AnswerState.UNAVAILABLE,
        reason,
        "127.0.0.1",
    )


def test_a_silent_rdap_server_ends_by_the_deadline() -> None:
    with WhoisServer(mode="silent") as silent:  # accepts, reads, never answers HTTP
        url = f"http://127.0.0.1:{silent.port}/dns.json"
        begin = time.monotonic()
        answer = ask("shop.lab", settings(url), deadline=0.5)
        elapsed = time.monotonic() - begin  # not counting the server's shutdown (up to 0.5 s)
    assert elapsed < 3 * 0.5
    assert answer.state is AnswerState.NO_BOOTSTRAP
    assert answer.reason["code"] == "registry.no-answer"


def test_the_bootstrap_is_read_once_a_day_and_answers_kept_per_domain(rdap: RdapServer) -> None:
    now = [0.0]
    cache: TtlCache[str, object] = TtlCache(clock=lambda: now[0])
    config = settings(rdap.bootstrap("active"))
    before = len(rdap.requests)
    ask("shop.lab", config, cache)
    ask("shop.lab", config, cache)  # the answer is reused
    ask("other.lab", config, cache)  # the bootstrap is reused
    assert len(rdap.requests) - before == 3
    now[0] = 301.0  # a few minutes later the registry is asked again, the bootstrap is not
    ask("shop.lab", config, cache)
    assert len(rdap.requests) - before == 4
    now[0] = 86401.0
    ask("shop.lab", config, cache)
    assert [p for p, _ in rdap.requests[before:]].count("/active/dns.json") == 2


def test_a_broken_bootstrap_is_unknown_and_names_the_file(rdap: RdapServer) -> None:
    url = rdap.bootstrap("broken-bootstrap")
    answer = ask("shop.lab", settings(url))
    assert (answer.state, answer.server, answer.reason) == (
        AnswerState.NO_BOOTSTRAP, url, {"code": "registry.unreadable"},
    )  # fmt: skip
    down = settings(f"http://127.0.0.1:{closed_port()}/dns.json")
    assert ask("shop.lab", down).reason == {
        "code": "registry.no-answer", "error": "connection refused",
    }  # fmt: skip
    assert ask("shop.lab", settings(None)).reason == {"code": "registry.not-configured"}


def test_a_tld_without_rdap_or_whois_has_no_service(rdap: RdapServer) -> None:
    answer = ask("shop.zz", settings(rdap.bootstrap("active")))
    assert (answer.state, answer.reason) == (AnswerState.NO_SERVICE, {"tld": "zz"})


@pytest.mark.parametrize(
    ("domain", "state", "expires"),
    [
        ("shop.jp", AnswerState.FOUND, 300),
        ("shop.co.jp", AnswerState.FOUND, 150),
        ("old.jp", AnswerState.FOUND, -5),
        ("nothing.jp", AnswerState.NOT_REGISTERED, None),
    ],
)
def test_jp_falls_back_to_jprs_whois(
    rdap: RdapServer, whois: WhoisServer, domain: str, state: AnswerState, expires: int | None
) -> None:
    # The bootstrap lists no "jp" (as IANA's does not), so whois.jprs.jp is asked, in Japanese.
    answer = ask(domain, settings(rdap.bootstrap("active"), whois.port))
    assert (answer.state, answer.protocol, answer.server) == (state, "WHOIS", "whois.jprs.jp")
    assert whois.queries[-1] == domain
    if expires is not None:
        assert answer.registration is not None
        assert answer.registration.expires == in_days(expires)
        assert "[有効期限]" in answer.text or "[状態]" in answer.text


def test_jp_without_a_bootstrap_still_asks_whois(whois: WhoisServer) -> None:
    answer = ask("shop.jp", settings(f"http://127.0.0.1:{closed_port()}/x", whois.port))
    assert (answer.state, answer.protocol) == (AnswerState.FOUND, "WHOIS")


def test_whois_that_does_not_answer_is_unavailable_and_named() -> None:
    answer = ask("shop.jp", settings(None))  # nothing listens on the WHOIS port
    assert (answer.state, answer.server) == (AnswerState.UNAVAILABLE, "whois.jprs.jp")
    assert answer.reason == {"code": "registry.no-answer", "error": "connection refused"}


DEEP = [f"l{n}" for n in range(60)]


@pytest.mark.parametrize(
    ("zone", "hostname", "asked"),
    [
        ("shop.lab.", "www.shop.lab", ["shop.lab"]),
        (None, "www.gone.lab", ["gone.lab"]),
        ("lab.", "www.gone.lab", ["gone.lab"]),  # only the suffix answered
        ("co.jp.", "www.gone.co.jp", ["gone.co.jp"]),
        ("www.cdn.lab.", "www.cdn.lab", ["www.cdn.lab", "cdn.lab"]),  # a zone below the domain
        ("a.www.cdn.lab.", "a.www.cdn.lab", ["a.www.cdn.lab", "www.cdn.lab", "cdn.lab"]),
        # A zone 60 labels deep: not 60 GETs at the registry.
        (
            ".".join(DEEP) + ".cdn.lab.",
            "www." + ".".join(DEEP) + ".cdn.lab",
            [".".join(DEEP) + ".cdn.lab", ".".join(DEEP[1:]) + ".cdn.lab", "cdn.lab"],
        ),
        ("shop.tokyo.jp.", "www.shop.tokyo.jp", ["shop.tokyo.jp"]),  # the zone cut is the domain
        (None, "lab", []),
    ],
)
def test_the_registered_domain_asked(zone: str | None, hostname: str, asked: list[str]) -> None:
    seen: list[str] = []

    def ask(name: str) -> RegistryAnswer:
        seen.append(name)
        known = name in ("cdn.lab", "shop.tokyo.jp")
        return RegistryAnswer(name, AnswerState.FOUND if known else AnswerState.NOT_REGISTERED)

    ask_for_zone(zone, hostname, ask)
    assert seen == asked


def asking(
    domain: str, config: Settings, cache: TtlCache[str, object]
) -> tuple[threading.Thread, list[RegistryAnswer]]:
    """``domain``'s registry asked in a thread of its own (a check running at the same time);
    the answer lands in the list."""
    answers: list[RegistryAnswer] = []
    thread = threading.Thread(target=lambda: answers.append(ask(domain, config, cache)))
    thread.start()
    return thread, answers


@pytest.mark.parametrize(
    ("second", "fetched"),
    [
        ("shop.lab", ["/held/dns.json", "/held/domain/shop.lab"]),
        ("other.lab", ["/held/dns.json", "/held/domain/shop.lab", "/held/domain/other.lab"]),
    ],
)
def test_fetches_in_flight_are_shared(
    rdap: RdapServer, second: str, fetched: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two checks at the same moment: the second waits for the bootstrap (and, for the same
    domain, the answer) that the first is fetching, and does not fetch it again."""
    # The registry's read timeout at 30 s (3 s in use): the held bootstrap must not run
    # into it, however long a loaded machine takes over the 1 s the test holds it.
    monkeypatch.setattr(registryio, "TIMEOUT", 30.0)
    cache: TtlCache[str, object] = TtlCache()
    config = settings(rdap.bootstrap("held"))
    before = len(rdap.requests)
    rdap.hold()
    first, answered = asking("shop.lab", config, cache)
    assert rdap.wait_for(before + 1, timeout=10)  # the bootstrap, held at the server
    other, answered_too = asking(second, config, cache)
    assert not rdap.wait_for(before + 2, timeout=1)  # the second check fetches nothing
    rdap.release()
    for thread in (first, other):
        thread.join(timeout=10)
    assert sorted(path for path, _ in rdap.requests[before:]) == sorted(fetched)
    assert [a.state for a in (*answered, *answered_too)] == [AnswerState.FOUND] * 2


def test_a_check_waits_for_a_fetch_in_flight_until_its_own_deadline_only(
    rdap: RdapServer,
) -> None:
    cache: TtlCache[str, object] = TtlCache()
    config = settings(rdap.bootstrap("held"))
    before = len(rdap.requests)
    rdap.hold()
    first, _ = asking("shop.lab", config, cache)
    assert rdap.wait_for(before + 1, timeout=10)
    begin = time.monotonic()
    late = ask("shop.lab", config, cache, deadline=0.3)
    assert time.monotonic() - begin < 3
    assert (late.state, late.reason["code"]) == (AnswerState.NO_BOOTSTRAP, "registry.no-answer")
    rdap.release()
    first.join(timeout=10)
    assert [path for path, _ in rdap.requests[before:]] == [
        "/held/dns.json",
        "/held/domain/shop.lab",
    ]
    # The first check's answer is the one kept, not the late one's timeout.
    assert ask("shop.lab", config, cache).state is AnswerState.FOUND
