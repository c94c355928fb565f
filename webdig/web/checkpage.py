"""The renewal-check page: "why did my certificate renewal fail?" in one page.

``/check?domain=www.example.com&expected=192.0.2.10`` is the shareable
result: opening it runs the whole checklist again (the same engine as
``/api/v1/check`` and ``webdig check``).  ``cause=`` (the short code the paste
box's POST redirects with) or ``error=`` (a short failure text) says first what the
user's mail or error means, next to the item it points at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from webdig.lookup.params import Mode
from webdig.lookup.run import InvalidParams
from webdig.renewal.castatus import STATUS_PAGE
from webdig.renewal.checklist import check_renewal
from webdig.renewal.failuretext import Decoded, TextTooLong, domains_to_check, pointed
from webdig.renewal.items import CheckId, CheckResult
from webdig.renewal.nextsteps import next_steps, retries
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
    decoded: Decoded | None = None
    status = 200
    try:
        decoded = failurepaste.query_failure()
        if ("domain" in request.args or "error" in request.args) and not security.held():
            report = run_form(form, decoded)
    except TextTooLong as exc:
        paste.add_errors({"error": [failurepaste.too_long_message(exc)]})
        status = 413
    except InvalidParams as exc:
        form.add_errors(exc.fields)
        status = 400
    return render_check(report, form=form, status=status, decoded=decoded, paste=paste)


def render_check(
    report: RenewalReport | None,
    *,
    form: CheckForm | None = None,
    seen: dict[str, str] | None = None,
    changes: dict[str, Any] | None = None,
    status: int = 200,
    decoded: Decoded | None = None,
    paste: failurepaste.FailureForm | None = None,
    **extra: Any,
) -> tuple[str, int]:
    """The check page for ``report``: live (with the save button), or saved (with ``seen``)."""
    if form is None:
        asked = {"domain": "\n".join(report.domains) if report else "", "expected": ""}
        if report is not None:
            asked["expected"] = " ".join(report.expected)
            if report.only:
                asked["only"] = "on"
            asked["method"] = report.method
        form = CheckForm(MultiDict(asked))
    domains, expected = (report.domains, form.expected_texts) if report else ([], ())
    sections = groups(report) if report is not None else []
    only = report.only if report else False
    cause = failurepaste.cause_code(decoded)
    marked = pointed(report.checks, decoded) if report is not None else []
    pointed_anchors = [
        anchor for _, rows in sections for anchor, row in rows if any(row is m for m in marked)
    ]
    method = report.method if report else ""
    save = None
    if report is not None and seen is None:
        # One field per name: the save form's POST is read as a plain dict.
        fields = [("domain", "\n".join(domains)), ("expected", " ".join(expected))]
        fields += [("only", "on")] if only else []
        save = save_form([*fields, *([("method", method)] if method != "auto" else [])])
    body = render_template(
        "check/check.html",
        form=form,
        report=report,
        first_problem=report.first_problem() if report is not None else None,
        first_anchor=_anchor_of(report.first_problem(), sections) if report else None,
        share_url=links.check_url(domains, expected, only=only, cause=cause, method=method),
        json_url=links.check_json_url(domains, expected, only=only, cause=cause, method=method),
        groups=sections,
        watch_url=links.watch_url(
            links.check_query_string(domains, expected, only=only, method=method)
        )
        if report
        else None,
        lookup_url=lookup_url(" ".join(domains), expected),
        status_page=STATUS_PAGE,
        about=CHECK_ABOUT,
        steps=next_steps(report) if report is not None else [],
        retry=retries(report, datetime.now(UTC).date()) if report is not None else None,
        CheckId=CheckId,
        seen=seen,
        changes=changes,
        save=save,
        decoded=decoded,
        cause=cause,
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


def lookup_url(domain: str, expected: Sequence[str]) -> str:
    """The look-up page asking every nameserver of ``domain``: the dig view of step 2."""
    if not domain:
        return url_for("pages.lookup_page")
    return url_for(
        "pages.lookup_page",
        hostnames=domain,
        ns=Mode.AUTH,
        expected=" ".join(expected) or None,
        _anchor="results",
    )


def run_form(form: CheckForm, decoded: Decoded | None) -> RenewalReport:
    """The check ``form`` asks for (the domain a decoded failure text names when none is
    typed), under this request's budgets: the page and the API run it the same way."""
    return check_renewal(
        domains_to_check(form.domain_texts, decoded),
        form.expected_texts,
        current_settings(),
        request_context(),
        only=bool(form.only.data),
        method=form.method.data or "",
    )
