"""The headline: one answer per hostname to the question the user asked, first on every page."""

from __future__ import annotations

from typing import Any

import pytest

from webdig.findings.catalog import sentence
from webdig.findings.model import Level
from webdig.language.translator import translator
from webdig.lookup.headline import headlines
from webdig.lookup.params import LookupParams
from webdig.lookup.run import lookup
from webdig.settings import Settings


def said(settings: Settings, language: str = "en", **params: object) -> list[tuple[Level, str]]:
    outcome = lookup(LookupParams(**params), settings)  # type: ignore[arg-type]
    words = translator(language).translations
    return [(f.level, sentence(f, words)) for f in headlines(outcome)]


@pytest.mark.parametrize(
    ("params", "level", "words"),
    [
        (
            {
                "hostnames": ("www.good.lab",),
                "ns": "auth",
                "expected": ("192.0.2.10", "2001:db8::10"),
            },
            Level.PASS,
            "www.good.lab points at your server: ns1.good.lab and ns2.good.lab answer 192.0.2.10, "
            "2001:db8::10.",
        ),
        (
            {"hostnames": ("www.split.lab",), "ns": "auth", "expected": ("192.0.2.10",)},
            Level.FAIL,
            "www.split.lab does not point at your server (192.0.2.10): ns2.split.lab answers "
            "203.0.113.7.",
        ),
        (
            {"hostnames": ("www.good.lab",), "ns": "auth"},
            Level.INFO,
            "www.good.lab (A): ns1.good.lab and ns2.good.lab answer 192.0.2.10.",
        ),
        (
            {
                "hostnames": ("www.lame.lab",),
                "ns": "self",
                "nameservers": ("127.0.53.9",),
                "expected": ("192.0.2.10",),
            },
            Level.UNKNOWN,
            "No server answered for www.lame.lab, so webdig cannot tell whether it points at "
            "your server.",
        ),
        (
            {"hostnames": ("www.good.lab",), "ns": "auth", "expected": ("192.0.2.10",)},
            Level.WARN,
            "ns1.good.lab and ns2.good.lab answer your server (192.0.2.10) for www.good.lab. It "
            "also has the address 2001:db8::10, which webdig cannot judge: is it your server's? "
            "See below.",
        ),
    ],
    ids=["match", "mismatch", "answers", "unknown", "ipv6-unknown"],
)
def test_headline_answers_the_question(
    lab_settings: Settings, params: dict[str, Any], level: Level, words: str
) -> None:
    assert said(lab_settings, **params) == [(level, words)]


def test_headline_in_japanese(lab_settings: Settings) -> None:
    params: dict[str, Any] = {
        "hostnames": ("www.split.lab",),
        "ns": "auth",
        "expected": ("192.0.2.10",),
    }
    assert said(lab_settings, "ja", **params) == [
        (
            Level.FAIL,
            "www.split.lab はあなたのサーバー（192.0.2.10）を指していません。"
            "ns2.split.lab は 203.0.113.7 を応答しました。",
        )
    ]


def test_one_headline_per_hostname_in_the_order_typed(lab_settings: Settings) -> None:
    hosts = ("www.split.lab", "www.good.lab")
    found = said(lab_settings, hostnames=hosts, ns="auth")
    assert [words.split(" ")[0] for _, words in found] == list(hosts)
    assert found[0] == (
        Level.INFO,
        "www.split.lab (A): ns1.split.lab answers 192.0.2.10 and ns2.split.lab answers "
        "203.0.113.7.",
    )
