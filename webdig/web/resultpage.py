"""The result page's shape: blocks, lines, groups and trace steps, ready for the templates.

Pure functions over a look-up :class:`~webdig.lookup.run.Outcome`; the view in
:mod:`webdig.web.lookuppage` builds a :class:`ResultPage` and renders it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import dns.name
import dns.rdatatype
import dns.rrset

from webdig.dig.display import from_flags
from webdig.dig.message import dig_command, record_lines, render_full, render_short
from webdig.dig.trace import render_trace, step_lines
from webdig.engine.result import QueryResult
from webdig.findings.model import Finding, Level, Param, worst_first
from webdig.language.message import Message
from webdig.lookup.answers import Verdict, describe, follow_chain
from webdig.lookup.block import Block
from webdig.lookup.crosschecks import signature
from webdig.lookup.delegation import shown as zone_text
from webdig.lookup.headline import headlines
from webdig.lookup.modes import Role
from webdig.lookup.params import Flag, LookupParams
from webdig.lookup.run import Outcome
from webdig.lookup.trace import Trace, TraceStep

RCODE_WORDS = {
    "NOERROR": Message("the server answered"),
    "NXDOMAIN": Message("this name does not exist"),
    "SERVFAIL": Message("the server failed to find an answer"),
    "REFUSED": Message("the server refused to answer this question"),
    "NOTIMP": Message("the server does not support this kind of question"),
    "FORMERR": Message("the server could not read the question"),
}
"""What dig's status means, in a few words, for the line under each block's heading."""

# A dig record line: owner, TTL, class, type, then the data (which may hold
# spaces); dig separates the first four with tabs, or a space after a long owner.
_COLUMNS = re.compile(r"([\t ]+)")
_COLUMN_NAMES = ("owner", "ttl", "class", "type", "data")


@dataclass(frozen=True)
class Line:
    """One ANSWER SECTION line and whether it is the address the user expected."""

    text: str
    mark: bool | None
    """True: matches the expected address; False: does not; None: not judged."""
    columns: tuple[tuple[str, str], ...]
    """(kind, text) pieces for ``colorize=on``; kind is a column name or ``gap``."""
    outside: bool = False
    """The record's name is not the question's (nor an alias of it): not part of the answer."""


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
    referral: list[str]
    """For a registry server's referral: the delegation's NS and glue lines."""

    @property
    def verdict(self) -> Verdict | None:
        """The block's verdict, when ``expected`` was given and the type is A/AAAA."""
        return self.block.verdict


@dataclass(frozen=True)
class BlockGroup:
    """The blocks of one role (resolvers, the domain's nameservers, the registry…)."""

    role: str
    """A block mode (``resolver``, ``self``, ``auth``, ``nic``), or ``companion``."""
    blocks: list[tuple[int, ShownBlock]]
    """(1-based position on the page, block)."""
    registry: str = ""
    """For ``nic``: the zones the registry's servers speak for, e.g. ``.lab``."""


@dataclass(frozen=True)
class ResultPage:
    """Everything under the form once a look-up ran."""

    outcome: Outcome
    headlines: list[Finding]
    """One per hostname: the answer to the question asked, first on the page."""
    checks: list[Finding]
    groups: list[BlockGroup]
    traces: list[ShownTrace]
    share_url: str
    notes: list[Finding]
    answers: list[Finding]
    """What each server asked answers, first among the other findings."""

    @classmethod
    def of(cls, outcome: Outcome, *, share_url: str) -> ResultPage:
        """Shape ``outcome`` for the page."""
        params = outcome.plan.params
        # The trace sections say why a walk stopped, in red, where it stopped.
        notes = [note for note in outcome.notes if note.code != "note.trace-stopped"]
        finals = outcome.trace_finals()
        traces = [
            shown_trace(walk, shown_block(final, params) if final else None)
            for walk, final in zip(outcome.traces, finals, strict=True)
        ]
        # Every trace block is a walk's final answer, shown in its trace section.
        rest = [shown_block(b, params) for b in outcome.blocks if b.mode != Role.TRACE]
        found, said = checks(outcome), server_answers(outcome)
        return cls(
            outcome, headlines(outcome), found, group_blocks(rest), traces, share_url, notes, said
        )

    @property
    def found(self) -> list[tuple[Finding, bool]]:
        """Every finding below the headlines, worst first, each with whether it is a server's
        answer: at one level the answers come first (they answer the question asked), but an
        OK answer never sits above a problem."""
        answers = {id(finding) for finding in self.answers}
        ordered = worst_first([*self.answers, *self.checks])
        return [(finding, id(finding) in answers) for finding in ordered]

    @property
    def delegated_elsewhere(self) -> bool:
        """The registry sends resolvers to other nameservers than the ones the user asked."""
        return any(f.code == "delegation.registry-differs" for f in self.checks)

    @property
    def hostnames(self) -> list[str]:
        """The names looked up, for the page title."""
        return [hostname.text for hostname in self.outcome.plan.hostnames]


def checks(outcome: Outcome) -> list[Finding]:
    """The verdicts for the top of the page, problems first.

    Walks that stopped are problems too.  The tally of matching answers is
    added when no cross-server verdict already says it (consistency and
    caches compare the same answers).
    """
    found = list(outcome.verdicts)
    found.extend(
        Finding("trace.stopped", Level.FAIL, {"host": walk.hostname.text, "problem": walk.problem})
        for walk in outcome.traces
        if walk.problem
    )
    tally = summary(outcome.blocks)
    compared = ("consistency.", "cache.")
    if tally is not None and not any(f.code.startswith(compared) for f in found):
        found.append(tally)
    # Problems first: the page answers “what is wrong?” before “what is fine”.
    return worst_first(found)


MAX_ANSWERS = 4
"""Past this many servers asked, the tally among the findings says it in one line instead."""


def server_answers(outcome: Outcome) -> list[Finding]:
    """What each server asked answers, before any other finding (after the headlines).

    With ``expected``, a block's verdict (does it match your server?); without, what it
    answered, with no judgement.  The registry's referrals and the other address family
    are evidence for other findings, not answers to the question.
    """
    main = [b for b in outcome.blocks if not b.companion and b.mode != Role.NIC]
    if len(main) > MAX_ANSWERS:
        return []
    return [b.verdict.finding if b.verdict else describe(b.result) for b in main]


def group_blocks(shown: list[ShownBlock]) -> list[BlockGroup]:
    """Blocks by role, roles in the order they first appear, the other address family last."""
    roles: dict[str, list[ShownBlock]] = {}
    for item in shown:
        roles.setdefault("companion" if item.block.companion else item.block.mode, []).append(item)
    if "companion" in roles:
        roles["companion"] = roles.pop("companion")
    groups, position = [], 0
    for role, items in roles.items():
        numbered = list(enumerate(items, start=position + 1))
        position += len(items)
        zones = (_registry_zone(item.block.result) for item in items) if role == Role.NIC else ()
        groups.append(BlockGroup(role, numbered, ", ".join(dict.fromkeys(z for z in zones if z))))
    return groups


def _registry_zone(result: QueryResult) -> str | None:
    """The zone a registry server speaks for, read from its reply.

    ``.lab`` for a referral to ``moved.lab`` (the parent of the delegated
    zone), or the zone of the SOA it sends with NXDOMAIN.
    """
    for rrset in result.authority:
        if rrset.rdtype == dns.rdatatype.SOA:
            zone = rrset.name
        elif rrset.rdtype == dns.rdatatype.NS and rrset.name != dns.name.root:
            zone = rrset.name.parent()
        else:
            continue
        return "the root" if zone == dns.name.root else "." + zone_text(zone.to_text())
    return None


def shown_block(block: Block, params: LookupParams) -> ShownBlock:
    """Heading, marked answer lines and dig texts of one block."""
    result, query = block.result, block.query
    server = query.server
    display = from_flags(params.flag)
    hostname = query.hostname
    # An IDN reads as typed (U-label) with the A-label that went on the wire next to it.
    shown_name = (
        f"{hostname.text} ({hostname.ascii.rstrip('.')})" if hostname.is_idn else hostname.text
    )
    heading = f"{shown_name}@{server.label}"
    port = "" if server.port == 53 else f"port {server.port}"
    if server.label != server.address:
        heading += f" ({server.address} {port})" if port else f" ({server.address})"
    elif port:
        heading += f" ({port})"
    chain = {name.to_text().lower() for name in follow_chain(result)[0]}
    answer = [line for rrset in result.answer for line in _lines(rrset, block.verdict, chain)]
    sort = params.flag(Flag.SORT)
    if sort:
        answer.sort(key=lambda line: line.text)
    status = result.rcode or "no reply"
    words: str = RCODE_WORDS.get(status, "")
    referral = _referral(result) if block.mode == Role.NIC and not answer else []
    if referral:
        words = Message(
            "the server answered with the delegation: the nameservers it sends resolvers to"
        )
    elif status == "NOERROR" and not answer:
        words = Message(
            "the server answered, but has no {type} record for this name", type=query.type_text
        )
    return ShownBlock(
        block=block,
        heading=heading,
        answer=answer,
        short=render_short(result, display, sort=sort) if params.flag(Flag.SHORT) else None,
        full=render_full(result, display=display, sort=sort),
        command=dig_command(query, display) if params.flag(Flag.SHOWCOMMAND) else None,
        status_words=words,
        referral=referral,
    )


def _referral(result: QueryResult) -> list[str]:
    """The NS lines of a referral and the glue addresses that come with them."""
    ns = [rrset for rrset in result.authority if rrset.rdtype == dns.rdatatype.NS]
    hosts = {rdata.target for rrset in ns for rdata in rrset}
    glue = [
        rrset
        for rrset in result.additional
        if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA) and rrset.name in hosts
    ]
    return [line for rrset in [*ns, *glue] for line in record_lines(rrset)]


def _lines(rrset: dns.rrset.RRset, verdict: Verdict | None, chain: set[str]) -> list[Line]:
    owner = rrset.name.to_text().lower()
    # A record whose owner is not the question (or an alias it leads to) does
    # not answer it: a lying server may slip one in to poison caches.
    outside = bool(chain) and owner not in chain
    lines = []
    for text, rdata in zip(record_lines(rrset), rrset, strict=False):
        mark = verdict.mark(owner, rrset.rdtype, rdata.to_text()) if verdict else None
        pieces = _COLUMNS.split(text, maxsplit=len(_COLUMN_NAMES) - 1)
        names = iter(_COLUMN_NAMES)
        columns = tuple(
            ("gap", piece) if index % 2 else (next(names), piece)
            for index, piece in enumerate(pieces)
        )
        lines.append(Line(text, mark, columns, outside))
    return lines


def summary(blocks: list[Block]) -> Finding | None:
    """The tally over several blocks, e.g. “3 of 4 answers match your server.”.

    Companion blocks (the other address family, asked only to check it) are
    left out: they have findings of their own.
    """
    main = [block for block in blocks if not block.companion]
    if len(main) < 2:
        return None
    verdicts = [block.verdict for block in main if block.verdict is not None]
    if verdicts:
        # A server that did not reply says nothing about the match: count it apart.
        judged = [verdict for verdict in verdicts if verdict.level is not Level.UNKNOWN]
        unanswered = len(verdicts) - len(judged)
        if not judged:
            return Finding("answers.no-replies", Level.UNKNOWN, {"total": unanswered})
        matches = sum(verdict.level is Level.PASS for verdict in judged)
        level = Level.PASS if matches == len(judged) else Level.FAIL
        if level is Level.PASS and unanswered:
            level = Level.WARN
        tally = {"matches": matches, "total": len(judged), "unanswered": unanswered}
        return Finding("answers.tally", level, tally)
    replies = sum(block.result.ok for block in main)
    level = Level.PASS if replies == len(main) else Level.WARN if replies else Level.UNKNOWN
    return Finding("answers.replies", level, {"replies": replies, "total": len(main)})


@dataclass(frozen=True)
class ShownStep:
    """One reply of a trace: who answered and what it did, in words, over its dig lines."""

    kind: str
    """``start``, ``referral``, ``answer`` (with data), ``negative`` (NXDOMAIN, no record, an
    error code), ``failed`` (no reply) or ``stuck`` (a lame delegation)."""
    server: str
    """``a.root-servers.lab (127.0.53.1)``."""
    said: Finding
    """Who the server is and what it did (a ``step.*`` finding), e.g. "…, a root server,
    refers the question to the .lab registry's servers: …"."""
    text: str
    """The step's lines of the dig +trace text."""


@dataclass(frozen=True)
class ShownTrace:
    """One name's walk from the root, ready for the template."""

    walk: Trace
    steps: list[ShownStep]
    text: str
    """The whole walk as ``dig +trace`` prints it."""
    final: ShownBlock | None
    """The last reply as a block (its verdict and full dig output), when the walk ended."""

    @property
    def type_text(self) -> str:
        """The record type asked for, e.g. ``A``."""
        return dns.rdatatype.to_text(self.walk.rdtype)

    @property
    def outcome(self) -> Finding:
        """The finding at the top of the walk when there is no verdict to show: why it
        stopped, or what its last step said (an answer passes; anything else warns)."""
        if self.walk.problem or not self.steps:
            return Finding("trace.walk-stopped", Level.FAIL, {"problem": self.walk.problem})
        last = self.steps[-1]
        level = Level.PASS if last.kind == "answer" else Level.WARN
        return Finding(last.said.code, level, last.said.params)


def shown_trace(walk: Trace, final: ShownBlock | None) -> ShownTrace:
    """Label each step of ``walk`` with the server that answered and what it said."""
    steps, zone = [], dns.name.root
    for number, step in enumerate(walk.steps):
        last = number == len(walk.steps) - 1
        kind, code, params, cut = _step_action(walk, step, zone, first=number == 0, last=last)
        server = step.result.query.server
        who = server.label
        if server.label != server.address:
            who += f" ({server.address})"
        said = Finding(code, Level.INFO, {"server": who, "role": _role(zone), **params})
        steps.append(ShownStep(kind, who, said, "\n".join(step_lines(step))))
        zone = cut or zone
    return ShownTrace(walk, steps, render_trace(walk), final)


def _step_action(
    walk: Trace, step: TraceStep, zone: dns.name.Name, *, first: bool, last: bool
) -> tuple[str, str, dict[str, Param], dns.name.Name | None]:
    """(kind, ``step.*`` code, its parameters, the zone it referred to) for one step."""
    result = step.result
    host, kind_text = walk.hostname.text, dns.rdatatype.to_text(walk.rdtype)
    if result.error is not None:
        failed: dict[str, Param] = {"reason": result.error.message, "next": not last}
        return "failed", "step.failed", failed, None
    ns = [rrset for rrset in step.records if rrset.rdtype == dns.rdatatype.NS]
    names = sorted(rdata.to_text().rstrip(".") for rrset in ns for rdata in rrset)
    if first and result.query.hostname.ascii == ".":
        return "start", "step.root-servers", {"names": names}, None
    rcode = result.rcode or ""
    if result.answer or rcode != "NOERROR" or "aa" in result.flags:
        if rcode == "NXDOMAIN":
            return "negative", "step.nxdomain", {"host": host}, None
        if rcode != "NOERROR":
            return "negative", "step.rcode", {"rcode": rcode}, None
        found = signature(result)
        if found in (None, "no record"):
            return "negative", "step.no-record", {"type": kind_text, "host": host}, None
        return "answer", "step.answer", {"answer": found}, None
    if last and walk.problem:
        return "stuck", "step.stuck", {}, None
    cut = ns[0].name if ns else None
    if cut is None:
        return "referral", "step.referral", {"names": names}, cut
    where = "registry" if len(cut.labels) == 2 else "zone"
    referred: dict[str, Param] = {"names": names, "zone": zone_text(cut.to_text()), "to": where}
    return "referral", "step.referral", referred, cut


def _role(zone: dns.name.Name) -> dict[str, object]:
    """Who a server of ``zone`` is (a ``role.*`` phrase): the root, a registry, a domain."""
    if zone == dns.name.root:
        return {"code": "role.root"}
    if len(zone.labels) == 2:  # a top-level domain and the root label
        return {"code": "role.registry", "zone": zone_text(zone.to_text())}
    return {"code": "role.zone", "zone": zone_text(zone.to_text())}
