"""Every kind of page, in Japanese, against the lab: no English sentence is left for a person.

The pages are rendered against the local hierarchy and the renewal lab (real BIND, real web
servers, a nameserver that never answers), with ``lang=ja``.  What a person reads is the
page's text and the attributes a screen reader or a hover shows; dig's own output (``<pre>``,
``<code>``), hostnames, addresses and codes stay as they are.  The heuristic: two English
words of three letters or more in a row (“the server”, “dig options”, “refused the”) is an
untranslated sentence.  Japanese sentences name hosts (dotted), addresses, record types and
codes (capitals), which never make such a pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask

from tests.support import hierarchy as lab
from tests.support.fakeserver import FakeServer
from tests.support.registryservers import REGISTRAR
from tests.support.renewallab import RenewalLab
from webdig import create_app
from webdig.web.snapshotstore import store_of

_WORD = r"(?<![\w.])[A-Za-z][a-z']*[a-z](?![\w']|\.\w)"
ENGLISH = re.compile(rf"{_WORD}(?:,? {_WORD})+")
"""Two or more words (a capital at most first) in a row, a comma allowed between them; a
label of a hostname (``www`` in ``dig www.example.com``) is no word."""
WORD = re.compile(_WORD)
NAMES = (
    "Let's Encrypt",
    "Google Public",
    "Sakura Internet",
    "All Systems Operational",
    "Not Found",
    REGISTRAR,
)
"""Names that stay English in Japanese text, and the words of other systems that a sentence
quotes: the CA status page's, HTTP's status line (``404 Not Found``), the registrar's name
the registry gives (the lab's)."""
READ = ("title", "aria-label", "placeholder", "alt", "data-copy-label")
"""Attributes whose value a person reads or hears."""
RAW = ("pre", "code", "script", "style", "samp", "kbd")
"""Elements holding dig's output, commands or code: never translated."""


class _Reader(HTMLParser):
    """The text a person reads on a page: visible text and read-out attributes.

    A folded piece of evidence (``<details class="evidence">``) is read too: its ``<pre>``
    holds webdig's own notes (“accepts connections”, “Not probed”) between the output it
    quotes, which stays in ``<samp>``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.raw = 0
        self.evidence = 0
        self.opened: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "details":
            self.evidence += "evidence" in classes
            self.opened.append((tag, "evidence" in classes))
        elif tag in RAW:
            raw = not (tag == "pre" and self.evidence)
            self.raw += raw
            self.opened.append((tag, raw))
        self.parts.extend(value for name, value in attrs if value and name in READ)
        # The script's words (progress, copy buttons) wait in data- attributes.
        self.parts.extend(value for name, value in attrs if value and name.startswith("data-"))

    def handle_endtag(self, tag: str) -> None:
        if tag != "details" and tag not in RAW:
            return
        opened, counted = self.opened.pop()
        assert opened == tag, (opened, tag)
        if tag == "details":
            self.evidence -= counted
        else:
            self.raw -= counted

    def handle_data(self, data: str) -> None:
        if not self.raw:
            self.parts.append(data)


def english_in(texts: list[str]) -> list[str]:
    """The English word runs left in ``texts`` (each text a paragraph, attribute or line)."""
    found = []
    for text in texts:
        for name in NAMES:
            text = text.replace(name, "")
        for run in ENGLISH.findall(" ".join(text.split())):
            if (
                len(WORD.findall(run)) >= 2
                and len([w for w in WORD.findall(run) if len(w) >= 3]) >= 2
            ):
                found.append(run)
    return found


_JA = r"[\u3040-\u30ff\u3400-\u9fff]"
HALF_WIDTH = re.compile(rf"{_JA}(?:[:;(]|\.(?!\w))|[。：]\s+(?={_JA}|\w)")
"""Half-width punctuation after Japanese text (「一致:」, 「しました.」, 「有効; 」; a dot inside
a typed name such as 日本語.jp is no period), and a space after 。 or ： (the full-width mark
holds its own)."""


def odd_punctuation(texts: list[str]) -> list[str]:
    """The pieces of ``texts`` where punctuation reads as English inside Japanese."""
    return [
        text[max(0, m.start() - 12) : m.end() + 12]
        for text in (" ".join(t.split()) for t in texts)
        for m in HALF_WIDTH.finditer(text)
    ]


def page_text(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    return reader.parts


def report_lines(text: str, status: int) -> list[str]:
    """webdig's own lines of a text report (dig's lines are dig's)."""
    if status != 200:
        return text.splitlines()
    return [line for line in text.splitlines() if line.startswith(";; webdig: ")]


def test_the_heuristic_finds_english_and_leaves_names_alone() -> None:
    assert english_in(["ns2 refused the connection: no DNS server"]) == ["refused the connection"]
    assert english_in(["dig options"]) == ["dig options"]
    assert english_in(["ns1.good.lab は 192.0.2.10 を応答しています。"]) == []
    assert english_in(["Let's Encrypt の発表：All Systems Operational。 フラグ qr aa rd"]) == []
    assert english_in(["+noall +answer A AAAA NSAP_PTR ConoHa WING Xserver: ns1.xserver.jp"]) == []
    assert english_in(["dig www.shop.lab CAA"]) == []
    assert "up was not run" in english_in(["the look-up was not run."])


def test_the_reader_reads_evidence_notes_but_not_the_output_they_quote() -> None:
    page = (
        '<pre>;; connection timed out</pre><details class="evidence"><summary>証拠</summary>'
        "<pre><samp>&lt; HTTP/1.1 404 Not Found</samp>\n127.0.0.1 port 80: accepts connections"
        "</pre></details><details><pre>dig output here</pre></details>"
    )
    assert english_in(page_text(page)) == ["accepts connections"]


@pytest.fixture(scope="module")
def silent() -> Iterator[FakeServer]:
    """A nameserver that receives every query and never answers."""
    with FakeServer(address="127.0.0.1") as server:
        yield server


@pytest.fixture(scope="module")
def apps(renewal_lab: RenewalLab, silent: FakeServer) -> dict[str, Flask]:
    """The lab app; one whose port 80 forwards elsewhere; one whose resolver never answers."""
    return {
        "lab": create_app(renewal_lab.config()),
        "forwarding": create_app(renewal_lab.config(http="redirect")),
        # Failures the probes word themselves: a closed port 80, a block aimed at Let's
        # Encrypt (the browser's exchange shown too), an expired certificate.
        "closed": create_app(renewal_lab.config(http="closed")),
        "blocks-le": create_app(renewal_lab.config(http="blocks-le", tls="expired", ca="down")),
        "deaf": create_app({**lab.APP_CONFIG, "RESOLVER": f"127.0.0.1#{silent.port}"}),
    }


def lookup(**params: str) -> str:
    return "/?" + urlencode(params)


def check(**params: str) -> str:
    return "/check?" + urlencode(params)


def pages(silent_port: int, evil_port: int) -> dict[str, tuple[str, str]]:
    """Every kind of page: (app, path)."""
    asked_with_silent = f"127.0.53.3\n127.0.0.1:{silent_port}"

    def hostile(case: str) -> str:  # a reply dnspython refuses, with its English reason
        return lookup(
            hostnames=f"{case}.evil.test", ns="self", nameservers=f"127.0.0.1:{evil_port}"
        )

    return {
        "home": ("lab", "/"),
        "match": ("lab", lookup(hostnames="www.good.lab", ns="auth", expected="192.0.2.10")),
        "mismatch": ("lab", lookup(hostnames="www.split.lab", ns="auth", expected="192.0.2.10")),
        "refused": (
            "lab",
            lookup(
                hostnames="www.lame.lab", ns="self", nameservers="127.0.53.9", expected="192.0.2.10"
            ),
        ),
        "timeout": (
            "lab",
            lookup(
                hostnames="www.good.lab",
                ns="self",
                nameservers=asked_with_silent,
                expected="192.0.2.10",
            ),
        ),
        "ns-auth": ("lab", lookup(hostnames="www.split.lab", ns="auth")),
        "ns-auth-lame": ("lab", lookup(hostnames="www.lame.lab", ns="auth")),
        "ns-auth-gone": ("lab", lookup(hostnames="www.gone.lab", ns="auth")),
        "ns-nic": ("lab", lookup(hostnames="www.moved.lab", ns="nic")),
        "ns-all": ("lab", lookup(hostnames="www.good.lab", ns="all", expected="192.0.2.10")),
        "trace": ("lab", lookup(hostnames="www.good.lab", trace="on", expected="192.0.2.10")),
        "trace-lame": ("lab", lookup(hostnames="www.lame.lab", trace="on")),
        "options": (
            "lab",
            lookup(
                hostnames="www.good.lab",
                ns="self",
                nameservers="127.0.53.3",
                stats="on",
                nsid="on",
                showcommand="on",
                colorize="on",
                sort="on",
                compare="on",
            ),
        ),
        "discovery": ("deaf", lookup(hostnames="www.good.lab", ns="auth")),
        "bad-input": ("lab", lookup(hostnames="a..b", ns="self", nameservers="x:0")),
        "bad-choices": (
            "lab",
            lookup(
                hostnames="",
                ns="self",
                nameservers="",
                expected="nothere.good.lab",
                **{"class": "XX"},
            ),
        ),
        "bad-server-name": ("lab", lookup(hostnames="www.good.lab", expected="nothere.good.lab")),
        # Reasons other libraries give in English: idna's, dnspython's, shlex's.
        "bad-idn": ("lab", lookup(hostnames="ab\u200d.lab", ns="self", nameservers="127.0.53.3")),
        "bad-idn-long": ("lab", lookup(hostnames="日本語" * 25 + ".lab", ns="self")),
        "bad-escape": ("lab", lookup(hostnames="a\\999.lab", ns="self", nameservers="127.0.53.3")),
        "bad-quote": ("lab", lookup(hostnames='dig "www.good.lab')),
        "garbage-short": ("lab", hostile("short")),
        "garbage-loop": ("lab", hostile("loop")),
        "watch": (
            "lab",
            "/watch?"
            + urlencode({"hostnames": "www.split.lab", "ns": "auth", "expected": "192.0.2.10"}),
        ),
        "watch-check": (
            "lab",
            "/watch?" + urlencode({"domain": "www.shop.lab", "expected": "127.0.0.1"}),
        ),
        "pasted": ("lab", lookup(hostnames="dig @127.0.53.3 www.good.lab +short")),
        "pasted-bad": ("lab", lookup(hostnames="dig @127.0.53.3 www.good.lab MX TXT +bogus")),
        "check-home": ("lab", "/check"),
        "check-pass": ("lab", check(domain="www.shop.lab", expected="127.0.0.1")),
        "check-forwarding": ("forwarding", check(domain="www.shop.lab", expected="127.0.0.1")),
        "check-closed": ("closed", check(domain="www.shop.lab", expected="127.0.0.1")),
        "check-blocks-le": ("blocks-le", check(domain="www.shop.lab", expected="127.0.0.1")),
        "check-gone": ("lab", check(domain="www.gone.lab", expected="127.0.0.1")),
        "check-elsewhere": ("lab", check(domain="www.shop.lab", expected="192.0.2.99")),
    }


KINDS = list(pages(0, 0))
TEXT_KINDS = [
    "match", "mismatch", "refused", "timeout", "ns-auth", "ns-nic", "ns-all", "trace",
    "trace-lame", "discovery", "bad-input", "bad-choices", "pasted-bad", "bad-idn",
    "bad-idn-long", "bad-escape", "bad-quote", "garbage-short", "garbage-loop",
]  # fmt: skip


def fetch(
    apps: dict[str, Flask], silent: FakeServer, evil: FakeServer, kind: str, extra: str = ""
) -> Any:
    app, path = pages(silent.port, evil.port)[kind]
    joiner = "&" if "?" in path else "?"
    return apps[app].test_client().get(f"{path}{joiner}lang=ja{extra}")


@pytest.mark.parametrize("kind", KINDS)
def test_no_english_sentence_on_a_japanese_page(
    apps: dict[str, Flask], silent: FakeServer, evil: FakeServer, kind: str
) -> None:
    response = fetch(apps, silent, evil, kind)
    html = response.get_data(as_text=True)
    assert '<html lang="ja">' in html
    assert english_in(page_text(html)) == []
    assert odd_punctuation(page_text(html)) == []


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_no_english_sentence_in_a_japanese_text_report(
    apps: dict[str, Flask], silent: FakeServer, evil: FakeServer, kind: str
) -> None:
    response = fetch(apps, silent, evil, kind, "&format=text")
    lines = report_lines(response.get_data(as_text=True), response.status_code)
    assert lines
    assert english_in(lines) == []
    assert odd_punctuation(lines) == []


@pytest.mark.parametrize("expected", ["127.0.0.1", "192.0.2.99"], ids=["probed", "elsewhere"])
def test_no_english_sentence_in_a_saved_checks_evidence(
    renewal_lab: RenewalLab, tmp_path: Path, expected: str
) -> None:
    # A saved result keeps its evidence as English text; its notes are read back into their
    # templates, the rest is quoted as it was.
    app = create_app({**renewal_lab.config(), "INSTANCE_PATH": str(tmp_path)})
    client = app.test_client()
    body = {"domain": "www.shop.lab", "expected": [expected]}
    saved = client.post("/api/v1/snapshots", json=body).get_json()
    html = client.get(f"/r/{saved['id']}?lang=ja").get_data(as_text=True)
    store_of(app).engine.dispose()
    assert "に取得した結果です" in html
    assert english_in(page_text(html)) == []
    said = (
        r" に接続しました（SNI www\.shop\.lab）"
        if expected == "127.0.0.1"
        else r"：接続を受け付けます"
    )
    assert re.search(r"127\.0\.0\.1 のポート \d+" + said, html)
    if expected == "127.0.0.1":  # the certificate's dates, as a Japanese reader writes them
        assert re.search(r"有効期限：\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d JST（残り\d+日）", html)
