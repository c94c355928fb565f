"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Built from the same tables the engine uses (the ``on`` options, the
resolver presets, the limits in :class:`~webdig.settings.Settings`), so
the document cannot drift from what the API accepts.  The response
schemas, in :mod:`webdig.web.apischemas` and :mod:`webdig.web.checkschemas`, match
:mod:`webdig.output.jsonbody` exactly (no extra properties).
"""

from __future__ import annotations

from typing import Any

from webdig.engine.query import CLASSES
from webdig.lookup.hosting import hosting_presets
from webdig.lookup.params import CLASS_HELP, DigFlag, DigValue, Flag, Mode
from webdig.renewal.dns01 import Method
from webdig.renewal.failuretext import MAX_QUERY_TEXT, Cause
from webdig.settings import SYSTEM, Settings
from webdig.web import apischemas, checkschemas, failurepaste, snapshotopenapi
from webdig.web.schemaparts import ref

API_VERSION = "1.0.0"


def parameters(settings: Settings) -> list[dict[str, Any]]:
    """The query parameters of ``/api/v1/lookup``: the page's, with the same names."""
    presets = ", ".join(p.choice for p in settings.presets)

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
            f"Which servers to ask. {Mode.summary()}. Defaults to {Mode.SELF} when only "
            "nameservers or hosting is given.",
            enum=[str(mode) for mode in Mode],
            default=str(Mode.RESOLVER),
        ),
        param(
            "useresolver",
            f"With ns=resolver: {SYSTEM} (this server's own resolver), a service's name, or "
            f"one of {presets}. Any other public IP address is asked like a nameserver "
            "given in nameservers, with a note.",
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
        *(param(str(flag), flag.description, enum=["on"]) for flag in Flag),
        param("class", CLASS_HELP, enum=list(CLASSES), default="IN"),
        *(param(str(flag), flag.description, enum=["on"]) for flag in DigFlag),
        *(param(str(value), value.description) for value in DigValue),
    ]


def check_parameters() -> list[dict[str, Any]]:
    """The query parameters of ``/api/v1/check``: the check page's, with the same names."""
    return [
        {
            "name": "domain",
            "in": "query",
            "required": False,
            "description": "The website's domain whose certificate should renew; Unicode "
            "(IDN) allowed. Several: repeat the parameter or put one per line. Each name's "
            "www/bare counterpart and the names on the certificate served now are checked too "
            "(unless only=on). Required unless error names a domain.",
            "schema": {"type": "string", "examples": ["www.example.com"]},
            "style": "form",
            "explode": True,
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
        {
            "name": "only",
            "in": "query",
            "required": False,
            "description": "on: check only the names typed (no www/bare counterpart, no names "
            "from the certificate).",
            "schema": {"enum": ["on"]},
        },
        {
            "name": "method",
            "in": "query",
            "required": False,
            "description": "How the certificate is validated. auto (the default): HTTP-01, and "
            "the dns-01 item for a wildcard on the certificate served now; dns-01: every name "
            "gets the dns-01 item (its _acme-challenge TXT record must be there now) and "
            "http-challenge is shown for reference only.",
            "schema": {"enum": [str(m) for m in Method]},
        },
        {
            "name": "error",
            "in": "query",
            "required": False,
            "description": "A short failure text (an ACME error, a mail's subject), at most "
            f"{MAX_QUERY_TEXT} characters (longer: 413; POST it to /api/v1/decode). Read as "
            "POST /api/v1/decode reads it; the domain it names is checked when domain is not "
            "given; the result comes as decoded.",
            "schema": {"type": "string", "maxLength": MAX_QUERY_TEXT},
        },
        {
            "name": "cause",
            "in": "query",
            "required": False,
            "description": "The cause code a decoded text gave (links carry it instead of the "
            "text); shown as decoded. Ignored when error is given.",
            "schema": {"enum": [str(cause) for cause in Cause]},
        },
    ]


def _responses(schema: str, ran: str, invalid: str) -> dict[str, Any]:
    return {
        "200": {"description": ran, "content": {"application/json": {"schema": ref(schema)}}},
        "400": {
            "description": invalid,
            "content": {"application/json": {"schema": ref("Error")}},
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
                    "once, as the /check page does, for every name the certificate must cover "
                    "(the names given, their www/bare counterparts, the served certificate's "
                    "names).",
                    "parameters": check_parameters(),
                    "responses": {
                        **_responses(
                            "RenewalReport",
                            "The checklist ran (a failing item is data, not an error).",
                            "Invalid domain, expected or cause, or an error text that names no "
                            "domain when none is given; the messages are keyed by field.",
                        ),
                        "413": {
                            "description": f"error is longer than {MAX_QUERY_TEXT} characters.",
                            "content": {"application/json": {"schema": ref("Error")}},
                        },
                    },
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
            "/api/v1/decode": failurepaste.api_document(),
            **snapshotopenapi.paths(),
        },
        "components": {
            "schemas": {
                **apischemas.schemas(),
                **checkschemas.schemas(),
                **snapshotopenapi.schemas(),
            }
        },
    }
