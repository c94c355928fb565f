"""webdig: dig in the browser.

The package is cut by area; each subpackage's docstring says what it holds and
what it may import:

- :mod:`webdig.engine`: DNS names, queries, wire messages, the one transport
  module, the per-request session and the target policy;
- :mod:`webdig.lookup`: parameters, planning and running a look-up in every
  mode, delegation, +trace, verdicts and cross-checks;
- :mod:`webdig.dig`: results as BIND's ``dig`` prints them;
- :mod:`webdig.output`: results as JSON data and as the plain-text report;
- :mod:`webdig.renewal`: the certificate-renewal checklist and its probes;
- :mod:`webdig.web`: the Flask app (the only area that imports Flask);
- :mod:`webdig.cli`: the ``webdig`` command;
- :mod:`webdig.findings`: every judgement as a code, a level and parameters, and the
  one catalog that words it;
- :mod:`webdig.language`: English and Japanese, for every output.

Cross-cutting modules sit at the top: :mod:`webdig.errors`, :mod:`webdig.settings`
and :mod:`webdig.presets`. ``tests/test_core_imports.py`` holds each area to what its
docstring says it may import, and finds any import cycle.

``webdig:create_app()`` keeps working for existing Procfiles, but importing
``webdig`` does not import Flask: the factory is loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from webdig.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Lazy, so that the CLI and the core never pay for (or depend on) Flask.
    if name == "create_app":
        from webdig.web.app import create_app

        return create_app
    raise AttributeError(f"module 'webdig' has no attribute {name!r}")
