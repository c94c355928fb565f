"""Watch until it is fixed in headless Chromium, against a BIND the test changes mid-watch.

With JavaScript the timeline grows in the page and the fix is announced in the polite live
region; without it the page reloads itself and shows the latest run only; DNS data that
carries markup stays text in runs drawn by the server and by static/watch.js alike.
Runs are a second apart here (a setting for tests: links can never ask for less than 10 s).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import dns.query
import dns.update
import pytest
from flask import Flask

from tests.support.bind import NamedServer
from tests.support.browser import serve, wait_in_page
from tests.support.movingzone import moving_question, point_www_at, send_update, updatable
from tests.test_browser import new_page
from tests.test_xss import SVG, TRIPWIRE
from webdig import create_app
from webdig.web.snapshotstore import store_of

FAST = {"WATCH_INTERVAL": 1, "WATCH_FLOOR": 0.5}


@pytest.fixture
def fast_url(settings_config: dict[str, Any]) -> Iterator[str]:
    """The app with one-second runs, over real HTTP on 127.0.0.1."""
    app = create_app({**settings_config, **FAST})
    with serve(app) as url:
        yield url
    store_of(app).engine.dispose()


def watch_path(server: NamedServer, **extra: str) -> str:
    return "/watch?" + urlencode(moving_question(server, **extra))


def runs(page: Any) -> int:
    return int(page.locator("#timeline .run").count())


def test_the_timeline_grows_and_announces_the_fix(
    browser: Any,
    fast_url: str,
    moving: NamedServer,
) -> None:
    page = new_page(browser)
    page.goto(fast_url + watch_path(moving))
    status = page.locator("#watch-status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.get_attribute("role") == "status"
    assert "The change has not taken effect yet." in page.text_content("#watch-now")
    page.wait_for_function("() => document.querySelectorAll('#timeline .run').length >= 2")
    assert "no change; it has not taken effect yet." in status.text_content()

    point_www_at(moving, "192.0.2.10")
    page.wait_for_selector("#watch-now.pass", timeout=20000)
    assert "The change has taken effect." in page.text_content("#watch-now")
    assert status.text_content().startswith("The change has taken effect: run ")
    newest = page.locator("#timeline .run").first
    assert "fixed" in (newest.get_attribute("class") or "")
    text = newest.inner_text()
    assert "The change has taken effect." in text
    assert "www.moving.test. IN A 192.0.2.10" in text
    # Once it has taken effect, the page stops asking.
    seen = runs(page)
    page.wait_for_timeout(2500)
    assert runs(page) == seen
    assert page.locator("#watch").get_attribute("data-state") == "fixed"

    page.get_by_role("button", name="Save this timeline").click()
    page.wait_for_url(f"{fast_url}/r/**")
    saved = page.locator("#watched").inner_text()
    assert "The change has taken effect" in saved
    assert saved.count("Run ") == seen
    assert page.console_errors == []


def test_without_javascript_the_page_reloads_with_the_latest_run(
    browser: Any,
    fast_url: str,
    moving: NamedServer,
) -> None:
    page = new_page(browser, java_script_enabled=False)
    page.goto(fast_url + watch_path(moving, lang="ja"))
    assert "まだ反映されていません" in page.text_content("#watch-now")
    page.wait_for_url("**run=2**", timeout=20000)
    page.wait_for_load_state("load")
    assert runs(page) == 1
    assert "2回目" in page.text_content("#timeline")

    point_www_at(moving, "192.0.2.10")

    def fixed() -> bool:
        try:
            return bool(page.locator("#watch-now.pass").count() == 1)
        except Exception:  # the page was reloading under the question
            return False

    assert wait_in_page(page, fixed)
    assert "反映されました" in page.text_content("#watch-now")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    url = page.url
    page.wait_for_timeout(2500)
    assert page.url == url


XSS_ZONE = """$TTL 300
@   IN SOA ns1.xsswatch.test. hostmaster.xsswatch.test. 1 3600 600 86400 300
@   IN NS  ns1.xsswatch.test.
ns1 IN A   127.0.0.1
txt IN TXT "<script>alert(1)</script>"
"""


@pytest.fixture
def xss_moving() -> Iterator[NamedServer]:
    server = updatable("xsswatch.test.", XSS_ZONE, extra_options="check-names primary ignore;")
    yield server
    server.stop()


def test_payloads_in_dns_data_stay_text_in_the_watch(
    browser: Any, settings_config: dict[str, Any], xss_moving: NamedServer
) -> None:
    app: Flask = create_app({**settings_config, **FAST})
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(TRIPWIRE)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    question = {
        "hostnames": "txt.xsswatch.test",
        "type": "TXT",
        "ns": "self",
        "nameservers": f"127.0.0.1#{xss_moving.port}",
    }
    try:
        with serve(app) as url:
            page.goto(f"{url}/watch?{urlencode(question)}")
            page.wait_for_function("() => document.querySelectorAll('#timeline .run').length >= 2")
            # A new payload arrives in a run static/watch.js draws.
            update = dns.update.UpdateMessage("xsswatch.test.")
            update.add("txt", 300, "TXT", f'"{SVG}"')
            send_update(xss_moving, update)
            page.wait_for_function(
                "() => document.querySelector('#timeline').textContent.includes('svg onload')",
                timeout=20000,
            )
            assert page.evaluate("window.__xss") == []
            assert dialogs == []
            assert page.locator("img, svg, iframe, object, embed").count() == 0
            # webdig.js and watch.js, nothing a payload made.
            assert page.locator("script").count() == 2
            shown = page.locator("#timeline").inner_text()
            assert f'"{SVG}"' in shown
            assert "<script>alert(1)</script>" in page.locator("body").inner_text()
    finally:
        context.close()
        store_of(app).engine.dispose()


def test_screenshots_of_a_watch_that_took_effect(
    browser: Any,
    fast_url: str,
    moving: NamedServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The README's pictures: a watch in Japanese, on a desktop and a phone, once fixed."""
    chosen = os.environ.get("WEBDIG_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, dict[str, Any]] = {
        "desktop": {"viewport": {"width": 1280, "height": 900}},
        "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    }
    pages = {name: new_page(browser, locale="ja-JP", **size) for name, size in sizes.items()}
    for page in pages.values():
        page.goto(fast_url + watch_path(moving))
    for page in pages.values():
        page.wait_for_function("() => document.querySelectorAll('#timeline .run').length >= 3")
    point_www_at(moving, "192.0.2.10")
    for name, page in pages.items():
        page.wait_for_selector("#watch-now.pass", timeout=20000)
        assert "反映されました" in page.text_content("#watch-now")
        assert (
            page.evaluate("document.documentElement.scrollWidth")
            <= sizes[name]["viewport"]["width"]
        )
        page.screenshot(path=str(folder / f"watch-fixed-ja-{name}.png"), full_page=True)
        assert page.console_errors == []
    # The saved timeline, above the result of one more run.
    phone = pages["phone"]
    phone.get_by_role("button", name="この経過を保存").click()
    phone.wait_for_url(f"{fast_url}/r/**")
    assert "反映されました" in phone.text_content("#watched")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(folder / "watch-saved-ja-phone.png"), full_page=True)
