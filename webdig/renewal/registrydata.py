"""What a domain's registry says about it (through RDAP or WHOIS), as plain data.

Filled in by :mod:`webdig.renewal.registry`, judged by
:mod:`webdig.renewal.registration`.  Statuses use RFC 8056's spaced forms
("client hold", "redemption period"), whatever the registry wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

TWO_LABEL_SUFFIXES = frozenset({
    "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "gr.jp", "ed.jp", "ad.jp", "lg.jp",
    "co.uk", "org.uk", "me.uk", "com.au", "net.au", "org.au", "co.nz", "com.br", "com.cn",
})  # fmt: skip
"""Suffixes under which registries sell names one level down.  Without the full public-suffix
list this catches the common "the name is gone and only the suffix answers" case for these."""


class AnswerState(StrEnum):
    """How asking the registry went."""

    FOUND = "found"
    """The registry has a record of the domain."""
    NOT_REGISTERED = "not-registered"
    """The registry answered that it has no such domain (RDAP 404, WHOIS "No match")."""
    UNAVAILABLE = "unavailable"
    """The registry's server did not answer usably: webdig cannot tell."""
    NO_SERVICE = "no-service"
    """The TLD has no RDAP service in IANA's registry and no WHOIS server webdig reads."""
    NO_BOOTSTRAP = "no-bootstrap"
    """IANA's list of RDAP services could not be read."""


@dataclass(frozen=True)
class Registration:
    """The registry's record of a domain: who sells it, until when, in which state."""

    registrar: str | None
    expires: date | None
    statuses: tuple[str, ...] = ()
    """RFC 8056's spaced forms, lower case."""


@dataclass(frozen=True)
class RegistryAnswer:
    """The outcome of asking the registry about ``domain``."""

    domain: str
    state: AnswerState
    server: str = ""
    """The registry's server asked (host name), or the bootstrap URL for ``no-bootstrap``."""
    protocol: str = ""
    """``RDAP`` or ``WHOIS``."""
    registration: Registration | None = None
    reason: dict[str, Any] = field(default_factory=dict)
    """Why it is unavailable: a phrase mapping (``{"code": "registry.http-status", ...}``)."""
    request: str = ""
    """What was sent (a URL, a WHOIS query), for the evidence."""
    text: str = ""
    """What came back, as text, for the evidence."""


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def spaced_status(raw: str) -> str:
    """A status as RFC 8056 writes it: ``clientHold`` and ``client hold`` are ``client hold``."""
    # EPP's camelCase (and an ICANN URL after it) still reach RDAP from some registries.
    word = raw.strip().split(" https://")[0].split(" http://")[0]
    return " ".join(_CAMEL.sub(" ", word).replace("_", " ").lower().split())


def registered_domain(name: str) -> str | None:
    """The domain one label below ``name``'s public suffix (``www.example.co.jp`` →
    ``example.co.jp``), or None when ``name`` is itself a suffix."""
    labels = name.rstrip(".").lower().split(".")
    keep = 3 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES else 2
    if len(labels) < keep:
        return None
    return ".".join(labels[-keep:])
