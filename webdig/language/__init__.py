"""The languages webdig speaks: English (the source text) and Japanese.

Flask-free, so the page, the API, the text report and the CLI share one
:class:`~webdig.language.translator.Translator`.  The web edge only picks the
language (:mod:`webdig.web.language`); the CLI picks it from ``--lang`` and the
environment.  The catalogs live in ``webdig/translations`` (gettext ``.po``
and their compiled ``.mo``).  May import babel and the standard library only.
"""
