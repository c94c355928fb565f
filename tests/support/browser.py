"""A real HTTP server for the app and a headless Chromium, for the browser tests.

The app is served by werkzeug on 127.0.0.1 with a free port, in a thread;
Chromium is Debian's (``/usr/bin/chromium``), driven by Playwright; on CI
a missing Chromium fails the run instead of skipping it.
Nothing here talks to anything but loopback.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from tests.support.prerequisites import missing
from tests.support.threadedservers import ThreadedServer

CHROMIUM = os.environ.get("WEBDIG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class ChromiumUnavailable(RuntimeError):
    """Chromium or Playwright is not installed on this machine."""


def _buffered(app: Flask) -> Any:
    """``app`` with each response body read whole and closed before it is sent.

    Werkzeug's development server closes the body only after draining the socket; when
    Chromium drops a connection (a favicon it no longer wants) that step can raise first,
    leaving a static file open, and its ResourceWarning fails the run under
    ``filterwarnings = error``.  Test pages are small, so reading them whole costs nothing.
    """

    def wsgi(environ: Any, start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (free port, threaded) and yield its base URL."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    with ThreadedServer(server):
        yield f"http://127.0.0.1:{server.server_port}"


OPEN_BROWSERS: list[Any] = []
"""The browsers :func:`chromium` has open, so a fixture can close each test's pages."""


def close_pages() -> None:
    """Close every context the tests opened: each keeps renderer processes alive until then.

    Tests open contexts freely and never close them; with a module-scoped browser
    that left dozens of renderers running per module on a 2-core machine.
    """
    for browser in OPEN_BROWSERS:
        for context in list(browser.contexts):
            context.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium under Playwright (raises ChromiumUnavailable if missing)."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        raise ChromiumUnavailable(f"{CHROMIUM} is missing (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a test dependency
        raise ChromiumUnavailable("the playwright package is not installed") from exc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        OPEN_BROWSERS.append(browser)
        try:
            yield browser
        finally:
            OPEN_BROWSERS.remove(browser)
            browser.close()


def chromium_or_skip() -> Iterator[Any]:
    """Yield :func:`chromium` for a fixture; a missing Chromium fails on CI and skips elsewhere."""
    try:
        with chromium() as browser:
            yield browser
    except ChromiumUnavailable as exc:
        missing(str(exc), "chromium")


def wait_in_page(page: Any, condition: Callable[[], object], timeout: float = 30) -> bool:
    """Whether ``condition()`` came true within ``timeout`` seconds.  Polls with the page's own
    wait, during which Playwright delivers the page's events (a plain sleep would not)."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= end:
            return False
        page.wait_for_timeout(50)
    return True
