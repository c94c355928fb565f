"""A pasted renewal failure on the web: the check page's paste box (``POST /check/decode``,
answered with a 303 to the shareable ``/check?domain=…&cause=…``), ``POST /api/v1/decode``,
and ``error=``/``cause=`` in the query string of ``/check`` and ``/api/v1/check``.

Decoding sends nothing anywhere (:mod:`webdig.renewal.failuretext` is pure text work), so
these POSTs do not count against the look-up limits (the check the redirect opens does), but
reading 100,000 characters takes a CPU up to a few hundred milliseconds: they have a per-client
budget of their own, ``WEBDIG_RATE_LIMIT_DECODE``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, jsonify, redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import TextAreaField

from webdig.lookup.fielderrors import InvalidParams
from webdig.output.jsonbody import decoded_to_json, errors_to_json
from webdig.renewal.failuretext import (
    MAX_QUERY_TEXT,
    MAX_TEXT,
    Decoded,
    TextTooLong,
    read_failure,
    to_text,
)
from webdig.renewal.question import CheckQuestion
from webdig.web import csrf, links, ratelimits
from webdig.web.errorpage import error_page
from webdig.web.language import current_translator
from webdig.web.plannedform import PlannedForm
from webdig.web.schemaparts import ref

bp = Blueprint("failure", __name__)

BODY_LIMIT = 12 * MAX_TEXT + 16_384
"""Bytes a POST may carry: :data:`MAX_TEXT` characters form-encoded (a 4-byte character is
12 bytes as %XX%XX%XX%XX) or JSON-escaped (a surrogate pair of \\uXXXX), and the rest."""


class FailureForm(PlannedForm):
    """The paste box: the mail or error text, POSTed (mails are too long for a URL).

    A POST, but no WTForms CSRF: :mod:`webdig.web.csrf`'s double-submit token, the save
    button's, goes with it in the template.
    """

    error = TextAreaField(
        _l("Paste the failure mail or error message"),
        description=_l(
            "The whole mail from your hosting company, or the error Let's Encrypt or your "
            "ACME client printed. webdig says which item of the checklist it means and "
            "checks the domain it names. Nothing you paste is stored."
        ),
        render_kw={"spellcheck": "false", "rows": "5"},
    )


def paste_form(errors: list[str] | None = None) -> FailureForm:
    """An empty paste box, with ``errors`` next to it."""
    form = FailureForm()
    if errors:
        form.add_errors({"error": errors})
    return form


def query_failure() -> Decoded | None:
    """What this request's ``error=`` (at most :data:`MAX_QUERY_TEXT` characters) or else
    ``cause=`` says; raises :class:`TextTooLong` or ``InvalidParams`` as
    :func:`~webdig.renewal.failuretext.read_failure` does."""
    return read_failure(request.args.get("error"), request.args.get("cause"), limit=MAX_QUERY_TEXT)


def cause_code(decoded: Decoded | None) -> str | None:
    """The ``cause=`` value of a link to the check that ``decoded`` started."""
    return to_text(decoded.cause) if decoded is not None else None


def too_long_message(error: TextTooLong | RequestEntityTooLarge) -> str:
    """Why the text was refused, in the reader's language."""
    if isinstance(error, TextTooLong):
        return current_translator().text(error.message)
    return str(
        _(
            "The text is too long: at most %(limit)s characters are read. Paste only the "
            "mail's text or the error message, not its HTML source or attachments.",
            limit=MAX_TEXT,
        )
    )


def _limit_body() -> None:
    # Set before anything reads the body: werkzeug then refuses a larger one with 413.
    request.max_content_length = BODY_LIMIT
    request.max_form_memory_size = BODY_LIMIT


@bp.post("/api/v1/decode")
def decode_api() -> Response | tuple[Response, int]:
    """Read a failure mail or ACME error (JSON ``{"text": …}``): its cause, item and domain."""
    _limit_body()
    ratelimits.enforce("RATE_LIMIT_DECODE")
    if not request.is_json:
        raise UnsupportedMediaType("Send the text as JSON (Content-Type: application/json).")
    body = request.get_json(silent=True)
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        message = "The body must be a JSON object with the mail or error text as “text”."
        return jsonify({"error": message, "fields": {"text": [message]}}), 400
    try:
        decoded = read_failure(text, None, limit=MAX_TEXT)
    except TextTooLong as exc:
        return _json_too_long(exc)
    assert decoded is not None  # the text is not empty
    return jsonify({**decoded_to_json(decoded, current_translator()), "check_url": _url(decoded)})


@bp.post("/check/decode")
def paste() -> WerkzeugResponse | tuple[str, int]:
    """The paste box's POST: decode the text, then 303 to the check of the domain it names."""
    _limit_body()
    if csrf.refusal() is not None:
        return _error_page(403, _("Not read"), _expired())
    ratelimits.enforce("RATE_LIMIT_DECODE")
    try:
        decoded = read_failure(request.form.get("error", ""), None, limit=MAX_TEXT)
    except TextTooLong as exc:
        return _error_page(413, _("Too long"), too_long_message(exc))
    if decoded is None:
        message = _("Paste the mail or the error message into the box first.")
        return _error_page(400, _("Nothing to read"), message)
    # The check the box was on, asked about the domain the text names (else its own names).
    try:
        asked = CheckQuestion.from_values(request.form)
    except InvalidParams:  # a cause= no page of webdig's sends
        return _error_page(400, _("Not read"), _expired())
    domains = (decoded.domain,) if decoded.domain else asked.domains
    query = replace(asked, domains=domains, cause=decoded.cause).query_string()
    lang = request.form.get("lang")
    if lang in ("ja", "en"):
        query += f"&lang={lang}"
    target = links.share_url("check.check_page", query, external=False)
    return redirect(target + ("#results" if domains else "#decoded"), 303)


def _expired() -> str:
    return str(
        _(
            "This form has expired or was sent from another website. Reload the check page "
            "and paste the text again."
        )
    )


def _error_page(status: int, title: str, message: str) -> tuple[str, int]:
    return error_page(status, title, message, back_to_check=True)


def _url(decoded: Decoded) -> str | None:
    if decoded.domain is None:
        return None
    return links.check_url(CheckQuestion((decoded.domain,), cause=decoded.cause))


def _json_too_long(error: TextTooLong | RequestEntityTooLarge) -> tuple[Response, int]:
    return jsonify(errors_to_json({"error": [too_long_message(error)]})), 413


@bp.errorhandler(RequestEntityTooLarge)
def body_too_large(error: RequestEntityTooLarge) -> tuple[Response, int] | tuple[str, int]:
    """A body over :data:`BODY_LIMIT`: 413 with what to paste instead."""
    if request.path.startswith("/api/"):
        return _json_too_long(error)
    return _error_page(413, _("Too long"), too_long_message(error))


@bp.errorhandler(UnsupportedMediaType)
def not_json(error: UnsupportedMediaType) -> tuple[Response, int]:
    """A body not declared as JSON: 415."""
    message = str(error.description)
    return jsonify({"error": message, "fields": {}}), 415


def api_document() -> dict[str, Any]:
    """``POST /api/v1/decode`` in the OpenAPI document."""
    return {
        "post": {
            "operationId": "decode",
            "summary": "Read a renewal failure mail or ACME error",
            "description": "Names the cause, the checklist item it points at, the hosting "
            "company and the domain the text mentions. Known: ACME problem types (dns, caa, "
            "connection, unauthorized, rateLimited) and Let's Encrypt's messages, and the "
            "renewal mails of Xserver, Sakura and ConoHa. Anything else is not-recognised, "
            "never a guess. Nothing is looked up or stored; check_url runs the check.",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("DecodeRequest")}},
            },
            "responses": {
                "200": {
                    "description": "The text, read (not-recognised is an answer, not an error).",
                    "content": {"application/json": {"schema": ref("DecodeResponse")}},
                },
                "400": _error_response("No text, or not a JSON object with text."),
                "413": _error_response(f"The text is longer than {MAX_TEXT} characters."),
                "415": _error_response("The body is not declared as application/json."),
            },
        }
    }


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}
