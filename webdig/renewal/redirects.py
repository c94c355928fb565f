"""How Let's Encrypt's validation server follows the redirects of the HTTP-01 challenge path.

:func:`follow` walks a redirect chain and judges each Location as Let's
Encrypt does (http and https only, ports 80 and 443, no IP literals, at
most :data:`MAX_REDIRECTS` hops).  It does no I/O itself: each request goes
through the ``fetch`` it is given, so that it opens no sockets
(:mod:`webdig.renewal.httpfetch` does).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from webdig.engine.names import parse_hostname
from webdig.errors import InputError, WebdigError
from webdig.language.message import Message, Quote
from webdig.renewal.probeoutcome import HttpHop, HttpProbe, ProbeError, ProbeErrorKind
from webdig.settings import Settings

MAX_REDIRECTS = 10
"""Let's Encrypt follows at most 10 redirects."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class Target(NamedTuple):
    """Where one hop of the chain goes."""

    url: str
    host: str
    address: str
    secure: bool
    port: int


def ascii_host(name: str) -> str:
    """``name`` as it goes in a URL and a Host header: A-labels, no trailing dot."""
    return parse_hostname(name).ascii.rstrip(".")


def follow(
    host: str,
    address: str,
    path: str,
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    fetch: Callable[[Target], HttpHop],
) -> HttpProbe:
    """GET ``http://host<path>`` through ``address`` and follow redirects as Let's Encrypt does.

    ``fetch`` sends one request, or says in the hop's error why it was not
    sent; ``resolve`` gives the addresses of a redirect target's host.
    """
    target = Target(f"http://{host}{path}", host, address, False, settings.http_port)
    hops: list[HttpHop] = []
    for _ in range(MAX_REDIRECTS + 1):
        hop = fetch(target)
        hops.append(hop)
        if hop.error is not None:
            return HttpProbe(host, address, hops, hop.error)
        if hop.status not in REDIRECTS or not hop.location:
            return HttpProbe(host, address, hops)  # Let's Encrypt stops where Go's client does
        following = _redirect(hop.location, target, host, address, settings, resolve)
        if isinstance(following, ProbeError):
            return HttpProbe(host, address, hops, following)
        target = following
    too_many = ProbeError(
        ProbeErrorKind.REDIRECT,
        Message("the challenge path redirects more than {count} times", count=MAX_REDIRECTS),
    )
    return HttpProbe(host, address, hops, too_many)


def _redirect(
    location: str,
    here: Target,
    name: str,
    address: str,
    settings: Settings,
    resolve: Callable[[str], list[str]],
) -> Target | ProbeError:
    """Where a redirect leads, judged as Let's Encrypt judges it."""
    url = urljoin(here.url, location)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return _unfollowed(url, Message("Let's Encrypt only follows http and https redirects"))
    try:
        explicit = parts.port
    except ValueError:
        return _unfollowed(url, Message("its port is not a number"))
    # In tests the configured ports stand for 80 and 443.
    ports = {80: settings.http_port, 443: settings.https_port}
    ports |= {settings.http_port: settings.http_port, settings.https_port: settings.https_port}
    port = ports.get(explicit if explicit is not None else 80 if scheme == "http" else 443)
    if port is None:
        return _unfollowed(url, Message("Let's Encrypt only follows redirects to ports 80 and 443"))
    try:
        ipaddress.ip_address(parts.hostname or "")
    except ValueError:
        pass
    else:
        return _unfollowed(url, Message("Let's Encrypt does not follow redirects to IP addresses"))
    try:
        host = ascii_host(parts.hostname or "")
    except InputError:
        return _unfollowed(url, Message("its host name is not valid"))
    if host in (name, here.host):
        # The same name: stay on the checked address, so each address is judged on its own.
        return Target(url, host, address if host == name else here.address, scheme == "https", port)
    try:
        found = resolve(host)
    except (WebdigError, ValueError, OSError) as exc:
        # webdig's own reason (a Message) is said in the reader's language; another's quoted.
        reason = exc.message if isinstance(exc, InputError) else Quote(str(exc))
        return _unfollowed(
            url, Message("{host} could not be resolved ({reason})", host=host, reason=reason)
        )
    # Stay in the address family of the address being checked where the target allows.
    same = [a for a in found if (":" in a) == (":" in address)] or found
    if not same:
        return _unfollowed(url, Message("{host} has no address", host=host))
    return Target(url, host, same[0], scheme == "https", port)


def _unfollowed(url: str, why: Message) -> ProbeError:
    return ProbeError(
        ProbeErrorKind.REDIRECT,
        Message("the redirect to {url} cannot be followed: {reason}", url=url, reason=why),
    )
