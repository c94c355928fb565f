"""The JSON API: ``/api/v1/lookup`` and ``/api/v1/check`` (the pages as data), and their
OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from webdig.lookup import run as lookup
from webdig.lookup.params import from_values
from webdig.output.jsonbody import errors_to_json, outcome_to_json
from webdig.renewal.failuretext import TextTooLong
from webdig.renewal.question import CheckQuestion
from webdig.web import checkpage, failurepaste, links, lookuppage, openapi
from webdig.web.appstate import current_settings
from webdig.web.language import current_translator
from webdig.web.ratelimits import request_context

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/lookup")
def lookup_view() -> dict[str, Any]:
    """Run the look-up described by the query string (the page's parameters) as JSON."""
    params = from_values(request.args)
    error = getattr(request, "pasted_error", None)
    if error is not None:
        raise lookup.InvalidParams({"hostnames": [error.message]})
    outcome = lookup.lookup(params, current_settings(), request_context())
    outcome.notes[:0] = lookuppage.pasted_notes()
    # message follows lang / Accept-Language; code, level and params never change with it.
    share_url = links.lookup_url(params)
    return outcome_to_json(outcome, share_url=share_url, translations=current_translator())


@bp.get("/check")
def check_view() -> dict[str, Any]:
    """Run the renewal checklist for the names in ``domain`` (against ``expected``) as JSON;
    with ``error`` (a failure text) or ``cause`` (its code), what it says comes as ``decoded``."""
    decoded = failurepaste.query_failure()
    question = CheckQuestion.from_values(request.args).with_failure(decoded)
    report = checkpage.run(question)
    # message follows lang / Accept-Language; code, level and params never change with it.
    return checkpage.answer_json(report, question, decoded, translations=current_translator())


@bp.errorhandler(TextTooLong)
def text_too_long(error: TextTooLong) -> tuple[dict[str, Any], int]:
    """An ``error=`` text longer than a link may carry: 413, and where to send it instead."""
    message = current_translator().text(error.message)
    return errors_to_json({"error": [message]}), 413


@bp.errorhandler(lookup.InvalidParams)
def invalid_params(error: lookup.InvalidParams) -> tuple[dict[str, Any], int]:
    """Answer invalid input with 400 and the messages by field (nothing was sent), in ``lang``."""
    return errors_to_json(error.fields, current_translator()), 400


@bp.get("/openapi.json")
def openapi_json() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this API."""
    return openapi.document(current_settings())
