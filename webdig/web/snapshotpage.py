"""Saved results on the web: ``/r/<id>.json`` (the stored JSON as the API gives it)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from webdig.web.saving import describe
from webdig.web.snapshotapi import NOT_FOUND
from webdig.web.snapshotstore import current_store

bp = Blueprint("snapshots", __name__)


@bp.get("/r/<snapshot_id>.json")
def snapshot_json(snapshot_id: str) -> Response | tuple[Response, int]:
    """The saved result as JSON, exactly as ``GET /api/v1/snapshots/<id>`` returns it."""
    snapshot = current_store().load(snapshot_id)
    if snapshot is None:
        days = f"{current_store().days:g}"
        return jsonify({"error": NOT_FOUND.format(days=days), "fields": {}}), 404
    return jsonify(describe(snapshot, with_result=True))
