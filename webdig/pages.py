"""The look-up page: the form, and under it one block per (hostname × server).

The page URL is the shareable result: opening ``/?hostnames=…`` re-runs
the look-up.  ``format=text`` (or a client that prefers ``text/plain``)
gets :func:`webdig.report.render_text` instead of HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import dns.rrset
from flask import Blueprint, Response, render_template, request, url_for

from webdig import lookup
from webdig.config import current_settings
from webdig.digtext import dig_command, record_lines, render_full, render_short
from webdig.forms import LookupForm
from webdig.lookup import Block, Outcome, Plan
from webdig.params import LookupParams, from_getter
from webdig.report import render_text
from webdig.session import QuerySession
from webdig.settings import Settings
from webdig.verdicts import Verdict

bp = Blueprint("pages", __name__)

RCODE_WORDS = {
    "NOERROR": "the server answered",
    "NXDOMAIN": "this name does not exist",
    "SERVFAIL": "the server failed to find an answer",
    "REFUSED": "the server refused to answer this question",
    "NOTIMP": "the server does not support this kind of question",
    "FORMERR": "the server could not read the question",
}
"""What dig's status means, in a few words, for the line under each block's heading."""

# A dig record line: owner, TTL, class, type, then the data (which may hold
# spaces); dig separates the first four with tabs, or a space after a long owner.
_COLUMNS = re.compile(r"([\t ]+)")
_COLUMN_NAMES = ("owner", "ttl", "class", "type", "data")


@bp.get("/")
def lookup_page() -> Response:
    """The form; with ``hostnames`` in the query string, the look-up and its results."""
    settings = current_settings()
    params = from_getter(request.args.get)
    form = LookupForm.for_params(params, settings)
    as_text = _wants_text()
    if "hostnames" not in request.args and not as_text:
        return _html(render_template("pages/lookup.html", form=form, page=None), 200)
    # One session for planning and running: one query budget, no repeated look-ups.
    with QuerySession(settings) as session:
        plan = _plan(form, params, settings, session)
        outcome = lookup.run(plan, settings, session=session) if plan is not None else None
    if outcome is None:
        if as_text:
            return _text(_errors_text(form), 400)
        return _html(render_template("pages/lookup.html", form=form, page=None), 400)
    if as_text:
        return _text(render_text(outcome), 200)
    page = ResultPage.of(outcome, share_url=_share_url(params))
    return _html(render_template("pages/lookup.html", form=form, page=page), 200)


def _plan(
    form: LookupForm, params: LookupParams, settings: Settings, session: QuerySession
) -> Plan | None:
    """Validate the form and plan the look-up; None (with messages on the form) if invalid."""
    form.validate()
    try:
        plan = lookup.plan(params, settings, session=session)
    except lookup.InvalidParams as exc:
        form.add_errors(exc.fields)
        return None
    return None if form.has_errors else plan


def _wants_text() -> bool:
    """``format=text``, or an Accept header that prefers text/plain to HTML."""
    if request.args.get("format", "").strip().lower() in ("text", "txt", "plain"):
        return True
    accept = request.accept_mimetypes
    return accept.quality("text/plain") > accept.quality("text/html")


def _share_url(params: LookupParams) -> str:
    return f"{url_for('pages.lookup_page', _external=True)}?{params.query_string()}"


def _errors_text(form: LookupForm) -> str:
    lines = ["webdig: the look-up was not run:"]
    lines.extend(f"{field.name}: {message}" for field in form for message in field.errors)
    lines.extend(form.form_errors)
    return "\n".join(lines) + "\n"


def _html(body: str, status: int) -> Response:
    response = Response(body, status, mimetype="text/html")
    response.vary.add("Accept")
    return response


def _text(body: str, status: int) -> Response:
    response = Response(body, status, mimetype="text/plain")
    response.vary.add("Accept")
    return response


@dataclass(frozen=True)
class Line:
    """One ANSWER SECTION line and whether it is the address the user expected."""

    text: str
    mark: bool | None
    """True: matches the expected address; False: does not; None: not judged."""
    columns: tuple[tuple[str, str], ...]
    """(kind, text) pieces for ``colorize=on``; kind is a column name or ``gap``."""


@dataclass(frozen=True)
class ShownBlock:
    """One (hostname × server) block, ready for the template."""

    block: Block
    heading: str
    answer: list[Line]
    short: str | None
    full: str
    command: str | None
    status_words: str

    @property
    def verdict(self) -> Verdict | None:
        """The block's verdict, when ``expected`` was given and the type is A/AAAA."""
        return self.block.verdict


@dataclass(frozen=True)
class ResultPage:
    """Everything under the form once a look-up ran."""

    outcome: Outcome
    blocks: list[ShownBlock]
    share_url: str
    summary: tuple[bool, str] | None
    notes: list[str]

    @classmethod
    def of(cls, outcome: Outcome, *, share_url: str) -> ResultPage:
        """Shape ``outcome`` for the page."""
        params = outcome.plan.params
        notes = list(dict.fromkeys(outcome.notes))  # one per hostname can repeat
        if params.ns == "resolver" and params.nameservers:
            notes.insert(
                0,
                f"You entered {', '.join(params.nameservers)}, but “A public resolver” is "
                "chosen, so it was not asked. Choose “The nameservers I enter” to ask it.",
            )
        blocks = [shown_block(block, params) for block in outcome.blocks]
        return cls(outcome, blocks, share_url, summary(outcome.blocks), notes)


def shown_block(block: Block, params: LookupParams) -> ShownBlock:
    """Heading, marked answer lines and dig texts of one block."""
    result, query = block.result, block.query
    server = query.server
    heading = f"{query.hostname.text}@{server.label}"
    port = "" if server.port == 53 else f"port {server.port}"
    if server.label != server.address:
        heading += f" ({server.address} {port})" if port else f" ({server.address})"
    elif port:
        heading += f" ({port})"
    answer = [line for rrset in result.answer for line in _lines(rrset, block.verdict)]
    status = result.rcode or "no reply"
    words = RCODE_WORDS.get(status, "")
    if status == "NOERROR" and not answer:
        words = f"the server answered, but has no {query.type_text} record for this name"
    return ShownBlock(
        block=block,
        heading=heading,
        answer=answer,
        short=render_short(result) if params.flag("short") else None,
        full=render_full(result),
        command=dig_command(query) if params.flag("showcommand") else None,
        status_words=words,
    )


def _lines(rrset: dns.rrset.RRset, verdict: Verdict | None) -> list[Line]:
    owner = rrset.name.to_text().lower()
    lines = []
    for text, rdata in zip(record_lines(rrset), rrset, strict=False):
        mark = verdict.mark(owner, rrset.rdtype, rdata.to_text()) if verdict else None
        pieces = _COLUMNS.split(text, maxsplit=len(_COLUMN_NAMES) - 1)
        names = iter(_COLUMN_NAMES)
        columns = tuple(
            ("gap", piece) if index % 2 else (next(names), piece)
            for index, piece in enumerate(pieces)
        )
        lines.append(Line(text, mark, columns))
    return lines


def summary(blocks: list[Block]) -> tuple[bool, str] | None:
    """(all good, sentence) over several blocks, e.g. “3 of 4 answers match your server.”.

    Companion blocks (the other address family, asked only to check it) are
    left out: they have findings of their own.
    """
    main = [block for block in blocks if not block.companion]
    if len(main) < 2:
        return None
    verdicts = [block.verdict for block in main if block.verdict is not None]
    if verdicts:
        matches = sum(verdict.status == "match" for verdict in verdicts)
        return matches == len(verdicts), (
            f"{matches} of {len(verdicts)} answers match your server."
        )
    replies = sum(block.result.ok for block in main)
    return replies == len(main), f"{replies} of {len(main)} look-ups got a reply."
