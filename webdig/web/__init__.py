"""The web edge: the app factory, pages, forms, the JSON API and its OpenAPI document,
security headers, rate limits and the health check.

The only area that imports Flask, Werkzeug and WTForms. May import: the core areas
(``webdig.engine``, ``webdig.lookup``, ``webdig.dig``, ``webdig.renewal``, ``webdig.output``)
and ``webdig.presets``, ``webdig.language``, ``webdig.errors``, ``webdig.settings``,
``webdig.findings``, ``webdig.storage``, ``webdig.version``. Never ``webdig.cli``.
"""
