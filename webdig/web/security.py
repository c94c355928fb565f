"""Response headers and request checks that make a public webdig safe to host.

- A strict Content-Security-Policy: scripts and styles only from our own
  ``/static``, no inline script, no framing.
- Requests that arrive as *cross-site subresources* (an ``<img>`` or
  ``fetch()`` on another site) are refused, so other sites cannot turn their
  visitors into webdig query generators.  Top-level navigations (a shared
  link) stay allowed.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from flask.sessions import SessionInterface

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "interest-cohort=()",
}


def is_cross_site_subresource() -> bool:
    """True for a request another site's page made without the user navigating here."""
    site = request.headers.get("Sec-Fetch-Site", "")
    mode = request.headers.get("Sec-Fetch-Mode", "")
    return site == "cross-site" and mode != "navigate"


class NoSessions(SessionInterface):
    """webdig keeps nothing per visitor: no session cookie is read or set."""

    def open_session(self, app: Flask, request: Any) -> None:
        """No session: Flask falls back to its read-only null session."""
        return None

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Nothing to save."""
        return None


def install(app: Flask) -> None:
    """Add the security headers and the cross-site check to ``app``; turn sessions off."""
    app.session_interface = NoSessions()

    @app.before_request
    def refuse_cross_site_subresources() -> tuple[str, int, dict[str, str]] | None:
        if request.endpoint in ("health.healthz", "static"):
            return None
        if is_cross_site_subresource():
            return (
                "webdig does not answer look-ups embedded in other sites; "
                "open the link directly.\n",
                403,
                {"Content-Type": "text/plain; charset=utf-8"},
            )
        return None

    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
