"""Hosting providers' nameserver sets, from ``data/hosting.json``.

A site owner knows "I am on Xserver", not the five names of its
nameservers; ``hosting=xserver`` asks all of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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


def _zone(name: str) -> str:
    """The last two labels of a nameserver name: ``xserver.jp`` for ``ns1.xserver.jp``."""
    return ".".join(name.lower().rstrip(".").split(".")[-2:])


def hosting_of(nameservers: Iterable[str]) -> HostingPreset | None:
    """The provider whose nameservers these are (by their domain), if webdig knows it."""
    zones = {_zone(name) for name in nameservers}
    for preset in hosting_presets():
        if zones & {_zone(name) for name in preset.nameservers}:
            return preset
    return None
