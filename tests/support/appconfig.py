"""App configurations for tests: everything pointed at one nameserver on loopback."""

from __future__ import annotations

from typing import Any


def loopback_config(address: str, port: int, **overrides: Any) -> dict[str, Any]:
    """App config (un-prefixed keys) whose resolver and public presets are all the server at
    ``address``#``port``, with short timeouts and the rate limits off; ``overrides`` win."""
    presets = [
        # The public presets keep their keys and labels but point at loopback,
        # so no test can send a packet to a public resolver.
        {"key": "8.8.8.8", "label": "Google Public DNS", "address": address, "port": port},
        {"key": "1.1.1.1", "label": "Cloudflare", "address": address, "port": port},
    ]
    return {
        "TESTING": True,
        "ALLOW_PRIVATE": True,
        "RESOLVER": f"{address}#{port}",
        "TIMEOUT": 1.0,
        "TRIES": 1,
        "DEADLINE": 4.0,
        # Most tests send many requests from one address; tests/test_limits.py
        # turns the limits on.
        "RATE_LIMIT_DISABLED": True,
        "PRESETS": presets,
        **overrides,
    }
