"""Reading a renewal failure: an ACME error or a hosting company's mail → the checklist item.

Pure text work (no Flask, no sockets): the user pastes what they were sent,
and :func:`decode` names the item it means and the domain to check.  Only
wordings listed in :data:`SIGNS` are recognised; anything else is
"not recognised", never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from webdig.renewal.items import CheckId

MAX_TEXT = 100_000
"""Characters read: a long mail's headers and quoted history add nothing past this."""


@dataclass(frozen=True)
class Sign:
    """A wording that names a cause: what it is, and the item (if any) to look at."""

    cause: str
    check: CheckId | None
    pattern: re.Pattern[str]


def _sign(cause: str, check: CheckId | None, pattern: str) -> Sign:
    return Sign(cause, check, re.compile(pattern, re.IGNORECASE))


SIGNS: tuple[Sign, ...] = (
    # The most specific first: "DNS problem: SERVFAIL looking up CAA" is also an ACME dns error.
    _sign("caa-lookup", CheckId.CAA, r"SERVFAIL looking up CAA"),
    _sign("caa", CheckId.CAA, r"urn:ietf:params:acme:error:caa\b|CAA record for \S+ prevents"),
    _sign("rate-limited", None, r"urn:ietf:params:acme:error:rateLimited\b|too many failed"),
    _sign("port-80", CheckId.HTTP_CHALLENGE, r"Timeout during connect \(likely firewall problem\)"),
    _sign("challenge-404", CheckId.HTTP_CHALLENGE, r"Invalid response from \S+.{0,200}?\b404\b"),
    _sign("no-address", CheckId.DNS_POINTS_HERE, r"no valid (?:A records|IP addresses) found"),
    _sign("domain-missing", CheckId.DOMAIN_EXISTS, r"NXDOMAIN looking up"),
    _sign("connection", CheckId.HTTP_CHALLENGE, r"urn:ietf:params:acme:error:connection\b"),
    _sign("unauthorized", CheckId.HTTP_CHALLENGE, r"urn:ietf:params:acme:error:unauthorized\b"),
    _sign("dns", CheckId.DNS_POINTS_HERE, r"urn:ietf:params:acme:error:dns\b|DNS problem:"),
    # The hosting companies' mail subjects: the renewal failed, cause unknown, so run it all.
    _sign("hosting-mail", None, r"SSLサーバー証明書更新未完了のお知らせ"),
    _sign("hosting-mail", None, r"無料SSL証明書\s*更新エラー|認証失敗のお知らせ"),
    _sign("hosting-mail", None, r"SSLサーバ証明書更新のご案内"),
)  # fmt: skip
"""Recognised wordings, first match wins."""

_HOSTNAME = re.compile(
    r"(?<![\w.@-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}[a-z]{2,24})(?![\w-])",
    re.IGNORECASE,
)
_NOT_THE_USERS = (
    "letsencrypt.org", "xserver.jp", "xserver.ne.jp", "sakura.ad.jp", "sakura.ne.jp",
    "conoha.jp", "gmo.jp", "lolipop.jp", "ietf.org", "example.invalid",
)  # fmt: skip
"""The CA's and the hosting companies' own domains, which their mails name too."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Decoded:
    """What a failure text means: the cause and item (``None`` when not recognised)."""

    cause: str | None
    check: CheckId | None
    domain: str | None
    matched: str | None
    """The words that were recognised, as they appear in the text."""

    @property
    def recognised(self) -> bool:
        """Whether one of :data:`SIGNS` matched."""
        return self.cause is not None


def decode(text: str) -> Decoded:
    """The cause, checklist item and domain a failure mail or ACME error names."""
    clean = _CONTROL.sub(" ", text[:MAX_TEXT])
    domain = find_domain(clean)
    for sign in SIGNS:
        found = sign.pattern.search(clean)
        if found:
            return Decoded(sign.cause, sign.check, domain, found.group(0))
    return Decoded(None, None, domain, None)


def find_domain(text: str) -> str | None:
    """The first domain name in ``text`` that is not the CA's or a hosting company's."""
    for found in _HOSTNAME.finditer(text):
        name = found.group(1).lower()
        if not any(name == own or name.endswith("." + own) for own in _NOT_THE_USERS):
            return name
    return None
