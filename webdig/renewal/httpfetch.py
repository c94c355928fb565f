"""HTTP for the renewal checklist: the HTTP-01 challenge path as Let's Encrypt fetches it,
and single documents (the CA's status page, the registry's RDAP answers).

Opens sockets through :mod:`webdig.renewal.connection` and reads answers with
:mod:`http.client`.  Redirects are followed by the rules in
:mod:`webdig.renewal.redirects`; what happened is data (:class:`HttpProbe`,
:class:`HttpHop`), never an exception.
"""

from __future__ import annotations

import http.client
import ipaddress
import secrets
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from typing import cast
from urllib.parse import quote, urlsplit

from webdig.language.message import Message
from webdig.renewal.connection import (
    Admit,
    DeadlineReader,
    Parallel,
    connect,
    describe,
    each,
    held,
    left,
    refusal_for,
    unverified_context,
    verifying_context,
    wrap_tls,
)
from webdig.renewal.probeoutcome import HttpHop, HttpProbe, ProbeError, ProbeErrorKind
from webdig.renewal.redirects import Target, ascii_host, follow
from webdig.settings import Settings

CHALLENGE_PATH = "/.well-known/acme-challenge/"
MAX_BODY = 8 * 1024
USER_AGENT = (
    "Mozilla/5.0 (compatible; Let's Encrypt validation server; +https://www.letsencrypt.org)"
)
"""What Let's Encrypt's validation server sends: WAF rules that block it match this string."""
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
"""A browser's, to tell a block aimed at Let's Encrypt from a site that is simply broken."""
DOCUMENT_USER_AGENT = "Mozilla/5.0 (compatible; webdig)"
"""For documents webdig reads for itself, such as the CA's status page."""
_URL_SAFE = "/%:@!$&'()*+,;=-._~"
_KEPT_HEADERS = {"location", "server", "www-authenticate", "content-type", "content-length"}
# Let's Encrypt does not validate certificates when following a redirect to https.
_UNVERIFIED = unverified_context()


def probe_http(
    name: str,
    addresses: Iterable[str],
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    token: str | None = None,
    deadline: float | None = None,
    parallel: Parallel | None = None,
    admit: Admit | None = None,
    user_agent: str = USER_AGENT,
) -> list[HttpProbe]:
    """GET ``http://name/.well-known/acme-challenge/<token>`` through each address, concurrently.

    ``resolve`` gives the addresses of a redirect target's host; ``deadline``
    (a :func:`time.monotonic` value) defaults to now plus ``settings.deadline``;
    ``user_agent`` is Let's Encrypt's unless a comparison asks for a browser's.
    """
    host = ascii_host(name)
    path = CHALLENGE_PATH + (token or secrets.token_urlsafe(32))
    end = deadline if deadline is not None else time.monotonic() + settings.deadline

    def fetch(target: Target) -> HttpHop:
        # Every hop, redirects included, is a connection the target's budget counts.
        refusal = refusal_for(target.address, target.port, settings) or held(
            admit, target.address, target.port
        )
        if refusal is not None:
            return HttpHop(target.url, target.address, target.port, "", error=refusal)
        return _fetch(target, settings.timeout, end, user_agent=user_agent)

    def one(address: str) -> HttpProbe:
        return follow(host, address, path, settings=settings, resolve=resolve, fetch=fetch)

    return each(one, addresses, parallel)


def fetch_document(
    url: str,
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    timeout: float | None = None,
    max_body: int = MAX_BODY,
    accept: str = "*/*",
    admit: Admit | None = None,
) -> HttpHop:
    """GET ``url`` once (no redirects), under the target policy and ``deadline``.

    ``timeout`` bounds each socket operation (default ``settings.timeout``).
    For documents the operator configures or a registry publishes, such as
    the certificate authority's status API or RDAP: https certificates are
    verified (against ``settings.tls_ca_file`` too), and the body is kept up
    to ``max_body`` bytes (``truncated`` says there was more).  ``admit`` is
    the budget's check before the connection.
    """
    try:
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        port = parts.port or (443 if secure else 80)
    except ValueError:
        return HttpHop(
            url, "", 0, "", error=ProbeError(ProbeErrorKind.POLICY, Message("the URL is not valid"))
        )
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return HttpHop(
            url,
            "",
            port,
            "",
            error=ProbeError(ProbeErrorKind.POLICY, Message("not an http(s) URL")),
        )
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolve(host)
    if not addresses:
        return HttpHop(
            url,
            "",
            port,
            "",
            error=ProbeError(
                ProbeErrorKind.UNREACHABLE, Message("{host} has no address", host=host)
            ),
        )
    target = Target(url, host, addresses[0], secure, port)
    refusal = refusal_for(
        target.address, port, settings, who=Message("webdig only connects")
    ) or held(admit, target.address, port)
    if refusal is not None:
        return HttpHop(url, target.address, port, "", error=refusal)
    waits = settings.timeout if timeout is None else timeout
    return _fetch(
        target, waits, deadline, context=verifying_context(settings) if secure else None,
        max_body=max_body,
        user_agent=DOCUMENT_USER_AGENT, accept=accept,
    )  # fmt: skip


def _fetch(
    target: Target,
    timeout: float,
    deadline: float,
    *,
    context: ssl.SSLContext | None = None,
    max_body: int = MAX_BODY,
    user_agent: str = USER_AGENT,
    accept: str = "*/*",
) -> HttpHop:
    """One GET of ``target``; https is not verified unless ``context`` verifies."""
    parts = urlsplit(target.url)
    # Percent-encode what a Location header may carry raw (spaces, non-ASCII), as Go's client does.
    path = quote(parts.path or "/", safe=_URL_SAFE)
    path += f"?{quote(parts.query, safe=_URL_SAFE + '?')}" if parts.query else ""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {target.host}\r\nUser-Agent: {user_agent}\r\n"
        f"Accept: {accept}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
    )
    begin, stage, sock = time.monotonic(), "connect", None
    try:
        sock = connect(target.address, target.port, timeout, deadline)
        if target.secure:
            stage = "handshake"
            sock = wrap_tls(sock, target.host, context or _UNVERIFIED, timeout, deadline)
        stage = "answer"
        sock.settimeout(left(timeout, deadline))
        sock.sendall(request.encode("ascii"))
        reader = DeadlineReader(sock, timeout, deadline)
        response = http.client.HTTPResponse(cast(socket.socket, reader), method="GET")
        response.begin()
        try:
            body = response.read(max_body + 1)
        except (OSError, http.client.HTTPException):
            body = b""  # the status and headers are what matter; a broken body is not
        response.close()
    except (OSError, http.client.HTTPException) as exc:
        elapsed = int((time.monotonic() - begin) * 1000)
        error = describe(exc, stage, time.monotonic() - begin)
        return HttpHop(
            target.url, target.address, target.port, request, elapsed_ms=elapsed, error=error
        )
    finally:
        if sock is not None:
            sock.close()
    return HttpHop(
        target.url, target.address, target.port, request,
        status=response.status,
        reason=response.reason,
        version="HTTP/1.0" if response.version == 10 else "HTTP/1.1",
        headers=[(k, v) for k, v in response.getheaders() if k.lower() in _KEPT_HEADERS][:10],
        body=body[:max_body],
        truncated=len(body) > max_body,
        elapsed_ms=int((time.monotonic() - begin) * 1000),
    )  # fmt: skip
