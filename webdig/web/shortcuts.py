"""digwebinterface's path shortcut: ``/<host>/<type>/<nameserver>`` redirects to the query URL.

digwebinterface answers ``/www.example.com/A/ns1.example.com`` with a
redirect to its canonical query (``ns=self``), and people share such
links.  webdig does the same with a permanent redirect, so the page that
answers is the one whose URL holds the whole form.  ``/<host>/<type>`` and
``/<host>`` ask the default resolver.  Only a first segment with a dot is a
host, and never a file name such as ``robots.txt``: those stay 404s.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request, url_for

from webdig.lookup.params import from_values

bp = Blueprint("shortcuts", __name__)

FILE_SUFFIXES = frozenset(
    {"txt", "ico", "png", "jpg", "jpeg", "gif", "svg", "webp", "xml", "json", "webmanifest",
     "html", "htm", "php", "asp", "aspx", "jsp", "cgi", "js", "css", "env", "bak", "sql", "zip",
     "gz", "tar", "ini", "yml", "yaml", "git"}
)  # fmt: skip
"""Endings of the files crawlers and scanners ask for (none is a top-level domain):
such a path is a missing file, never a hostname."""


@bp.get("/<host>")
@bp.get("/<host>/<rdtype>")
@bp.get("/<host>/<rdtype>/<nameserver>")
def shortcut(host: str, rdtype: str = "", nameserver: str = "") -> Response:
    """Redirect (301) a path shortcut to the canonical look-up URL."""
    if "." not in host.strip(".") or host.rsplit(".", 1)[1].lower() in FILE_SUFFIXES:
        abort(404)
    # The query string's options (short=on, expected=…) ride along.
    given = {name: request.args.get(name, "") for name in request.args}
    given["hostnames"] = host
    if rdtype:
        given["type"] = rdtype
    if nameserver:
        given.update(ns="self", nameservers=nameserver)
    params = from_values(given)
    target = f"{url_for('pages.lookup_page')}?{params.query_string()}"
    return redirect(target, 301)  # type: ignore[return-value]
