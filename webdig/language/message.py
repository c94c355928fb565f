"""Sentences built in the core that can be said again in another language.

An input error is raised deep in the core, long before anyone knows the
reader's language.  :class:`Message` is the English sentence (a ``str``, so
every existing caller keeps working) that also remembers its template and
values; :meth:`webdig.language.translator.Translator.text` says it again in
the reader's language.  Templates use ``str.format`` fields (``{value}``).
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """An English sentence made from a catalog template and its values.

    Write ``Message("“{value}” contains a space.", value=text)``; the
    template is what the catalogs translate (``pybabel extract -k Message``).
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        """Format ``template`` with ``params`` and keep both for translation."""
        sentence = super().__new__(cls, template.format(**params) if params else template)
        sentence.template = template
        sentence.params = params
        return sentence
