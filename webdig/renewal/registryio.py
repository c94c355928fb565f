"""Asking a domain's registry: the RDAP HTTPS GET and the WHOIS exchange on port 43.

Its connections are :mod:`webdig.renewal.connection`'s (WHOIS) and
:mod:`webdig.renewal.httpfetch`'s (RDAP), so it imports no socket module itself.
Registry servers obey the same rules as every other server webdig talks
to: the target policy (public addresses only, ports 80/443 for RDAP and 43
for WHOIS unless ``allow_private``), the per-target budget, the request's
deadline and a cap on the answer's size.  What happened is data, never an
exception.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from webdig.language.message import Message
from webdig.renewal.connection import Admit, connect, describe, held, left, refusal_for
from webdig.renewal.httpfetch import fetch_document
from webdig.renewal.probeoutcome import HttpHop, ProbeError, ProbeErrorKind
from webdig.settings import Settings

RDAP_MEDIA_TYPE = "application/rdap+json"
MAX_RDAP_BYTES = 256 * 1024
"""An RDAP domain answer with every notice and contact is a few tens of KB."""
MAX_BOOTSTRAP_BYTES = 1024 * 1024
"""IANA's dns.json is about 30 KB; room to grow, but a bound."""
MAX_WHOIS_BYTES = 64 * 1024
TIMEOUT = 3.0
"""Seconds per connect or read: a registry far away may be slower than a nameserver."""


@dataclass(frozen=True)
class WhoisReply:
    """What a WHOIS server sent back (up to the cap), or why nothing usable came."""

    server: str
    address: str
    query: str
    body: bytes = b""
    truncated: bool = False
    error: ProbeError | None = None


def rdap_get(
    url: str,
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    admit: Admit | None = None,
    max_bytes: int = MAX_RDAP_BYTES,
) -> HttpHop:
    """GET an RDAP (or bootstrap) URL, asking for RDAP's JSON; the body capped at ``max_bytes``."""
    return fetch_document(
        url, settings=settings, resolve=resolve, deadline=deadline, timeout=TIMEOUT,
        max_body=max_bytes, accept=f"{RDAP_MEDIA_TYPE}, application/json", admit=admit,
    )  # fmt: skip


def whois_query(
    server: str,
    query: str,
    *,
    settings: Settings,
    resolve: Callable[[str], list[str]],
    deadline: float,
    admit: Admit | None = None,
) -> WhoisReply:
    """Send ``query`` to ``server``'s WHOIS port (``settings.whois_port``) and read the answer.

    WHOIS (RFC 3912): one line out, then everything the server sends until it
    closes the connection, cut off at :data:`MAX_WHOIS_BYTES` and the deadline.
    """
    port = settings.whois_port
    addresses = resolve(server)
    if not addresses:
        error = ProbeError(
            ProbeErrorKind.UNREACHABLE, Message("{host} has no address", host=server)
        )
        return WhoisReply(server, "", query, error=error)
    address = addresses[0]
    refusal = refusal_for(
        address, port, settings, ports=(43,), who=Message("webdig only connects")
    ) or held(admit, address, port)
    if refusal is not None:
        return WhoisReply(server, address, query, error=refusal)
    begin, stage = time.monotonic(), "connect"
    chunks: list[bytes] = []
    size = 0
    try:
        with connect(address, port, TIMEOUT, deadline) as sock:
            stage = "whois"
            sock.settimeout(left(TIMEOUT, deadline))
            sock.sendall(query.encode("ascii") + b"\r\n")
            while size <= MAX_WHOIS_BYTES:
                sock.settimeout(left(TIMEOUT, deadline))
                chunk = sock.recv(16384)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        if not chunks:
            return WhoisReply(
                server, address, query, error=describe(exc, stage, time.monotonic() - begin)
            )
        # Some servers reset instead of closing; what arrived is the answer.
    body = b"".join(chunks)
    return WhoisReply(
        server, address, query, body[:MAX_WHOIS_BYTES], truncated=len(body) > MAX_WHOIS_BYTES
    )
