"""Hosting providers' nameserver sets, from ``data/hosting.json``.

A site owner knows "I am on Xserver", not the five names of its
nameservers; ``hosting=xserver`` asks all of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class HostingPreset:
    """A provider and the nameservers it tells customers to use."""

    key: str
    label: str
    nameservers: tuple[str, ...]


@cache
def hosting_presets() -> tuple[HostingPreset, ...]:
    """Every provider in the data file, in its order."""
    text = resources.files("webdig").joinpath("data/hosting.json").read_text(encoding="utf-8")
    return tuple(
        HostingPreset(item["key"], item["label"], tuple(item["nameservers"]))
        for item in json.loads(text)
    )


def hosting_preset(key: str) -> HostingPreset | None:
    """The provider with this key (case-insensitive), if any."""
    wanted = key.strip().lower()
    return next((p for p in hosting_presets() if p.key == wanted), None)
