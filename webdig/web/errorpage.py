"""The page that says in words why a request was not served, with its HTTP status."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from webdig.web import csrf
from webdig.web.negotiation import wants_text


def error_page(
    status: int, title: str, message: str, *, back_to_check: bool = False
) -> tuple[str, int]:
    """``message`` under ``title`` with ``status``; ``back_to_check`` links back to /check."""
    csrf.forget()  # an error page has no form to protect
    page = render_template(
        "errors/error.html", title=title, message=message, back_to_check=back_to_check
    )
    return page, status


def _not_found(error: NotFound) -> NotFound | tuple[str, int]:
    """A page nobody serves, for a person: the site's layout in their language, with a way
    back (werkzeug's own page has no styling, no phone layout and is English only).  The
    API, text clients and missing files keep werkzeug's short answer."""
    if (
        request.path.startswith(("/api/", "/static/"))
        or wants_text()
        or not request.accept_mimetypes.accept_html
    ):
        return error
    return error_page(
        404,
        _("Page not found"),
        _(
            "There is no page at this address. Check the link, or start again from "
            "the look-up form or the certificate renewal check."
        ),
    )


def install(app: Flask) -> None:
    """Answer a missing page with webdig's own page (see :func:`_not_found`)."""
    app.register_error_handler(NotFound, _not_found)
