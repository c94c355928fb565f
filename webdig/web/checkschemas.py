"""The OpenAPI component schemas of ``/api/v1/check`` and ``/api/v1/decode``: the renewal
report that :mod:`webdig.output.jsonbody` writes, and a pasted failure read.

The check ids, name sources, methods and causes come from the checklist's own enums, so
they cannot drift from what the API returns.
"""

from __future__ import annotations

from typing import Any

from webdig.renewal.dns01 import Method
from webdig.renewal.failuretext import MAX_TEXT, Cause
from webdig.renewal.items import CheckId
from webdig.renewal.names import NameSource
from webdig.web.schemaparts import STRINGS, finding_fields, nullable, object_schema, ref


def schemas() -> dict[str, Any]:
    """The component schemas of the check: the report, its items and names, and the decoding."""
    schemas = {
        "RenewalReport": object_schema(
            {
                "query": object_schema(
                    {
                        "domain": {"type": "string"},
                        "expected": {
                            **STRINGS,
                            "description": "The addresses answers were compared with "
                            "(server names resolved).",
                        },
                        "share_url": nullable({"type": "string", "format": "uri-reference"}),
                        "domains": {
                            **STRINGS,
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
        "CheckedName": object_schema(
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
        "RenewalCheck": object_schema(
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
                    **nullable({"type": "string"}),
                    "description": "The name the item is about; null for a zone's item "
                    "(domain-exists) or the whole check's (ca-status).",
                },
                "zone": {
                    **nullable({"type": "string"}),
                    "description": "For a zone's item, the domain it is about; else null.",
                },
            },
            "One checklist item.",
        ),
        "Evidence": object_schema(
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
            **nullable({"enum": [str(check) for check in CheckId]}),
            "description": "The checklist item the cause points at; null: no single item "
            "(a rate limit, a hosting mail that does not say why, or not recognised).",
        },
        "domain": {
            **nullable({"type": "string"}),
            "description": "The first domain the text names that is not the CA's or a "
            "hosting company's.",
        },
        "host": nullable({"enum": ["xserver", "sakura", "conoha"]}),
        "matched": {
            **nullable({"type": "string"}),
            "description": "The words recognised, as they appear in the text.",
        },
        **finding_fields(),
        "message": {"type": "string", "description": "The cause in plain words, in lang."},
    }
    return {
        "Decoded": object_schema(decoded, "A pasted failure mail or error, read."),
        "DecodeRequest": object_schema(
            {"text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}},
            "The failure mail or error text.",
        ),
        "DecodeResponse": object_schema(
            {
                **decoded,
                "check_url": {
                    **nullable({"type": "string", "format": "uri-reference"}),
                    "description": "The /check page for the domain found, with this cause; "
                    "null when the text names no domain.",
                },
            },
            "A pasted failure mail or error, read, and the check to run.",
        ),
    }
