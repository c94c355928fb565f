"""The result page's trace sections: each step of a walk from the root, who answered and what
it did, in words, over its ``dig +trace`` lines."""

from __future__ import annotations

from dataclasses import dataclass

import dns.name
import dns.rdatatype

from webdig.dig.trace import render_trace, step_lines
from webdig.findings.model import Finding, Level, Param
from webdig.lookup.crosschecks import signature
from webdig.lookup.delegation import shown as zone_text
from webdig.lookup.trace import Trace, TraceStep
from webdig.web.resultblocks import ShownBlock


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
