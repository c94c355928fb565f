"""The headline: one answer per hostname to the question the user asked, first on every page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import hierarchy as lab
from webdig import create_app
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


MOVED_AT_THE_OLD_SERVER: dict[str, Any] = {
    "hostnames": ("www.moved.lab",),
    "ns": "self",
    "nameservers": ("ns1.good.lab",),
    "expected": ("192.0.2.10",),
}
"""www.moved.lab at ns1.good.lab, which still answers 192.0.2.10, though the registry now
delegates moved.lab to ns2.good.lab."""


def test_the_right_answer_from_a_server_nobody_asks_is_no_pass(lab_settings: Settings) -> None:
    # The answer first (what the server asked answers), then why it does not count: the
    # delegation finding below says ✗, and the headline must not say ✓ above it.
    assert said(lab_settings, **MOVED_AT_THE_OLD_SERVER) == [
        (
            Level.FAIL,
            "ns1.good.lab answers your server (192.0.2.10) for www.moved.lab, but the registry "
            "delegates moved.lab to ns2.good.lab: resolvers and Let's Encrypt never ask "
            "ns1.good.lab, so the name does not point at your server for them yet.",
        )
    ]
    assert said(lab_settings, "ja", **MOVED_AT_THE_OLD_SERVER) == [
        (
            Level.FAIL,
            "ns1.good.lab は www.moved.lab についてあなたのサーバー（192.0.2.10）を応答しましたが、"
            "レジストリは moved.lab を ns2.good.lab に委任しています。キャッシュDNSサーバーも "
            "Let's Encrypt も ns1.good.lab には問い合わせないため、実際にはまだあなたのサーバーを"
            "指していません。",
        )
    ]
    # Typed as an address, the same server is the same verdict.
    typed = {**MOVED_AT_THE_OLD_SERVER, "nameservers": ("127.0.53.3",)}
    [(level, words)] = said(lab_settings, **typed)
    assert (level, words.split(",")[0]) == (
        Level.FAIL,
        "127.0.53.3 answers your server (192.0.2.10) for www.moved.lab",
    )
    # The server the registry delegates to, answering the right address, is a plain pass.
    delegated = {**MOVED_AT_THE_OLD_SERVER, "nameservers": ("ns2.good.lab",)}
    assert said(lab_settings, **{**delegated, "expected": ("198.51.100.20",)}) == [
        (
            Level.PASS,
            "www.moved.lab points at your server: ns2.good.lab answers 198.51.100.20.",
        )
    ]


def test_the_page_and_the_api_lead_with_the_same_honest_line(lab_settings: Settings) -> None:
    client = create_app(lab.APP_CONFIG).test_client()
    query = {
        k: "\n".join(v) if isinstance(v, tuple) else v for k, v in MOVED_AT_THE_OLD_SERVER.items()
    }
    body = client.get("/api/v1/lookup", query_string=query).get_json()
    [headline] = body["headlines"]
    assert (headline["code"], headline["level"]) == ("headline.match-undelegated", "fail")
    codes = {f["code"]: f["level"] for f in body["verdicts"]}
    assert codes["delegation.registry-differs"] == "fail"
    page = client.get("/", query_string={**query, "lang": "ja"}).get_data(as_text=True)
    first = page[page.index('<ul class="headlines">') :]
    first = first[: first.index("</li>")]
    assert 'class="headline fail"' in first
    assert "✗" in first
    assert "実際にはまだあなたのサーバーを指していません" in first
