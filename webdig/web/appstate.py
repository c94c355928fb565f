"""What the running app holds for the engine: its settings and the runtime objects requests share.

The settings are built once from the app's final config; the
:class:`~webdig.lookup.context.LookupContext` (rate-limit gate, delegation
cache) lives next to them in ``app.extensions``, never inside the frozen
settings.
"""

from __future__ import annotations

from flask import Flask, current_app

from webdig.engine.session import TargetGate
from webdig.lookup.context import LookupContext
from webdig.settings import Settings

_SETTINGS = "webdig.settings"
_CONTEXT = "webdig.context"


def current_settings() -> Settings:
    """The engine settings of the app handling this request."""
    settings: Settings = current_app.extensions[_SETTINGS]
    return settings


def current_context() -> LookupContext:
    """The runtime objects the look-ups of the app handling this request share."""
    context: LookupContext = current_app.extensions[_CONTEXT]
    return context


def install(app: Flask, target_gate: TargetGate | None = None) -> None:
    """Build the engine settings once from the app's final config, and the shared context."""
    app.extensions[_SETTINGS] = Settings.from_mapping(app.config)
    app.extensions[_CONTEXT] = LookupContext(target_gate=target_gate)
