"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Built from the same tables the engine uses (the ``on`` options, the
resolver presets, the limits in :class:`~webdig.settings.Settings`), so
the document cannot drift from what the API accepts.  The response
schemas match :mod:`webdig.export` exactly (no extra properties).
"""

from __future__ import annotations

from typing import Any

from webdig.checks import CHECK_IDS
from webdig.hosting import hosting_presets
from webdig.params import FLAGS, MODES
from webdig.settings import SYSTEM, Settings

API_VERSION = "1.0.0"

_OPTION_HELP = {
    "short": "Print only the record data, like dig +short (text output).",
    "stats": "Show the full dig output on the page, statistics included.",
    "norecursive": "Clear the RD bit, like dig +norecurse.",
    "tcp": "Query over TCP from the start, like dig +tcp.",
    "dnssec": "Set the DO bit to ask for DNSSEC records, like dig +dnssec.",
    "nsid": "Ask the server for its NSID, like dig +nsid.",
    "showcommand": "Show the equivalent dig command line above each block.",
    "colorize": "Colour matching and non-matching answers on the page.",
    "trace": "Walk the delegation from the root servers down, like dig +trace.",
    "compare": "Add the side-by-side comparison of what each server answered.",
}


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


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_STRINGS = {"type": "array", "items": {"type": "string"}}


def parameters(settings: Settings) -> list[dict[str, Any]]:
    """The query parameters of ``/api/v1/lookup``: the page's, with the same names."""
    presets = ", ".join(f"{p.key} ({p.label})" for p in settings.presets)

    def param(name: str, description: str, **schema: Any) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": name == "hostnames",
            "description": description,
            "schema": {"type": "string", **schema},
        }

    return [
        param(
            "hostnames",
            "Names to look up, separated by newlines (also spaces or commas); "
            f"Unicode (IDN) allowed; at most {settings.max_hostnames}.",
            examples=["www.example.com"],
        ),
        param(
            "type",
            "Record type (A, AAAA, MX, TXT, TYPE65…; case-insensitive), or Reverse to "
            "turn IP addresses into PTR queries like dig -x. AXFR and IXFR are refused.",
            default="A",
        ),
        param(
            "ns",
            "Which servers to ask. resolver: the resolver named by useresolver; self: the "
            "nameservers listed in nameservers (or the hosting provider's); auth: every "
            "authoritative nameserver of the name; nic: the parent zone's (registry's) "
            "servers; all: every preset resolver and the authoritative servers. Defaults "
            "to self when only nameservers or hosting is given.",
            enum=list(MODES),
            default="resolver",
        ),
        param(
            "useresolver",
            f"With ns=resolver: {SYSTEM} (this server's own resolver) or one of {presets}.",
            default=SYSTEM,
        ),
        param(
            "nameservers",
            "With ns=self: nameservers separated by newlines: IP, IP:port, IP#port, "
            f"[IPv6]:port or a hostname such as ns1.example.jp; at most "
            f"{settings.max_nameservers}.",
        ),
        param(
            "hosting",
            "With ns=self and no nameservers: ask every nameserver of this hosting provider.",
            enum=[preset.key for preset in hosting_presets()],
        ),
        param(
            "expected",
            "The IPv4 and/or IPv6 addresses the A/AAAA answers should be (your server's IP), "
            "or your server's name (resolved to its addresses); separated by newlines, spaces "
            "or commas. Gives each A/AAAA result a verdict.",
        ),
        *(param(name, _OPTION_HELP[name], enum=["on"]) for name in FLAGS),
    ]


def check_parameters() -> list[dict[str, Any]]:
    """The query parameters of ``/api/v1/check``: the check page's, with the same names."""
    return [
        {
            "name": "domain",
            "in": "query",
            "required": True,
            "description": "The website's domain whose certificate should renew; Unicode "
            "(IDN) allowed.",
            "schema": {"type": "string", "examples": ["www.example.com"]},
        },
        {
            "name": "expected",
            "in": "query",
            "required": False,
            "description": "Your server's IPv4 and/or IPv6 addresses, or its server name "
            "(resolved to its addresses), separated by spaces, commas or newlines. Without it "
            "dns-points-here is a warning that shows what DNS answers.",
            "schema": {"type": "string", "examples": ["192.0.2.10", "sv12345.xserver.jp"]},
        },
    ]


def _check_schemas() -> dict[str, Any]:
    return {
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
                        "share_url": _nullable({"type": "string", "format": "uri"}),
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
                "checks": {
                    "type": "array",
                    "items": _ref("RenewalCheck"),
                    "description": "Every item, in the hosting manual's order.",
                },
                "queries_sent": {"type": "integer", "minimum": 0},
            },
            "The certificate-renewal checklist for one domain.",
        ),
        "RenewalCheck": _object(
            {
                "id": {"enum": list(CHECK_IDS)},
                "status": {"enum": ["pass", "warn", "fail", "skip"]},
                "title": {"type": "string", "description": "What was checked."},
                "detail": {"type": "string", "description": "What was found, in plain words."},
                "fix": {"type": "string", "description": "What to do (empty: nothing)."},
                "evidence": {"type": "array", "items": _ref("Evidence")},
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


def schemas() -> dict[str, Any]:
    """The component schemas: the lookup response, its parts, and the 400 body."""
    count = {"type": "integer", "minimum": 0}
    return {
        "LookupResponse": _object(
            {
                "query": _ref("Query"),
                "results": {"type": "array", "items": _ref("Result")},
                "verdicts": {
                    "type": "array",
                    "items": _ref("Check"),
                    "description": "Verdicts across servers: delegation, consistency, IPv6…",
                },
                "comparison": {
                    "type": "array",
                    "items": _ref("ComparisonRow"),
                    "description": "Side by side, per server (auth and all modes, compare=on).",
                },
                "traces": {
                    "type": "array",
                    "items": _ref("Trace"),
                    "description": "With trace=on: the walk from the root, per hostname.",
                },
                "queries_sent": {
                    **count,
                    "description": "DNS queries webdig sent for this look-up.",
                },
                "notes": {**_STRINGS, "description": "Remarks on the look-up as a whole."},
            },
            "A look-up: its canonical parameters and one result per (hostname × server).",
        ),
        "Query": _object(
            {
                "hostnames": _STRINGS,
                "type": {"type": "string", "examples": ["A", "Reverse"]},
                "ns": {"enum": list(MODES)},
                "useresolver": _nullable({"type": "string"}),
                "nameservers": _STRINGS,
                "hosting": _nullable({"type": "string"}),
                "expected": _STRINGS,
                "options": _object(
                    {name: {"type": "boolean"} for name in FLAGS}, "The on/off options."
                ),
                "share_url": _nullable({"type": "string", "format": "uri"}),
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
                    "enum": ["resolver", "self", "auth", "nic", "trace"],
                    "description": "The server's role: how the ns mode found it.",
                },
                "companion": {
                    "type": "boolean",
                    "description": "The other address family's query (AAAA next to A, or A "
                    "next to AAAA), sent because expected was given.",
                },
                "server": _ref("Server"),
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
                "answer": {"type": "array", "items": _ref("Record")},
                "authority": {"type": "array", "items": _ref("Record")},
                "additional": {"type": "array", "items": _ref("Record")},
                "dig": {"type": "string", "description": "The full output dig prints."},
                "verdict": _nullable(_ref("Verdict")),
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
                "status": {"enum": ["match", "mismatch", "no-answer", "error"]},
                "matched": {**_STRINGS, "description": "Answered addresses that were expected."},
                "unexpected": {**_STRINGS, "description": "Answered addresses not expected."},
                "message": {"type": "string", "description": "The verdict in one sentence."},
                "notes": _STRINGS,
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
                "type": {"type": "string"},
                "steps": {"type": "array", "items": _ref("TraceStep")},
                "problem": _nullable({"type": "string"}),
                "dig": {"type": "string", "description": "The walk as dig +trace prints it."},
            },
            "An iterative resolution from the root servers.",
        ),
        "TraceStep": _object(
            {
                "server": _ref("Server"),
                "status": _nullable({"type": "string"}),
                "error": _nullable({"type": "string"}),
                "records": {"type": "array", "items": _ref("Record")},
            },
            "One reply on the way down (a referral, the answer, or a failure).",
        ),
        "Check": _object(
            {
                "kind": {
                    "type": "string",
                    "examples": ["consistency", "delegation", "ipv6", "cache", "expected"],
                },
                "status": {"enum": ["ok", "warn", "fail"]},
                "message": {"type": "string"},
            },
            "One verdict across servers, in plain words.",
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


def _responses(schema: str, ran: str, invalid: str) -> dict[str, Any]:
    return {
        "200": {"description": ran, "content": {"application/json": {"schema": _ref(schema)}}},
        "400": {
            "description": invalid,
            "content": {"application/json": {"schema": _ref("Error")}},
        },
    }


def document(settings: Settings) -> dict[str, Any]:
    """The OpenAPI 3.1 document of this installation's API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "webdig API",
            "version": API_VERSION,
            "description": "dig in the browser: ask a chosen nameserver, get dig's answer "
            "and a verdict on whether A/AAAA records match your server's IP; or run the whole "
            "checklist of a failed Let's Encrypt renewal for a domain.",
        },
        "paths": {
            "/api/v1/lookup": {
                "get": {
                    "operationId": "lookup",
                    "summary": "Look up names at a nameserver, as the page does",
                    "parameters": parameters(settings),
                    "responses": _responses(
                        "LookupResponse", "The look-up ran.", "Invalid input; nothing was sent."
                    ),
                }
            },
            "/api/v1/check": {
                "get": {
                    "operationId": "check",
                    "summary": "Run the certificate-renewal checklist for a domain",
                    "description": "Domain exists, DNS points at your server, CAA, the HTTP-01 "
                    "challenge path, the certificate served now, and the CA's status; all at "
                    "once, as the /check page does.",
                    "parameters": check_parameters(),
                    "responses": _responses(
                        "RenewalReport",
                        "The checklist ran (a failing item is data, not an error).",
                        "Invalid domain or expected; the messages are keyed by field.",
                    ),
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": schemas()},
    }
