"""The renewal-check page: "why did my certificate renewal fail?" in one page.

``/check?domain=www.example.com&expected=192.0.2.10`` is the shareable
result: opening it runs the whole checklist again (the same engine as
``/api/v1/check`` and ``webdig check``).  ``cause=`` (the short code the paste
box's POST redirects with) or ``error=`` (a short failure text) says first what the
user's mail or error means, next to the item it points at.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from webdig.findings.catalog import Translations
from webdig.lookup.params import Mode
from webdig.lookup.run import InvalidParams
from webdig.output.jsonbody import decoded_to_json, report_to_json
from webdig.renewal.castatus import STATUS_PAGE
from webdig.renewal.checklist import check_question
from webdig.renewal.failuretext import Decoded, TextTooLong, pointed
from webdig.renewal.items import CheckId, CheckResult
from webdig.renewal.nextsteps import next_steps, retries
from webdig.renewal.question import CheckQuestion
from webdig.renewal.report import RenewalReport
from webdig.web import csrf, failurepaste, links, security
from webdig.web.appstate import current_settings
from webdig.web.checkform import CheckForm
from webdig.web.ratelimits import request_context
from webdig.web.savebutton import save_form
from webdig.web.wording import CHECK_ABOUT

bp = Blueprint("check", __name__)


@bp.get("/check")
def check_page() -> tuple[str, int]:
    """The form; with ``domain`` (or ``error``) in the query string, the checklist and its
    summary, and first what the pasted failure says."""
    form = CheckForm.from_args(request.args)
    paste = failurepaste.paste_form()
    report: RenewalReport | None = None
    question: CheckQuestion | None = None
    decoded: Decoded | None = None
    status = 200
    try:
        decoded = failurepaste.query_failure()
        if ("domain" in request.args or "error" in request.args) and not security.held():
            question = CheckQuestion.from_values(request.args).with_failure(decoded)
            report = run(question)
    except TextTooLong as exc:
        paste.add_errors({"error": [failurepaste.too_long_message(exc)]})
        status = 413
    except InvalidParams as exc:
        form.add_errors(exc.fields)
        status = 400
    return render_check(report, question, form=form, status=status, decoded=decoded, paste=paste)


def render_check(
    report: RenewalReport | None,
    question: CheckQuestion | None,
    *,
    form: CheckForm | None = None,
    seen: dict[str, str] | None = None,
    changes: dict[str, Any] | None = None,
    status: int = 200,
    decoded: Decoded | None = None,
    paste: failurepaste.FailureForm | None = None,
    **extra: Any,
) -> tuple[str, int]:
    """The check page for ``report``, the answer to ``question`` (None: nothing was run):
    live (with the save button), or saved (with ``seen``); ``decoded``: the failure text
    read (by default the question's cause), said first."""
    asked = question.as_run(report) if report is not None and question is not None else None
    if asked is not None:
        decoded = decoded or asked.failure
    if form is None:
        form = CheckForm(MultiDict(asked.form_fields() if asked is not None else []))
    sections = groups(report) if report is not None else []
    marked = pointed(report.checks, decoded) if report is not None else []
    pointed_anchors = [
        anchor for _, rows in sections for anchor, row in rows if any(row is m for m in marked)
    ]
    body = render_template(
        "check/check.html",
        form=form,
        report=report,
        first_problem=report.first_problem() if report is not None else None,
        first_anchor=_anchor_of(report.first_problem(), sections) if report else None,
        share_url=links.check_url(asked) if asked is not None else None,
        json_url=links.check_json_url(asked) if asked is not None else None,
        groups=sections,
        # Ready to renew: nothing left to wait for.
        watch_url=links.watch_url(asked.query_string())
        if asked is not None and (report is None or report.summary_status != "pass")
        else None,
        lookup_url=lookup_url(asked) if asked is not None else url_for("pages.lookup_page"),
        status_page=STATUS_PAGE,
        about=CHECK_ABOUT,
        steps=next_steps(report) if report is not None else [],
        retry=retries(report, datetime.now(UTC).date()) if report is not None else None,
        CheckId=CheckId,
        seen=seen,
        changes=changes,
        save=save_form(asked.form_fields()) if asked is not None and seen is None else None,
        decoded=decoded,
        cause=failurepaste.cause_code(decoded),
        pointed_anchors=pointed_anchors,
        paste=(paste or failurepaste.paste_form()) if seen is None else None,
        paste_token=csrf.form_token() if seen is None else None,
        **{"held": security.held(), **extra},
    )
    return body, status


def groups(report: RenewalReport) -> list[tuple[str | None, list[tuple[str, CheckResult]]]]:
    """The page's sections: the domain's items, one section per name, then the rest.

    Each row comes with its anchor (``check-<id>`` the first time an id is
    shown, ``check-<id>-<n>`` after), so the summary can link to it.
    """
    seen: dict[str, int] = {}
    sections: list[tuple[str | None, list[tuple[str, CheckResult]]]] = []
    for row in report.checks:
        count = seen.get(row.id, 0)
        seen[row.id] = count + 1
        anchor = f"check-{row.id}" + (f"-{count + 1}" if count else "")
        if not sections or sections[-1][0] != row.name:
            sections.append((row.name, []))
        sections[-1][1].append((anchor, row))
    return sections


def _anchor_of(
    row: CheckResult | None, sections: list[tuple[str | None, list[tuple[str, CheckResult]]]]
) -> str | None:
    for _, rows in sections:
        for anchor, shown in rows:
            if shown is row:
                return anchor
    return None


def lookup_url(question: CheckQuestion) -> str:
    """The look-up page asking every nameserver of the question's names: the dig view of
    step 2."""
    return url_for(
        "pages.lookup_page",
        hostnames=" ".join(question.domains),
        ns=Mode.AUTH,
        expected=" ".join(question.expected) or None,
        _anchor="results",
    )


def run(question: CheckQuestion) -> RenewalReport:
    """The check ``question`` asks, under this request's budgets: the page and the API run
    it the same way."""
    return check_question(question, current_settings(), request_context())


def answer_json(
    report: RenewalReport,
    question: CheckQuestion,
    decoded: Decoded | None = None,
    *,
    translations: Translations | None = None,
) -> dict[str, Any]:
    """The check as ``/api/v1/check`` answers it: the report, its share link, and what the
    failure text (by default the question's cause) says, in ``translations``' language."""
    asked = question.as_run(report)
    body = report_to_json(report, share_url=links.check_url(asked), translations=translations)
    failure = decoded or asked.failure
    if failure is not None:
        body["decoded"] = decoded_to_json(failure, translations)
    return body
