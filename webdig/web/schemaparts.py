"""The pieces the OpenAPI component schemas are built from: closed objects, nullable values,
references, and the fields every finding carries."""

from __future__ import annotations

from typing import Any

from webdig.findings.catalog import codes
from webdig.findings.model import Level


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or null."""
    return {"oneOf": [schema, {"type": "null"}]}


def object_schema(properties: dict[str, Any], description: str) -> dict[str, Any]:
    """An object that has every one of ``properties`` and no other: a field the JSON gains
    without a line in its schema fails the API tests' validation."""
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


STRINGS = {"type": "array", "items": {"type": "string"}}
"""A list of strings."""


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
