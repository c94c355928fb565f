"""Results read back from their JSON and raw replies: the inverse of
:mod:`webdig.output.jsonbody` and :mod:`webdig.output.replies`.

Every result page is drawn from this data, live ones included (the look-up's
JSON is made, then read back), so a saved result renders exactly as it did live.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from webdig.engine.names import Hostname
from webdig.engine.policy import IPAddress
from webdig.engine.query import REVERSE, Query, QueryOptions, Server
from webdig.engine.result import ErrorKind, QueryError, QueryResult
from webdig.findings.model import Finding, Level
from webdig.language.message import Lines, Message, Quote, is_moment, reread
from webdig.language.translator import templates
from webdig.lookup.answers import Verdict, follow_chain
from webdig.lookup.block import Block
from webdig.lookup.comparison import Row
from webdig.lookup.modes import Role
from webdig.lookup.params import LookupParams, Mode, from_values
from webdig.lookup.planning import Plan
from webdig.lookup.run import Outcome
from webdig.lookup.trace import Trace, TraceStep
from webdig.renewal import failuretext
from webdig.renewal.dns01 import Method
from webdig.renewal.items import CheckId, CheckResult, Evidence
from webdig.renewal.names import CheckedName, NameSource
from webdig.renewal.question import CheckQuestion
from webdig.renewal.report import RenewalReport


def report_from_json(body: Mapping[str, Any]) -> RenewalReport:
    """The renewal report that :func:`~webdig.output.jsonbody.report_to_json` described:
    its items and headline as findings (codes and parameters), worded again by the reader."""
    checks = [
        CheckResult(
            id=CheckId(item["id"]),
            level=Level(item["level"]),
            title=item["title"],
            findings=tuple(finding_from_json(f) for f in item.get("findings", ())),
            fixes=tuple(finding_from_json(f) for f in item.get("fixes", ())),
            evidence=[
                Evidence(_said_again(piece["title"]), _evidence_text(piece["text"]))
                for piece in item.get("evidence", ())
            ],
            name=item.get("name"),
            zone=item.get("zone"),
        )
        for item in body["checks"]
    ]
    query = body["query"]
    # Results saved before names were checked have none of these fields.
    return RenewalReport(
        domain=query["domain"],
        expected=list(query["expected"]),
        checks=checks,
        headline=finding_from_json(body),
        queries_sent=int(body.get("queries_sent", 0)),
        names=[
            CheckedName(n["name"], NameSource(n["source"]), n["wildcard"], n["checked"])
            for n in body.get("names", ())
        ],
        notes=[finding_from_json(note) for note in body.get("notes", ())],
        only=bool(query.get("only", False)),
        method=Method.from_text(query.get("method")),
    )


def question_from_json(body: Mapping[str, Any]) -> CheckQuestion:
    """The question of the check that ``body`` (``/api/v1/check``'s JSON) answers: its names,
    its addresses as understood, ``only``, the method, and the cause of its ``decoded``
    failure when it has one."""
    query = body["query"]
    cause = (body.get("decoded") or {}).get("cause")
    return CheckQuestion(
        domains=tuple(query.get("domains") or [query["domain"]]),
        expected=tuple(query.get("expected") or ()),
        only=bool(query.get("only", False)),
        method=str(Method.from_text(query.get("method"))),
        cause=failuretext.from_text(cause) if cause else None,
    )


# --- Look-ups ---------------------------------------------------------------
# A look-up's JSON says everything its page shows, and the raw replies give back
# the very messages: parsing them again yields the records, sections and flags
# the live run had, so the restored outcome draws the same page.


def outcome_from_json(body: Mapping[str, Any], replies: Sequence[bytes]) -> Outcome:
    """The look-up that :func:`~webdig.output.jsonbody.outcome_to_json` described, with the
    replies :func:`~webdig.output.replies.outcome_replies` listed for it."""
    params = params_from_json(body["query"])
    results = list(body["results"])
    waiting = iter(replies[len(results) :])
    blocks = [
        _block(item, replies[index] if index < len(replies) else b"")
        for index, item in enumerate(results)
    ]
    traces = [_trace(walk, waiting) for walk in body.get("traces", ())]
    hostnames = dict.fromkeys([*(b.query.hostname for b in blocks), *(t.hostname for t in traces)])
    plan = Plan(
        params=params,
        hostnames=tuple(hostnames),
        rdtype=_plan_type(params.type),
        servers=(),
        options=_options(body["query"].get("options", {})),
        expected=tuple(_addresses(body["query"].get("expected", ()))),
        server_is_authority=params.ns == "self",
        mode=Mode(params.ns),
    )
    return Outcome(
        plan=plan,
        blocks=blocks,
        notes=[finding_from_json(f) for f in body.get("note_findings", ())],
        verdicts=[finding_from_json(f) for f in body.get("verdicts", ())],
        comparison=[Row(**row) for row in body.get("comparison", ())],
        traces=traces,
        queries_sent=int(body.get("queries_sent", 0)),
    )


def params_from_json(query: Mapping[str, Any]) -> LookupParams:
    """The parameters :func:`~webdig.output.jsonbody.params_to_json` described."""
    values = {
        "hostnames": "\n".join(query.get("hostnames", ())),
        "type": query.get("type") or "A",
        "ns": query.get("ns") or "",
        "useresolver": query.get("useresolver") or "",
        "nameservers": "\n".join(query.get("nameservers", ())),
        "hosting": query.get("hosting") or "",
        "expected": "\n".join(query.get("expected", ())),
        "class": query.get("class") or "IN",
        **{name: "on" for name, on in query.get("options", {}).items() if on},
        **dict(query.get("dig_values") or {}),
    }
    return from_values(values)


def finding_from_json(item: Mapping[str, Any]) -> Finding:
    """A finding from its code, level and parameters (never from its sentence); a parameter
    that is a core sentence (a server's failure) is read back so it can be said again."""
    params = {
        key: _param(value) if key in SENTENCE_PARAMS else value
        for key, value in (item.get("params") or {}).items()
    }
    return Finding(str(item["code"]), Level(item["level"]), params)


SENTENCE_PARAMS = frozenset({"reason", "problem", "problems"})
"""The parameters that hold core sentences (a server's failure, a discovery problem); the
others hold names, addresses and DNS data, never read back."""


def _param(value: Any) -> Any:
    if isinstance(value, str):
        return _said_again(value)
    if isinstance(value, list):
        return [_said_again(v) if isinstance(v, str) else v for v in value]
    return value


def _said_again(text: str) -> str:
    """A core sentence saved in English, as the Message it was (names and codes as they are).

    webdig's own sentences are short; longer text is left alone rather than matched."""
    if isinstance(text, Message):
        return text  # a live result: never saved, nothing to read back
    return reread(text, templates()) if " " in text and len(text) <= 400 else text


def _evidence_text(text: str) -> Lines:
    """Saved evidence, line by line: webdig's own notes read back into their templates (a
    transcript's ``* `` note around a reason too), anything else quoted as it was."""
    return Lines(_evidence_line(line) for line in text.split("\n"))


def _evidence_line(line: str) -> str:
    if not line.strip():
        return line
    if line.startswith((";", "<", ">")) or "\t" in line:
        return Quote(line)  # dig's comments and records, the HTTP exchange: never webdig's
    said = _said_again(line)
    if isinstance(said, Message):
        return _quoting(said)
    if line.startswith("* "):
        note = _said_again(line[2:])
        if isinstance(note, Message):
            return Message("* {reason}", reason=_quoting(note))
    return Quote(line)


def _quoting(note: Message) -> Message:
    """A note read back, its values that no template made and that hold words (a certificate's
    subject, a body, OpenSSL's reason) quoted, as the live note quoted them."""
    values = {
        # A moment is webdig's own (a certificate's dates): said in the reader's zone.
        name: Quote(value)
        if type(value) is str and " " in value and not is_moment(value)
        else value
        for name, value in note.params.items()
    }
    return Message(note.template, **values)


def _block(item: Mapping[str, Any], wire: bytes) -> Block:
    result = _result(item, wire, _hostname(item), dns.rdatatype.from_text(item["type"]))
    verdict = _verdict(item.get("verdict"), result)
    return Block(result, verdict, Role(item["mode"]), bool(item["companion"]))


def _verdict(item: Mapping[str, Any] | None, result: QueryResult) -> Verdict | None:
    if not item:
        return None
    finding = finding_from_json(item)
    notes = tuple(finding_from_json(note) for note in item.get("note_findings", ()))
    if finding.code in _NO_CHAIN:
        return Verdict(finding, notes)
    chain = tuple(name.to_text().lower() for name in follow_chain(result)[0])
    return Verdict(finding, notes, chain)


_NO_CHAIN = frozenset({"answer.no-reply", "answer.refused", "answer.servfail"})
"""Verdicts made before the answer was read: they carry no CNAME chain."""


def _trace(item: Mapping[str, Any], replies: Iterator[bytes]) -> Trace:
    hostname = Hostname(item["hostname"], item.get("hostname_ascii") or _ascii(item["hostname"]))
    rdtype = dns.rdatatype.from_text(item["type"])
    steps = []
    for step in item["steps"]:
        wire = next(replies, b"")
        question = step.get("question") or {}
        asked = (
            Hostname(question["name"].rstrip(".") or ".", question["name"])
            if question
            else hostname
        )
        asked_type = dns.rdatatype.from_text(question["type"]) if question else rdtype
        result = _result(step, wire, asked, asked_type)
        steps.append(TraceStep(result, _records(step.get("records", ()), result)))
    return Trace(hostname, rdtype, steps, item.get("problem"))


def _result(
    item: Mapping[str, Any], wire: bytes, hostname: Hostname, rdtype: dns.rdatatype.RdataType
) -> QueryResult:
    server = item["server"]
    query = Query(
        hostname,
        rdtype,
        Server(server["address"], int(server["port"]), server.get("name")),
        _options(item.get("options") or {}),
        dns.rdataclass.from_text(item.get("query_class") or "IN"),
    )
    error = None
    if item.get("error") is not None:
        kind = ErrorKind(item.get("error_kind") or ErrorKind.MALFORMED)
        error = QueryError(kind, _said_again(item["error"]), item.get("error_dig") or "")
    started = item.get("started")
    return QueryResult(
        query=query,
        started=datetime.fromisoformat(started) if started else datetime.fromtimestamp(0, UTC),
        response=_parse(wire) if wire else None,
        wire=wire or None,
        wire_size=item.get("msg_size"),
        transport=item.get("transport") or "udp",
        elapsed_ms=int(item.get("query_time_ms") or 0),
        error=error,
        warnings=list(item.get("warnings", ())),
    )


def _records(items: Iterable[Mapping[str, Any]], result: QueryResult) -> list[dns.rrset.RRset]:
    """The reply's own RRsets that the JSON lists, in its order (one per name and type)."""
    if result.response is None:
        return []
    sections = [*result.response.answer, *result.response.authority, *result.response.additional]
    found: list[dns.rrset.RRset] = []
    for item in items:
        name = dns.name.from_text(item["name"])
        rdtype = dns.rdatatype.from_text(item["type"])
        rrset = next((r for r in sections if r.name == name and r.rdtype == rdtype), None)
        if rrset is not None and not any(rrset is seen for seen in found):
            found.append(rrset)
    return found


def _parse(wire: bytes) -> dns.message.Message:
    try:
        return dns.message.from_wire(wire)
    except dns.message.TrailingJunk:
        # Kept as it arrived: the live run read it the same way (and warned).
        return dns.message.from_wire(wire, ignore_trailing=True)


def _hostname(item: Mapping[str, Any]) -> Hostname:
    return Hostname(item["hostname"], item["hostname_ascii"], item.get("reverse_of"))


def _ascii(text: str) -> str:
    return dns.name.from_text(text).to_text()


_OPTION_FIELDS = {f.name for f in fields(QueryOptions)}


def _options(options: Mapping[str, Any]) -> QueryOptions:
    """Query options from a block's ``options`` or the look-up's ``=on`` options."""
    if "recurse" in options:
        return QueryOptions(**{k: v for k, v in options.items() if k in _OPTION_FIELDS})
    return QueryOptions(
        tcp=bool(options.get("tcp")),
        recurse=not options.get("norecursive"),
        dnssec=bool(options.get("dnssec")),
        nsid=bool(options.get("nsid")),
    )


def _addresses(texts: Iterable[str]) -> Iterator[IPAddress]:
    for text in texts:
        try:
            yield ipaddress.ip_address(text)
        except ValueError:
            continue  # a server name: its addresses are in the findings


def _plan_type(text: str) -> dns.rdatatype.RdataType:
    return dns.rdatatype.PTR if text == REVERSE else dns.rdatatype.from_text(text)
