"""The POST forms' protection against cross-site requests, without sessions: the "save"
button's and the check page's paste box's.

webdig keeps no session, so the forms use a *double-submit* token: pages with such a
form (result pages, and ``/check``) set a random value in a ``SameSite=Strict`` cookie,
and the form carries that value signed with the app's secret key in a hidden field.
A POST is accepted only when the field matches the cookie, and when the browser
does not say it comes from another site (``Origin`` of another host, or
``Sec-Fetch-Site`` other than ``same-origin``).  Another site can neither read the
cookie nor make the browser send it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from flask import Response, current_app, g, request

COOKIE = "webdig_csrf"
FIELD = "csrf_token"
COOKIE_DAYS = 7


def form_token() -> str:
    """The hidden field's value for this page; the cookie is set with the response."""
    value = request.cookies.get(COOKIE, "")
    if len(value) < 32:
        value = g.get("csrf_cookie") or secrets.token_urlsafe(32)
        g.csrf_cookie = value
    return _sign(value)


def set_cookie(response: Response) -> Response:
    """Set the token's cookie on a result page's response, when this page made a new one."""
    value = g.get("csrf_cookie")
    if value:
        response.set_cookie(
            COOKIE,
            value,
            max_age=COOKIE_DAYS * 86400,
            path="/",
            secure=request.is_secure,
            httponly=True,
            samesite="Strict",
        )
    return response


def refusal() -> str | None:
    """Why this POST is refused (in words for the page), or None when it is ours."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return "This form was sent from another website."
    origin = request.headers.get("Origin")
    if origin is not None and (origin == "null" or urlsplit(origin).netloc != request.host):
        return "This form was sent from another website."
    cookie = request.cookies.get(COOKIE, "")
    field = request.form.get(FIELD, "")
    if not cookie or not field or not hmac.compare_digest(field, _sign(cookie)):
        return "This form has expired or did not come from this page."
    return None


def _sign(value: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def forget() -> None:
    """This response has no form to protect: set no token cookie after all."""
    g.pop("csrf_cookie", None)
