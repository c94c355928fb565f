"""Saved results on the web: the "Save a link to this result" button (``POST /save``),
the saved page ``/r/<id>`` under a "Seen on …" banner, and ``/r/<id>.json``.

A saved page is drawn by the same templates as a live one, from the stored JSON
and raw replies, in the viewer's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_timedelta
from flask import Blueprint, Response, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from webdig.lookup.run import InvalidParams
from webdig.output.restore import question_from_json, report_from_json
from webdig.storage.snapshots import (
    Snapshot,
    SnapshotKind,
    SnapshotTooLarge,
    StorageFull,
    StorageUnavailable,
)
from webdig.web import checkpage, csrf, lookuppage, ratelimits
from webdig.web.errorpage import error_page
from webdig.web.language import current_translator, shown_moment
from webdig.web.saving import UNREADABLE, WATCH, describe, run_and_save
from webdig.web.snapshotapi import NOT_FOUND
from webdig.web.snapshotstore import current_store
from webdig.web.watchwords import saved_timeline

bp = Blueprint("snapshots", __name__)


@bp.after_app_request
def set_form_cookie(response: Response) -> Response:
    """Result pages that showed the save button carry the token's cookie."""
    return csrf.set_cookie(response)


@bp.post("/save")
def save() -> WerkzeugResponse | tuple[str, int]:
    """Run the question in the form again, store it, and open its ``/r/<id>`` page."""
    if csrf.refusal() is not None:
        message = _(
            "This form has expired or was sent from another website. Reload the result page "
            "and press the button again."
        )
        return error_page(403, _("Not saved"), message)
    ratelimits.enforce("RATE_LIMIT_SAVE")
    values = {k: v for k, v in request.form.items() if k not in (csrf.FIELD, "lang")}

    def problems(exc: InvalidParams) -> str:
        say = current_translator().text
        return " ".join(say(message) for messages in exc.fields.values() for message in messages)

    return store_and_open(values, request.form.get("lang"), invalid=problems)


def store_and_open(
    values: Mapping[str, str],
    lang: str | None,
    *,
    invalid: Callable[[InvalidParams], str],
    watch: Mapping[str, Any] | None = None,
) -> WerkzeugResponse | tuple[str, int]:
    """Run and store ``values`` (with a watch's timeline), then open ``/r/<id>`` (303) in
    the form's ``lang``; when it cannot be stored, the page that says why (``invalid``
    words bad input)."""
    try:
        snapshot = run_and_save(values, watch=watch)
    except InvalidParams as exc:
        return error_page(400, _("Not saved"), invalid(exc))
    except SnapshotTooLarge as exc:
        message = _(
            "This result is too large to save (%(size)s KB compressed; at most %(limit)s KB). "
            "Ask fewer hostnames or servers at once.",
            size=exc.size // 1024,
            limit=exc.limit // 1024,
        )
        return error_page(413, _("Too large to save"), message)
    except StorageFull:
        message = _(
            "Saving is unavailable right now: the space webdig keeps for saved results is full "
            "until older ones expire. Look-ups still work; links saved before still open."
        )
        return error_page(503, _("Saving is unavailable"), message)
    except StorageUnavailable:
        return error_page(503, _("Saving is unavailable"), unavailable())
    target = url_for("snapshots.snapshot_page", snapshot_id=snapshot.id)
    return redirect(f"{target}?lang={lang}" if lang in ("ja", "en") else target, 303)


@bp.get("/r/<snapshot_id>.json")
def snapshot_json(snapshot_id: str) -> Response | tuple[Response, int]:
    """The saved result as JSON, exactly as ``GET /api/v1/snapshots/<id>`` returns it."""
    try:
        snapshot = current_store().load(snapshot_id)
    except StorageUnavailable:
        return jsonify({"error": UNREADABLE, "fields": {}}), 503
    if snapshot is None:
        days = f"{current_store().days:g}"
        return jsonify({"error": NOT_FOUND.format(days=days), "fields": {}}), 404
    return jsonify(describe(snapshot, with_result=True))


@bp.get("/r/<snapshot_id>")
def snapshot_page(snapshot_id: str) -> str | tuple[str, int]:
    """The saved result, drawn as its live page was, under the "Seen on" banner."""
    loaded = load_or_error_page(snapshot_id)
    if isinstance(loaded, tuple):
        return loaded
    (snapshot,) = loaded
    return render_saved(snapshot)


def render_saved(snapshot: Snapshot, *, again_held: bool = False) -> str | tuple[str, int]:
    """The saved result's page; ``again_held``: "Run again now" was asked for by another
    site, so the page says it has not run and waits for the person's own click."""
    seen = banner(snapshot)
    # A saved watch shows the timeline that led to its result above it.
    watch = saved_timeline(snapshot.body) if WATCH in snapshot.body else None
    if snapshot.kind is SnapshotKind.CHECK:
        report, question = report_from_json(snapshot.body), question_from_json(snapshot.body)
        return checkpage.render_check(
            report, question, seen=seen, again_held=again_held, held=False, watch=watch
        )
    return lookuppage.render_data(
        snapshot.body, snapshot.replies, seen=seen, again_held=again_held, held=False, watch=watch
    )


def load_or_error_page(*snapshot_ids: str) -> list[Snapshot] | tuple[str, int]:
    """The saved results with these ids, or the error page to answer instead (503, 404)."""
    try:
        found = [current_store().load(snapshot_id) for snapshot_id in snapshot_ids]
    except StorageUnavailable:
        return error_page(503, _("Saving is unavailable"), unavailable())
    snapshots = [snapshot for snapshot in found if snapshot is not None]
    if len(snapshots) != len(found):
        return error_page(404, _("No such saved result"), not_found())
    return snapshots


def banner(snapshot: Snapshot, now: datetime | None = None) -> dict[str, str]:
    """When the result was seen, in the viewer's language: the moment and how long ago."""
    translator = current_translator()
    ago = snapshot.created - (now or datetime.now(UTC))
    return {
        "when": shown_moment(snapshot.created),
        "ago": format_timedelta(ago, add_direction=True, locale=translator.language),
        "version": snapshot.version,
        "json_url": url_for("snapshots.snapshot_json", snapshot_id=snapshot.id),
        "page_url": url_for("snapshots.snapshot_page", snapshot_id=snapshot.id),
        "again_url": url_for("diffs.run_again", snapshot_id=snapshot.id),
    }


def not_found() -> str:
    """Why a saved result cannot be shown: no such id, or it expired."""
    return str(
        _(
            "No saved result has this id. Check the link; saved results are deleted after "
            "%(days)s days.",
            days=f"{current_store().days:g}",
        )
    )


def unavailable() -> str:
    """The database cannot be reached: neither saving nor reading works for now."""
    return str(
        _(
            "Saving and reading saved results is unavailable right now (webdig cannot reach its "
            "database). Look-ups still work; please try again later."
        )
    )
