"""Public resolver presets: digwebinterface's ten services, from ``data/resolvers.json``.

digwebinterface links carry a resolver's *address* (``useresolver=8.8.4.4``),
so every published address of every service is a preset whose key is that
address.  The address queries go to is a separate field: tests (and
installs behind a firewall) point the same keys at other servers through
the ``PRESETS`` setting.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Preset:
    """A resolver people know by name, selectable as ``useresolver=KEY``."""

    key: str
    """What a link says: the service's published address (``8.8.4.4``)."""
    label: str
    """The service's name in sentences and headings (``Google Public DNS``)."""
    address: str
    """Where the queries go: the key's address, unless configuration says otherwise."""
    port: int = 53
    service: str = ""
    """digwebinterface's short name for the service (``Google``); empty: the label."""
    retired: bool = False
    """The service has shut down: its keys still work (with a note), but ``ns=all`` skips it."""
    successor: str | None = None
    """Who answers at a retired service's addresses now, when known."""

    @property
    def group(self) -> str:
        """The service this address belongs to."""
        return self.service or self.label

    @property
    def choice(self) -> str:
        """The option text, as digwebinterface shows it: ``8.8.4.4 (Google)``."""
        return f"{self.key} ({self.group})"


@cache
def default_presets() -> tuple[Preset, ...]:
    """Every address of every service in the data file, in its order."""
    text = resources.files("webdig").joinpath("data/resolvers.json").read_text(encoding="utf-8")
    # Each published address is a preset whose key and address are that address.
    return presets_from_config(
        [
            {**service, "key": address, "address": address}
            for service in json.loads(text)
            for address in service["addresses"]
        ]
    )


def presets_from_config(value: Any) -> tuple[Preset, ...]:
    """Presets from the ``PRESETS`` setting: a JSON list of ``{"key", "label", "address"}``.

    ``port``, ``service``, ``retired`` and ``successor`` are optional; a
    :class:`Preset` passes through (a test mapping may hold them).
    """
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(
        item
        if isinstance(item, Preset)
        else Preset(
            key=str(item["key"]),
            label=str(item["label"]),
            address=str(item["address"]),
            port=int(item.get("port", 53)),
            service=str(item.get("service", "")),
            retired=bool(item.get("retired", False)),
            successor=item.get("successor"),
        )
        for item in value
    )


def find_preset(presets: Iterable[Preset], wanted: str) -> Preset | None:
    """The preset whose key, label or service is ``wanted`` (case-insensitive).

    A service's name gives its first address; an IPv6 key matches however
    the address is spelled (``2001:4860:4860:0:0:0:0:8888``).
    """
    text = _canonical(wanted)
    for preset in presets:
        if text in (_canonical(preset.key), preset.label.lower(), preset.group.lower()):
            return preset
    return None


def _canonical(text: str) -> str:
    value = text.strip().lower()
    try:
        return ipaddress.ip_address(value.strip("[]")).compressed
    except ValueError:
        return value


def one_per_service(presets: Iterable[Preset]) -> list[Preset]:
    """The first address of each service still running, for ``ns=all``."""
    seen: dict[str, Preset] = {}
    for preset in presets:
        if not preset.retired:
            seen.setdefault(preset.group, preset)
    return list(seen.values())
