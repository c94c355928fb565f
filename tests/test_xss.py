"""Script payloads in DNS data and in echoed input never run: Chromium, HTML, text and JSON.

A BIND on loopback serves tests/zones/xss.test.db (payloads in TXT data,
CNAME targets, owner names) and a reverse zone whose PTR names carry them.
Each result page is opened in headless Chromium twice: with the app's CSP,
where an injected payload would at least leave a CSP violation, and with
the CSP bypassed, where it would run.  Either way nothing may run, no
dialog may open, and the payload must be readable as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.appconfig import loopback_config
from tests.support.bind import ZONES_DIR, NamedServer, Zone, running_or_skip
from tests.support.browser import serve
from webdig import create_app

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG = "<svg onload=alert(1)>"
# The same attacks without spaces, so splitting input on blanks keeps them whole.
IMG_NOSPACE = '"><img/src/onerror=alert(1)>'
SVG_NOSPACE = "<svg/onload=alert(1)>"

# How dig prints the payload names of the zone (escaped labels).
SCRIPT_NAME = r"<script>alert\(1\)</script>.xss.test."
IMG_NAME = r"\"><img\032src=x\032onerror=alert\(1\)>.xss.test."
SVG_NAME = r"<svg\032onload=alert\(1\)>.xss.test."
LIVE_NAME = "<svg/onload=alert`1`>.xss.test."
LIVE_PTR = "<img/src/onerror=alert`1`>.xss.test."

REVERSE_ZONE = rf"""$TTL 300
@       IN SOA  ns1.xss.test. hostmaster.xss.test. 2026112801 3600 900 604800 300
@       IN NS   ns1.xss.test.
1       IN PTR  {SCRIPT_NAME}
1       IN PTR  {IMG_NAME}
1       IN PTR  {SVG_NAME}
1       IN PTR  {LIVE_PTR}
"""

# Markup that must never reach an HTML page unescaped.
RAW_MARKUP = ("<script>alert", "<img src=x", "<img/src", "<svg onload", "<svg/onload", "<svg\\032")

# What a run payload would leave behind: calls of the dialog functions and
# CSP violations, recorded before any of the page's own scripts run.
TRIPWIRE = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function (...args) {
    window.__xss.push(name + "(" + args.join(",") + ")");
    return original.apply(this, args);
  };
}
document.addEventListener("securitypolicyviolation", (event) => {
  window.__xss.push("csp " + event.violatedDirective + ": " + event.sample);
});
"""

# (id, query string with NS for the test server, texts that must be visible)
PAGES: list[tuple[str, dict[str, str], list[str]]] = [
    (
        "txt-data",
        {"hostnames": "txt.xss.test", "type": "TXT", "stats": "on", "colorize": "on"},
        [f'"{SCRIPT}"', '"\\"><img src=x onerror=alert(1)>"', f'"{SVG}"'],
    ),
    (
        "txt-short",
        {"hostnames": "txt.xss.test", "type": "TXT", "short": "on", "showcommand": "on"},
        [f'"{SCRIPT}"', f'"{SVG}"'],
    ),
    (
        "cname-targets",
        {
            "hostnames": "script.xss.test\nimg.xss.test\nsvg.xss.test\nlive.xss.test",
            "expected": "192.0.2.10",
            "compare": "on",
        },
        [
            SCRIPT_NAME,
            IMG_NAME,
            SVG_NAME,
            LIVE_NAME,
            f"script.xss.test is an alias of {SCRIPT_NAME.rstrip('.')}",
            f"live.xss.test is an alias of {LIVE_NAME.rstrip('.')}",
        ],
    ),
    (
        "owner-name",
        {"hostnames": "chain.xss.test", "type": "TXT", "stats": "on"},
        [SVG_NAME, f'"{SVG}"'],
    ),
    (
        "ptr-names",
        {"hostnames": "203.0.113.1", "type": "Reverse", "stats": "on"},
        [SCRIPT_NAME, IMG_NAME, SVG_NAME, LIVE_PTR],
    ),
    ("echo-script", {"hostnames": SCRIPT}, [f"“{SCRIPT}” contains characters"]),
    ("echo-img", {"hostnames": IMG}, ['“"><img”', "“src=x”", "“onerror=alert(1)>”"]),
    ("echo-svg", {"hostnames": SVG}, ["“<svg”", "“onload=alert(1)>”"]),
    ("echo-img-whole", {"hostnames": IMG_NOSPACE}, [f"“{IMG_NOSPACE}” contains characters"]),
    ("echo-svg-whole", {"hostnames": SVG_NOSPACE}, [f"“{SVG_NOSPACE}” contains characters"]),
    (
        "echo-other-fields",
        {
            "hostnames": "txt.xss.test",
            "type": SCRIPT,
            "expected": IMG_NOSPACE,
            "nameservers": SVG_NOSPACE,
        },
        [f"“{SCRIPT}” is not a DNS record type", f"“{IMG_NOSPACE}” is neither", SVG_NOSPACE],
    ),
    (
        "echo-choices",
        {"hostnames": "txt.xss.test", "ns": "resolver", "useresolver": SCRIPT},
        [f"“{SCRIPT}” is not one of the resolvers"],
    ),
    (
        "echo-hosting",
        {"hostnames": "txt.xss.test", "hosting": IMG_NOSPACE, "nameservers": ""},
        [f"“{IMG_NOSPACE}” is not a hosting provider"],
    ),
]


@pytest.fixture(scope="module")
def xss_named() -> Iterator[NamedServer]:
    """A BIND serving the payload zones (it would refuse their names under check-names)."""
    server = NamedServer(
        zones=[
            Zone("xss.test.", ZONES_DIR / "xss.test.db"),
            Zone("113.0.203.in-addr.arpa.", text=REVERSE_ZONE),
        ],
        extra_options="check-names primary ignore;",
    )
    yield from running_or_skip(server)


@pytest.fixture(scope="module")
def xss_app(xss_named: NamedServer) -> Flask:
    """The app, with the payload server as its resolver and the nameserver to ask."""
    # BIND always answers here, so the look-ups get time enough on a loaded machine:
    # a late reply would show "no reply" instead of the payloads the test reads.
    return create_app(
        loopback_config(xss_named.address, xss_named.port, TIMEOUT=5.0, DEADLINE=15.0)
    )


@pytest.fixture(scope="module")
def xss_url(xss_app: Flask) -> Iterator[str]:
    """The app over real HTTP on 127.0.0.1."""
    with serve(xss_app) as url:
        yield url


def page_query(args: dict[str, str], named: NamedServer) -> str:
    """The look-up URL's query string: ask the payload server unless ``args`` say otherwise."""
    return urlencode({"ns": "self", "nameservers": f"127.0.0.1:{named.port}", **args})


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "no-csp"])
@pytest.mark.parametrize(("args", "visible"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_no_payload_runs_in_chromium(
    browser: Any,
    xss_url: str,
    xss_named: NamedServer,
    args: dict[str, str],
    visible: list[str],
    bypass_csp: bool,
) -> None:
    context = browser.new_context(bypass_csp=bypass_csp)
    context.add_init_script(TRIPWIRE)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message: Any) -> None:
        # The 400 of an invalid look-up is the page itself, not an injected resource.
        if message.type == "error" and "status of 400" not in message.text:
            errors.append(message.text)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{xss_url}/?{page_query(args, xss_named)}")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") == []
        assert dialogs == []
        assert errors == []
        # Only the page's own script element; no element a payload would have made.
        assert page.locator("script").count() == 1
        assert page.locator("img, svg, iframe, object, embed").count() == 0
        shown = page.locator("body").inner_text()
        for text in visible:
            assert text in shown
    finally:
        context.close()


def test_echoed_input_keeps_its_lines_in_the_form(
    browser: Any, xss_url: str, xss_named: NamedServer
) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{xss_url}/?{page_query({'hostnames': IMG}, xss_named)}")
        assert page.input_value("#hostnames") == IMG.replace(" ", "\n")
        assert page.input_value("#nameservers") == f"127.0.0.1:{xss_named.port}"
    finally:
        page.close()


@pytest.mark.parametrize(("args", "visible"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_html_escapes_every_payload(
    xss_app: Flask, xss_named: NamedServer, args: dict[str, str], visible: list[str]
) -> None:
    response = xss_app.test_client().get(f"/?{page_query(args, xss_named)}")
    assert response.status_code in (200, 400)
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for markup in RAW_MARKUP:
        assert markup not in html
    assert "&lt;" in html


@pytest.fixture
def xss_client(xss_app: Flask) -> FlaskClient:
    """A test client of the payload app."""
    return xss_app.test_client()


def test_text_format_is_plain_text_with_raw_payloads(
    xss_client: FlaskClient, xss_named: NamedServer
) -> None:
    query = page_query({"hostnames": "txt.xss.test", "type": "TXT", "format": "text"}, xss_named)
    response = xss_client.get(f"/?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = response.get_data(as_text=True)
    assert f'"{SCRIPT}"' in text
    assert '"\\"><img src=x onerror=alert(1)>"' in text


def test_text_format_errors_are_plain_text(xss_client: FlaskClient, xss_named: NamedServer) -> None:
    response = xss_client.get(f"/?{page_query({'hostnames': SCRIPT, 'format': 'text'}, xss_named)}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert f"hostnames: “{SCRIPT}” contains characters" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("args", "section", "expected"),
    [
        (
            {"hostnames": "txt.xss.test", "type": "TXT"},
            "data",
            {
                f'"{SCRIPT}"',
                '"\\"><img src=x onerror=alert(1)>"',
                f'"{SVG}"',
                f'"{SCRIPT}" "\\"><img src=x onerror=alert(1)>" "{SVG}"',
            },
        ),
        (
            {"hostnames": "203.0.113.1", "type": "Reverse"},
            "data",
            {SCRIPT_NAME, IMG_NAME, SVG_NAME, LIVE_PTR},
        ),
        ({"hostnames": "chain.xss.test", "type": "TXT"}, "name", {"chain.xss.test.", SVG_NAME}),
    ],
    ids=["txt", "ptr", "owner"],
)
def test_api_returns_the_raw_strings_json_escaped(
    xss_client: FlaskClient,
    xss_named: NamedServer,
    args: dict[str, str],
    section: str,
    expected: set[str],
) -> None:
    response = xss_client.get(f"/api/v1/lookup?{page_query(args, xss_named)}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = json.loads(response.get_data(as_text=True))
    [result] = body["results"]
    assert {record[section] for record in result["answer"]} == expected
    # The raw body is JSON: quotes inside the strings are escaped, nothing is HTML-escaped.
    raw = response.get_data(as_text=True)
    for text in expected:
        assert json.dumps(text)[1:-1] in raw
    assert "&lt;" not in raw


def test_api_errors_echo_the_raw_input(xss_client: FlaskClient, xss_named: NamedServer) -> None:
    response = xss_client.get(f"/api/v1/lookup?{page_query({'hostnames': SCRIPT}, xss_named)}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    [message] = response.get_json()["fields"]["hostnames"]
    assert message.startswith(f"“{SCRIPT}” contains characters")


SAVED = [p for p in PAGES if not p[0].startswith("echo")]
"""The pages with a result to save (invalid input is never run, so never saved)."""


@pytest.mark.parametrize(("args", "visible"), [p[1:] for p in SAVED], ids=[p[0] for p in SAVED])
def test_no_payload_runs_in_saved_pages(
    browser: Any,
    xss_url: str,
    xss_app: Flask,
    xss_named: NamedServer,
    args: dict[str, str],
    visible: list[str],
) -> None:
    """Saved results (/r/<id>), their diff and "Run again now" draw the same data: inert."""
    client = xss_app.test_client()
    body = {"ns": "self", "nameservers": f"127.0.0.1:{xss_named.port}", **args}
    saved = [client.post("/api/v1/snapshots", json=body) for _ in range(2)]
    assert [response.status_code for response in saved] == [201, 201]
    first, second = (response.get_json()["id"] for response in saved)
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(TRIPWIRE)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        for path in (f"/r/{first}", f"/diff/{first}/{second}", f"/r/{first}/again"):
            page.goto(f"{xss_url}{path}")
            page.wait_for_load_state("load")
            assert page.evaluate("window.__xss") == [], path
            assert page.locator("script").count() == 1, path
            assert page.locator("img, svg, iframe, object, embed").count() == 0, path
        page.goto(f"{xss_url}/r/{first}")
        shown = page.locator("body").inner_text()
        for text in visible:
            assert text in shown
        assert dialogs == []
    finally:
        context.close()
