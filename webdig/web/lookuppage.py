"""The look-up page: the form, and under it the answer to the user's question.

Results read top-down from the verdict to the evidence: the cross-server
checks (problems first), the comparison table, then the blocks grouped by
the role of their servers (resolvers, the domain's own nameservers, the
registry), and with ``trace=on`` each walk from the root, step by step.

The page URL is the shareable result: opening ``/?hostnames=…`` re-runs
the look-up.  ``format=text`` (or a client that prefers ``text/plain``)
gets :func:`webdig.output.textreport.render_text` instead of HTML.  The page's shape
(groups, marked lines, trace steps) is built in :mod:`webdig.web.resultpage`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, render_template, request

from webdig.engine.session import QuerySession
from webdig.findings.model import Finding, Level
from webdig.lookup import run as lookup
from webdig.lookup.modes import Role
from webdig.lookup.params import Flag, LookupParams, Mode, from_values
from webdig.lookup.run import Plan
from webdig.output.jsonbody import outcome_to_json
from webdig.output.replies import outcome_replies
from webdig.output.restore import outcome_from_json
from webdig.output.textreport import render_text
from webdig.settings import Settings
from webdig.web import links, progress, security, wording
from webdig.web.appstate import current_settings
from webdig.web.language import current_translator
from webdig.web.lookupform import LookupForm
from webdig.web.negotiation import wants_text
from webdig.web.ratelimits import request_context
from webdig.web.resultpage import ResultPage
from webdig.web.savebutton import save_form

bp = Blueprint("pages", __name__)


@bp.get("/")
def lookup_page() -> Response:
    """The form; with ``hostnames`` in the query string, the look-up and its results."""
    settings = current_settings()
    params = from_values(request.args)
    form = LookupForm.for_params(params, settings)
    as_text = wants_text()
    # No hostnames (or only blank lines) is the form, filled in from the
    # query string: digwebinterface's docs link "?hostnames=&type=MX&…" to
    # open the tool ready for the reader's own domain.
    if (not params.hostnames or security.held()) and not as_text:
        return _page(form, None, 200)
    # One session for planning and running: one query budget, no repeated look-ups.
    context = request_context()
    with context.session(settings, progress=progress.reporter()) as session:
        plan = _plan(form, params, settings, session) if not _unreadable(form) else None
        outcome = (
            lookup.run(plan, settings, session=session, context=context)
            if plan is not None
            else None
        )
    if outcome is None:
        if as_text:
            return _text(_errors_text(form), 400)
        return _page(form, None, 400)
    if as_text:
        return _text(render_text(outcome, current_translator()), 200)
    outcome.notes[:0] = pasted_notes()
    body = render_data(
        outcome_to_json(outcome, share_url=links.lookup_url(params)),
        outcome_replies(outcome),
        form=form,
        save=save_form(parse_qsl(params.query_string()), highlight=params.flag(Flag.SAVE)),
    )
    return _html(body, 200)


def render_data(
    body: Mapping[str, Any],
    replies: Sequence[bytes],
    *,
    form: LookupForm | None = None,
    **extra: Any,
) -> str:
    """The look-up page drawn from a result's data: its JSON and raw replies.

    Live, saved (``seen``: the banner) and run-again (``changes``) pages alike go
    through here, so a saved result looks exactly as it did live.
    """
    outcome = outcome_from_json(body, replies)
    if form is None:
        form = LookupForm.for_params(outcome.plan.params, current_settings())
    page = ResultPage.of(outcome, share_url=str(body["query"].get("share_url") or ""))
    return _render(form, page, **extra)


def _unreadable(form: LookupForm) -> bool:
    """A dig command pasted into hostnames that cannot be read: its message goes there."""
    error = getattr(request, "pasted_error", None)
    if error is not None:
        form.add_errors({"hostnames": [error.message]})
    return error is not None


def pasted_notes() -> list[Finding]:
    """The note saying which pasted dig command the fields were filled in from, if any."""
    command = getattr(request, "pasted", None)
    return [Finding("note.pasted-command", Level.INFO, {"command": command})] if command else []


def _plan(
    form: LookupForm, params: LookupParams, settings: Settings, session: QuerySession
) -> Plan | None:
    """Plan the look-up; None, with :func:`plan`'s messages on the form, if the input is invalid."""
    try:
        return lookup.plan(params, settings, session=session)
    except lookup.InvalidParams as exc:
        form.add_errors(exc.fields)
        return None


def _page(form: LookupForm, page: ResultPage | None, status: int) -> Response:
    return _html(_render(form, page), status)


def _render(form: LookupForm, page: ResultPage | None, **extra: Any) -> str:
    json_url = links.lookup_json_url(page.outcome.plan.params) if page is not None else None
    query = page.outcome.plan.params.query_string() if page is not None else ""
    return render_template(
        "pages/lookup.html",
        form=form,
        page=page,
        json_url=json_url,
        # Nothing to wait for when every name already points at the server.
        watch_url=links.watch_url(query) if page is not None and not _settled(page) else None,
        wording=wording,
        Mode=Mode,
        Role=Role,
        Flag=Flag,
        **{"held": security.held(), **extra},
    )


def _settled(page: ResultPage) -> bool:
    """Every headline a pass: the names point at the server, there is no change to watch for."""
    return bool(page.headlines) and all(h.level is Level.PASS for h in page.headlines)


def _errors_text(form: LookupForm) -> str:
    say = current_translator()
    lines = ["webdig: " + say.gettext("the look-up was not run:")]
    lines.extend(f"{field.name}: {say.text(message)}" for field in form for message in field.errors)
    lines.extend(say.text(message) for message in form.form_errors)
    return "\n".join(lines) + "\n"


def _html(body: str, status: int) -> Response:
    response = Response(body, status, mimetype="text/html")
    response.vary.add("Accept")
    return response


def _text(body: str, status: int) -> Response:
    response = Response(body, status, mimetype="text/plain")
    response.vary.add("Accept")
    return response
