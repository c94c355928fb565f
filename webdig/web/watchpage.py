"""Watch until it is fixed: ``/watch?<look-up or check parameters>``.

The page asks the question at once, then again every ``WATCH_INTERVAL`` seconds (never
less than ``WATCH_FLOOR``, whatever ``interval=`` a link asks for) until the answer
matches (「反映されました」) or ``WATCH_MINUTES`` have passed.  With JavaScript,
``static/watch.js`` posts each run to ``POST /api/v1/watch`` (:mod:`webdig.web.watchapi`)
and keeps the timeline in the page; without it, a ``<meta http-equiv=refresh>`` reloads the
page, which shows the latest run only.  Every run is a look-up like any other: it passes
the same rate limits and per-server budgets.  ``POST /watch/save`` keeps the timeline with
the result of one more run at ``/r/<id>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from math import ceil, isfinite
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import (
    Blueprint,
    Flask,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as WerkzeugResponse

from webdig.lookup import run as lookup
from webdig.lookup.params import from_values, split_lines
from webdig.output.jsonbody import outcome_to_json
from webdig.renewal.checklist import check_question
from webdig.renewal.question import CheckQuestion
from webdig.storage.snapshots import SnapshotKind
from webdig.web import csrf, links, ratelimits, security
from webdig.web.appstate import current_settings
from webdig.web.checkpage import answer_json
from webdig.web.errorpage import error_page
from webdig.web.language import chosen_language, current_translator
from webdig.web.ratelimits import request_context
from webdig.web.savebutton import save_form
from webdig.web.snapshotpage import store_and_open
from webdig.web.watchtimeline import (
    Watch,
    judged,
    run_entry,
    sign_entry,
    sign_state,
    verified_timeline,
)
from webdig.web.watchwords import script_texts, shown

bp = Blueprint("watch", __name__)

CLOCK = "webdig.watch.clock"
LONGEST_INTERVAL = 300.0
"""Seconds: a link may ask for runs further apart than the setting, up to this."""


def set_clock(app: Flask, clock: Callable[[], datetime]) -> None:
    """Make ``app``'s watches read the time from ``clock`` (tests move it on by hand)."""
    app.extensions[CLOCK] = clock


def now() -> datetime:
    """The time of this run (UTC)."""
    clock = current_app.extensions.get(CLOCK)
    return clock() if clock is not None else datetime.now(UTC)


@dataclass(frozen=True)
class Question:
    """What a watch asks: a look-up or a check, as its canonical query string."""

    kind: SnapshotKind
    query: str

    @property
    def signed(self) -> str:
        """The question as watch tokens name it."""
        return f"{self.kind}?{self.query}"

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The question as form fields (hidden inputs that ask it again)."""
        return parse_qsl(self.query)

    @property
    def values(self) -> dict[str, str]:
        """The question as the save button sends it: one value per name (lines for several)."""
        fields = MultiDict(self.fields)
        return {name: "\n".join(fields.getlist(name)) for name in fields} | {"kind": self.kind}

    @property
    def page_url(self) -> str:
        """The ordinary result page of the same question."""
        endpoint = "check.check_page" if self.kind is SnapshotKind.CHECK else "pages.lookup_page"
        return f"{url_for(endpoint)}?{self.query}"


def question_of(values: MultiDict[str, str]) -> Question | None:
    """The question in a query string or form: ``hostnames`` (a look-up), or ``domain`` (a
    renewal check: repeated, or one name per line).

    Raises :class:`~webdig.lookup.run.InvalidParams` for a check's unknown ``cause``.
    """
    if (values.get("hostnames") or "").strip():
        params = from_values(values)
        return Question(SnapshotKind.LOOKUP, params.query_string())
    check = CheckQuestion.from_values(values)
    if check.domains:
        return Question(SnapshotKind.CHECK, check.query_string())
    return None


def interval(asked: str | None) -> float:
    """Seconds between runs: the setting, or what the link asks for, never under the floor."""
    config = current_app.config
    floor = float(config["WATCH_FLOOR"])
    chosen = _seconds(asked)
    if chosen is None:
        chosen = float(config["WATCH_INTERVAL"])
    return min(max(chosen, floor), max(LONGEST_INTERVAL, floor))


def _seconds(text: str | None) -> float | None:
    """A number of seconds a link asked for; None for nothing, junk, NaN or infinity."""
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if isfinite(value) else None


def minutes() -> float:
    """How long a watch keeps asking."""
    return float(current_app.config["WATCH_MINUTES"])


def key() -> str:
    """The key watch tokens and states are signed with: the app's secret key."""
    return str(current_app.config["SECRET_KEY"])


def ask(question: Question) -> dict[str, Any]:
    """Run the question once, counted against this client's per-server budgets.

    Raises :class:`~webdig.lookup.run.InvalidParams` for bad input (nothing is sent).
    """
    values = MultiDict(question.fields)
    settings, context, say = current_settings(), request_context(), current_translator()
    if question.kind is SnapshotKind.CHECK:
        check = CheckQuestion.from_values(values)
        report = check_question(check, settings, context)
        return answer_json(report, check, translations=say)
    params = from_values(values)
    outcome = lookup.lookup(params, settings, context)
    return outcome_to_json(outcome, share_url=links.lookup_url(params), translations=say)


def watch_of(question: Question, token: str | None) -> Watch | None:
    """The watch ``token`` names for ``question`` (None: missing, forged or another's)."""
    return Watch.from_token(token or "", question.signed, key()) if token else None


@bp.get("/watch")
def watch_page() -> tuple[str, int]:
    """The watch: the first (or, without JavaScript, the latest) run and the timeline."""
    try:
        question = question_of(request.args)
    except lookup.InvalidParams as exc:
        return _not_started(exc)
    if question is None:
        return render_template(
            "watch/watch.html",
            question=None,
            interval=f"{interval(None):g}",
            minutes=f"{minutes():g}",
        ), 200
    if security.held():
        # Another site sent the browser here: show what would be watched, ask nothing.
        return _render(question, None, held=True), 200
    started = watch_of(question, request.args.get("watch"))
    watch = started or Watch(question.signed, now(), interval(request.args.get("interval")))
    if now() >= watch.ends(minutes()):
        return _render(question, watch, ended=True), 200
    try:
        body = ask(question)
    except lookup.InvalidParams as exc:
        return _not_started(exc)
    n = _run_number(request.args.get("run"), watch) if started else 1
    entry, state = run_entry(n, now(), body, None)
    return _render(question, watch, entry=entry, state=state, body=body), 200


def _not_started(exc: lookup.InvalidParams) -> tuple[str, int]:
    say = current_translator().text
    problems = " ".join(say(m) for messages in exc.fields.values() for m in messages)
    return error_page(400, _("The watch was not started"), problems)


def _run_number(text: str | None, watch: Watch) -> int:
    try:
        n = int(text or "1")
    except ValueError:
        n = 1
    return min(max(n, 1), watch.most_runs(minutes()))


def _render(
    question: Question,
    watch: Watch | None,
    *,
    entry: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
    body: Mapping[str, Any] | None = None,
    held: bool = False,
    ended: bool = False,
) -> str:
    check = question.kind is SnapshotKind.CHECK
    say = current_translator()
    context: dict[str, Any] = {
        "question": question,
        "check": check,
        "held": held,
        "ended": ended,
        "hostnames": _asked_names(question),
        "interval": f"{watch.interval if watch else interval(request.args.get('interval')):g}",
        "minutes": f"{minutes():g}",
        "again_url": _url(question, None),
    }
    if watch is not None:
        token = watch.token(key())
        context.update(
            token=token,
            started=say.clock(watch.started),
            ends=say.clock(watch.ends(minutes())),
        )
    if watch is not None and entry is not None and state is not None and body is not None:
        token = context["token"]
        signed = {**entry, "sig": sign_entry(key(), token, entry)}
        is_judged = judged(body)
        context.update(
            run=shown(entry, judged=is_judged, check=check),
            judged=is_judged,
            fixed=bool(entry["fixed"]),
            timeline=json.dumps([signed], ensure_ascii=False),
            following=json.dumps(following(token, entry, state), ensure_ascii=False),
            refresh_url=_url(question, token, run=entry["n"] + 1),
            refresh=ceil(watch.interval),
            save=save_form([*question.fields, ("watch", token)]),
            texts=script_texts(check, minutes()),
        )
    return render_template("watch/watch.html", **context)


def _asked_names(question: Question) -> str:
    values = MultiDict(question.fields)
    if question.kind is SnapshotKind.CHECK:
        return ", ".join(CheckQuestion.from_values(values).domains)
    return ", ".join(split_lines(values.get("hostnames")))


def _url(question: Question, token: str | None, **extra: Any) -> str:
    """This watch's page again (``token``: the same watch, else a new one)."""
    items = list(question.fields)
    if token:
        items.append(("watch", token))
    items.extend((k, str(v)) for k, v in extra.items())
    if request.args.get("interval") and not token:
        items.append(("interval", request.args["interval"]))
    chosen = chosen_language()
    if chosen:
        items.append(("lang", chosen))
    return f"{url_for('watch.watch_page')}?{urlencode(items)}"


def following(token: str, entry: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
    """What the next run needs to compare with this one, signed."""
    n, at = entry["n"], entry["at"]
    return {
        "n": n,
        "at": at,
        "state": state,
        "sig": sign_state(key(), token, n, {"at": at, **state}),
    }


@bp.post("/watch/save")
def save_timeline() -> WerkzeugResponse | tuple[str, int]:
    """Keep the timeline with the result of one more run at ``/r/<id>``."""
    if csrf.refusal() is not None:
        message = _(
            "This form has expired or was sent from another website. Reload the watch page "
            "and press the button again."
        )
        return error_page(403, _("Not saved"), message)
    ratelimits.enforce("RATE_LIMIT_SAVE")
    form = request.form
    try:
        question = question_of(form)
    except lookup.InvalidParams:
        question = None  # a question no watch page of webdig's sends
    watch = watch_of(question, form.get("watch")) if question else None
    try:
        sent = json.loads(form.get("timeline") or "[]")
    except ValueError:
        sent = []
    entries = None
    if question is not None and watch is not None and isinstance(sent, list):
        token = watch.token(key())
        entries = verified_timeline(key(), token, sent, watch.most_runs(minutes()))
    if question is None or watch is None or entries is None:
        message = _(
            "This timeline cannot be saved: it is not one webdig made. Reload the watch page."
        )
        return error_page(400, _("Not saved"), message)
    kept = {
        "started": watch.started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "interval": watch.interval,
        "minutes": minutes(),
        "timeline": entries,
    }
    return store_and_open(
        question.values,
        form.get("lang"),
        invalid=lambda exc: _("The question of this watch is not valid."),
        watch=kept,
    )
