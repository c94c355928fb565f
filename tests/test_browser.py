"""The page in a real browser: copy buttons, no-JavaScript use, a phone-sized screen.

Debian's Chromium under Playwright, against the app served over HTTP on
127.0.0.1 and the test BIND.  On CI a missing Chromium fails the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask

from tests.support.bind import NamedServer
from tests.support.browser import serve
from tests.test_pages_modes import LAB_CONFIG
from webdig import create_app

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def base_url(app: Flask) -> Iterator[str]:
    """The app served over real HTTP on 127.0.0.1."""
    with serve(app) as url:
        yield url


@pytest.fixture
def lookup_path(named: NamedServer) -> str:
    """A look-up of two names (one matching, one not) against the test BIND."""
    return "/?" + urlencode(
        {
            "hostnames": "www.webdig.test\ndual.webdig.test",
            "ns": "self",
            "nameservers": f"127.0.0.1:{named.port}",
            "expected": "192.0.2.10",
        }
    )


def new_page(browser: Any, **context: Any) -> Any:
    """A page in a fresh context that fails the test on any console error (CSP included)."""
    page = browser.new_context(**context).new_page()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        # A 400 page is expected; its own status is checked elsewhere.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    return page


def test_copy_link_copies_the_share_url(browser: Any, base_url: str, lookup_path: str) -> None:
    page = new_page(browser, permissions=["clipboard-read", "clipboard-write"])
    page.goto(base_url + lookup_path)
    page.get_by_role("button", name="Copy link").click()
    button = page.locator(".share button.copy")
    page.wait_for_function(
        "() => document.querySelector('.share button').textContent !== 'Copy link'"
    )
    assert button.text_content() == "Copied ✓"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#share-url")
    assert copied.startswith(f"{base_url}/?hostnames=")
    assert copied.startswith(f"{base_url}/?hostnames=www.webdig.test%0Adual.webdig.test&type=A")
    assert page.console_errors == []


def test_copy_output_copies_the_dig_text(browser: Any, base_url: str, lookup_path: str) -> None:
    page = new_page(browser, permissions=["clipboard-read", "clipboard-write"])
    page.goto(base_url + lookup_path)
    page.locator("#block-1").get_by_role("button", name="Copy dig output").click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.text_content("#dig-1")
    assert "192.0.2.10" in copied
    assert "your server" not in copied


def test_page_works_without_javascript(browser: Any, base_url: str, named: NamedServer) -> None:
    page = new_page(browser, java_script_enabled=False)
    page.goto(base_url + "/")
    assert page.locator("button.copy").count() == 0
    page.fill("#hostnames", "wrong.webdig.test")
    page.check("#ns-1")
    page.fill("#nameservers", f"127.0.0.1:{named.port}")
    page.fill("#expected", "192.0.2.10")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_selector("#block-1")
    # The form sends the browser to the results, not back to the top of the form.
    assert page.url.endswith("#results")
    assert page.evaluate("window.scrollY") > 0
    assert "Does not match:" in page.text_content(".verdict")
    assert page.locator("#dig-1").is_hidden()
    page.locator("#block-1 details.full > summary").click()
    assert page.locator("#dig-1").is_visible()
    # No WEBDIG_PUBLIC_URL: the server only knows the path; the script that
    # completes it from the browser's own address does not run here.
    assert page.input_value("#share-url").startswith("/?hostnames=wrong.webdig.test")
    assert page.input_value("#hostnames") == "wrong.webdig.test"
    assert page.locator("button.copy").count() == 0


def test_typing_a_nameserver_ticks_its_choice(browser: Any, base_url: str) -> None:
    page = new_page(browser)
    page.goto(base_url + "/")
    assert page.is_checked("#ns-0")
    page.fill("#nameservers", "ns1.xserver.jp")
    assert page.is_checked("#ns-1")
    page.select_option("#useresolver", "8.8.8.8")
    assert page.is_checked("#ns-0")


@pytest.mark.parametrize(
    "query",
    [
        "hostnames=long.webdig.test%0Abig.webdig.test&type=TXT&ns=self&nameservers=NS"
        "&stats=on&showcommand=on",
        "hostnames=www.webdig.test%0Adual.webdig.test&ns=self&nameservers=NS&expected=192.0.2.10",
        "hostnames=a..b%0A" + "x" * 70 + ".example&type=AXFR&ns=self&nameservers=999.1.1.1",
        "",
    ],
    ids=["long-txt", "verdicts", "bad-input", "empty-form"],
)
def test_phone_viewport_has_no_horizontal_overflow(
    browser: Any, base_url: str, named: NamedServer, query: str
) -> None:
    page = new_page(browser, viewport=PHONE)
    page.goto(f"{base_url}/?{query.replace('NS', quote(f'127.0.0.1:{named.port}'))}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert page.evaluate("document.body.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []


@pytest.fixture
def lab_url(hierarchy: None) -> Iterator[str]:
    """The app served over HTTP, asking the local delegation hierarchy."""
    with serve(create_app(LAB_CONFIG)) as url:
        yield url


@pytest.mark.parametrize(
    "query",
    [
        "hostnames=www.split.lab&ns=auth&expected=192.0.2.10",
        "hostnames=www.good.lab&ns=all",
        "hostnames=www.good.lab%0Awww.nosuch&trace=on&expected=192.0.2.10",
    ],
    ids=["auth-table", "all-table", "trace"],
)
def test_phone_viewport_fits_the_modes_pages(browser: Any, lab_url: str, query: str) -> None:
    page = new_page(browser, viewport=PHONE)
    page.goto(f"{lab_url}/?{query}")
    assert page.locator(".finding").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []
