"""Response headers and request checks that make a public webdig safe to host.

- A strict Content-Security-Policy: scripts and styles only from our own
  ``/static``, no inline script, no framing.
- No look-up runs because another site said so.  Requests from another
  site (``Sec-Fetch-Site: cross-site`` or ``same-site``) that arrive as
  subresources (``<img>``, ``fetch()``) or in frames (``<iframe>``,
  ``<embed>``, ``<object>``) get 403.  A top-level navigation the user did
  not make (a script or meta refresh on that site, a webmail redirector)
  shows the filled form with a "Run this look-up" button and sends no query;
  the API and plain text answer 403.  A link the user clicked
  (``Sec-Fetch-User: ?1``), typed or opened from a mail or chat app
  (``Sec-Fetch-Site: none``) runs as always.  Browsers that send no
  ``Sec-Fetch-*`` headers (curl, old browsers) are not judged.
- No request body larger than ``MAX_CONTENT_LENGTH`` is read (413): werkzeug would
  otherwise read a JSON body whole into memory, and spool a form's file parts to disk.
- A saved result (``/r/<id>``, its JSON, a diff of two) sends no query, so any top-level
  navigation shows it, however it came: a share link clicked in webmail often reaches
  webdig through the mail service's redirector, which the browser reports as another
  site's navigation without the person's click.  Frames and subresources still get 403.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask import Flask, Response, g, jsonify, request
from flask.sessions import SessionInterface
from flask_babel import gettext
from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge

from webdig.web.errorpage import error_page
from webdig.web.language import current_translator
from webdig.web.negotiation import wants_text

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

# Checked by werkzeug once here (Headers refuses a newline in a value), so that each
# response can take them as they are.
_BY_KEY = {name.lower(): (name, value) for name, value in Headers(HEADERS.items())}


FRAMES = frozenset({"iframe", "frame", "embed", "object", "fencedframe"})
"""``Sec-Fetch-Dest`` values of a document loaded inside another page."""
PAGES = frozenset({"pages.lookup_page", "check.check_page", "diffs.run_again", "watch.watch_page"})
"""Endpoints that can show their form (or, for "Run again now", the saved result) instead
of running a held request."""
HELD_SHOWS_SAVED = frozenset({"diffs.run_again"})
"""Of :data:`PAGES`, those that draw a saved result even when held: reading and drawing it
costs what opening it does (seconds for a large one), so it counts against the limits."""
SAVED = frozenset({"snapshots.snapshot_page", "snapshots.snapshot_json", "diffs.diff_page"})
"""Endpoints that show what was saved and send nothing: opened by any top-level navigation."""
_OPEN = frozenset({"health.healthz", "static"})


class Origin(StrEnum):
    """Who asked for this request, as far as the browser tells."""

    USER = "user"
    """Same origin, typed, bookmarked, clicked, or a client that sends no Sec-Fetch-*."""
    EMBEDDED = "embedded"
    """Another site's subresource or frame: refused."""
    SENT = "sent"
    """Another site navigated the browser here without the user's click: held."""


def request_origin() -> Origin:
    """Classify the current request by its ``Sec-Fetch-*`` headers."""
    # Read from the WSGI environ, where request.headers finds them too: its get() raises
    # and catches a KeyError for an absent header, and clients other than browsers send none.
    environ = request.environ
    site = environ.get("HTTP_SEC_FETCH_SITE", "")
    if site not in ("cross-site", "same-site"):
        return Origin.USER
    mode = environ.get("HTTP_SEC_FETCH_MODE", "")
    dest = environ.get("HTTP_SEC_FETCH_DEST", "")
    if mode != "navigate" or dest in FRAMES:
        return Origin.EMBEDDED
    if environ.get("HTTP_SEC_FETCH_USER", "") == "?1":
        return Origin.USER
    return Origin.SENT


def held() -> bool:
    """True when this page must show its filled form and wait for the user's own click."""
    return bool(g.get("webdig_held", False))


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
    app.register_error_handler(RequestEntityTooLarge, _too_large)

    @app.before_request
    def refuse_look_ups_from_other_sites() -> tuple[str, int, dict[str, str]] | None:
        origin = request_origin()
        if origin is Origin.USER:
            return None
        endpoint = request.endpoint
        if endpoint in _OPEN or (origin is Origin.SENT and endpoint in SAVED):
            return None
        if origin is Origin.SENT and endpoint in PAGES and not wants_text():
            g.webdig_held = True
            return None
        return (
            current_translator().gettext(
                "webdig does not run look-ups that another site starts; open the link yourself."
            )
            + "\n",
            403,
            {"Content-Type": "text/plain; charset=utf-8"},
        )

    @app.after_request
    def add_headers(response: Response) -> Response:
        # Those a view set itself stay.  (Not Headers.setdefault: it looks each name up
        # by raising and catching a KeyError, which costs more than the rest of this.)
        present = {name.lower() for name, _ in response.headers}
        # Appended to the header list directly: Headers.extend would check these constant
        # values again on every response (0.9% of an API look-up's instructions).
        response.headers._list.extend(pair for key, pair in _BY_KEY.items() if key not in present)
        return response


def _too_large(_error: RequestEntityTooLarge) -> tuple[Response, int] | tuple[str, int]:
    """A body over ``MAX_CONTENT_LENGTH``: 413, read no further (JSON for the API)."""
    message = gettext("This request is too large for webdig.")
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "fields": {}}), 413
    return error_page(413, gettext("Too large"), message)
