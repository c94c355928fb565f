"""Saving a result: run the look-up or check described by some parameters, store it, and
describe the stored snapshot as JSON.

Shared by ``POST /api/v1/snapshots`` and the "Save a link to this result" button: both
run the question again and store what came back, so every snapshot is a result webdig
itself produced (a page cannot hand in a result of its own making).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from math import ceil
from typing import Any

from flask import url_for

from webdig.lookup import run as lookup
from webdig.lookup.params import from_values
from webdig.output.jsonbody import outcome_to_json
from webdig.output.replies import outcome_replies, report_replies
from webdig.renewal.checklist import check_question
from webdig.renewal.question import CheckQuestion
from webdig.storage.snapshots import Snapshot, SnapshotKind
from webdig.version import VERSION
from webdig.web import links, ratelimits
from webdig.web.appstate import current_context, current_settings
from webdig.web.checkpage import answer_json
from webdig.web.snapshotstore import current_store

UNAVAILABLE = (
    "Saving is unavailable right now (webdig cannot reach its database). "
    "Look-ups still work; please try saving again later."
)
FULL = (
    "Saving is unavailable right now: the space webdig keeps for saved results is full until "
    "older ones expire. Look-ups still work; links saved before still open."
)
WATCH = "watch"
"""The key of a watch's timeline in a stored body; the API shows it beside ``result``."""
UNREADABLE = (
    "Saved results cannot be read right now (webdig cannot reach its database). "
    "Please try again later."
)


def kind_of(values: Mapping[str, str]) -> SnapshotKind:
    """A check when the parameters name a ``domain`` (the check form), else a look-up."""
    if values.get("kind") == SnapshotKind.CHECK or (
        "domain" in values and "hostnames" not in values
    ):
        return SnapshotKind.CHECK
    return SnapshotKind.LOOKUP


def run_and_save(values: Mapping[str, str], *, watch: Mapping[str, Any] | None = None) -> Snapshot:
    """Run what ``values`` (the page's query-string parameters) describe, and store it;
    ``watch``: the timeline of a watch (``/watch``) that led to it, kept beside the result.

    Raises :class:`~webdig.lookup.run.InvalidParams` for bad input (nothing is sent)
    and :class:`~webdig.storage.snapshots.StorageError` when it cannot be stored.
    """
    settings = current_settings()
    kind = kind_of(values)
    if kind is SnapshotKind.CHECK:
        question = CheckQuestion.from_values(values)
        report = check_question(question, settings, current_context())
        # As /api/v1/check answers the same question: a cause comes back as "decoded".
        body, replies = answer_json(report, question), report_replies(report)
    else:
        params = from_values(values)
        outcome = lookup.lookup(params, settings, current_context())
        share = links.lookup_url(params)
        body, replies = outcome_to_json(outcome, share_url=share), outcome_replies(outcome)
    if watch is not None:
        body = {**body, WATCH: dict(watch)}
    return current_store().save(kind, body, replies, VERSION, charge=_charge)


def _charge(size: int) -> None:
    """Count ``size`` compressed bytes against the client's daily share of the storage."""
    ratelimits.enforce("RATE_LIMIT_SAVE_KB", cost=ceil(size / 1024))


def urls(snapshot_id: str) -> dict[str, str]:
    """Where a snapshot can be read: its JSON and its API resource."""
    return {
        "json_url": url_for("snapshots.snapshot_json", snapshot_id=snapshot_id, _external=True),
        "api_url": url_for("snapshot_api.get_snapshot", snapshot_id=snapshot_id, _external=True),
    }


def describe(snapshot: Snapshot, *, with_result: bool) -> dict[str, Any]:
    """A snapshot as JSON: id, kind, times, version, links, and (``with_result``) the result
    as the API returned it with its raw replies in base64."""
    expires = snapshot.created + timedelta(days=current_store().days)
    document: dict[str, Any] = {
        "id": snapshot.id,
        "kind": snapshot.kind.value,
        "created": _iso(snapshot.created),
        "expires": _iso(expires),
        "webdig_version": snapshot.version,
        **urls(snapshot.id),
    }
    if WATCH in snapshot.body:
        document[WATCH] = snapshot.body[WATCH]
    if with_result:
        document["result"] = {k: v for k, v in snapshot.body.items() if k != WATCH}
        document["replies"] = [base64.b64encode(reply).decode() for reply in snapshot.replies]
    return document


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
