"""Results as BIND 9.18's ``dig`` prints them: record lines, whole messages, +trace.

May import: ``webdig.engine`` and ``webdig.lookup`` (for trace data). Never Flask.
"""
