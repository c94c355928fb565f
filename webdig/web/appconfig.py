"""Flask-side configuration: defaults, and the engine settings of the running app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import current_app

from webdig.settings import Settings
from webdig.web.ratelimits import DEFAULTS as LIMIT_DEFAULTS

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": "dev-only-change-me",
    "JSON_SORT_KEYS": False,
    # Engine settings (see webdig.settings.Settings); WEBDIG_TIMEOUT etc. override.
    "TIMEOUT": 2.0,
    "TRIES": 2,
    "DEADLINE": 8.0,
    "ALLOW_PRIVATE": False,
    "RESOLVER": None,
    **LIMIT_DEFAULTS,
}

_EXTENSION = "webdig.settings"


def current_settings() -> Settings:
    """The engine settings of the app handling this request."""
    settings: Settings = current_app.extensions[_EXTENSION]
    return settings


def install_settings(
    extensions: dict[str, Any], config: Any, target_gate: Callable[[str], bool] | None = None
) -> None:
    """Build the engine settings once from the app's final config."""
    extensions[_EXTENSION] = replace(Settings.from_mapping(config), target_gate=target_gate)
