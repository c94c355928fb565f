"""One more run of a watch as JSON: ``POST /api/v1/watch``, what ``static/watch.js`` posts
each interval.

The page (:mod:`webdig.web.watchpage`) starts a watch and signs its token; each run here
checks that token and the signed state of the run before, refuses runs closer than the
watch's interval, and answers the run's timeline entry (signed), the state the next run
compares with, the words the page shows, and the whole result.
"""

from __future__ import annotations

from datetime import timedelta
from math import ceil
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnsupportedMediaType

from webdig.lookup import run as lookup
from webdig.storage.snapshots import SnapshotKind
from webdig.web.language import current_translator
from webdig.web.watchpage import ask, following, key, minutes, now, question_of, watch_of
from webdig.web.watchtimeline import judged, parse_time, run_entry, sign_entry, sign_state, valid
from webdig.web.watchwords import shown

bp = Blueprint("watch_api", __name__, url_prefix="/api/v1")

EARLY = 1.0
"""Seconds a run may come before its interval is up (timers in a busy tab drift)."""


@bp.post("/watch")
def watch_run() -> Response | tuple[Response, int] | tuple[Response, int, dict[str, str]]:
    """One more run of a watch: its timeline entry (signed), what the next run compares
    with, the words the page shows, and the whole result as ``/api/v1/lookup`` returns it."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the watch as JSON (Content-Type: application/json).")
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    question = question_of(MultiDict(parse_qsl(str(data.get("query") or ""))))
    watch = watch_of(question, str(data.get("watch") or "")) if question else None
    if question is None or watch is None:
        return _api_error(_("This watch is not valid. Open the watch page again."), 400)
    previous = data.get("previous")
    state = None
    token = watch.token(key())
    if previous is not None:
        state = _previous_state(token, previous)
        if state is None:
            return _api_error(_("This watch is not valid. Open the watch page again."), 400)
    at = now()
    n = previous["n"] + 1 if state is not None and previous is not None else 1
    if at >= watch.ends(minutes()) or n > watch.most_runs(minutes()):
        return jsonify({"state": "ended", "ends": watch.ends(minutes()).isoformat()})
    if previous is not None:
        due = parse_time(previous["at"]) + timedelta(seconds=watch.interval - EARLY)
        if at < due:
            wait = ceil((due - at).total_seconds()) or 1
            message = _(
                "Runs of one watch are at least %(seconds)s s apart.", seconds=f"{watch.interval:g}"
            )
            return _api_error(message, 429, {"Retry-After": str(wait)})
    body = ask(question)
    entry, new_state = run_entry(n, at, body, state)
    is_judged = judged(body)
    check = question.kind is SnapshotKind.CHECK
    return jsonify(
        {
            "state": "fixed" if entry["fixed"] else "running",
            "entry": {**entry, "sig": sign_entry(key(), token, entry)},
            "next": following(token, entry, new_state),
            "next_in": watch.interval,
            "shown": shown(entry, judged=is_judged, check=check),
            "result": body,
        }
    )


def _previous_state(token: str, previous: Any) -> dict[str, Any] | None:
    """The state of the run before, if the page sent it back as webdig signed it."""
    if not isinstance(previous, dict) or not isinstance(previous.get("state"), dict):
        return None
    n, at, state = previous.get("n"), previous.get("at"), previous["state"]
    if not isinstance(n, int) or not isinstance(at, str):
        return None
    if not valid(previous.get("sig"), sign_state(key(), token, n, {"at": at, **state})):
        return None
    return dict(state)


def _api_error(
    message: str, status: int, headers: dict[str, str] | None = None
) -> tuple[Response, int, dict[str, str]]:
    return jsonify({"error": message, "fields": {}}), status, headers or {}


@bp.errorhandler(lookup.InvalidParams)
def invalid_params(error: lookup.InvalidParams) -> tuple[Response, int]:
    """Invalid input: 400 with the messages by field (nothing was sent)."""
    say = current_translator().text
    fields = {f: [say(m) for m in ms] for f, ms in error.fields.items()}
    return jsonify({"error": "invalid parameters", "fields": fields}), 400


@bp.errorhandler(UnsupportedMediaType)
def not_json(error: UnsupportedMediaType) -> tuple[Response, int]:
    """A body that is not declared as JSON: 415 (no form on another site can send JSON)."""
    return jsonify({"error": str(error.description), "fields": {}}), 415
