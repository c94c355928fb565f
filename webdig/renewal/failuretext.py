"""Reading a renewal failure: an ACME error or a hosting company's mail → the checklist item.

Pure text work (no Flask, no sockets): the user pastes what they were sent,
and :func:`decode` names the cause, the item it means and the domain to check.
Only wordings listed in :data:`SIGNS` are recognised; anything else is
:attr:`Cause.NOT_RECOGNISED`, never a guess.  :func:`from_text` and
:func:`to_text` read and write the short ``cause=`` code of a shareable link.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from webdig.errors import InputError
from webdig.findings.model import Finding, Level
from webdig.language.message import Message
from webdig.lookup.fielderrors import InvalidParams
from webdig.renewal.items import CheckId, CheckResult

MAX_TEXT = 100_000
"""Characters read: the most ``POST /api/v1/decode`` and the page's paste box accept."""
MAX_QUERY_TEXT = 2_000
"""Characters ``error=`` may carry in a URL (the page and ``GET /api/v1/check``)."""


class Cause(StrEnum):
    """What a failure text says went wrong: the ``cause=`` code of a shareable link."""

    CAA_LOOKUP = "caa-lookup"
    CAA = "caa"
    RATE_LIMITED = "rate-limited"
    PORT_80 = "port-80"
    CHALLENGE_404 = "challenge-404"
    NO_ADDRESS = "no-address"
    DOMAIN_MISSING = "domain-missing"
    CONNECTION = "connection"
    UNAUTHORIZED = "unauthorized"
    DNS = "dns"
    HOSTING_MAIL = "hosting-mail"
    """A hosting company's renewal mail: it does not say why, so every item matters."""
    NOT_RECOGNISED = "not-recognised"


CAUSE_CHECKS: dict[Cause, CheckId | None] = {
    # Broken DNSSEC (a DS left at the registry) is what usually makes validating resolvers
    # answer SERVFAIL for CAA: the dnssec item holds the evidence; its sentence names both.
    Cause.CAA_LOOKUP: CheckId.DNSSEC,
    Cause.CAA: CheckId.CAA,
    Cause.RATE_LIMITED: None,  # Let's Encrypt's own limit: no item of the site's
    Cause.PORT_80: CheckId.HTTP_CHALLENGE,
    Cause.CHALLENGE_404: CheckId.HTTP_CHALLENGE,
    Cause.NO_ADDRESS: CheckId.DNS_POINTS_HERE,
    Cause.DOMAIN_MISSING: CheckId.DOMAIN_EXISTS,
    Cause.CONNECTION: CheckId.HTTP_CHALLENGE,
    Cause.UNAUTHORIZED: CheckId.HTTP_CHALLENGE,
    Cause.DNS: CheckId.DNS_POINTS_HERE,
    Cause.HOSTING_MAIL: None,
    Cause.NOT_RECOGNISED: None,
}
"""The checklist item each cause points at (``None``: no single item)."""


@dataclass(frozen=True)
class Sign:
    """A wording that names a cause; ``also``, when set, must appear somewhere in the text
    too (a subject that alone could be another service's mail)."""

    cause: Cause
    pattern: re.Pattern[str]
    host: str | None = None
    """The hosting company whose mail this is (``xserver``, ``sakura``, ``conoha``)."""
    also: re.Pattern[str] | None = None


def _sign(cause: Cause, pattern: str, host: str | None = None, also: str | None = None) -> Sign:
    flags = re.IGNORECASE
    return Sign(cause, re.compile(pattern, flags), host, re.compile(also, flags) if also else None)


SIGNS: tuple[Sign, ...] = (
    # The most specific first: "DNS problem: SERVFAIL looking up CAA" is also an ACME dns error,
    # and a hosting company's mail may quote the ACME error that says why.
    _sign(Cause.CAA_LOOKUP, r"SERVFAIL looking up CAA"),
    _sign(Cause.CAA, r"urn:ietf:params:acme:error:caa\b|CAA record for \S+ prevents"),
    _sign(Cause.RATE_LIMITED, r"urn:ietf:params:acme:error:rateLimited\b|too many failed"),
    _sign(Cause.PORT_80, r"Timeout during connect \(likely firewall problem\)"),
    # The body quoted after the URL may be a whole HTML page: newlines included.
    _sign(Cause.CHALLENGE_404, r"Invalid response from \S+[\s\S]{0,300}?\b404\b"),
    _sign(Cause.NO_ADDRESS, r"no valid (?:A records|IP addresses) found"),
    _sign(Cause.DOMAIN_MISSING, r"NXDOMAIN looking up"),
    _sign(Cause.CONNECTION, r"urn:ietf:params:acme:error:connection\b"),
    _sign(Cause.UNAUTHORIZED, r"urn:ietf:params:acme:error:unauthorized\b"),
    _sign(Cause.DNS, r"urn:ietf:params:acme:error:dns\b|DNS problem:"),
    # The hosting companies' mail subjects (after NFKC: full-width SSL reads as SSL).
    _sign(Cause.HOSTING_MAIL, r"SSLサーバー?証明書\s*更新未完了のお知らせ", "xserver"),
    _sign(Cause.HOSTING_MAIL, r"無料SSL証明書\s*更新エラー", "sakura"),
    # 「認証失敗のお知らせ」 alone is also any login-failure notice: the mail must be about SSL.
    _sign(Cause.HOSTING_MAIL, r"認証失敗のお知らせ", "sakura", also=r"SSL|証明書"),
    _sign(Cause.HOSTING_MAIL, r"SSLサーバー?証明書\s*更新のご案内", "conoha"),
)  # fmt: skip
"""Recognised wordings, first match wins."""

# ASCII look-arounds: a domain written right after Japanese text (ドメインexample.jp) is still
# one, and a Japanese character is a \w to Python.  Not after "@" (an address's domain) and
# not before "@" (user.name@…).
_HOSTNAME = re.compile(
    r"(?<![A-Za-z0-9.@_-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}[a-z]{2,24})"
    r"(?![A-Za-z0-9@_-])",
    re.IGNORECASE,
)
_NOT_THE_USERS = (
    "letsencrypt.org", "lencr.org", "xserver.jp", "xserver.ne.jp", "xserver.co.jp",
    "sakura.ad.jp", "sakura.ne.jp", "conoha.jp", "gmo.jp", "lolipop.jp", "ietf.org",
    "w3.org", "example.invalid",
)  # fmt: skip
"""The CA's and the hosting companies' own domains, and HTML's, which their mails name too."""
_FILE_SUFFIXES = frozenset((
    "html", "htm", "php", "cgi", "css", "js", "txt", "png", "jpg", "jpeg", "gif", "svg", "ico",
    "pdf", "xml", "json", "log", "conf", "asp", "aspx", "jsp", "dtd",
))  # fmt: skip
"""What ends a file name in a mail (index.html, style.css), not a domain."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Decoded:
    """What a failure text means: the cause, the hosting company and the domain it names."""

    cause: Cause
    domain: str | None = None
    matched: str | None = None
    """The words that were recognised, as they appear in the text (NFKC-normalised)."""
    host: str | None = None

    @property
    def recognised(self) -> bool:
        """Whether one of :data:`SIGNS` matched."""
        return self.cause is not Cause.NOT_RECOGNISED

    @property
    def check(self) -> CheckId | None:
        """The checklist item the cause points at, if one."""
        return CAUSE_CHECKS[self.cause]

    @property
    def finding(self) -> Finding:
        """The cause in plain words (``decode.<cause>``): a fact the text states, so ``info``;
        ``unknown`` when webdig cannot tell what the text means."""
        level = Level.INFO if self.recognised else Level.UNKNOWN
        params = {"domain": self.domain, "host": self.host}
        return Finding(f"decode.{self.cause}", level, {k: v for k, v in params.items() if v})


def decode(text: str) -> Decoded:
    """The cause, checklist item and domain a failure mail or ACME error names."""
    clean = unicodedata.normalize("NFKC", _CONTROL.sub(" ", text[:MAX_TEXT]))
    domain = find_domain(clean)
    for sign in SIGNS:
        found = sign.pattern.search(clean)
        if found and (sign.also is None or sign.also.search(clean)):
            return Decoded(sign.cause, domain, found.group(0), sign.host)
    return Decoded(Cause.NOT_RECOGNISED, domain)


class TextTooLong(InputError):
    """A failure text longer than the way it came in takes: HTTP 413 on the web."""

    def __init__(self, length: int, limit: int) -> None:
        if limit <= MAX_QUERY_TEXT:
            message = Message(
                "The error text is {length} characters long; a link carries at most {limit}. "
                "Paste it into the box on the check page instead (or POST it to "
                "/api/v1/decode), which takes up to {most} characters.",
                length=length,
                limit=limit,
                most=MAX_TEXT,
            )
        else:
            message = Message(
                "The text is {length} characters long; at most {limit} are read. Paste only "
                "the mail's text or the error message, not its HTML source or attachments.",
                length=length,
                limit=limit,
            )
        super().__init__(message, "error")
        self.length = length
        self.limit = limit


def read_failure(error: str | None, cause: str | None, *, limit: int) -> Decoded | None:
    """What ``error`` (a pasted text, decoded) or else ``cause`` (a link's code) says.

    ``None`` when neither was given.  Raises :class:`TextTooLong` for an ``error`` over
    ``limit`` characters and :class:`InvalidParams` (field ``cause``) for an unknown code.
    """
    if error is not None and error.strip():
        if len(error) > limit:
            raise TextTooLong(len(error), limit)
        return decode(error)
    if cause is not None and cause.strip():
        return Decoded(read_cause(cause))
    return None


def read_cause(code: str) -> Cause:
    """The cause a link's ``cause=`` code names; raises :class:`InvalidParams` (field
    ``cause``) for a code that is none."""
    try:
        return from_text(code)
    except ValueError:
        known = ", ".join(str(c) for c in Cause)
        message = Message(
            "“{value}” is not a cause webdig knows ({known}).", value=code[:40], known=known
        )
        raise InvalidParams({"cause": [message]}) from None


def domains_to_check(typed: Sequence[str], decoded: Decoded | None) -> tuple[str, ...]:
    """The names typed, else the domain the failure text names.

    Raises :class:`InvalidParams` (field ``domain``) when a text was given that names none
    and none was typed: the check cannot start without one.
    """
    if any(name.strip() for name in typed) or decoded is None:
        return tuple(typed)
    if decoded.domain is None:
        message = Message("No domain was found in the text: enter your website's domain.")
        raise InvalidParams({"domain": [message]})
    return (decoded.domain,)


def pointed(checks: Sequence[CheckResult], decoded: Decoded | None) -> list[CheckResult]:
    """The rows the decoded cause points at: its item for the name the text names, or for
    every name when none of the rows is about that name (a zone's row, another name typed)."""
    if decoded is None or decoded.check is None:
        return []
    rows = [check for check in checks if check.id is decoded.check]
    return [check for check in rows if check.name == decoded.domain] or rows


def find_domain(text: str) -> str | None:
    """The first domain name in ``text`` that is not the CA's, a hosting company's or a file's."""
    for found in _HOSTNAME.finditer(text):
        name, start = found.group(1).lower(), found.start(1)
        if name.rsplit(".", 1)[-1] in _FILE_SUFFIXES:
            continue
        if text[start - 1 : start] == "/" and text[start - 2 : start] != "//":
            continue  # a URL's path (/DTD/xhtml1.dtd), not its host
        if not any(name == own or name.endswith("." + own) for own in _NOT_THE_USERS):
            return name
    return None


def from_text(code: str) -> Cause:
    """The cause a ``cause=`` code names; ``ValueError`` for a code that is none."""
    return Cause(code.strip().lower())


def to_text(cause: Cause) -> str:
    """The ``cause=`` code of ``cause``."""
    return str(cause)
