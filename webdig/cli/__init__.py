"""The ``webdig`` command: a thin shell over the core.

May import: the core areas (``webdig.engine``, ``webdig.lookup``, ``webdig.dig``,
``webdig.renewal``, ``webdig.output``) and ``webdig.presets``, ``webdig.language``,
``webdig.errors``, ``webdig.settings``, ``webdig.findings``, ``webdig.storage``, and the
package's lazy ``webdig`` factory (``webdig db`` builds the app to find the database the
server uses). Never Flask and never ``webdig.web`` (``webdig serve`` runs gunicorn on the
app factory by name).
"""
