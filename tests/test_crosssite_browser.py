"""Another site cannot make its visitors' browsers run look-ups (Chromium against gunicorn).

webdig runs under gunicorn on 127.0.0.1; the "other site" is a page served
from 127.0.0.2, a different site to the browser.  The nameserver of every
look-up is a counting server, so "no query was sent" is a packet count.
"""

from __future__ import annotations

import http.client
import http.server
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.support.bind import free_port
from tests.support.browser import wait_in_page
from tests.support.fakeserver import FakeServer, empty_reply
from tests.support.gunicornapp import serving
from tests.support.threadedservers import QuietHandler, ThreadedServer

OTHER_SITE = "127.0.0.2"


@pytest.fixture(scope="module")
def counting_ns() -> Iterator[FakeServer]:
    with FakeServer(udp=empty_reply) as server:
        yield server


@pytest.fixture(scope="module")
def webdig_url(counting_ns: FakeServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{counting_ns.port}",
        "WEBDIG_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
    }
    with serving(env) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def other_site() -> Iterator[dict[str, str]]:
    """A web server on 127.0.0.2 serving the pages of ``pages`` (path → HTML)."""
    pages: dict[str, str] = {}

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_body(200 if body else 404, body, "text/html; charset=utf-8")

    port = free_port(OTHER_SITE)
    with ThreadedServer(http.server.ThreadingHTTPServer((OTHER_SITE, port), Handler)):
        pages["base"] = f"http://{OTHER_SITE}:{port}"
        yield pages


def look_up(webdig_url: str, ns: FakeServer, name: str) -> str:
    query = {"hostnames": name, "ns": "self", "nameservers": f"127.0.0.1:{ns.port}"}
    return f"{webdig_url}/?{urlencode(query)}"


def open_other_site(browser: Any, other_site: dict[str, str], html: str) -> tuple[Any, list[Any]]:
    """Open a page of the other site holding ``html``; returns it and webdig's responses."""
    path = f"/p{len(other_site)}"
    other_site[path] = f"<!doctype html><html><body>{html}</body></html>"
    page = browser.new_context().new_page()
    seen: list[Any] = []
    page.on("response", lambda response: seen.append(response))
    page.goto(other_site["base"] + path)
    return page, seen


def statuses(seen: list[Any], webdig_url: str) -> list[int]:
    return [r.status for r in seen if r.url.startswith(webdig_url + "/?")]


def test_a_hidden_iframe_sends_no_query(
    browser: Any, webdig_url: str, counting_ns: FakeServer, other_site: dict[str, str]
) -> None:
    url = look_up(webdig_url, counting_ns, "framed.webdig.test")
    before = counting_ns.packets
    page, seen = open_other_site(
        browser, other_site, f'<iframe src="{url}" style="display:none"></iframe>'
    )
    assert wait_in_page(page, lambda: statuses(seen, webdig_url))
    page.wait_for_load_state("load")
    assert statuses(seen, webdig_url) == [403]
    assert counting_ns.packets == before


def test_a_scripted_navigation_shows_the_form_and_sends_nothing_until_run(
    browser: Any, webdig_url: str, counting_ns: FakeServer, other_site: dict[str, str]
) -> None:
    url = look_up(webdig_url, counting_ns, "sent.webdig.test")
    before = counting_ns.packets
    page, _ = open_other_site(browser, other_site, f"<script>location.href = {url!r};</script>")
    page.wait_for_url(f"{webdig_url}/**")
    page.wait_for_load_state("load")
    assert "was not run yet" in page.text_content(".alert.held")
    assert page.input_value("#hostnames") == "sent.webdig.test"
    assert page.locator("#results").count() == 0
    assert counting_ns.packets == before
    # The user's own press runs it, from webdig's page (same origin).
    page.get_by_role("button", name="Run this look-up").click()
    page.wait_for_selector("#results")
    assert counting_ns.packets > before


def test_a_link_the_user_clicks_runs_the_look_up(
    browser: Any, webdig_url: str, counting_ns: FakeServer, other_site: dict[str, str]
) -> None:
    url = look_up(webdig_url, counting_ns, "clicked.webdig.test")
    before = counting_ns.packets
    page, seen = open_other_site(browser, other_site, f'<a id="shared" href="{url}">result</a>')
    page.click("#shared")
    page.wait_for_selector("#results")
    assert statuses(seen, webdig_url) == [200]
    assert counting_ns.packets > before


def save(webdig_url: str, ns: FakeServer, name: str) -> str:
    """Save a look-up through the API (no Sec-Fetch headers: a script of the user's own)."""
    host, port = webdig_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    body = {"hostnames": name, "ns": "self", "nameservers": f"127.0.0.1:{ns.port}"}
    try:
        connection.request(
            "POST",
            "/api/v1/snapshots",
            body=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        document = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 201, document
    return str(document["id"])


def test_a_scripted_run_again_shows_the_saved_result_and_asks_nothing(
    browser: Any, webdig_url: str, counting_ns: FakeServer, other_site: dict[str, str]
) -> None:
    saved = save(webdig_url, counting_ns, "again.webdig.test")
    url = f"{webdig_url}/r/{saved}/again"
    before = counting_ns.packets
    page, seen = open_other_site(browser, other_site, f"<script>location.href = {url!r};</script>")
    page.wait_for_url(f"{webdig_url}/r/**")
    page.wait_for_load_state("load")
    assert [r.status for r in seen if r.url == url] == [200]
    assert "Not asked again yet" in page.text_content(".alert.held")
    assert "Seen on" in page.text_content(".snapshot-banner")
    assert page.locator("#changes").count() == 0
    assert counting_ns.packets == before
    # The person's own click on webdig's page asks the servers.
    page.get_by_role("link", name="Run again now").click()
    page.wait_for_selector("#changes")
    assert counting_ns.packets > before


def test_a_share_link_clicked_in_webmail_opens_the_saved_result(
    browser: Any, webdig_url: str, counting_ns: FakeServer, other_site: dict[str, str]
) -> None:
    # Webmail sends a clicked link through its own redirector page, which moves on by script:
    # webdig sees another site's navigation without the person's click.
    saved = save(webdig_url, counting_ns, "mailed.webdig.test")
    url = f"{webdig_url}/r/{saved}"
    other_site["/redirect"] = f"<script>location.replace({url!r});</script>"
    before = counting_ns.packets
    page, seen = open_other_site(browser, other_site, '<a id="mailed" href="/redirect">link</a>')
    page.click("#mailed")
    page.wait_for_url(url)
    page.wait_for_load_state("load")
    [opened] = [r for r in seen if r.url == url]
    assert opened.status == 200
    assert opened.request.all_headers().get("sec-fetch-user") is None  # not the person's click
    assert opened.request.all_headers()["sec-fetch-site"] == "cross-site"
    assert "Seen on" in page.text_content(".snapshot-banner")
    assert counting_ns.packets == before
    # The same page inside another site's frame stays refused.
    framed, framed_seen = open_other_site(browser, other_site, f'<iframe src="{url}"></iframe>')
    assert wait_in_page(framed, lambda: [r for r in framed_seen if r.url == url])
    assert [r.status for r in framed_seen if r.url == url] == [403]
