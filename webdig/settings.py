"""Every setting of a webdig installation, its default and its meaning, written once.

:data:`OPTIONS` is the one list: the Flask app loads its defaults from it, the
engine's :class:`Settings` takes its defaults from it, ``gunicorn.conf.py``
reads its own from it, and the README's configuration table is tested
against :func:`markdown_table`.  The web app reads values from Flask's
config (``WEBDIG_*`` environment variables via ``from_prefixed_env``); the
CLI reads the same variables with :func:`from_environ`, so both behave alike
on one machine.

Settings are configuration only: frozen, compared by value.  What changes
while requests run (caches, counters, the rate-limit gate) belongs to the
app or to a :class:`webdig.lookup.context.LookupContext`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from webdig.presets import Preset, default_presets, find_preset, presets_from_config

SYSTEM = "system"
"""The ``useresolver`` key of the machine's own resolver."""


@dataclass(frozen=True)
class Option:
    """One setting: the key in the app's config, its default and what it means."""

    key: str
    """The key in Flask's config (``TIMEOUT``); the variable is ``WEBDIG_`` + key."""
    default: Any
    meaning: str
    shown: str = ""
    """The default as people read it, when the value itself does not say it (None, a tuple)."""
    variable: str = ""
    """The environment variable, when it is not ``WEBDIG_`` + key (``SECRET_KEY``, ``PORT``)."""
    app_config: bool = True
    """Whether the Flask app's config holds it (False: read by gunicorn or the host only)."""

    @property
    def env(self) -> str:
        """The environment variable that sets this option."""
        return self.variable or f"WEBDIG_{self.key}"

    @property
    def default_text(self) -> str:
        """The default as the README's table shows it."""
        if self.shown:
            return self.shown
        if isinstance(self.default, bool):
            return "on" if self.default else "off"
        if isinstance(self.default, float) and self.default.is_integer():
            return f"`{int(self.default)}`"
        return f"`{self.default}`"


OPTIONS: tuple[Option, ...] = (
    Option(
        "RESOLVER", None,
        "webdig's own resolver (`IP` or `IP#port`): the `system` preset, and how nameserver "
        "hostnames are resolved",
        shown="the machine's resolver (first `nameserver` of `/etc/resolv.conf`, as `dig` does)",
    ),
    Option("TIMEOUT", 2.0, "seconds per try of one query"),
    Option("TRIES", 2, "UDP tries per query"),
    Option("DEADLINE", 8.0, "seconds for a whole request; gunicorn's timeout stays above it"),
    Option(
        "ALLOW_PRIVATE", False,
        "allow nameservers that are not public internet addresses, and ports other than 53 "
        "(intranets, tests)",
    ),
    Option("MAX_HOSTNAMES", 20, "hostnames per request"),
    Option("MAX_NAMESERVERS", 10, "nameservers per request"),
    Option("MAX_QUERIES", 200, "queries per request, discovery included"),
    Option(
        "PRESETS", default_presets(),
        'JSON list of `{"key", "label", "address"}` resolver presets, optionally with `"port"`, '
        '`"service"` (the short name shown as `8.8.4.4 (Google)`), `"retired"` and `"successor"`; '
        "`key` is what links say, `address` where queries go",
        shown="digwebinterface's ten services, every published address "
        "(`webdig/data/resolvers.json`)",
    ),
    Option(
        "CA_STATUS_URL", None,
        "a Statuspage or status.io JSON URL for Let's Encrypt's status",
        shown="unset (the check is skipped with a link)",
    ),
    Option(
        "RDAP_BOOTSTRAP_URL", "https://data.iana.org/rdap/dns.json",
        "IANA's bootstrap registry of RDAP services (RFC 9224), read at most once a day: which "
        "server the renewal check asks for a domain's expiry date and status (tests point it at "
        "a file on loopback)",
    ),
    Option(
        "WHOIS_PORT", 43,
        "tests only: the port of WHOIS servers (`whois.jprs.jp` for .jp, which has no RDAP)",
    ),
    Option("HTTP_PORT", 80, "tests only: the port the renewal check's HTTP-01 probe connects to"),
    Option("HTTPS_PORT", 443, "tests only: the port of the TLS probe and of https redirects"),
    Option(
        "TLS_CA_FILE", None, "tests only: an extra CA bundle for verifying certificates",
        shown="unset",
    ),
    Option(
        "ROOT_HINTS", None,
        "JSON list of root server addresses for `trace=on` (tests use a local root)",
        shown="IANA's 13 root servers",
    ),
    Option(
        "DELEGATION_CACHE", 60.0,
        "seconds at most to reuse the registry's delegation of a hostname for the `ns=self` + "
        "`expected` check (never longer than the referral's NS TTL; failures 15 s; `0` asks "
        "every time)",
    ),
    Option(
        "REDIS_URL", None,
        "Redis for rate-limit counts shared by all instances",
        shown="unset (counts in this machine's shared-memory file)", variable="REDIS_URL",
    ),
    Option(
        "TRUSTED_PROXIES", 0,
        "how many proxies in front of webdig may set `X-Forwarded-For` (1 behind Heroku's router)",
    ),
    Option(
        "PUBLIC_URL", None,
        "the public origin of this webdig (`https://webdig.example`): share links in the page "
        "and the API are absolute on it (Flask's `WEBDIG_SERVER_NAME` works too)",
        shown="unset (share links are relative; the page completes them from the browser's "
        "address)",
    ),
    Option(
        "TRUSTED_HOSTS", None,
        "host names this webdig answers to (`webdig.example,www.webdig.example`); any other "
        "`Host` gets 400",
        shown="unset",
    ),
    Option(
        "RATE_LIMIT_CLIENT", "30/minute;300/hour",
        "look-ups per client (IPv6 per /64)",
    ),
    Option(
        "RATE_LIMIT_TARGET_CLIENT", "120/minute",
        "queries and connections to one server address, per client",
    ),
    Option(
        "RATE_LIMIT_TARGET", "1200/minute",
        "queries and connections to one server address, all clients together",
    ),
    Option(
        "RATE_LIMIT_PRESET", "6000/minute",
        "queries to one preset resolver address, all clients together",
    ),
    Option("CONCURRENT_CLIENT", 4, "look-ups and checks one client may have running at once"),
    Option(
        "LOOKUPS_PER_WORKER", None,
        "look-ups one worker runs at once; more get 503 at once",
        shown="the worker's threads minus two (set by `gunicorn.conf.py`)",
    ),
    Option(
        "RATE_LIMIT_STORE", None,
        "the file all workers of this machine map into memory to count rate limits (about "
        "18 MB, reserved when it is made; a file of another layout is wiped); the progress "
        "board is `<path>.progress`",
        shown="a file in a folder `gunicorn.conf.py` makes per master "
        "(`/dev/shm/webdig-limits-…`, else the temporary directory)",
    ),
    Option("RATE_LIMIT_APP", "600/minute", "look-ups for the whole app"),
    Option("RATE_LIMIT_DISABLED", False, "tests only: count nothing, limit nothing"),
    Option(
        "RATE_LIMIT_SAVE", "6/minute;60/hour",
        "saved results per client: saving writes to the database, so it has its own, stricter "
        "budget on top of the look-up it runs",
    ),
    Option(
        "RATE_LIMIT_SAVE_KB", "10240/day",
        "kilobytes of saved results (compressed) per client: a save that finds it spent gets "
        "429, so that one visitor cannot take the space of `WEBDIG_SNAPSHOT_QUOTA_MB`",
    ),
    Option(
        "RATE_LIMIT_DECODE", "30/minute;300/hour",
        "pasted failure texts read per client (`POST /api/v1/decode` and the paste box): "
        "reading up to 100,000 characters costs time, so it has a budget of its own",
    ),
    Option(
        "SECRET_KEY", "dev-only-change-me",
        "signs the \"save a link\" form's token; when unset, webdig generates one into the "
        "instance folder (`secret_key`, mode 0600) that every worker shares. Set it on a "
        "platform whose disk is wiped on each deploy",
        shown="generated once", variable="SECRET_KEY",
    ),
    Option(
        "DATABASE_URL", None,
        "where saved results live: `postgres://…` or `postgresql://…` selects PostgreSQL "
        "(psycopg 3), which every instance shares; on platforms with an ephemeral disk use "
        "PostgreSQL",
        shown="unset: an SQLite file (WAL mode) in the instance folder", variable="DATABASE_URL",
    ),
    Option(
        "INSTANCE_PATH", None, "the folder of the SQLite database",
        shown="Flask's instance folder (`./instance`, or `<prefix>/var/webdig-instance` when "
        "installed)",
    ),
    Option(
        "MAX_CONTENT_LENGTH", 1024 * 1024,
        "bytes a request body may carry (a larger one gets 413 before it is read, so that no "
        "POST can fill a worker's memory or disk); the paste box takes a pasted mail's own "
        "~1.2 MB",
    ),
    Option(
        "SNAPSHOT_DAYS", 30,
        "days a saved result is kept: older ones are never shown, and a sweep (at most hourly "
        "while saving, or `webdig db sweep`) deletes them",
    ),
    Option(
        "SNAPSHOT_MAX_BYTES", 512 * 1024,
        "the largest result that can be saved, compressed (larger: HTTP 413)",
    ),
    Option(
        "SNAPSHOT_QUOTA_MB", 1024,
        "megabytes all saved results may take together, compressed (`0`: no bound); when full, "
        "saving answers 503 until older ones expire, and look-ups go on. Keep it under what the "
        "disk or the database plan holds",
    ),
    Option(
        "WATCH_INTERVAL", 30,
        "seconds between two runs of `/watch` (never less than `WEBDIG_WATCH_FLOOR`; a link's "
        "`interval=` may ask for more, up to 300, never less)",
    ),
    Option("WATCH_MINUTES", 30, "minutes a `/watch` page keeps asking, at most"),
    Option(
        "WATCH_FLOOR", 10,
        "the shortest interval `/watch` accepts, from the setting or a link (tests only: lower)",
    ),
    Option(
        "DATABASE_AUTO_UPGRADE", True,
        "apply the database's schema migrations on start-up (off: run `webdig db upgrade`)",
    ),
    Option(
        "PORT", None,
        "the port gunicorn listens on, on every interface (PaaS platforms set it)",
        shown="unset: 127.0.0.1:8000 only", variable="PORT", app_config=False,
    ),
    Option(
        "WEB_CONCURRENCY", 2, "gunicorn worker processes",
        variable="WEB_CONCURRENCY", app_config=False,
    ),
    Option("THREADS", 16, "threads per gunicorn worker", app_config=False),
    Option(
        "FORWARDED_ALLOW_IPS", "127.0.0.1",
        "addresses gunicorn trusts to say the request was https (`X-Forwarded-Proto`)",
        variable="FORWARDED_ALLOW_IPS", app_config=False,
    ),
)  # fmt: skip

DEFAULTS: Mapping[str, Any] = {option.key: option.default for option in OPTIONS}
"""Every option's default, by key."""


def app_defaults() -> dict[str, Any]:
    """The defaults the Flask app's config starts from."""
    return {option.key: option.default for option in OPTIONS if option.app_config}


def markdown_table() -> str:
    """The README's configuration table, one row per option."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows.extend(f"| `{o.env}` | {o.default_text} | {o.meaning} |" for o in OPTIONS)
    return "\n".join(rows) + "\n"


@dataclass(frozen=True)
class Settings:
    """Everything the engine needs to know about this installation (see :data:`OPTIONS`)."""

    resolver: str | None = DEFAULTS["RESOLVER"]
    """``address`` or ``address#port`` of webdig's own resolver; None: /etc/resolv.conf."""
    timeout: float = DEFAULTS["TIMEOUT"]
    """Seconds per try of one query."""
    tries: int = DEFAULTS["TRIES"]
    """UDP tries per query (dig's +tries)."""
    deadline: float = DEFAULTS["DEADLINE"]
    """Seconds for a whole request, all queries included."""
    allow_private: bool = DEFAULTS["ALLOW_PRIVATE"]
    """Allow nameservers that are not globally routable (intranets, tests)."""
    max_hostnames: int = DEFAULTS["MAX_HOSTNAMES"]
    max_nameservers: int = DEFAULTS["MAX_NAMESERVERS"]
    max_queries: int = DEFAULTS["MAX_QUERIES"]
    presets: tuple[Preset, ...] = field(default=DEFAULTS["PRESETS"])
    """Resolver presets; default: digwebinterface's ten services (``data/resolvers.json``)."""
    root_hints: tuple[str, ...] | None = DEFAULTS["ROOT_HINTS"]
    """Root server addresses for ``trace``; None: IANA's root servers."""
    http_port: int = DEFAULTS["HTTP_PORT"]
    """Port of the HTTP-01 probe (tests only: Let's Encrypt always uses 80)."""
    https_port: int = DEFAULTS["HTTPS_PORT"]
    """Port of the TLS probe and of https redirects (tests only)."""
    ca_status_url: str | None = DEFAULTS["CA_STATUS_URL"]
    """A status API of the certificate authority (statuspage or status.io JSON)."""
    tls_ca_file: str | None = DEFAULTS["TLS_CA_FILE"]
    """Extra CA bundle for verifying certificates (tests only)."""
    delegation_cache: float = DEFAULTS["DELEGATION_CACHE"]
    """Seconds at most to reuse the registry's delegation of a hostname (0: ask every time)."""
    rdap_bootstrap_url: str | None = DEFAULTS["RDAP_BOOTSTRAP_URL"]
    """IANA's RDAP bootstrap file for domains (RFC 9224); None: registrations are not checked."""
    whois_port: int = DEFAULTS["WHOIS_PORT"]
    """Port of WHOIS servers (tests only: always 43)."""

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> Settings:
        """Build settings from a mapping of un-prefixed keys (``TIMEOUT``, ``RESOLVER``…)."""

        def get(key: str) -> Any:
            return config.get(key, DEFAULTS[key])

        presets = get("PRESETS")
        return cls(
            resolver=_optional_str(get("RESOLVER")),
            timeout=float(get("TIMEOUT")),
            tries=int(get("TRIES")),
            deadline=float(get("DEADLINE")),
            allow_private=_flag(get("ALLOW_PRIVATE")),
            max_hostnames=int(get("MAX_HOSTNAMES")),
            max_nameservers=int(get("MAX_NAMESERVERS")),
            max_queries=int(get("MAX_QUERIES")),
            presets=presets_from_config(presets) if presets else DEFAULTS["PRESETS"],
            root_hints=_addresses(get("ROOT_HINTS")),
            http_port=int(get("HTTP_PORT")),
            https_port=int(get("HTTPS_PORT")),
            ca_status_url=_optional_str(get("CA_STATUS_URL")),
            tls_ca_file=_optional_str(get("TLS_CA_FILE")),
            delegation_cache=float(get("DELEGATION_CACHE")),
            rdap_bootstrap_url=_optional_str(get("RDAP_BOOTSTRAP_URL")),
            whois_port=int(get("WHOIS_PORT")),
        )

    def preset(self, key: str) -> Preset | None:
        """The preset with this key, label or service name (case-insensitive), if any."""
        return find_preset(self.presets, key)


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
