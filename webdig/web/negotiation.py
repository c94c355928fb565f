"""Which form of a page the client asked for: HTML, or plain text for curl and scripts."""

from __future__ import annotations

from flask import request

TEXT_FORMATS = ("text", "txt", "plain")
"""``format=`` values that ask for plain text."""


def wants_text() -> bool:
    """``format=text``, or an Accept header that prefers text/plain to HTML."""
    if request.args.get("format", "").strip().lower() in TEXT_FORMATS:
        return True
    accept = request.accept_mimetypes
    return accept.quality("text/plain") > accept.quality("text/html")
