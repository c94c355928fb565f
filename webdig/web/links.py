"""Shareable links: a page's URL whose query string runs the same look-up or check again.

The page URL is the shareable result (the product's first rule), so every
such link, on the pages and in the API's ``share_url``, is built here.
Links are built from configuration, never from the request's Host: with
``WEBDIG_PUBLIC_URL`` (for example ``https://webdig.example``) they are
absolute on that origin, with Flask's ``SERVER_NAME`` on that name, and
otherwise relative (the page's script completes the copy box from the
address the browser itself shows).  A ``Host`` or ``X-Forwarded-Host``
header a client sent never ends up in a link.
"""

from __future__ import annotations

from flask import current_app, url_for

from webdig.lookup.params import LookupParams
from webdig.renewal.question import CheckQuestion


def share_url(endpoint: str, query_string: str, *, external: bool = True) -> str:
    """``endpoint``'s URL with ``query_string``; on the configured origin if ``external``."""
    origin = public_origin() if external else ""
    return f"{origin}{url_for(endpoint)}?{query_string}"


def public_origin() -> str:
    """``scheme://host`` of this webdig as configured, or "" (links stay relative)."""
    config = current_app.config
    public = str(config.get("PUBLIC_URL") or "").strip()
    if public:
        return public.rstrip("/")
    server_name = config.get("SERVER_NAME")
    if server_name:
        return f"{config.get('PREFERRED_URL_SCHEME', 'http')}://{server_name}"
    return ""


def lookup_url(params: LookupParams) -> str:
    """The look-up page running ``params`` again: what a user sends to their hosting support."""
    return share_url("pages.lookup_page", params.query_string())


def lookup_json_url(params: LookupParams) -> str:
    """The API's answer to the same look-up (relative: it is linked from the page)."""
    return share_url("api.lookup_view", params.query_string(), external=False)


def check_url(question: CheckQuestion) -> str:
    """The check page asking ``question`` again."""
    return share_url("check.check_page", question.query_string())


def check_json_url(question: CheckQuestion) -> str:
    """The API's answer to the same check (relative: it is linked from the page)."""
    return share_url("api.check_view", question.query_string(), external=False)


def watch_url(query_string: str) -> str:
    """``/watch`` asking the same look-up or check again until it is fixed (relative: it is
    linked from the result page)."""
    return share_url("watch.watch_page", query_string, external=False)
