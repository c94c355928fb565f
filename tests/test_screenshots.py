"""Every kind of page in a real browser, in Japanese and English, on a desktop and a phone.

Debian's Chromium (with the Noto CJK fonts .ci/test installs) opens each page
against the local hierarchy and the renewal lab, with the browser's own
Accept-Language choosing the language.  Each page is saved as a full-page
screenshot under the test run's output (``<basetemp>/screenshots``, or
``$WEBDIG_SCREENSHOTS``) for a person to look at; the tests assert what a
person needs first: the headline right after the form, in their language,
and no English catalog sentence left on a Japanese page.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from babel.messages.pofile import read_po

from tests.support.browser import chromium_or_skip, serve
from tests.support.fakeserver import FakeServer
from tests.support.renewallab import RenewalLab
from webdig import create_app
from webdig.language.translator import CATALOGS

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
LOCALES = {"ja": "ja-JP", "en": "en-GB"}
MATCH = {"hostnames": "www.good.lab", "ns": "auth", "expected": "192.0.2.10 2001:db8::10"}
MISMATCH = {"hostnames": "www.split.lab", "ns": "auth", "expected": "192.0.2.10"}
UNKNOWN = {
    "hostnames": "www.lame.lab",
    "ns": "self",
    "nameservers": "127.0.53.9",
    "expected": "192.0.2.10",
}
PAGES: dict[str, tuple[str, str]] = {
    "home": ("lab", "/"),
    "match": ("lab", "/?" + urlencode(MATCH)),
    "mismatch": ("lab", "/?" + urlencode(MISMATCH)),
    "unknown": ("lab", "/?" + urlencode(UNKNOWN)),
    "ns-auth": ("lab", "/?" + urlencode({"hostnames": "www.split.lab", "ns": "auth"})),
    "ns-all": ("lab", "/?" + urlencode({"hostnames": "www.good.lab", "ns": "all"})),
    "trace": ("lab", "/?" + urlencode({"hostnames": "www.good.lab", "trace": "on"})),
    "bad-input": (
        "lab",
        "/?" + urlencode({"hostnames": "a..b", "ns": "self", "nameservers": "x:0"}),
    ),
    "check-pass": (
        "lab",
        "/check?" + urlencode({"domain": "www.shop.lab", "expected": "127.0.0.1"}),
    ),
    "check-fail": (
        "forwarding",
        "/check?" + urlencode({"domain": "www.shop.lab", "expected": "127.0.0.1"}),
    ),
    "watch": ("lab", "/watch?" + urlencode(MISMATCH)),
}
HEADLINES = {
    (
        "match",
        "en",
    ): "✓ OK: www.good.lab points at your server: ns1.good.lab and ns2.good.lab answer "
    "192.0.2.10, 2001:db8::10.",
    ("match", "ja"): "✓ OK：www.good.lab はあなたのサーバーを指しています。",
    ("mismatch", "en"): "✗ Problem: www.split.lab does not point at your server (192.0.2.10): "
    "ns2.split.lab answers 203.0.113.7.",
    (
        "mismatch",
        "ja",
    ): "✗ 問題あり：www.split.lab はあなたのサーバー（192.0.2.10）を指していません。"
    "ns2.split.lab は 203.0.113.7 を応答しました。",
    (
        "unknown",
        "en",
    ): "? Unknown: No server answered for www.lame.lab, so webdig cannot tell whether it "
    "points at your server.",
    ("unknown", "ja"): "? 不明：www.lame.lab について応答したサーバーがないため、",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    yield from chromium_or_skip()


@pytest.fixture(scope="module")
def sites(renewal_lab: RenewalLab) -> Iterator[dict[str, str]]:
    """The app served twice: a healthy lab, and one whose port 80 forwards elsewhere."""
    healthy = create_app(renewal_lab.config())
    forwarding = create_app(renewal_lab.config(http="redirect"))
    with serve(healthy) as lab_url, serve(forwarding) as forwarding_url:
        yield {"lab": lab_url, "forwarding": forwarding_url}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: ``$WEBDIG_SCREENSHOTS`` or the run's base temp directory."""
    chosen = os.environ.get("WEBDIG_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def english_fragments() -> list[str]:
    """Pieces of English catalog text long enough that finding one on a page is a bug.

    Placeholders and markup split a message into fragments; entries whose
    Japanese is the English itself (``OK``, ``{reason}``) are left out.
    """
    with open(CATALOGS / "ja" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    pieces = set()
    for message in catalog:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        string = message.string
        strings = [string] if isinstance(string, str) else list(string or ())
        for text in ids:
            if not text or text in strings:
                continue
            for piece in re.split(r"\{[^}]*\}|%\([a-z_]+\)s|<[^>]+>", text):
                if len(piece.strip()) >= 18 and " " in piece.strip():
                    pieces.add(piece.strip())
    return sorted(pieces)


FRAGMENTS = english_fragments()


def open_page(browser: Any, url: str, language: str, viewport: str) -> Any:
    context = browser.new_context(locale=LOCALES[language], **VIEWPORTS[viewport])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.console_errors = errors
    return page


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("language", sorted(LOCALES))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_in_each_language_and_size(
    browser: Any, sites: dict[str, str], shots: Path, name: str, language: str, viewport: str
) -> None:
    site, path = PAGES[name]
    page = open_page(browser, sites[site] + path, language, viewport)
    page.screenshot(path=str(shots / f"{name}-{language}-{viewport}.png"), full_page=True)
    # What a visitor sees before scrolling (the README shows these).
    page.screenshot(path=str(shots / f"{name}-{language}-{viewport}-fold.png"))
    assert page.get_attribute("html", "lang") == language
    assert page.locator("h1").count() == 1
    assert page.console_errors == []
    # Nothing wider than the screen: a phone never scrolls sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["viewport"]["width"]
    if language == "ja":
        text = page.inner_text("body")
        left = [piece for piece in FRAGMENTS if piece in text]
        assert not left, f"untranslated on the {name} page: {left}"


@pytest.mark.parametrize("language", sorted(LOCALES))
@pytest.mark.parametrize("name", ["match", "mismatch", "unknown"])
def test_the_headline_is_the_first_thing_after_the_form(
    browser: Any, sites: dict[str, str], name: str, language: str
) -> None:
    site, path = PAGES[name]
    page = open_page(browser, sites[site] + path, language, "phone")
    first = page.evaluate(
        """() => {
          const results = document.querySelector("details.edit").nextElementSibling;
          return [results.id, results.firstElementChild.className];
        }"""
    )
    assert first == ["results", "headlines"]
    # The level's word is visually hidden (its own box): innerText puts a space after it even
    # where the page has none (after a full-width colon).
    headline = " ".join(page.inner_text(".headlines li").split()).replace("： ", "：")
    assert headline.startswith(HEADLINES[name, language])
    # The form is folded away: one click opens it for editing.
    assert page.locator("form.lookup").is_hidden()
    page.locator("details.edit > summary").click()
    assert page.locator("form.lookup").is_visible()


def test_pressing_look_up_shows_which_servers_are_asked(
    browser: Any, sites: dict[str, str]
) -> None:
    page = open_page(browser, sites["lab"] + "/", "en", "desktop")
    page.fill("#hostnames", "www.lame.lab")
    page.check('input[name="ns"][value="self"]')
    page.fill("#nameservers", "127.0.53.9")
    # The submit handler fills the box in the same task as the press, well within 300 ms;
    # the server never answers, so the next page takes a while to replace this one.
    hidden, text = page.evaluate(
        """() => {
          document.querySelector("form.lookup").requestSubmit();
          const box = document.getElementById("progress");
          return [box.hidden, box.textContent];
        }"""
    )
    assert (hidden, text) == (False, "Asking 127.0.53.9…")


def test_a_silent_server_among_several_is_named_while_webdig_waits(
    browser: Any, sites: dict[str, str]
) -> None:
    # Two nameservers answer at once; the third never does.  webdig waits the per-try
    # timeout (3 s here) for it, and meanwhile the box names it, and only it.
    with FakeServer(address="127.0.53.7", port=53) as silent:
        page = open_page(browser, sites["lab"] + "/", "en", "desktop")
        page.fill("#hostnames", "www.good.lab")
        page.check('input[name="ns"][value="self"]')
        page.fill("#nameservers", f"127.0.53.3\n127.0.53.4\n{silent.address}")
        # The old page stays on screen until the result arrives: it logs each thing the
        # box says (Playwright cannot evaluate in a page that is navigating away).
        said: list[tuple[float, str]] = []
        page.on("console", lambda message: said.append((time.monotonic(), message.text)))
        page.evaluate(
            """() => {
              const box = document.getElementById("progress");
              new MutationObserver(() => console.log(box.textContent))
                .observe(box, {childList: true, characterData: true, subtree: true});
            }"""
        )
        started = time.monotonic()
        with page.expect_navigation(timeout=15000):
            page.evaluate('() => document.querySelector("form.lookup").requestSubmit()')
        ended = time.monotonic()
        named = [
            at for at, text in said if text == "127.0.53.7 has not answered yet; waiting up to 3 s."
        ]
        assert named, "\n".join(text for _, text in said)
        # While webdig still waited: before the result (which comes after the 3 s timeout)
        # replaced the page.  (Named at 1 to 2 s when idle: the page asks every second.)
        assert started < named[0] < ended
        assert not any("127.0.53.3" in text for _, text in said[1:])
        assert silent.packets >= 1
        assert "127.0.53.7" in page.inner_text("#results")


CONTRAST = "\n".join(
    line
    for line in (Path(__file__).parent / "support" / "contrast.js").read_text().splitlines()
    if not line.startswith("//")  # the file's heading: what is evaluated is the function
)
"""Every visible text's contrast with the colours behind it (WCAG's ratio), below 4.5:1."""

COLOURED = {
    "hostnames": "www.good.lab",
    "ns": "self",
    "nameservers": "127.0.53.3",
    "colorize": "on",
    "stats": "on",
    "showcommand": "on",
    "compare": "on",
}


@pytest.mark.parametrize("name", [*PAGES, "coloured"])
def test_every_text_has_contrast_of_at_least_4_5_to_1(
    browser: Any, sites: dict[str, str], name: str
) -> None:
    site, path = PAGES.get(name, ("lab", "/?" + urlencode(COLOURED)))
    page = open_page(browser, sites[site] + path, "en", "desktop")
    assert page.evaluate(CONTRAST) == []


def test_the_contrast_check_sees_grey_text(browser: Any, sites: dict[str, str]) -> None:
    page = open_page(browser, sites["lab"] + "/", "en", "desktop")
    page.evaluate(
        """() => {
          const grey = document.createElement("p");
          grey.textContent = "pale words";
          grey.style.color = "#999999";  // 2.8:1 on white
          const faded = document.createElement("p");
          faded.textContent = "faded words";
          faded.style.opacity = "0.4";  // the page's own colour, faded
          document.querySelector("main").append(grey, faded);
        }"""
    )
    found = page.evaluate(CONTRAST)
    assert [item.split(" ")[1] for item in found] == ["“pale", "“faded"]
