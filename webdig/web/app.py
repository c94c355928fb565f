"""The application factory: defaults, then ``WEBDIG_*`` environment, then a test mapping."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from webdig.settings import app_defaults
from webdig.web import (
    api,
    appstate,
    checkpage,
    diffpage,
    errorpage,
    failurepaste,
    health,
    language,
    lookuppage,
    progress,
    ratelimits,
    secretkey,
    security,
    shortcuts,
    snapshotapi,
    snapshotpage,
    snapshotstore,
    watchapi,
    watchpage,
)
from webdig.web.findingwords import FILTERS, template_globals
from webdig.web.jsonresponse import JSONProvider
from webdig.web.typedrequest import TypedRequest

PACKAGE = Path(__file__).resolve().parent.parent
SYNCED_KEPT = 512
"""Hooks and views whose :meth:`WebdigFlask.ensure_sync` answer is kept (webdig has about 40)."""


def asset_folder(name: str) -> Path:
    """Where ``templates`` or ``static`` is: inside the package in a wheel or a
    non-editable install (pyproject.toml maps them there), else at the top of the
    source checkout, where the repository keeps them."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name


class WebdigFlask(Flask):
    """Flask, asking once per hook or view whether it is ``async def``, with responses'
    JSON encoded by orjson."""

    json_provider_class = JSONProvider

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Flask asks inspect.iscoroutinefunction about every hook and the view on every
        # request (seven times for an API look-up: ~1% of its instructions), and the
        # answer never changes for a function.  Bounded, for callables made per request.
        self._synced: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func``, or ``func`` wrapped to run to the end when it is a coroutine function."""
        try:
            return self._synced[func]
        except KeyError:
            synced = super().ensure_sync(func)
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)
        if len(self._synced) < SYNCED_KEPT:
            self._synced[func] = synced
        return synced


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then ``WEBDIG_*`` environment, then ``test_config``."""
    app = WebdigFlask(
        "webdig",
        template_folder=str(asset_folder("templates")),
        static_folder=str(asset_folder("static")),
    )
    app.request_class = TypedRequest  # full-width input reads as ASCII everywhere
    app.config.from_mapping(app_defaults())
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config.from_prefixed_env("WEBDIG")
    if test_config is not None:
        app.config.update(test_config)
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        # WEBDIG_TRUSTED_HOSTS=webdig.example,www.webdig.example; Flask wants a list.
        app.config["TRUSTED_HOSTS"] = hosts.replace(",", " ").split()
    if app.config.get("INSTANCE_PATH"):
        # Where the SQLite database and the generated secret key live (a
        # persistent volume, say); Flask's default is ./instance or
        # <prefix>/var/webdig-instance for an installed package.
        app.instance_path = str(app.config["INSTANCE_PATH"])

    # One wording for findings on every page: the catalog's sentence and the mark/word tables.
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(template_globals())
    secretkey.install(app)
    security.install(app)
    language.install(app)
    appstate.install(app)
    ratelimits.install(
        app,
        [
            lookuppage.bp,
            api.bp,
            checkpage.bp,
            snapshotapi.bp,
            snapshotpage.bp,
            diffpage.bp,
            diffpage.api_bp,  # reads and compares two saved results, as /diff/<a>/<b>
            watchpage.bp,
            watchapi.bp,
        ],
    )
    snapshotstore.install(app)
    progress.install(app)
    errorpage.install(app)

    app.register_blueprint(lookuppage.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(checkpage.bp)
    app.register_blueprint(snapshotapi.bp)
    app.register_blueprint(snapshotpage.bp)
    app.register_blueprint(diffpage.bp)
    app.register_blueprint(diffpage.api_bp)
    app.register_blueprint(watchpage.bp)
    app.register_blueprint(watchapi.bp)
    # Not in the look-up limits above: decoding sends nothing (the check it opens counts).
    app.register_blueprint(failurepaste.bp)
    app.register_blueprint(health.bp)
    # Its rules are all variables: werkzeug tries every rule with a fixed part first.
    app.register_blueprint(shortcuts.bp)
    return app
