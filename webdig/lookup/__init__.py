"""Running a look-up: parameters, planning, the ``ns`` modes, delegation, +trace,
the per-answer verdicts, cross-checks and the comparison table.

May import: ``webdig.engine``, ``webdig.presets``, ``webdig.errors``, ``webdig.settings``,
``webdig.findings``, ``webdig.language``. Never Flask.
"""
