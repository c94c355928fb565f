"""Results as BIND 9.18's ``dig`` prints them: record lines, whole messages, +trace.

May import: ``webdig.engine``, ``webdig.lookup`` (for trace data), ``webdig.errors``,
``webdig.settings``, ``webdig.findings``, ``webdig.language``. Never Flask.
"""
