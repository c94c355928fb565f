"""The page that says in words why a request was not served, with its HTTP status."""

from __future__ import annotations

from flask import render_template

from webdig.web import csrf


def error_page(
    status: int, title: str, message: str, *, back_to_check: bool = False
) -> tuple[str, int]:
    """``message`` under ``title`` with ``status``; ``back_to_check`` links back to /check."""
    csrf.forget()  # an error page has no form to protect
    page = render_template(
        "errors/error.html", title=title, message=message, back_to_check=back_to_check
    )
    return page, status
