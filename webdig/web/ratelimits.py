"""Budgets and limits: per client, per target server, for the whole app, and work in flight.

- **Look-ups** per client (IPv6 per /64) and for the whole app, counted over
  a moving window; over the limit: 429 with ``Retry-After``.
- **In flight**: a client may have ``CONCURRENT_CLIENT`` look-ups or checks
  running at once (one more gets 429 at once), and one worker runs at most
  ``LOOKUPS_PER_WORKER`` (one more gets 503 at once), so worker threads
  stay free for ``/healthz`` and for everyone else.
- **Per target**: packets and connections to one server are counted per
  client *and* for all clients together (the second budget much larger), so
  one visitor cannot spend a nameserver's budget for everyone.  webdig's
  own resolver (the operator's) is not counted; the preset public resolvers
  have their own, larger shared budget.  A query a budget holds back is
  never sent and never evidence: it is a row saying "webdig is busy; try
  again in N s".

:class:`~webdig.web.ratecounter.RateCounter` counts in this machine's
:class:`~webdig.web.windowstore.WindowStore` (shared by all gunicorn workers
through ``WEBDIG_RATE_LIMIT_STORE``, which gunicorn.conf.py sets), or in
Redis when ``REDIS_URL`` is set.

The client is ``request.remote_addr`` after ``ProxyFix`` trusted exactly
``WEBDIG_TRUSTED_PROXIES`` hops of ``X-Forwarded-For`` (default 0: the
header is ignored, as anyone can send it).
"""

from __future__ import annotations

import functools
import ipaddress
import os
import threading
from dataclasses import dataclass, replace
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import gettext, ngettext
from limits import RateLimitItem
from werkzeug.exceptions import HTTPException, TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from webdig.engine.nameservers import own_resolver
from webdig.engine.session import TargetGate
from webdig.errors import InputError
from webdig.findings.markers import N_
from webdig.lookup.context import LookupContext
from webdig.settings import Settings
from webdig.web.appstate import current_context
from webdig.web.negotiation import wants_text
from webdig.web.ratecounter import RateCounter, parse_limits
from webdig.web.security import HELD_SHOWS_SAVED, held
from webdig.web.windowstore import Slot, WindowStore

_EXTENSION = "webdig.budgets"


class Busy(HTTPException):
    """This worker already runs all the look-ups it may: 503 at once."""

    code = 503
    description = "webdig is busy right now"


_COUNTER = "webdig.ratecounter"


def client_key() -> str:
    """The rate-limit key of the client: its IPv4 address, or its IPv6 /64."""
    return _key_of(request.remote_addr or "unknown")


@functools.lru_cache(maxsize=4096)
def _key_of(address: str) -> str:
    # Asked twice per request (the limits, then the per-target budgets), mostly by the
    # same few clients: parsing an address costs more than the rest of the check.
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


@dataclass(frozen=True)
class TargetBudgets:
    """The per-target budgets of one app; :meth:`gate` binds them to one client."""

    counter: RateCounter
    per_client: RateLimitItem
    per_target: RateLimitItem
    per_preset: RateLimitItem
    own: tuple[str, int] | None
    presets: frozenset[tuple[str, int]]

    def gate(self, client: str) -> TargetGate:
        """The gate for ``client``'s queries and connections."""

        def admit(address: str, port: int) -> int | None:
            if (address, port) == self.own:
                return None  # the operator's resolver: visitors cannot spend it
            shared = self.per_preset if (address, port) in self.presets else self.per_target
            return self.counter.admit(
                [(self.per_client, ("target", address, client)), (shared, ("target", address))]
            )

        return admit


def _machine_store(app: Flask) -> WindowStore:
    """The store every worker of this machine shares, or, when its file cannot be used,
    this process's own: the app keeps working, counting limits per worker."""
    path = app.config.get("RATE_LIMIT_STORE") or None
    try:
        return WindowStore(path)
    except OSError as exc:
        app.logger.error(
            "cannot use the rate-limit store %s (%s): this worker counts rate limits on its "
            "own until it restarts; point WEBDIG_RATE_LIMIT_STORE at a writable file",
            path,
            exc.strerror or exc,
        )
        return WindowStore(None)


def request_context() -> LookupContext:
    """The app's look-up context, its per-target gate bound to this request's client."""
    shared = current_context()
    budgets = request_budgets()
    if budgets is None:
        return shared
    # The copy shares the app's caches; only the gate is this client's.
    return replace(shared, target_gate=budgets.gate(client_key()))


def request_budgets() -> TargetBudgets | None:
    """The app's per-target budgets (None when rate limits are off)."""
    budgets: TargetBudgets | None = current_app.extensions.get(_EXTENSION)
    return budgets


def install(app: Flask, limited: list[Any]) -> None:
    """Set up ProxyFix, the limits and the budgets on ``app``; limit the ``limited`` blueprints."""
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        # X-Forwarded-Host is not trusted: no link is built from the request's host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.register_error_handler(429, _too_many)
    app.register_error_handler(Busy, _too_many)
    if app.config["RATE_LIMIT_DISABLED"]:
        return
    redis_url = app.config.get("REDIS_URL") or os.environ.get("REDIS_URL")

    def storage_failed(exc: Exception) -> None:
        app.logger.error("rate-limit storage unavailable, counting on this machine: %s", exc)

    settings = Settings.from_mapping(app.config)
    store = _machine_store(app)
    counter = RateCounter(redis_url, store=store, on_error=storage_failed)
    app.extensions[_EXTENSION] = TargetBudgets(
        counter,
        parse_limits(app.config["RATE_LIMIT_TARGET_CLIENT"])[0],
        parse_limits(app.config["RATE_LIMIT_TARGET"])[0],
        parse_limits(app.config["RATE_LIMIT_PRESET"])[0],
        _own_resolver(settings),
        frozenset((p.address, p.port) for p in settings.presets),
    )
    app.extensions[_COUNTER] = counter
    whole_app = [(item, ("app",)) for item in parse_limits(app.config["RATE_LIMIT_APP"])]
    per_client = parse_limits(app.config["RATE_LIMIT_CLIENT"])
    concurrent = int(app.config["CONCURRENT_CLIENT"])
    # gunicorn.conf.py sets this from the worker's threads; other servers run unbounded.
    per_worker = app.config.get("LOOKUPS_PER_WORKER")
    slots = _WorkerSlots(int(per_worker)) if per_worker else None
    # A slot left behind (a worker killed mid-request) frees itself after this.
    hold = settings.deadline * 2 + 10
    names = {blueprint.name for blueprint in limited}

    @app.before_request
    def admit_request() -> None:
        if request.blueprint not in names:
            return
        if held() and request.endpoint not in HELD_SHOWS_SAVED:
            return  # a held request shows the form and sends nothing
        key = client_key()
        limits = [*whole_app, *((item, ("client", key)) for item in per_client)]
        worker = _WorkerSlot(slots)
        # The look-up limits, then this worker's slot, then the client's in-flight slot:
        # one turn at the shared store for both counts.
        wait, token = counter.admit_and_acquire(
            limits, Slot(key, concurrent, hold), ready=worker.take
        )
        if worker.taken:
            g.webdig_worker_slot = True
        if wait is not None:
            g.rate_limit_retry_after = wait
            raise TooManyRequests("look-ups")
        if not worker.taken:
            g.rate_limit_retry_after = 2
            raise Busy()
        if token is None:
            g.rate_limit_retry_after = 2
            raise TooManyRequests("concurrent")
        g.webdig_client_slot = token

    @app.teardown_request
    def release_slots(_: BaseException | None) -> None:
        token = g.pop("webdig_client_slot", None)
        if token is not None:
            store.release(token)
        if g.pop("webdig_worker_slot", False) and slots is not None:
            slots.give()


class _WorkerSlots:
    """This worker's look-up slots: taken without waiting, given back after the request.

    A count under a lock: ``threading.BoundedSemaphore`` is written in Python around a
    condition variable, several times the work for the same answer.
    """

    def __init__(self, count: int) -> None:
        self._lock = threading.Lock()
        self._free = count

    def take(self) -> bool:
        """Take a slot if one is free (never waits)."""
        with self._lock:
            if self._free <= 0:
                return False
            self._free -= 1
            return True

    def give(self) -> None:
        """Give a taken slot back."""
        with self._lock:
            self._free += 1


class _WorkerSlot:
    """One of this worker's look-up slots (any number when ``slots`` is None), once taken."""

    def __init__(self, slots: _WorkerSlots | None) -> None:
        self._slots = slots
        self.taken = False

    def take(self) -> bool:
        """Take a slot if one is free (never waits)."""
        self.taken = self._slots is None or self._slots.take()
        return self.taken


def _own_resolver(settings: Settings) -> tuple[str, int] | None:
    try:
        server = own_resolver(settings)
    except InputError:  # a WEBDIG_RESOLVER look-ups will refuse anyway: nothing to exempt
        return None
    return server.address, server.port


_MESSAGES = {
    "look-ups": N_(
        "Too many look-ups from your network in a short time. Please wait a little and try again."
    ),
    "concurrent": N_(
        "You already have several look-ups running. Please wait for them to finish, then try again."
    ),
    "rate_limit_decode": N_(
        "Too many pasted texts from your network in a short time. "
        "Please wait a little and try again."
    ),
    "rate_limit_save": N_(
        "Too many results saved from your network in a short time. "
        "Please wait a little and try again."
    ),
    "rate_limit_save_kb": N_(
        "Your network has saved as many results as webdig keeps for one visitor in a day. "
        "Links saved before still work; please save again later."
    ),
}
_BUSY = N_("webdig is busy right now. Please try again in a few seconds.")


def enforce(config_key: str, *, cost: int = 1) -> None:
    """Count this request (``cost`` units) against the per-client limits named by
    ``config_key`` (such as ``RATE_LIMIT_SAVE``); over one of them, raise 429 as the
    look-up limits do."""
    counter: RateCounter | None = current_app.extensions.get(_COUNTER)
    if counter is None:  # limits turned off
        return
    key = client_key()
    limits = parse_limits(current_app.config[config_key])
    wait = counter.admit([(item, (config_key.lower(), key)) for item in limits], cost=cost)
    if wait is not None:
        g.rate_limit_retry_after = wait
        raise TooManyRequests(config_key.lower())


def _too_many(error: HTTPException) -> Response:
    wording = _BUSY if isinstance(error, Busy) else _MESSAGES.get(str(error.description), _BUSY)
    message = gettext(wording)  # in the reader's language
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "fields": {}})
    elif wants_text():
        response = Response(message + "\n", mimetype="text/plain")
    else:
        # A person is told how long "a little" is (the API and curl have Retry-After).
        said = f"{message} {_wait_words(int(g.get('rate_limit_retry_after', 60)))}"
        response = Response(
            render_template("errors/error.html", title=gettext("Slow down"), message=said)
        )
    response.status_code = error.code or 429
    response.headers["Retry-After"] = str(g.get("rate_limit_retry_after", 60))
    return response


def _wait_words(seconds: int) -> str:
    """``You can try again in 40 seconds.`` (minutes from two minutes on)."""
    if seconds < 120:
        return str(
            ngettext(
                "You can try again in %(num)s second.",
                "You can try again in %(num)s seconds.",
                seconds,
            )
        )
    minutes = -(-seconds // 60)
    return str(
        ngettext(
            "You can try again in %(num)s minute.", "You can try again in %(num)s minutes.", minutes
        )
    )
