"""The ``webdig`` command: a thin shell over the core.

May import: every core area. Never Flask (``webdig serve`` imports gunicorn and the app lazily).
"""
