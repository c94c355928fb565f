"""Engine settings: timeouts, caps, resolver presets and the target policy switch.

The web app reads them from Flask's config (``WEBDIG_*`` environment
variables via ``from_prefixed_env``); the CLI reads the same variables with
:func:`from_environ`, so both behave alike on one machine.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from webdig.engine.ttlcache import TtlCache

if TYPE_CHECKING:
    from webdig.lookup.modes import DelegationFacts

DelegationKey = tuple[str, str, int]
"""(hostname in ASCII, resolver address, resolver port)."""

SYSTEM = "system"
"""The ``useresolver`` key of the machine's own resolver."""


@dataclass(frozen=True)
class Preset:
    """A resolver people know by name, selectable as ``useresolver=KEY``."""

    key: str
    label: str
    address: str
    port: int = 53


# Keys are the resolvers' addresses, as digwebinterface's ``useresolver``
# values are, so its links keep working.  Tests replace every address here
# with a loopback server through the PRESETS setting.
DEFAULT_PRESETS: tuple[Preset, ...] = (
    Preset("8.8.8.8", "Google Public DNS", "8.8.8.8"),
    Preset("1.1.1.1", "Cloudflare", "1.1.1.1"),
    Preset("9.9.9.9", "Quad9", "9.9.9.9"),
    Preset("208.67.222.222", "OpenDNS", "208.67.222.222"),
)


@dataclass(frozen=True)
class Settings:
    """Everything the engine needs to know about this installation."""

    resolver: str | None = None
    """``address`` or ``address#port`` of webdig's own resolver; None: /etc/resolv.conf."""
    timeout: float = 2.0
    """Seconds per try of one query."""
    tries: int = 2
    """UDP tries per query (dig's +tries)."""
    deadline: float = 8.0
    """Seconds for a whole request, all queries included."""
    allow_private: bool = False
    """Allow nameservers that are not globally routable (intranets, tests)."""
    max_hostnames: int = 20
    max_nameservers: int = 10
    max_queries: int = 200
    presets: tuple[Preset, ...] = field(default=DEFAULT_PRESETS)
    root_hints: tuple[str, ...] | None = None
    """Root server addresses for ``trace``; None: IANA's root servers."""
    http_port: int = 80
    """Port of the HTTP-01 probe (tests only: Let's Encrypt always uses 80)."""
    https_port: int = 443
    """Port of the TLS probe and of https redirects (tests only)."""
    ca_status_url: str | None = None
    """A status API of the certificate authority (statuspage or status.io JSON)."""
    tls_ca_file: str | None = None
    """Extra CA bundle for verifying certificates (tests only)."""
    target_gate: Callable[[str], bool] | None = field(default=None, compare=False, repr=False)
    """Asked before each query with the server address; False: over that target's rate limit."""
    delegation_cache: float = 60.0
    """Seconds at most to reuse the registry's delegation of a hostname (0: ask every time)."""
    delegations: TtlCache[DelegationKey, tuple[DelegationFacts | None, tuple[str, ...]]] = field(
        default_factory=TtlCache, compare=False, repr=False
    )
    """The delegation facts (and problems) found per hostname, shared by this app's requests."""

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> Settings:
        """Build settings from a mapping of un-prefixed keys (``TIMEOUT``, ``RESOLVER``…)."""
        defaults = cls()
        presets = config.get("PRESETS")
        return cls(
            resolver=_optional_str(config.get("RESOLVER")),
            timeout=float(config.get("TIMEOUT", defaults.timeout)),
            tries=int(config.get("TRIES", defaults.tries)),
            deadline=float(config.get("DEADLINE", defaults.deadline)),
            allow_private=_flag(config.get("ALLOW_PRIVATE", False)),
            max_hostnames=int(config.get("MAX_HOSTNAMES", defaults.max_hostnames)),
            max_nameservers=int(config.get("MAX_NAMESERVERS", defaults.max_nameservers)),
            max_queries=int(config.get("MAX_QUERIES", defaults.max_queries)),
            presets=_presets(presets) if presets else defaults.presets,
            root_hints=_addresses(config.get("ROOT_HINTS")),
            http_port=int(config.get("HTTP_PORT", defaults.http_port)),
            https_port=int(config.get("HTTPS_PORT", defaults.https_port)),
            ca_status_url=_optional_str(config.get("CA_STATUS_URL")),
            tls_ca_file=_optional_str(config.get("TLS_CA_FILE")),
            delegation_cache=float(config.get("DELEGATION_CACHE", defaults.delegation_cache)),
        )

    def preset(self, key: str) -> Preset | None:
        """The preset with this key or label (case-insensitive), if any."""
        wanted = key.strip().lower()
        for preset in self.presets:
            if wanted in (preset.key.lower(), preset.label.lower()):
                return preset
        return None


def from_environ(environ: Mapping[str, str], prefix: str = "WEBDIG_") -> Settings:
    """Read ``WEBDIG_*`` variables the way Flask's ``from_prefixed_env`` does."""
    values: dict[str, Any] = {}
    for key, raw in environ.items():
        if key.startswith(prefix):
            try:
                values[key[len(prefix) :]] = json.loads(raw)
            except ValueError:
                values[key[len(prefix) :]] = raw
    return Settings.from_mapping(values)


def _optional_str(value: Any) -> str | None:
    return None if value in (None, "", SYSTEM) else str(value)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _addresses(value: Any) -> tuple[str, ...] | None:
    if not value:
        return None
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return tuple(str(item) for item in value)


def _presets(value: Any) -> tuple[Preset, ...]:
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(
        Preset(str(p["key"]), str(p["label"]), str(p["address"]), int(p.get("port", 53)))
        for p in value
    )
