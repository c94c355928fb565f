"""The OpenAPI component schemas of ``/api/v1/lookup``: the JSON that
:mod:`webdig.output.jsonbody` writes for a look-up, and the 400 body every endpoint shares.

Each object schema lists every property as required and allows no others
(:func:`~webdig.web.schemaparts.object_schema`).  The ``ns`` modes, the option names and the
roles come from the engine's own tables, so they cannot drift from what the API returns; the
check's schemas are in :mod:`webdig.web.checkschemas`.
"""

from __future__ import annotations

from typing import Any

from webdig.engine.query import CLASSES
from webdig.engine.result import ErrorKind
from webdig.lookup.modes import Role
from webdig.lookup.params import DigFlag, Flag, Mode
from webdig.web.schemaparts import STRINGS, finding_fields, nullable, object_schema, ref


def _exchange_fields() -> dict[str, Any]:
    """How a query went, besides its reply: what draws the result again exactly."""
    options = {
        "tcp": {"type": "boolean"},
        "recurse": {"type": "boolean"},
        "dnssec": {"type": "boolean"},
        "nsid": {"type": "boolean"},
        "cd": {"type": "boolean"},
        "adflag": {"type": "boolean"},
        "edns": {"type": "boolean"},
        "bufsize": {"type": "integer"},
        "cookie": {"type": "boolean"},
        "subnet": nullable({"type": "string"}),
        "tries": nullable({"type": "integer"}),
        "timeout": nullable({"type": "number"}),
    }
    return {
        "started": {
            "type": "string",
            "format": "date-time",
            "description": "When the query was sent (dig's WHEN line).",
        },
        "query_class": {"enum": list(CLASSES)},
        "reverse_of": nullable(
            {"type": "string", "description": "For a reverse look-up, the address asked about."}
        ),
        "options": object_schema(
            options, "What the query asked: dig's +tcp, +norecurse, +dnssec, +cd, +bufsize…"
        ),
        "warnings": {**STRINGS, "description": "dig's remarks printed before the reply."},
        "error_kind": nullable({"enum": [str(kind) for kind in ErrorKind]}),
        "error_dig": nullable({"type": "string", "description": "The failure as dig prints it."}),
    }


def schemas() -> dict[str, Any]:
    """The component schemas of the look-up: the response, its parts, and the 400 body."""
    count = {"type": "integer", "minimum": 0}
    return {
        "LookupResponse": object_schema(
            {
                "query": ref("Query"),
                "headlines": {
                    "type": "array",
                    "items": ref("Finding"),
                    "description": "One per hostname, in the order given: the answer to the "
                    "question asked (with expected: does A/AAAA point at that server; without: "
                    "what the servers answer). headline.* codes.",
                },
                "results": {"type": "array", "items": ref("Result")},
                "verdicts": {
                    "type": "array",
                    "items": ref("Check"),
                    "description": "Verdicts across servers: delegation, consistency, IPv6…",
                },
                "comparison": {
                    "type": "array",
                    "items": ref("ComparisonRow"),
                    "description": "Side by side, per server (auth and all modes, compare=on).",
                },
                "traces": {
                    "type": "array",
                    "items": ref("Trace"),
                    "description": "With trace=on: the walk from the root, per hostname.",
                },
                "queries_sent": {
                    **count,
                    "description": "DNS queries webdig sent for this look-up.",
                },
                "notes": {**STRINGS, "description": "Remarks on the look-up as a whole."},
                "note_findings": {
                    "type": "array",
                    "items": ref("Finding"),
                    "description": "The same notes as findings (note.* codes), in the same order.",
                },
            },
            "A look-up: its canonical parameters and one result per (hostname × server).",
        ),
        "Query": object_schema(
            {
                "hostnames": STRINGS,
                "type": {"type": "string", "examples": ["A", "Reverse"]},
                "ns": {"enum": [str(mode) for mode in Mode]},
                "useresolver": nullable({"type": "string"}),
                "nameservers": STRINGS,
                "hosting": nullable({"type": "string"}),
                "expected": STRINGS,
                "options": object_schema(
                    {str(name): {"type": "boolean"} for name in (*Flag, *DigFlag)},
                    "The on/off options (dig's named as in dig: noall, multiline, cd…).",
                ),
                "class": {"enum": list(CLASSES)},
                "dig_values": {
                    "type": "object",
                    "description": "dig's +NAME=VALUE options given (bufsize, subnet, retry, "
                    "time).",
                    "additionalProperties": {"type": "string"},
                },
                "share_url": nullable({"type": "string", "format": "uri-reference"}),
            },
            "The parameters as understood; share_url opens the same look-up on the page.",
        ),
        "Result": object_schema(
            {
                "hostname": {"type": "string", "description": "As shown to people (Unicode)."},
                "hostname_ascii": {
                    "type": "string",
                    "description": "As sent on the wire (A-labels, trailing dot).",
                },
                "type": {"type": "string", "description": "Type asked (PTR for Reverse)."},
                "mode": {
                    "enum": [str(role) for role in Role],
                    "description": "The server's role: how the ns mode found it.",
                },
                "companion": {
                    "type": "boolean",
                    "description": "The other address family's query (AAAA next to A, or A "
                    "next to AAAA), sent because expected was given.",
                },
                "server": ref("Server"),
                "status": nullable(
                    {"type": "string", "examples": ["NOERROR", "NXDOMAIN", "REFUSED"]}
                ),
                "error": nullable(
                    {"type": "string", "description": "Why no reply came, in plain words."}
                ),
                "flags": {**STRINGS, "examples": [["qr", "aa", "rd"]]},
                "transport": {"enum": ["udp", "tcp"]},
                "query_time_ms": nullable(count),
                "msg_size": nullable(count),
                "answer": {"type": "array", "items": ref("Record")},
                "authority": {"type": "array", "items": ref("Record")},
                "additional": {"type": "array", "items": ref("Record")},
                "dig": {"type": "string", "description": "The full output dig prints."},
                "verdict": nullable(ref("Verdict")),
                **_exchange_fields(),
            },
            "One query to one server. status is null (and error set) when no reply came.",
        ),
        "Server": object_schema(
            {
                "name": nullable({"type": "string"}),
                "address": {"type": "string"},
                "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            },
            "The server asked; name is null when it was given as an address.",
        ),
        "Record": object_schema(
            {
                "name": {"type": "string"},
                "ttl": count,
                "class": {"type": "string"},
                "type": {"type": "string"},
                "data": {"type": "string", "description": "The record data as dig prints it."},
            },
            "One resource record.",
        ),
        "Verdict": object_schema(
            {
                "status": {
                    "enum": ["match", "mismatch", "no-answer", "error"],
                    "description": "Fixed by the code (answer.match is match; answer.mismatch, "
                    "answer.mixed and answer.other-family are mismatch; answer.nxdomain, "
                    "answer.no-record and answer.referral are no-answer; the rest error).",
                },
                "matched": {**STRINGS, "description": "Answered addresses that were expected."},
                "unexpected": {**STRINGS, "description": "Answered addresses not expected."},
                **finding_fields(),
                "message": {"type": "string", "description": "The verdict in one sentence."},
                "notes": STRINGS,
                "note_findings": {"type": "array", "items": ref("Finding")},
            },
            "Whether the A/AAAA answer (after CNAMEs) is the expected address.",
        ),
        "ComparisonRow": object_schema(
            {
                "hostname": {"type": "string"},
                "server": {"type": "string"},
                "address": {"type": "string"},
                "port": {"type": "integer"},
                "mode": {"type": "string"},
                "answer": {"type": "string", "description": "Answered data, NXDOMAIN or error."},
                "ttl": nullable(count),
                "matches": nullable({"type": "boolean"}),
                "group": {"type": "string", "description": "Same letter: same answer."},
                "odd": {"type": "boolean", "description": "Disagrees with the others."},
            },
            "One server's answer for one hostname.",
        ),
        "Trace": object_schema(
            {
                "hostname": {"type": "string"},
                "hostname_ascii": {"type": "string"},
                "type": {"type": "string"},
                "steps": {"type": "array", "items": ref("TraceStep")},
                "problem": nullable({"type": "string"}),
                "dig": {"type": "string", "description": "The walk as dig +trace prints it."},
            },
            "An iterative resolution from the root servers.",
        ),
        "TraceStep": object_schema(
            {
                "server": ref("Server"),
                "status": nullable({"type": "string"}),
                "error": nullable({"type": "string"}),
                "records": {"type": "array", "items": ref("Record")},
                "question": object_schema(
                    {"name": {"type": "string"}, "type": {"type": "string"}},
                    "The question this step asked (the root's NS for the first step).",
                ),
                "flags": STRINGS,
                "transport": {"enum": ["udp", "tcp"]},
                "query_time_ms": nullable(count),
                "msg_size": nullable(count),
                **_exchange_fields(),
            },
            "One reply on the way down (a referral, the answer, or a failure).",
        ),
        "Check": object_schema(
            {
                "kind": {
                    "type": "string",
                    "examples": ["consistency", "delegation", "ipv6", "cache", "expected"],
                },
                "status": {
                    "enum": ["ok", "warn", "fail"],
                    "description": "From level: pass and info are ok, unknown is warn.",
                },
                **finding_fields(),
                "message": {"type": "string"},
            },
            "One verdict across servers, in plain words.",
        ),
        "Finding": object_schema(
            {**finding_fields(), "message": {"type": "string"}},
            "One finding: its code, level and parameters, and its sentence.",
        ),
        "Error": object_schema(
            {
                "error": {"type": "string", "description": "What is wrong, in one sentence."},
                "fields": {
                    "type": "object",
                    "description": "Messages keyed by the parameter they concern.",
                    "additionalProperties": STRINGS,
                },
            },
            "Invalid input.",
        ),
    }
