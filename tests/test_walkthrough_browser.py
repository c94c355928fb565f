"""What a first visitor stumbles on, checked in Chromium: the pages of a site owner whose
certificate did not renew, on a desktop and a phone, against the local hierarchy and the
renewal lab.

Each test holds one fix from walking through the pages as that person: something that
was hidden, overlapping, unclear or out of reach of the keyboard.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask

from tests.support.browser import serve
from tests.support.renewallab import RenewalLab
from webdig import create_app
from webdig.web.snapshotstore import store_of

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def lab_app(renewal_lab: RenewalLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app asking the local hierarchy and probing the renewal lab, saving into a
    database of its own."""
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({**renewal_lab.config(), "INSTANCE_PATH": str(instance)})
    yield app
    store_of(app).engine.dispose()


@pytest.fixture(scope="module")
def lab_url(lab_app: Flask) -> Iterator[str]:
    """The app served over HTTP."""
    with serve(lab_app) as url:
        yield url


def open_page(browser: Any, url: str, size: str = "desktop") -> Any:
    """``url`` in a fresh English context of the given size."""
    page = browser.new_context(locale="en-GB", **SIZES[size]).new_page()
    page.goto(url)
    return page


@pytest.mark.parametrize("size", sorted(SIZES))
def test_items_not_checked_stay_in_the_checklist(browser: Any, lab_url: str, size: str) -> None:
    # With an address that is not the web server's, the port-80 and certificate items are
    # "not checked" (status class "skip"); the skip link's rule once pulled them out of the
    # list and over the page header.
    query = urlencode({"domain": "www.shop.lab", "expected": "192.0.2.99"})
    page = open_page(browser, f"{lab_url}/check?{query}", size)
    skipped = page.locator("li.item.skip")
    assert skipped.count() >= 2
    heading_bottom = page.evaluate("document.querySelector('h1').getBoundingClientRect().bottom")
    for index in range(skipped.count()):
        item = skipped.nth(index)
        assert item.evaluate("e => getComputedStyle(e).position") == "static"
        assert item.bounding_box()["y"] > heading_bottom
    # The items are numbered in the order they are shown, with none missing.
    numbers = page.locator("li.item").evaluate_all(
        "items => items.map(i => i.getBoundingClientRect().top)"
    )
    assert numbers == sorted(numbers)


def test_the_skip_link_shows_only_with_the_keyboard_focus(browser: Any, lab_url: str) -> None:
    page = open_page(browser, f"{lab_url}/check")
    link = page.get_by_role("link", name="Skip to the main content")
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= 0
    page.keyboard.press("Tab")
    assert link.evaluate("e => e === document.activeElement")
    assert link.bounding_box()["y"] >= 0


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_page_that_does_not_exist_is_a_webdig_page(browser: Any, lab_url: str, size: str) -> None:
    # werkzeug's own 404 was unstyled, English only and 980 px wide on a phone.
    page = open_page(browser, f"{lab_url}/no/such/page/here", size)
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.get_attribute("html", "lang") == "en"
    link = page.get_by_role("link", name="Back to the look-up form")
    assert link.get_attribute("href") == "/"
    width = SIZES[size]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def saved(app: Flask, hostnames: str) -> str:
    """The id of a saved look-up of ``hostnames`` at every nameserver, against 192.0.2.10."""
    body = {"hostnames": [hostnames], "ns": "auth", "expected": ["192.0.2.10"]}
    response = app.test_client().post("/api/v1/snapshots", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return str(response.get_json()["id"])


@pytest.mark.parametrize("size", sorted(SIZES))
def test_what_changed_says_verdicts_in_words(
    browser: Any, lab_app: Flask, lab_url: str, size: str
) -> None:
    # The diff page printed the verdicts' codes ("answer.match → –") and had no h1.
    first, second = saved(lab_app, "www.good.lab"), saved(lab_app, "www.split.lab")
    page = open_page(browser, f"{lab_url}/diff/{first}/{second}", size)
    assert page.locator("h1").inner_text() == "What changed"
    text = page.inner_text("main")
    assert "Verdict: Matches → –" in text
    assert not re.search(r"answer\.[a-z]", text)
    width = SIZES[size]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", sorted(SIZES))
def test_look_up_with_no_name_says_what_is_missing(browser: Any, lab_url: str, size: str) -> None:
    # Pressing "Look up" with the box empty reloaded the same empty form without a word.
    page = open_page(browser, f"{lab_url}/", size)
    page.get_by_role("button", name="Look up").click()
    page.wait_for_timeout(300)
    assert page.url == f"{lab_url}/"
    box = page.locator("#hostnames")
    assert box.evaluate("e => e === document.activeElement")
    assert box.get_attribute("aria-invalid") == "true"
    error = page.locator("#hostnames-errors")
    assert error.inner_text().strip() == "✗ Enter a hostname, for example www.example.com."
    assert "hostnames-errors" in (box.get_attribute("aria-describedby") or "")
    assert page.locator("#progress").is_hidden()
    # Pressing again does not say it twice; with a name the look-up runs.
    page.get_by_role("button", name="Look up").click()
    assert page.locator(".errors li").count() == 1
    box.fill("www.good.lab")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_url("**/?hostnames=www.good.lab*")


def test_a_link_with_an_empty_name_still_opens_the_form(browser: Any, lab_url: str) -> None:
    page = open_page(browser, f"{lab_url}/?hostnames=&ns=self&nameservers=ns1.good.lab")
    assert page.input_value("#nameservers") == "ns1.good.lab"
    assert page.locator(".errors").count() == 0


@pytest.mark.parametrize("size", sorted(SIZES))
def test_an_ip_address_typed_as_the_name_is_explained(
    browser: Any, lab_url: str, size: str
) -> None:
    # Told to check that DNS points at their server, a site owner types the server's IP:
    # the page said only that it "does not exist (NXDOMAIN)".
    page = open_page(browser, f"{lab_url}/?hostnames=192.0.2.10", size)
    note = page.locator(".note", has_text="is an IP address, not a domain name")
    assert note.count() == 1
    # Right under the headline it explains, before the other findings.
    after = note.evaluate("n => n.previousElementSibling.className")
    assert after == "headlines"
    assert "enter the domain as the name and 192.0.2.10 as your server's IP" in note.inner_text()
    width = SIZES[size]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(
    ("path", "offered"),
    [
        (
            "/?"
            + urlencode({"hostnames": "www.split.lab", "ns": "auth", "expected": "192.0.2.10"}),
            True,
        ),
        (
            "/?"
            + urlencode(
                {"hostnames": "www.good.lab", "ns": "auth", "expected": "192.0.2.10 2001:db8::10"}
            ),
            False,
        ),
        ("/check?" + urlencode({"domain": "www.shop.lab", "expected": "192.0.2.99"}), True),
        ("/check?" + urlencode({"domain": "www.shop.lab", "expected": "127.0.0.1"}), False),
    ],
    ids=["mismatch", "match", "check-fails", "check-ready"],
)
def test_watch_until_fixed_is_offered_only_when_something_is_to_fix(
    browser: Any, lab_url: str, path: str, offered: bool
) -> None:
    # "Watch until it is fixed" under "points at your server" or "Ready to renew" asked the
    # reader to wait for a change that had already taken effect.
    page = open_page(browser, lab_url + path)
    assert page.locator(".headline, .summary").count() > 0
    link = page.get_by_role("link", name="Watch until it is fixed")
    assert link.count() == (1 if offered else 0)


def test_ready_to_renew_does_not_contradict_itself(browser: Any, lab_url: str) -> None:
    # Under "Press renew in your hosting panel", the next line said "nothing needs to be
    # done now".
    query = urlencode({"domain": "www.shop.lab", "expected": "127.0.0.1"})
    page = open_page(browser, f"{lab_url}/check?{query}")
    assert "Press renew in your hosting panel" in page.inner_text("main")
    retry = page.locator("p.retry").inner_text()
    assert "nothing needs to be done" not in retry
    assert "if you do not press renew now, it tries again on its own" in retry


@pytest.fixture(scope="module")
def expiring_url(renewal_lab: RenewalLab) -> Iterator[str]:
    """The app against a web server whose certificate expires in 5 days."""
    with serve(create_app(renewal_lab.config(tls="expiring"))) as url:
        yield url


def test_the_steps_for_an_expiring_certificate_say_each_thing_once(
    browser: Any, expiring_url: str
) -> None:
    # The certificate's fix said "Fix any failing item above, press renew…, then check
    # again: the expiry date should move…" above the items, before two steps that said
    # the same.
    query = urlencode({"domain": "www.shop.lab", "expected": "127.0.0.1"})
    page = open_page(browser, f"{expiring_url}/check?{query}", "phone")
    steps = page.locator("ol.todo-steps > li").all_inner_texts()
    assert len(steps) >= 3
    assert not [step for step in steps if "above" in step]
    assert len([step for step in steps if "expiry date" in step]) == 1


def test_what_to_do_follows_the_cause(browser: Any, expiring_url: str) -> None:
    # The watch link sat between the cause and the steps that fix it.
    query = urlencode({"domain": "www.shop.lab", "expected": "127.0.0.1"})
    page = open_page(browser, f"{expiring_url}/check?{query}")
    after = page.evaluate("document.querySelector('div.headline').nextElementSibling.className")
    assert after == "todo"
    watch = page.locator("p.watch-link")
    assert watch.evaluate("p => p.previousElementSibling.className") == "todo"


def test_webdig_s_resolver_is_not_called_this_server(browser: Any, lab_url: str) -> None:
    # "this server's resolver answers your server (192.0.2.10)": two servers in one line,
    # and the reader's was not the one meant.
    query = urlencode({"hostnames": "www.good.lab", "expected": "192.0.2.10"})
    page = open_page(browser, f"{lab_url}/?{query}")
    headline = page.locator(".headlines li").first.inner_text()
    assert "webdig's own resolver answers your server (192.0.2.10)" in headline
    assert "this server" not in page.inner_text("main")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_an_address_webdig_cannot_judge_is_not_marked_wrong(
    browser: Any, lab_url: str, size: str
) -> None:
    # With only an IPv4 address given, the AAAA answer "cannot be compared", yet its block
    # was red and its record tagged "✗ not your server".
    query = urlencode({"hostnames": "www.good.lab", "expected": "192.0.2.10"})
    page = open_page(browser, f"{lab_url}/?{query}", size)
    block = page.locator("article.block", has_text="Cannot compare")
    assert block.count() == 1
    assert "verdict-unjudged" in (block.get_attribute("class") or "")
    assert "2001:db8::10" in block.locator(".answer").inner_text()
    assert "not your server" not in block.inner_text()
    colour = block.evaluate("b => getComputedStyle(b).borderLeftColor")
    assert colour == "rgb(191, 135, 0)"


def test_the_phone_cards_name_each_value_in_one_font(browser: Any, lab_url: str) -> None:
    # On a phone each server's row is a card; the Answer cell is monospaced and its label
    # ("Answer") came out in the monospaced font, unlike the others.
    query = urlencode({"hostnames": "www.split.lab", "ns": "auth", "expected": "192.0.2.10"})
    page = open_page(browser, f"{lab_url}/?{query}", "phone")
    fonts = (
        page.locator("table.comparison tbody tr")
        .first.locator("td")
        .evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').fontFamily)")
    )
    assert len(fonts) >= 4
    assert len(set(fonts)) == 1
    assert "mono" not in fonts[0].lower()


def test_the_check_form_spaces_its_checkbox_like_a_field(browser: Any, lab_url: str) -> None:
    # "How the certificate is validated" sat right under the checkbox's help line.
    page = open_page(browser, f"{lab_url}/check", "phone")
    gaps = page.evaluate(
        """() => {
          const box = document.querySelector("form.check-form > .check");
          const below = box.nextElementSibling;
          const field = document.querySelector("form.check-form > .field");
          const gap = (a, b) => b.getBoundingClientRect().top - a.getBoundingClientRect().bottom;
          return [gap(box, below), gap(field, field.nextElementSibling)];
        }"""
    )
    assert gaps[0] >= gaps[1] - 1
