"""Results as JSON-able data: the bodies of ``/api/v1/lookup`` and ``/api/v1/check``, and
of ``webdig lookup --json`` and ``webdig check --json``.

Pure functions over :class:`~webdig.lookup.run.Outcome` and
:class:`~webdig.renewal.report.RenewalReport`; no Flask, no I/O.
The shape is described, field by field, in :mod:`webdig.web.openapi`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

import dns.rdatatype
import dns.rrset

from webdig.dig.display import Display, from_flags
from webdig.dig.message import render_full
from webdig.dig.records import class_text, name_text, rdata_text, type_text
from webdig.dig.trace import render_trace
from webdig.engine.query import QueryOptions, Server, parse_type
from webdig.engine.result import QueryResult
from webdig.findings.catalog import Translations, join, sentence
from webdig.findings.model import Finding, Level
from webdig.language.message import Message, say
from webdig.lookup.answers import Verdict
from webdig.lookup.block import Block
from webdig.lookup.crosschecks import check_of
from webdig.lookup.headline import headlines
from webdig.lookup.params import ON_OPTIONS, Flag, LookupParams, Mode
from webdig.lookup.run import Outcome
from webdig.lookup.trace import Trace
from webdig.renewal.failuretext import Decoded
from webdig.renewal.items import CheckResult
from webdig.renewal.report import RenewalReport


def outcome_to_json(
    outcome: Outcome, *, share_url: str | None, translations: Translations | None = None
) -> dict[str, Any]:
    """The whole look-up: the canonical query, one result per block, the cross-server
    verdicts (delegation, consistency, IPv6, caches…), the comparison table, traces and
    general notes, and first the headlines: one per hostname, the answer to the question asked.

    ``translations`` words every ``message`` in the reader's language; codes and
    parameters never change with it."""
    params = outcome.plan.params
    display = from_flags(params.flag)
    sort = params.flag(Flag.SORT)
    return {
        "query": {**params_to_json(params), "share_url": share_url},
        "headlines": [finding_to_json(found, translations) for found in headlines(outcome)],
        "results": [
            block_to_json(block, translations, display, sort=sort) for block in outcome.blocks
        ],
        "verdicts": [
            {
                "kind": check_of(finding),
                "status": CHECK_STATUS[finding.level],
                **finding_to_json(finding, translations),
            }
            for finding in outcome.verdicts
        ],
        "comparison": [asdict(row) for row in outcome.comparison],
        "traces": [trace_to_json(walk) for walk in outcome.traces],
        "queries_sent": outcome.queries_sent,
        "notes": [sentence(note, translations) for note in outcome.notes],
        "note_findings": [finding_to_json(note, translations) for note in outcome.notes],
    }


CHECK_STATUS: dict[Level, str] = {
    Level.PASS: "ok",
    Level.INFO: "ok",
    Level.WARN: "warn",
    Level.UNKNOWN: "warn",
    Level.FAIL: "fail",
}
"""API v1's status of a cross-server finding: ``unknown`` shows as ``warn``, ``info`` as ``ok``."""


def finding_to_json(
    finding: Finding, translations: Translations | None = None, *, message: bool = True
) -> dict[str, Any]:
    """A finding as the API shows it: its code, level and parameters (the same in every
    language), and its sentence in the language of ``translations``."""
    shown: dict[str, Any] = {
        "code": finding.code,
        "level": str(finding.level),
        "params": finding.json_params(),
    }
    if message:
        shown["message"] = sentence(finding, translations)
    return shown


def check_to_json(check: CheckResult, translations: Translations | None = None) -> dict[str, Any]:
    """One checklist item: API v1's status, words and evidence, then its findings as data."""
    return {
        "id": check.id,
        "status": check.status,
        "title": check.title,
        "detail": check.detail_in(translations),
        "fix": check.fix_in(translations),
        "evidence": [asdict(piece) for piece in check.evidence],
        **finding_to_json(check.findings[0], message=False),
        "level": str(check.level),
        "findings": [finding_to_json(finding, translations) for finding in check.findings],
        "fixes": [finding_to_json(advice, translations) for advice in check.fixes],
        "name": check.name,
        "zone": check.zone,
    }


def report_to_json(
    report: RenewalReport, *, share_url: str | None, translations: Translations | None = None
) -> dict[str, Any]:
    """The renewal checklist: what was checked, the summary sentence, and every item with its
    status, words, fix and raw evidence, in the hosting manual's order, each with the name
    (or zone) it is about; then every name checked, and remarks on them."""
    return {
        "query": {
            "domain": report.domain,
            "expected": report.expected,
            "share_url": share_url,
            "domains": report.domains,
            "only": report.only,
            "method": report.method,
        },
        "status": report.summary_status,
        "summary": report.summary_in(translations),
        **finding_to_json(report.headline, message=False),
        "checks": [check_to_json(check, translations) for check in report.checks],
        "queries_sent": report.queries_sent,
        "names": [asdict(name) for name in report.names],
        "notes": [finding_to_json(note, translations) for note in report.notes],
    }


def decoded_to_json(decoded: Decoded, translations: Translations | None = None) -> dict[str, Any]:
    """A pasted failure, read: its cause code, the item it points at, the domain and the
    hosting company it names, the words recognised, and the cause as a finding."""
    return {
        "cause": str(decoded.cause),
        "recognised": decoded.recognised,
        "check": str(decoded.check) if decoded.check is not None else None,
        "domain": decoded.domain,
        "host": decoded.host,
        "matched": decoded.matched,
        **finding_to_json(decoded.finding, translations),
    }


def trace_to_json(walk: Trace) -> dict[str, Any]:
    """One +trace walk: each step's server and records, and dig's trace text."""
    return {
        "hostname": walk.hostname.text,
        "hostname_ascii": walk.hostname.ascii,
        "type": dns.rdatatype.to_text(walk.rdtype),
        "steps": [
            {
                "server": _server_json(step.result.query.server),
                "status": step.result.rcode,
                "error": step.result.error.message if step.result.error else None,
                "records": records_to_json(step.records),
                "question": {
                    "name": step.result.query.hostname.ascii,
                    "type": step.result.query.type_text,
                },
                "flags": step.result.flags,
                "transport": step.result.transport,
                "query_time_ms": step.result.elapsed_ms if step.result.ok else None,
                "msg_size": step.result.wire_size if step.result.ok else None,
                **exchange_to_json(step.result),
            }
            for step in walk.steps
        ],
        "problem": walk.problem,
        "dig": render_trace(walk),
    }


def exchange_to_json(result: QueryResult) -> dict[str, Any]:
    """What dig prints about the exchange besides the reply: when it was sent, with which
    options, dig's warnings, and how it failed.  With the raw reply, this is enough to
    draw the result again exactly (:mod:`webdig.output.restore`)."""
    error = result.error
    return {
        "started": result.started.isoformat(),
        "query_class": class_text(result.query.rdclass),
        "reverse_of": result.query.hostname.address,
        "options": dict(_options_json(result.query.options)),
        "warnings": list(result.warnings),
        "error_kind": str(error.kind) if error is not None else None,
        "error_dig": error.dig_line if error is not None else None,
    }


@functools.lru_cache(maxsize=256)
def _options_json(options: QueryOptions) -> dict[str, Any]:
    # Nearly every query goes out with one of a few option sets, and asdict() is slow.
    return asdict(options)


def _server_json(server: Server) -> dict[str, Any]:
    return {"name": server.name, "address": server.address, "port": server.port}


def params_to_json(params: LookupParams) -> dict[str, Any]:
    """The look-up parameters with lists for lists and booleans for the ``on`` options.

    Every key is always present, so clients need not test for them:
    ``useresolver`` is null unless ``ns`` is ``resolver``; ``nameservers``
    is empty and ``hosting`` null unless ``ns`` is ``self``.
    """
    own = params.ns == Mode.SELF
    return {
        "hostnames": list(params.hostnames),
        "type": parse_type(params.type),
        "ns": params.ns,
        "useresolver": params.useresolver if params.ns == Mode.RESOLVER else None,
        "nameservers": list(params.nameservers) if own else [],
        "hosting": (params.hosting or None) if own else None,
        "expected": list(params.expected),
        "options": {name: name in params.flags for name in _OPTION_NAMES},
        "class": params.rdclass.upper(),
        "dig_values": {str(name): value for name, value in params.values},
    }


# The options' names, spelled once: str() of each enum member on every request cost more
# than the rest of the parameters (a member equals and hashes as its text).
_OPTION_NAMES = tuple(str(name) for name in ON_OPTIONS)


def block_to_json(
    block: Block,
    translations: Translations | None = None,
    display: Display | None = None,
    *,
    sort: bool = False,
) -> dict[str, Any]:
    """One (hostname × server) result, its records, its dig text (sections sorted with
    ``sort``) and its verdict."""
    result = block.result
    query = result.query
    replied = result.response is not None
    return {
        "hostname": query.hostname.text,
        "hostname_ascii": query.hostname.ascii,
        "type": query.type_text,
        "mode": block.mode,
        "companion": block.companion,
        "server": _server_json(query.server),
        "status": result.rcode,
        "error": result.error.message if result.error is not None else None,
        "flags": result.flags,
        "transport": result.transport,
        "query_time_ms": result.elapsed_ms if replied else None,
        "msg_size": result.wire_size if replied else None,
        "answer": records_to_json(result.answer),
        "authority": records_to_json(result.authority),
        "additional": records_to_json(result.additional),
        "dig": render_full(result, display=display or Display(), sort=sort),
        "verdict": verdict_to_json(block.verdict, translations),
        **exchange_to_json(result),
    }


def records_to_json(rrsets: Sequence[dns.rrset.RRset]) -> list[dict[str, Any]]:
    """One object per record; ``type`` and ``data`` are spelled exactly as dig prints them."""
    return [
        {
            "name": name_text(rrset.name),
            "ttl": rrset.ttl,
            "class": class_text(rrset.rdclass),
            "type": type_text(rrset.rdtype),
            "data": rdata_text(rdata),
        }
        for rrset in rrsets
        for rdata in rrset
    ]


def verdict_to_json(
    verdict: Verdict | None, translations: Translations | None = None
) -> dict[str, Any] | None:
    """The verdict's status, evidence and sentence, or None when nothing was judged."""
    if verdict is None:
        return None
    return {
        "status": verdict.status,
        "matched": list(verdict.matched),
        "unexpected": list(verdict.unexpected),
        **finding_to_json(verdict.finding, translations),
        "notes": [sentence(note, translations) for note in verdict.notes],
        "note_findings": [finding_to_json(note, translations) for note in verdict.notes],
    }


def errors_to_json(
    fields: Mapping[str, Sequence[str]], translations: Translations | None = None
) -> dict[str, Any]:
    """The body of a 400: one sentence for the whole request, then messages by field, in the
    language of ``translations`` (field names are the parameters' own, never translated)."""
    gettext = translations.gettext if translations is not None else None
    said = {name: [say(m, gettext) for m in ms] for name, ms in fields.items()}
    messages = [message for field_messages in said.values() for message in field_messages]
    names = list(fields)
    if len(messages) == 1:
        error = messages[0]
    elif len(names) == 1:
        summary = Message(
            "There are {count} problems with {field}; see fields.",
            count=len(messages),
            field=names[0],
        )
        error = say(summary, gettext)
    else:
        summary = Message(
            "There are {count} problems, with {fields}; see fields.",
            count=len(messages),
            fields=join(names, translations=translations),
        )
        error = say(summary, gettext)
    return {"error": error, "fields": said}
