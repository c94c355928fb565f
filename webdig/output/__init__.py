"""Results as the API's JSON data and as the plain-text report (``format=text``, the CLI).

May import: ``webdig.engine``, ``webdig.lookup``, ``webdig.dig``, ``webdig.renewal``,
``webdig.language``, ``webdig.errors``, ``webdig.settings``, ``webdig.findings``. Never Flask.
"""
