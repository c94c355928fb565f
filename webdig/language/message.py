"""Sentences built in the core that can be said again in another language.

An input error or a server's failure is worded deep in the core, long before
anyone knows the reader's language.  :class:`Message` is the English sentence
(a ``str``, so every existing caller keeps working) that also remembers its
template and values; :meth:`Message.say` says it again through a catalog's
``gettext``.  Templates use ``str.format`` fields (``{value}``).  A value may be a
Message itself (a reason inside a sentence), said in the same language; a list of
values (several reasons) is joined with spaces, so its items are whole sentences.
"""

from __future__ import annotations

import string
from collections.abc import Callable
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
        sentence = super().__new__(cls, _fill(template, params, None) if params else template)
        sentence.template = template
        sentence.params = params
        return sentence

    def say(self, gettext: Callable[[str], str]) -> str:
        """This sentence in the language of ``gettext``, nested messages included."""
        template = gettext(self.template)
        return _fill(template, self.params, gettext) if self.params else template


def say(value: object, gettext: Callable[[str], str] | None) -> str:
    """``value`` as text: a :class:`Message` in the language of ``gettext`` (English
    without one), anything else as it is."""
    if isinstance(value, Message) and gettext is not None:
        return value.say(gettext)
    return str(value)


def _fill(template: str, params: dict[str, Any], gettext: Callable[[str], str] | None) -> str:
    return _Filler(gettext).vformat(template, (), params)


class _Filler(string.Formatter):
    """``str.format`` that says nested messages in one language and joins lists."""

    def __init__(self, gettext: Callable[[str], str] | None) -> None:
        self.gettext = gettext

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            return " ".join(say(item, self.gettext) for item in value)
        if isinstance(value, Message):
            return say(value, self.gettext)
        return str(super().format_field(value, format_spec))
