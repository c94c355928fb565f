"""The resolver presets: digwebinterface's ten services from data/resolvers.json."""

from __future__ import annotations

import ipaddress

import pytest

from webdig.presets import (
    Preset,
    default_presets,
    find_preset,
    one_per_service,
    presets_from_config,
)

SERVICES = (
    "Cloudflare", "AdGuard", "AT&T", "Comodo", "Google", "HiNet", "OpenDNS", "Quad9",
    "Verisign", "Yandex",
)  # fmt: skip


def test_the_defaults_are_digwebinterfaces_ten_services() -> None:
    presets = default_presets()
    assert list(dict.fromkeys(p.group for p in presets)) == list(SERVICES)
    assert len({p.key for p in presets}) == len(presets)
    for service in SERVICES:
        addresses = [ipaddress.ip_address(p.address) for p in presets if p.group == service]
        # A primary and a secondary IPv4 address for every service.
        assert sum(a.version == 4 for a in addresses) >= 2, service
        assert all(a.is_global for a in addresses), service


@pytest.mark.parametrize(
    ("key", "choice"),
    [
        ("8.8.4.4", "8.8.4.4 (Google)"),
        ("9.9.9.10", "9.9.9.10 (Quad9)"),
        ("1.0.0.1", "1.0.0.1 (Cloudflare)"),
    ],
)
def test_links_addresses_are_keys_named_as_digwebinterface_does(key: str, choice: str) -> None:
    preset = find_preset(default_presets(), key)
    assert preset is not None
    assert (preset.key, preset.address, preset.choice) == (key, key, choice)


def test_keys_match_however_an_ipv6_address_is_spelled() -> None:
    preset = find_preset(default_presets(), "2A02:6B8:0:0:0:0:FEED:FF")
    assert preset is not None
    assert preset.group == "Yandex"


def test_a_service_name_gives_its_first_address() -> None:
    preset = find_preset(default_presets(), "quad9")
    assert preset is not None
    assert preset.key == "9.9.9.9"


def test_all_skips_a_service_that_has_shut_down() -> None:
    groups = [p.group for p in one_per_service(default_presets())]
    assert groups == [s for s in SERVICES if s != "Verisign"]
    verisign = find_preset(default_presets(), "64.6.64.6")
    assert verisign is not None
    assert verisign.retired
    assert verisign.successor


def test_configured_presets_keep_keys_and_send_elsewhere() -> None:
    presets = presets_from_config(
        '[{"key": "8.8.4.4", "label": "Google Public DNS", "service": "Google",'
        ' "address": "127.0.0.1", "port": 5300}]'
    )
    assert presets == (Preset("8.8.4.4", "Google Public DNS", "127.0.0.1", 5300, "Google"),)
    assert presets[0].choice == "8.8.4.4 (Google)"
