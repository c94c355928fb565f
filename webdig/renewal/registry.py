"""Which registry server knows a domain, and what it says: RDAP first, WHOIS for .jp.

The RDAP server comes from IANA's bootstrap registry (RFC 9224, the
``WEBDIG_RDAP_BOOTSTRAP_URL`` setting), kept for a day; the domain is then
looked up as RFC 9082 says (``<base>domain/<name>``).  A TLD that the
bootstrap does not list but whose registry webdig knows how to read over
WHOIS (.jp: JPRS) is asked there.  Answers are kept per registered domain
for a few minutes, so a user re-checking while fixing a site does not ask
the registry each time.  No I/O here: :mod:`webdig.renewal.registryio` does it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any, cast
from urllib.parse import quote, urlsplit

from webdig.engine.names import parse_hostname
from webdig.engine.query import Server
from webdig.engine.session import QuerySession
from webdig.engine.ttlcache import TtlCache
from webdig.renewal import jprswhois
from webdig.renewal.connection import Admit
from webdig.renewal.rdapbootstrap import BootstrapError, Services, parse_bootstrap, rdap_bases
from webdig.renewal.rdapjson import RdapError, parse_domain
from webdig.renewal.registration import RegistrationVerdict, judge
from webdig.renewal.registrydata import AnswerState, RegistryAnswer, registered_domain
from webdig.renewal.registryio import (
    MAX_BOOTSTRAP_BYTES,
    MAX_RDAP_BYTES,
    MAX_WHOIS_BYTES,
    rdap_get,
    whois_query,
)
from webdig.settings import Settings

WHOIS_SERVERS: Mapping[str, str] = {"jp": "whois.jprs.jp"}
"""TLDs without RDAP whose registry's WHOIS webdig reads (JPRS's format only)."""
BOOTSTRAP_SECONDS = 86400.0
"""IANA changes the file a few times a year; a day old is fresh enough."""
BOOTSTRAP_FAILED_SECONDS = 60.0
ANSWER_SECONDS = 300.0
"""A registry's answer is reused this long for the same domain."""
UNAVAILABLE_SECONDS = 15.0
_EVIDENCE_CHARS = 8000


def ask_registry(
    domain: str,
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    admit: Admit | None = None,
    cache: TtlCache[str, object] | None = None,
) -> RegistryAnswer:
    """What ``domain``'s registry says about it (``domain`` in ASCII, a registered domain).

    With a ``cache``, the answer is kept a few minutes, and checks asking for the same domain
    while it is being fetched wait for that fetch (up to their ``deadline``), not fetch again.
    """

    def fetch() -> tuple[RegistryAnswer, float]:
        answer = _fetch_answer(domain, settings, resolve, deadline, admit, cache)
        keep = UNAVAILABLE_SECONDS if answer.state is AnswerState.UNAVAILABLE else ANSWER_SECONDS
        return answer, keep

    if cache is None:
        return fetch()[0]
    key = f"answer {settings.rdap_bootstrap_url} {settings.whois_port} {domain.lower()}"
    # The "answer …" keys hold registry answers only.
    return cast(RegistryAnswer, cache.get_or_make(key, fetch, deadline=deadline))


def _fetch_answer(
    domain: str,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    admit: Admit | None,
    cache: TtlCache[str, object] | None,
) -> RegistryAnswer:
    """Ask the registry ``domain``'s bootstrap entry names (or JPRS WHOIS), uncached."""
    services, problem = _bootstrap(settings, resolve, deadline, admit, cache)
    bases = rdap_bases(services, domain) if services is not None else ()
    tld = domain.lower().rstrip(".").rpartition(".")[2]
    if bases:
        return _ask_rdap(domain, bases[0], settings, resolve, deadline, admit)
    if tld in WHOIS_SERVERS:
        return _ask_whois(domain, WHOIS_SERVERS[tld], settings, resolve, deadline, admit)
    if services is None:
        url = settings.rdap_bootstrap_url or ""
        return RegistryAnswer(domain, AnswerState.NO_BOOTSTRAP, url, reason=problem)
    return RegistryAnswer(domain, AnswerState.NO_SERVICE, reason={"tld": tld})


def registration_verdict(
    zone: str | None,
    hostname: str,
    *,
    session: QuerySession,
    resolver: Server,
    cache: TtlCache[str, object] | None,
    today: date,
) -> RegistrationVerdict | None:
    """The registration half of ``domain-exists`` for ``hostname`` (ASCII), asked within the
    check's session: its deadline, its budgets, and ``resolver`` for the servers' addresses."""
    settings = session.settings

    def resolve(host: str) -> list[str]:
        return session.addresses(parse_hostname(host), resolver)[0]

    def ask(domain: str) -> RegistryAnswer:
        return ask_registry(
            domain, settings=settings, resolve=resolve, deadline=session.deadline,
            admit=session.admit, cache=cache,
        )  # fmt: skip

    answer = ask_for_zone(zone, hostname, ask)
    return None if answer is None else judge(answer, today)


def ask_for_zone(
    zone: str | None, hostname: str, ask: Callable[[str], RegistryAnswer]
) -> RegistryAnswer | None:
    """The registry's answer for the registered domain of a name, or None when there is none.

    The registered domain is the zone cut the delegation walk found (``zone``).
    A zone delegated below the registered domain (``www.example.com`` at a CDN)
    is not known to the registry, so on "not registered" its parent is asked,
    then the label below the public suffix: three names at most, whatever the
    depth of the zone.  When DNS found no zone, the name's own
    registered domain is asked (it may be on hold or expired).
    """
    top = registered_domain(hostname)
    if top is None:
        return None
    name = (zone or "").rstrip(".").lower()
    if not (name == top or name.endswith("." + top)):
        name = top  # no zone, or only the suffix answered
    # Not every level between: a zone delegated 100 labels deep (anyone can delegate
    # their own domain so) made one check 100 GETs at the registry's RDAP server.
    names = [name]
    parent = name.partition(".")[2]
    if name != top and parent != top:
        names.append(parent)
    if name != top:
        names.append(top)
    for name in names:
        answer = ask(name)
        if answer.state is not AnswerState.NOT_REGISTERED:
            return answer
    return answer


def _bootstrap(
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    admit: Admit | None,
    cache: TtlCache[str, object] | None,
) -> tuple[Services | None, dict[str, Any]]:
    """IANA's services (or None and why not), from the cache when it has them; a fetch in
    flight is waited for, as :func:`ask_registry` waits for an answer."""
    url = settings.rdap_bootstrap_url
    if not url:
        return None, {"code": "registry.not-configured"}

    def fetch() -> tuple[object, float]:
        services, problem = _fetch_bootstrap(url, settings, resolve, deadline, admit)
        if services is not None:
            return dict(services), BOOTSTRAP_SECONDS
        return (problem,), BOOTSTRAP_FAILED_SECONDS  # a failure, kept a minute: IANA is spared

    if cache is None:
        kept = fetch()[0]
    else:
        kept = cache.get_or_make(f"bootstrap {url}", fetch, deadline=deadline)
    if isinstance(kept, dict):
        return kept, {}
    return None, dict(cast(tuple[dict[str, Any]], kept)[0])


def _fetch_bootstrap(
    url: str,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    admit: Admit | None,
) -> tuple[Services | None, dict[str, Any]]:
    """IANA's bootstrap file read from ``url`` (or None and why not), uncached."""
    hop = rdap_get(
        url, settings=settings, resolve=resolve, deadline=deadline, admit=admit,
        max_bytes=MAX_BOOTSTRAP_BYTES,
    )  # fmt: skip
    if hop.error is not None:
        return None, {"code": "registry.no-answer", "error": hop.error.message}
    if hop.status != 200:
        return None, {
            "code": "registry.http-status",
            "status": f"{hop.status} {hop.reason}".strip(),
        }
    if hop.truncated:
        return None, {"code": "registry.too-large", "kb": MAX_BOOTSTRAP_BYTES // 1024}
    try:
        return parse_bootstrap(hop.body), {}
    except BootstrapError:
        return None, {"code": "registry.unreadable"}


def _ask_rdap(
    domain: str,
    base: str,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    admit: Admit | None,
) -> RegistryAnswer:
    url = f"{base}domain/{quote(domain.lower().rstrip('.'), safe='.-')}"
    hop = rdap_get(url, settings=settings, resolve=resolve, deadline=deadline, admit=admit)
    asked = RegistryAnswer(
        domain, AnswerState.UNAVAILABLE, urlsplit(base).hostname or base, "RDAP",
        request=f"GET {url}", text=hop.body.decode("utf-8", errors="replace")[:_EVIDENCE_CHARS],
    )  # fmt: skip
    if hop.error is not None:
        return replace(asked, reason={"code": "registry.no-answer", "error": hop.error.message})
    answered = f"{hop.status} {hop.reason}".strip()
    if hop.status == 404:
        return replace(asked, state=AnswerState.NOT_REGISTERED, text=f"HTTP {answered}")
    if hop.status != 200:
        return replace(asked, reason={"code": "registry.http-status", "status": answered})
    if hop.truncated:
        return replace(asked, reason={"code": "registry.too-large", "kb": MAX_RDAP_BYTES // 1024})
    try:
        registration = parse_domain(hop.body)
    except RdapError:
        return replace(asked, reason={"code": "registry.unreadable"})
    return replace(asked, state=AnswerState.FOUND, registration=registration)


def _ask_whois(
    domain: str,
    server: str,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    admit: Admit | None,
) -> RegistryAnswer:
    # Asked in Japanese, JPRS's default: the record as whois.jprs.jp shows it to people.
    reply = whois_query(
        server, domain.lower(), settings=settings, resolve=resolve, deadline=deadline,
        admit=admit,
    )  # fmt: skip
    text = jprswhois.decode(reply.body)
    asked = RegistryAnswer(
        domain, AnswerState.UNAVAILABLE, server, "WHOIS",
        request=f"whois -h {server} {reply.query}", text=text[:_EVIDENCE_CHARS],
    )  # fmt: skip
    if reply.error is not None:
        return replace(asked, reason={"code": "registry.no-answer", "error": reply.error.message})
    if reply.truncated:
        return replace(asked, reason={"code": "registry.too-large", "kb": MAX_WHOIS_BYTES // 1024})
    registration = jprswhois.parse_record(text)
    if registration is not None:
        return replace(asked, state=AnswerState.FOUND, registration=registration)
    if jprswhois.is_absent(text):
        return replace(asked, state=AnswerState.NOT_REGISTERED)
    return replace(asked, reason={"code": "registry.unreadable"})
