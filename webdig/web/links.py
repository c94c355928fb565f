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

from collections.abc import Sequence
from urllib.parse import urlencode

from flask import current_app, url_for

from webdig.lookup.params import LookupParams
from webdig.renewal.report import RenewalReport


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


def check_query_string(
    domains: str | Sequence[str],
    expected: Sequence[str],
    *,
    only: bool = False,
    cause: str | None = None,
    method: str = "",
) -> str:
    """The canonical query string of a renewal check (without ``?``): ``domain`` once per name;
    ``cause`` is the short code of a pasted failure mail or error, never the text itself."""
    names = [domains] if isinstance(domains, str) else list(domains)
    items = [("domain", name) for name in names]
    if expected:
        items.append(("expected", " ".join(expected)))
    if only:
        items.append(("only", "on"))
    if cause:
        items.append(("cause", cause))
    if method and method != "auto":
        items.append(("method", method))
    return urlencode(items)


def check_url(
    domains: str | Sequence[str],
    expected: Sequence[str],
    *,
    only: bool = False,
    cause: str | None = None,
    method: str = "",
) -> str:
    """The check page running this check again."""
    query = check_query_string(domains, expected, only=only, cause=cause, method=method)
    return share_url("check.check_page", query)


def report_url(report: RenewalReport, expected: Sequence[str], cause: str | None = None) -> str:
    """The check page running ``report``'s check again: its names, ``only`` and method,
    with ``expected`` as typed (the report keeps the addresses it understood)."""
    return check_url(report.domains, expected, only=report.only, cause=cause, method=report.method)


def check_json_url(
    domains: str | Sequence[str],
    expected: Sequence[str],
    *,
    only: bool = False,
    cause: str | None = None,
    method: str = "",
) -> str:
    """The API's answer to the same check (relative: it is linked from the page)."""
    query = check_query_string(domains, expected, only=only, cause=cause, method=method)
    return share_url("api.check_view", query, external=False)


def watch_url(query_string: str) -> str:
    """``/watch`` asking the same look-up or check again until it is fixed (relative: it is
    linked from the result page)."""
    return share_url("watch.watch_page", query_string, external=False)
