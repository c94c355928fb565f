"""Rate limits: per client, per target nameserver, and for the whole app.

:class:`~webdig.web.ratecounter.RateCounter` does the counting, in memory by
default and in Redis when ``REDIS_URL`` is set, so every gunicorn worker and
every PaaS instance shares the counts.  If Redis goes down, webdig keeps
serving with per-process in-memory counts rather than refusing everyone or
counting nothing, and logs the storage error.

The counting is a few dictionary updates per request: Flask-Limiter did the
same job with about a third of a look-up's CPU time (bench/lookup_throughput.py).

The client is ``request.remote_addr`` after ``ProxyFix`` trusted exactly
``WEBDIG_TRUSTED_PROXIES`` hops of ``X-Forwarded-For`` (default 0: the
header is ignored, as anyone can send it).  IPv6 clients are counted per
/64, the smallest network a user usually controls.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from webdig.web.negotiation import wants_text
from webdig.web.ratecounter import RateCounter, parse_limits
from webdig.web.security import held


def client_key() -> str:
    """The rate-limit key of the client: its IPv4 address, or its IPv6 /64."""
    address = request.remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def install(app: Flask, limited: list[Any]) -> Callable[[str], bool]:
    """Set up ProxyFix and the rate limits on ``app``; limit the ``limited`` blueprints.

    Returns the per-target gate: ``gate(address)`` is False once webdig has
    sent too many queries to that nameserver address.
    """
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        # X-Forwarded-Host is not trusted: no link is built from the request's host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.register_error_handler(429, _too_many)
    if app.config["RATE_LIMIT_DISABLED"]:
        return lambda address: True
    redis_url = app.config.get("REDIS_URL") or os.environ.get("REDIS_URL")

    def storage_failed(exc: Exception) -> None:
        app.logger.error("rate-limit storage unavailable, counting in memory: %s", exc)

    counter = RateCounter(redis_url, on_error=storage_failed)
    whole_app = [(item, ("app",)) for item in parse_limits(app.config["RATE_LIMIT_APP"])]
    per_client = parse_limits(app.config["RATE_LIMIT_CLIENT"])
    target_limit = parse_limits(app.config["RATE_LIMIT_TARGET"])[0]
    names = {blueprint.name for blueprint in limited}

    @app.before_request
    def count_request() -> None:
        if request.blueprint not in names or held():
            return  # a held request shows the form and sends nothing
        key = client_key()
        checks = [*whole_app, *((item, ("client", key)) for item in per_client)]
        for item, identifiers in checks:
            if not counter.hit(item, *identifiers):
                g.rate_limit_retry_after = counter.retry_after(item, *identifiers)
                raise TooManyRequests(str(item))

    def gate(address: str) -> bool:
        return counter.hit(target_limit, "target", address)

    return gate


def _too_many(error: TooManyRequests) -> Response:
    message = (
        "Too many look-ups from your network in a short time "
        f"(limit: {error.description}). Please wait a little and try again."
    )
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "fields": {}})
    elif wants_text():
        response = Response(message + "\n", mimetype="text/plain")
    else:
        response = Response(
            render_template("errors/error.html", title="Slow down", message=message)
        )
    response.status_code = 429
    response.headers["Retry-After"] = str(g.get("rate_limit_retry_after", 60))
    return response
