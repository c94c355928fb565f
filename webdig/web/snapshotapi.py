"""The snapshot API: ``POST /api/v1/snapshots`` runs a look-up or check and saves it;
``GET /api/v1/snapshots/<id>`` reads it back.

The POST takes a JSON object (``Content-Type: application/json``, which no form on
another site can send without a CORS preflight that webdig never grants) holding the
page's parameters: strings as in the query string, lists for several values, booleans
for the ``on`` options.  Saving counts against the look-up limits and its own stricter
per-client budget (``WEBDIG_RATE_LIMIT_SAVE``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import UnsupportedMediaType

from webdig.lookup.run import InvalidParams
from webdig.output.jsonbody import errors_to_json
from webdig.storage.snapshots import SnapshotTooLarge, StorageFull, StorageUnavailable
from webdig.web import ratelimits
from webdig.web.language import current_translator
from webdig.web.saving import FULL, UNAVAILABLE, UNREADABLE, describe, run_and_save
from webdig.web.snapshotstore import current_store

bp = Blueprint("snapshot_api", __name__, url_prefix="/api/v1")

NOT_FOUND = (
    "No saved result has this id. Check the link; saved results are deleted after {days} days."
)


@bp.post("/snapshots")
def create_snapshot() -> tuple[Response, int] | tuple[Response, int, dict[str, str]]:
    """Run the look-up (or, with ``domain``, the check) in the JSON body and save it: 201."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the parameters as JSON (Content-Type: application/json).")
    ratelimits.enforce("RATE_LIMIT_SAVE")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("The body must be a JSON object of look-up or check parameters.", 400)
    snapshot = run_and_save(_as_query_values(body))
    document = describe(snapshot, with_result=True)
    return jsonify(document), 201, {"Location": document["api_url"]}


@bp.get("/snapshots/<snapshot_id>")
def get_snapshot(snapshot_id: str) -> Response | tuple[Response, int]:
    """A saved result: its id, times, version, links, the result as the API returned it,
    and its raw DNS replies (base64)."""
    snapshot = current_store().load(snapshot_id)
    if snapshot is None:
        return _error(NOT_FOUND.format(days=_days()), 404)
    return jsonify(describe(snapshot, with_result=True))


def _as_query_values(body: dict[str, Any]) -> dict[str, str]:
    """JSON values as the query string would carry them: lists one per line, ``true`` as ``on``."""
    values: dict[str, str] = {}
    for name, value in body.items():
        if isinstance(value, bool):
            if value:
                values[name] = "on"
        elif isinstance(value, list):
            values[name] = "\n".join(str(item) for item in value)
        elif value is not None:
            values[name] = str(value)
    return values


def _days() -> str:
    return f"{current_store().days:g}"


def _error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"error": message, "fields": {}}), status


@bp.errorhandler(InvalidParams)
def invalid_params(error: InvalidParams) -> tuple[Response, int]:
    """Invalid input: 400 with the messages by field (nothing was sent or saved)."""
    return jsonify(errors_to_json(error.fields, current_translator())), 400


@bp.errorhandler(StorageUnavailable)
def unavailable(error: StorageUnavailable) -> tuple[Response, int, dict[str, str]]:
    """The database is down, read-only or full, or the quota is: 503, while look-ups go on."""
    message = UNAVAILABLE if request.method == "POST" else UNREADABLE
    if isinstance(error, StorageFull):
        message = FULL
    return jsonify({"error": message, "fields": {}}), 503, {"Retry-After": "60"}


@bp.errorhandler(SnapshotTooLarge)
def too_large(error: SnapshotTooLarge) -> tuple[Response, int]:
    """The result is too large to keep: 413, with the sizes."""
    return _error(
        f"This result is too large to save ({error.size // 1024} KB compressed; at most "
        f"{error.limit // 1024} KB). Ask fewer hostnames or servers at once.",
        413,
    )


@bp.errorhandler(UnsupportedMediaType)
def not_json(error: UnsupportedMediaType) -> tuple[Response, int]:
    """A body that is not declared as JSON: 415."""
    return _error(str(error.description), 415)
