"""Rate limits: per client, per target nameserver, and for the whole app.

Flask-Limiter does the counting.  Counts live in memory by default and in
Redis when ``REDIS_URL`` is set, so every gunicorn worker and every PaaS
instance shares them.  If Redis goes down, webdig keeps serving with
per-process in-memory counts (``in_memory_fallback_enabled``) rather than
refusing everyone or counting nothing, and logs the storage error.

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

from flask import Flask, Response, jsonify, render_template, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from limits import parse
from werkzeug.middleware.proxy_fix import ProxyFix

DEFAULTS: dict[str, Any] = {
    "RATE_LIMIT_CLIENT": "30/minute;300/hour",
    "RATE_LIMIT_APP": "600/minute",
    "RATE_LIMIT_TARGET": "120/minute",
    "TRUSTED_PROXIES": 0,
}


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
    """Set up ProxyFix and the limiter on ``app``; limit the ``limited`` blueprints.

    Returns the per-target gate: ``gate(address)`` is False once webdig has
    sent too many queries to that nameserver address.
    """
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    redis_url = app.config.get("REDIS_URL") or os.environ.get("REDIS_URL")
    limiter = Limiter(
        client_key,
        app=app,
        storage_uri=redis_url or "memory://",
        storage_options={"socket_connect_timeout": 1, "socket_timeout": 1} if redis_url else {},
        application_limits=[app.config["RATE_LIMIT_APP"]],
        headers_enabled=True,
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        key_prefix="webdig",
        retry_after="delta-seconds",
        enabled=not app.config.get("RATE_LIMIT_DISABLED", False),
    )
    for blueprint in limited:
        limiter.limit(app.config["RATE_LIMIT_CLIENT"])(blueprint)
    app.register_error_handler(429, _too_many)
    target_limit = parse(app.config["RATE_LIMIT_TARGET"])

    def gate(address: str) -> bool:
        if not limiter.enabled:
            return True
        try:
            return bool(limiter.limiter.hit(target_limit, "target", address))
        except Exception:
            app.logger.exception("rate-limit storage unavailable; not counting targets")
            return True

    return gate


def _too_many(error: RateLimitExceeded) -> Response:
    message = (
        "Too many look-ups from your network in a short time "
        f"(limit: {error.description}). Please wait a little and try again."
    )
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "fields": {}})
    elif request.args.get("format") == "text" or request.accept_mimetypes.best == "text/plain":
        response = Response(message + "\n", mimetype="text/plain")
    else:
        response = Response(
            render_template("errors/error.html", title="Slow down", message=message)
        )
    # Flask-Limiter adds Retry-After and X-RateLimit-* to this response.
    response.status_code = 429
    return response
