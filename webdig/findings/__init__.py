"""Findings: every judgement webdig makes, as data, and the one place that words them.

A :class:`~webdig.findings.model.Finding` is a stable ``code`` (``answer.mismatch``),
a :class:`~webdig.findings.model.Level` (pass, warn, fail, unknown, info) and the
JSON-able parameters its sentence needs; :mod:`webdig.findings.catalog` turns code
and parameters into a sentence, optionally translated.  The look-up, the renewal
checklist, the JSON API, the page, the text report and the CLI all use these.

May import: the standard library, Babel and ``webdig.language``, whose core messages (a
server's failure) may be a parameter, said in the reader's language.  Nothing from the
other areas of webdig, so every area can import it without a cycle.
"""
