"""The OpenAPI document's component schemas: the JSON that :mod:`webdig.output.jsonbody` writes.

Each object schema lists every property as required and allows no others,
so an export field without a line here fails the API tests' validation.
The ``ns`` modes, the option names and the check ids come from the
engine's own tables, so they cannot drift from what the API returns.
"""

from __future__ import annotations

from typing import Any

from webdig.engine.query import CLASSES
from webdig.engine.result import ErrorKind
from webdig.findings.catalog import codes
from webdig.findings.model import Level
from webdig.lookup.modes import Role
from webdig.lookup.params import DigFlag, Flag, Mode
from webdig.renewal.dns01 import Method
from webdig.renewal.failuretext import MAX_TEXT, Cause
from webdig.renewal.items import CheckId
from webdig.renewal.names import NameSource


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def ref(name: str) -> dict[str, str]:
    """A JSON reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


_STRINGS = {"type": "array", "items": {"type": "string"}}


def finding_fields() -> dict[str, Any]:
    """``code``, ``level`` and ``params``: the fields every finding adds next to its sentence."""
    return {
        "code": {
            "enum": codes(),
            "description": "What was found, stable and machine-readable; the README's finding "
            "table says what each code means.",
        },
        "level": {
            "enum": [str(level) for level in Level],
            "description": "pass: checked and right; warn: worth a look; fail: wrong, this "
            "breaks it; unknown: webdig could not tell (no replies, or a query not sent); "
            "info: a fact, no judgement. The older status field maps it to its own values.",
        },
        "params": {
            "type": "object",
            "description": "The names, addresses and counts the sentence is made from; never "
            "translated.",
        },
    }


def _check_schemas() -> dict[str, Any]:
    schemas = {
        "RenewalReport": _object(
            {
                "query": _object(
                    {
                        "domain": {"type": "string"},
                        "expected": {
                            **_STRINGS,
                            "description": "The addresses answers were compared with "
                            "(server names resolved).",
                        },
                        "share_url": _nullable({"type": "string", "format": "uri-reference"}),
                        "domains": {
                            **_STRINGS,
                            "description": "Every name typed, in order; domain is the first.",
                        },
                        "only": {
                            "type": "boolean",
                            "description": "Only the names typed were checked: no www/bare "
                            "counterparts, no names from the certificate.",
                        },
                        "method": {
                            "enum": [str(m) for m in Method],
                            "description": "dns-01: the user said the renewal uses DNS-01.",
                        },
                    },
                    "The check as understood; share_url opens it on the page.",
                ),
                "status": {
                    "enum": ["pass", "warn", "fail"],
                    "description": "fail: an item blocks the renewal; warn: an item deserves "
                    "a look; pass: nothing stops it.",
                },
                "summary": {
                    "type": "string",
                    "description": "One sentence naming the item that most likely broke the "
                    "renewal, and its fix.",
                },
                **finding_fields(),
                "checks": {
                    "type": "array",
                    "items": ref("RenewalCheck"),
                    "description": "Every item, in the hosting manual's order.",
                },
                "queries_sent": {"type": "integer", "minimum": 0},
                "names": {
                    "type": "array",
                    "items": ref("CheckedName"),
                    "description": "Every name of the check: typed, their counterparts, the "
                    "names on the certificate served now (wildcards noted, not checked).",
                },
                "notes": {
                    "type": "array",
                    "items": ref("Finding"),
                    "description": "Remarks on the names: wildcards, names past the cap.",
                },
                "decoded": {
                    **ref("Decoded"),
                    "description": "Only with error or cause: what the pasted failure says.",
                },
            },
            "The certificate-renewal checklist for one or more names.",
        ),
        **_decode_schemas(),
        "CheckedName": _object(
            {
                "name": {"type": "string"},
                "source": {
                    "enum": [str(source) for source in NameSource],
                    "description": "typed; counterpart: the www/bare twin of a typed name; "
                    "certificate: on the certificate the site serves now.",
                },
                "wildcard": {"type": "boolean", "description": "A *. name: noted, not probed."},
                "checked": {
                    "type": "boolean",
                    "description": "Whether its items ran (not for wildcards, nor past the "
                    "limit of names per check).",
                },
            },
            "One name the check covers, and why.",
        ),
        "RenewalCheck": _object(
            {
                "id": {"enum": [str(check) for check in CheckId]},
                "status": {
                    "enum": ["pass", "warn", "fail", "skip"],
                    "description": "From level: unknown (not checked) is skip, info is pass.",
                },
                "title": {"type": "string", "description": "What was checked."},
                "detail": {"type": "string", "description": "What was found, in plain words."},
                "fix": {"type": "string", "description": "What to do (empty: nothing)."},
                "evidence": {"type": "array", "items": ref("Evidence")},
                **finding_fields(),
                "findings": {
                    "type": "array",
                    "items": ref("Finding"),
                    "description": "What detail says, one finding per sentence; code, level "
                    "and params above are the first one's, except that level is the item's.",
                },
                "fixes": {
                    "type": "array",
                    "items": ref("Finding"),
                    "description": "What fix says, one fix.* finding per sentence.",
                },
                "name": {
                    **_nullable({"type": "string"}),
                    "description": "The name the item is about; null for a zone's item "
                    "(domain-exists) or the whole check's (ca-status).",
                },
                "zone": {
                    **_nullable({"type": "string"}),
                    "description": "For a zone's item, the domain it is about; else null.",
                },
            },
            "One checklist item.",
        ),
        "Evidence": _object(
            {
                "title": {"type": "string"},
                "text": {
                    "type": "string",
                    "description": "dig output, an HTTP exchange or certificate fields.",
                },
            },
            "Raw material behind an item's verdict.",
        ),
    }
    # decoded comes only with error= or cause=: the one property a report may lack.
    schemas["RenewalReport"]["required"].remove("decoded")
    return schemas


def _decode_schemas() -> dict[str, Any]:
    decoded = {
        "cause": {
            "enum": [str(cause) for cause in Cause],
            "description": "What the text says went wrong (the cause= of a /check link); "
            "not-recognised when webdig does not know the wording.",
        },
        "recognised": {"type": "boolean"},
        "check": {
            **_nullable({"enum": [str(check) for check in CheckId]}),
            "description": "The checklist item the cause points at; null: no single item "
            "(a rate limit, a hosting mail that does not say why, or not recognised).",
        },
        "domain": {
            **_nullable({"type": "string"}),
            "description": "The first domain the text names that is not the CA's or a "
            "hosting company's.",
        },
        "host": _nullable({"enum": ["xserver", "sakura", "conoha"]}),
        "matched": {
            **_nullable({"type": "string"}),
            "description": "The words recognised, as they appear in the text.",
        },
        **finding_fields(),
        "message": {"type": "string", "description": "The cause in plain words, in lang."},
    }
    return {
        "Decoded": _object(decoded, "A pasted failure mail or error, read."),
        "DecodeRequest": _object(
            {"text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}},
            "The failure mail or error text.",
        ),
        "DecodeResponse": _object(
            {
                **decoded,
                "check_url": {
                    **_nullable({"type": "string", "format": "uri-reference"}),
                    "description": "The /check page for the domain found, with this cause; "
                    "null when the text names no domain.",
                },
            },
            "A pasted failure mail or error, read, and the check to run.",
        ),
    }


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
        "subnet": _nullable({"type": "string"}),
        "tries": _nullable({"type": "integer"}),
        "timeout": _nullable({"type": "number"}),
    }
    return {
        "started": {
            "type": "string",
            "format": "date-time",
            "description": "When the query was sent (dig's WHEN line).",
        },
        "query_class": {"enum": list(CLASSES)},
        "reverse_of": _nullable(
            {"type": "string", "description": "For a reverse look-up, the address asked about."}
        ),
        "options": _object(
            options, "What the query asked: dig's +tcp, +norecurse, +dnssec, +cd, +bufsize…"
        ),
        "warnings": {**_STRINGS, "description": "dig's remarks printed before the reply."},
        "error_kind": _nullable({"enum": [str(kind) for kind in ErrorKind]}),
        "error_dig": _nullable({"type": "string", "description": "The failure as dig prints it."}),
    }


def schemas() -> dict[str, Any]:
    """The component schemas: the lookup response, its parts, and the 400 body."""
    count = {"type": "integer", "minimum": 0}
    return {
        "LookupResponse": _object(
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
                "notes": {**_STRINGS, "description": "Remarks on the look-up as a whole."},
                "note_findings": {
                    "type": "array",
                    "items": ref("Finding"),
                    "description": "The same notes as findings (note.* codes), in the same order.",
                },
            },
            "A look-up: its canonical parameters and one result per (hostname × server).",
        ),
        "Query": _object(
            {
                "hostnames": _STRINGS,
                "type": {"type": "string", "examples": ["A", "Reverse"]},
                "ns": {"enum": [str(mode) for mode in Mode]},
                "useresolver": _nullable({"type": "string"}),
                "nameservers": _STRINGS,
                "hosting": _nullable({"type": "string"}),
                "expected": _STRINGS,
                "options": _object(
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
                "share_url": _nullable({"type": "string", "format": "uri-reference"}),
            },
            "The parameters as understood; share_url opens the same look-up on the page.",
        ),
        "Result": _object(
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
                "status": _nullable(
                    {"type": "string", "examples": ["NOERROR", "NXDOMAIN", "REFUSED"]}
                ),
                "error": _nullable(
                    {"type": "string", "description": "Why no reply came, in plain words."}
                ),
                "flags": {**_STRINGS, "examples": [["qr", "aa", "rd"]]},
                "transport": {"enum": ["udp", "tcp"]},
                "query_time_ms": _nullable(count),
                "msg_size": _nullable(count),
                "answer": {"type": "array", "items": ref("Record")},
                "authority": {"type": "array", "items": ref("Record")},
                "additional": {"type": "array", "items": ref("Record")},
                "dig": {"type": "string", "description": "The full output dig prints."},
                "verdict": _nullable(ref("Verdict")),
                **_exchange_fields(),
            },
            "One query to one server. status is null (and error set) when no reply came.",
        ),
        "Server": _object(
            {
                "name": _nullable({"type": "string"}),
                "address": {"type": "string"},
                "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            },
            "The server asked; name is null when it was given as an address.",
        ),
        "Record": _object(
            {
                "name": {"type": "string"},
                "ttl": count,
                "class": {"type": "string"},
                "type": {"type": "string"},
                "data": {"type": "string", "description": "The record data as dig prints it."},
            },
            "One resource record.",
        ),
        "Verdict": _object(
            {
                "status": {
                    "enum": ["match", "mismatch", "no-answer", "error"],
                    "description": "Fixed by the code (answer.match is match; answer.mismatch, "
                    "answer.mixed and answer.other-family are mismatch; answer.nxdomain, "
                    "answer.no-record and answer.referral are no-answer; the rest error).",
                },
                "matched": {**_STRINGS, "description": "Answered addresses that were expected."},
                "unexpected": {**_STRINGS, "description": "Answered addresses not expected."},
                **finding_fields(),
                "message": {"type": "string", "description": "The verdict in one sentence."},
                "notes": _STRINGS,
                "note_findings": {"type": "array", "items": ref("Finding")},
            },
            "Whether the A/AAAA answer (after CNAMEs) is the expected address.",
        ),
        "ComparisonRow": _object(
            {
                "hostname": {"type": "string"},
                "server": {"type": "string"},
                "address": {"type": "string"},
                "port": {"type": "integer"},
                "mode": {"type": "string"},
                "answer": {"type": "string", "description": "Answered data, NXDOMAIN or error."},
                "ttl": _nullable(count),
                "matches": _nullable({"type": "boolean"}),
                "group": {"type": "string", "description": "Same letter: same answer."},
                "odd": {"type": "boolean", "description": "Disagrees with the others."},
            },
            "One server's answer for one hostname.",
        ),
        "Trace": _object(
            {
                "hostname": {"type": "string"},
                "hostname_ascii": {"type": "string"},
                "type": {"type": "string"},
                "steps": {"type": "array", "items": ref("TraceStep")},
                "problem": _nullable({"type": "string"}),
                "dig": {"type": "string", "description": "The walk as dig +trace prints it."},
            },
            "An iterative resolution from the root servers.",
        ),
        "TraceStep": _object(
            {
                "server": ref("Server"),
                "status": _nullable({"type": "string"}),
                "error": _nullable({"type": "string"}),
                "records": {"type": "array", "items": ref("Record")},
                "question": _object(
                    {"name": {"type": "string"}, "type": {"type": "string"}},
                    "The question this step asked (the root's NS for the first step).",
                ),
                "flags": _STRINGS,
                "transport": {"enum": ["udp", "tcp"]},
                "query_time_ms": _nullable(count),
                "msg_size": _nullable(count),
                **_exchange_fields(),
            },
            "One reply on the way down (a referral, the answer, or a failure).",
        ),
        "Check": _object(
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
        "Finding": _object(
            {**finding_fields(), "message": {"type": "string"}},
            "One finding: its code, level and parameters, and its sentence.",
        ),
        **_check_schemas(),
        "Error": _object(
            {
                "error": {"type": "string", "description": "What is wrong, in one sentence."},
                "fields": {
                    "type": "object",
                    "description": "Messages keyed by the parameter they concern.",
                    "additionalProperties": _STRINGS,
                },
            },
            "Invalid input.",
        ),
    }
