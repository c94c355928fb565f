"""The OpenAPI description of saved results and watches: ``/api/v1/snapshots``,
``/api/v1/diff`` and ``/api/v1/watch``."""

from __future__ import annotations

from typing import Any

from webdig.web.schemaparts import ref


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


SNAPSHOT_ID = {
    "name": "snapshot_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{24}$"},
}


def paths() -> dict[str, Any]:
    """The snapshot and diff operations."""
    unavailable = _error("The database is unavailable: saving (and reading) is, for now.")
    return {
        "/api/v1/snapshots": {
            "post": {
                "operationId": "createSnapshot",
                "summary": "Run a look-up (or, with domain, a renewal check) and save it",
                "description": "The JSON body holds the page's parameters: strings as in the "
                "query string, lists for several values, true for the on options; "
                '{"domain": …, "expected": […]} for a renewal check.',
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "responses": {
                    "201": _json("Saved; Location is its api_url.", "Snapshot"),
                    "400": _error("Invalid parameters; nothing was sent or saved."),
                    "413": _error("The result is larger than a snapshot may be."),
                    "415": _error("The body is not declared as application/json."),
                    "429": _error("Too many saves from this network."),
                    "503": unavailable,
                },
            }
        },
        "/api/v1/snapshots/{snapshot_id}": {
            "get": {
                "operationId": "getSnapshot",
                "summary": "A saved result, as the API returned it, with its raw replies",
                "parameters": [SNAPSHOT_ID],
                "responses": {
                    "200": _json("The saved result.", "Snapshot"),
                    "404": _error("No saved result has this id (or it expired)."),
                    "503": unavailable,
                },
            }
        },
        "/api/v1/diff": {
            "get": {
                "operationId": "diff",
                "summary": "What changed from saved result a to saved result b",
                "parameters": [
                    {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
                    for name in ("a", "b")
                ]
                + [
                    {
                        "name": "ttl",
                        "in": "query",
                        "required": False,
                        "description": "on: list TTL changes too.",
                        "schema": {"enum": ["on"]},
                    }
                ],
                "responses": {
                    "200": _json("The changes.", "Diff"),
                    "400": _error("A look-up and a check cannot be compared."),
                    "404": _error("No saved result has one of these ids."),
                    "503": unavailable,
                },
            }
        },
        "/api/v1/watch": {
            "post": {
                "operationId": "watchRun",
                "summary": "One more run of a watch (/watch): what changed since the run before",
                "description": "The body names the watch as the /watch page hands it out: "
                '{"query": the canonical query string, "watch": its signed token, '
                '"previous": the "next" object of the run before, or null}. Runs of one '
                "watch are at least its interval apart, and each counts as a look-up.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "responses": {
                    "200": _json(
                        'The run, or {"state": "ended"} after the time limit.', "WatchRun"
                    ),
                    "400": _error("The watch token or the previous state is not webdig's."),
                    "415": _error("The body is not declared as application/json."),
                    "429": _error("Too early for this watch, or over the look-up limits."),
                },
            }
        },
    }


def schemas() -> dict[str, Any]:
    """The Snapshot and Diff response bodies."""
    when = {"type": "string", "format": "date-time"}
    url = {"type": "string", "format": "uri"}
    both = {
        "type": "object",
        "properties": {"before": {}, "after": {}},
        "required": ["before", "after"],
    }
    return {
        "Snapshot": {
            "type": "object",
            "description": "A saved result. result and replies are present in full answers.",
            "properties": {
                "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{24}$"},
                "kind": {"enum": ["lookup", "check"]},
                "created": {**when, "description": "When the result was seen (UTC)."},
                "expires": when,
                "webdig_version": {"type": "string"},
                "json_url": url,
                "api_url": url,
                "result": {"oneOf": [ref("LookupResponse"), ref("RenewalReport")]},
                "watch": {
                    "type": "object",
                    "description": "A saved watch only: when it started, its interval and "
                    "time limit, and its timeline (one entry per run, codes and parameters).",
                },
                "replies": {
                    "type": "array",
                    "items": {"type": "string", "contentEncoding": "base64"},
                    "description": "The raw DNS replies: one per result, then one per trace "
                    "step, in order; empty where no reply came.",
                },
            },
            "required": [
                "id",
                "kind",
                "created",
                "expires",
                "webdig_version",
                "json_url",
                "api_url",
            ],
        },
        "Diff": {
            "type": "object",
            "properties": {
                "same": {"type": "boolean"},
                "a": ref("Snapshot"),
                "b": ref("Snapshot"),
                "results": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "hostname": {"type": "string"},
                            "type": {"type": "string"},
                            "server": {"type": "string"},
                            "status": both,
                            "verdict": both,
                            "added": {"type": "array", "items": {"type": "string"}},
                            "removed": {"type": "array", "items": {"type": "string"}},
                            "ttl": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                },
                "findings": {
                    "type": "object",
                    "properties": {
                        "added": {"type": "array", "items": ref("Finding")},
                        "removed": {"type": "array", "items": ref("Finding")},
                    },
                },
                "checks": {"type": "array", "items": {"type": "object"}},
                "status": both,
            },
            "required": ["same", "a", "b", "results", "findings", "checks", "status"],
        },
        "WatchRun": {
            "type": "object",
            "description": "One run of a watch. state: running, fixed (the answer matches "
            "the expected address, or every checklist item passes) or ended.",
            "properties": {
                "state": {"enum": ["running", "fixed", "ended"]},
                "entry": {
                    "type": "object",
                    "description": "The run in the timeline: n, at (UTC), first, same, "
                    "fixed, changes (as /api/v1/diff) and headlines (codes and parameters), "
                    "signed (sig) so a saved timeline holds only webdig's runs.",
                },
                "next": {
                    "type": "object",
                    "description": "What the next run compares with; send it back as previous.",
                },
                "next_in": {"type": "number", "description": "Seconds until the next run."},
                "shown": {
                    "type": "object",
                    "description": "The run in words, in the reader's language: title, "
                    "lines (kind, level, mark, text) and the sentence announced.",
                },
                "result": {"oneOf": [ref("LookupResponse"), ref("RenewalReport")]},
                "ends": {"type": "string", "format": "date-time"},
            },
            "required": ["state"],
        },
    }
