"""What changed: between two saved results (``/diff/<a>/<b>``, ``GET /api/v1/diff``), and
between a saved result and the servers' answer now ("Run again now": ``/r/<id>/again``).

Compared as data (:mod:`webdig.output.diff`): answers added and removed per hostname, type
and server, statuses, verdicts and findings; TTLs only with ``ttl=on``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import gettext as _

from webdig.lookup import run as lookup
from webdig.output.diff import ResultDiff, diff_results, diff_to_json
from webdig.output.jsonbody import outcome_to_json, report_to_json
from webdig.output.replies import outcome_replies
from webdig.output.restore import finding_from_json, params_from_json, question_from_json
from webdig.renewal.checklist import check_question
from webdig.storage.snapshots import SnapshotKind, StorageUnavailable
from webdig.web import checkpage, links, lookuppage, security
from webdig.web.appstate import current_context, current_settings
from webdig.web.errorpage import error_page
from webdig.web.savebutton import save_form
from webdig.web.saving import UNREADABLE, describe
from webdig.web.snapshotpage import banner, load_or_error_page, render_saved
from webdig.web.snapshotstore import current_store

bp = Blueprint("diffs", __name__)
api_bp = Blueprint("diff_api", __name__, url_prefix="/api/v1")


def with_ttl() -> bool:
    """``ttl=on``: list TTL changes too."""
    return request.args.get("ttl", "").lower() in ("on", "1", "true")


@api_bp.get("/diff")
def diff_api() -> Response | tuple[Response, int]:
    """What changed from snapshot ``a`` to snapshot ``b``."""
    try:
        pair = [current_store().load(request.args.get(name, "")) for name in ("a", "b")]
    except StorageUnavailable:
        return jsonify({"error": UNREADABLE, "fields": {}}), 503
    missing = {
        name: ["No saved result has this id."]
        for name, found in zip(("a", "b"), pair, strict=True)
        if found is None
    }
    first, second = pair
    if first is None or second is None:
        return jsonify({"error": "No saved result has this id.", "fields": missing}), 404
    if first.kind is not second.kind:
        message = "A look-up and a renewal check cannot be compared."
        return jsonify({"error": message, "fields": {}}), 400
    diff = diff_results(first.body, second.body, ttl=with_ttl())
    return jsonify(
        {
            "a": describe(first, with_result=False),
            "b": describe(second, with_result=False),
            **diff_to_json(diff),
        }
    )


@bp.get("/diff/<first_id>/<second_id>")
def diff_page(first_id: str, second_id: str) -> str | tuple[str, int]:
    """What changed from one saved result to another, in words."""
    loaded = load_or_error_page(first_id, second_id)
    if isinstance(loaded, tuple):
        return loaded
    first, second = loaded
    if first.kind is not second.kind:
        return error_page(
            400, _("Not comparable"), _("A look-up and a renewal check cannot be compared.")
        )
    diff = diff_results(first.body, second.body, ttl=with_ttl())
    return render_template(
        "snapshots/diff.html",
        first=banner(first),
        second=banner(second),
        changes=changes(diff, banner(first)["when"]),
    )


@bp.get("/r/<snapshot_id>/again")
def run_again(snapshot_id: str) -> str | tuple[str, int]:
    """The question of a saved result asked again now, with what changed since."""
    loaded = load_or_error_page(snapshot_id)
    if isinstance(loaded, tuple):
        return loaded
    (snapshot,) = loaded
    if security.held():
        # Another site sent the browser here: show what was saved, ask nothing yet.
        return render_saved(snapshot, again_held=True)
    settings, context = current_settings(), current_context()
    since = banner(snapshot)["when"]
    if snapshot.kind is SnapshotKind.CHECK:
        question = question_from_json(snapshot.body)
        report = check_question(question, settings, context)
        live = report_to_json(report, share_url=None)
        found = changes(diff_results(snapshot.body, live, ttl=with_ttl()), since)
        body, _status = checkpage.render_check(report, question, changes=found)
        return body
    params = params_from_json(snapshot.body["query"])
    outcome = lookup.lookup(params, settings, context)
    live = outcome_to_json(outcome, share_url=links.lookup_url(params))
    found = changes(diff_results(snapshot.body, live, ttl=with_ttl()), since)
    save = save_form(parse_qsl(params.query_string()))
    return lookuppage.render_data(live, outcome_replies(outcome), changes=found, save=save)


def changes(diff: ResultDiff, since: str) -> dict[str, Any]:
    """What a page's "what changed" section needs: the diff, its findings as findings, and
    when the earlier result was seen."""
    return {
        "diff": diff,
        "since": since,
        "added": [finding_from_json(f) for f in diff.findings_added if "code" in f],
        "removed": [finding_from_json(f) for f in diff.findings_removed if "code" in f],
    }
