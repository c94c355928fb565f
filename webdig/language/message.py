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

import functools
import re
import string
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

Moments = Callable[[datetime], str] | None
"""How a reader's language writes a moment (``Translator.moment``); None keeps webdig's
English form, ``2026-12-17 03:00 UTC``."""


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

    def say(self, gettext: Callable[[str], str], moments: Moments = None) -> str:
        """This sentence in the language of ``gettext``, nested messages included; with
        ``moments``, its moments written that way."""
        template = gettext(self.template)
        return _fill(template, self.params, gettext, moments) if self.params else template


class Quote(str):
    """Text another program wrote (dig's output, an HTTP header, a registry's record), quoted
    as it is: never translated, and shown apart from webdig's own words."""


class Lines(str):
    """Lines of text (newline-joined, so it is their English), each webdig's own words (a
    :class:`Message`, or plain text with no words such as a fingerprint) or a :class:`Quote`.

    A piece of evidence mixes them: a transcript's notes are said in the reader's language,
    the exchange they note is quoted.
    """

    lines: tuple[str, ...]

    def __new__(cls, lines: Iterable[str]) -> Lines:
        """The lines, in order."""
        kept = tuple(lines)
        text = super().__new__(cls, "\n".join(kept))
        text.lines = kept
        return text

    def __reduce__(self) -> tuple[type[Lines], tuple[tuple[str, ...]]]:
        # copy and pickle (dataclasses.asdict copies every field) rebuild it from its lines.
        return (Lines, (self.lines,))

    def say(self, gettext: Callable[[str], str], moments: Moments = None) -> str:
        """The lines in the language of ``gettext``, quotes as they are."""
        return "\n".join(say(line, gettext, moments) for line in self.lines)


_OWN_SPACE = ("。", "：", "）", "」", "！", "？")
"""Japanese punctuation that ends a sentence or a label with its own full-width space."""


def run_together(sentences: Iterable[str]) -> str:
    """Sentences (or a label and its sentence) one after another: a space after English ones,
    none after Japanese punctuation (「…です。次の…」, 「考えられる原因：127.0.0.1 では…」)."""
    joined = ""
    for text in sentences:
        if joined and text and not joined.endswith(_OWN_SPACE):
            joined += " "
        joined += text
    return joined


def say(value: object, gettext: Callable[[str], str] | None, moments: Moments = None) -> str:
    """``value`` as text: a :class:`Message` in the language of ``gettext`` (English
    without one), anything else as it is."""
    if isinstance(value, (Message, Lines)) and gettext is not None:
        return value.say(gettext, moments)
    return str(value)


def _fill(
    template: str,
    params: dict[str, Any],
    gettext: Callable[[str], str] | None,
    moments: Moments = None,
) -> str:
    return _Filler(gettext, moments).vformat(template, (), params)


_UTC_MOMENT = re.compile(r"(\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC")
"""How webdig's notes write a moment (a certificate's dates): what a Japanese reader gets in
Japan time.  A saved note is English text, so its moments are known by this form."""


def is_moment(value: str) -> bool:
    """Whether ``value`` is a moment as webdig's notes write it (``2026-12-17 03:00 UTC``)."""
    return _UTC_MOMENT.fullmatch(value) is not None


class _Filler(string.Formatter):
    """``str.format`` that says nested messages in one language and joins lists."""

    def __init__(self, gettext: Callable[[str], str] | None, moments: Moments = None) -> None:
        self.gettext = gettext
        self.moments = moments

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            return run_together(say(item, self.gettext, self.moments) for item in value)
        if isinstance(value, Message):
            return say(value, self.gettext, self.moments)
        if self.moments is not None and isinstance(value, str) and not isinstance(value, Quote):
            moment = _UTC_MOMENT.fullmatch(value)
            if moment is not None:
                return self.moments(datetime.fromisoformat(f"{moment[1]}T{moment[2]}+00:00"))
        return str(super().format_field(value, format_spec))


def reread(text: str, templates: Iterable[str]) -> str:
    """``text`` as the :class:`Message` one of ``templates`` made, so it can be said again in
    another language; ``text`` itself when none of them made it.

    A saved result keeps a server's failure as its English sentence only; reading it back
    into its template and values lets a Japanese reader get it in Japanese.  Values that are
    phrases (a reason inside a sentence) are read back too, and a value of several sentences
    (the reasons a list held) as the list of them.  The most specific template (the
    most fixed text) wins; templates that are only a placeholder never match.
    """
    for template, head, tail, pattern in _patterns(tuple(templates)):
        # The fixed text a template starts and ends with rules most out before any regex.
        if not (text.startswith(head) and text.endswith(tail)):
            continue
        found = pattern.fullmatch(text)
        if found is not None:
            values = {name: _value(value, templates) for name, value in found.groupdict().items()}
            return Message(template, **values)
    return text


_SENTENCE_BREAK = re.compile(r"(?<=[.!?]) (?=\S)")
"""Where one sentence ends and the next begins in a list of reasons joined with spaces."""


def _value(text: str, templates: Iterable[str]) -> str | list[str]:
    """A value of a sentence read back: a phrase or a reason as its Message, several reasons
    (whole sentences joined with spaces, as a list value is said) as a list of them."""
    if " " not in text:
        return text
    pieces = _SENTENCE_BREAK.split(text)
    if len(pieces) > 1:
        # Tried before the whole: a template ending in a placeholder would otherwise swallow
        # the first reason into the second one's value.
        said = [reread(piece, templates) for piece in pieces]
        if any(isinstance(piece, Message) for piece in said):
            return said
    return reread(text, templates)


@functools.cache
def _patterns(templates: tuple[str, ...]) -> list[tuple[str, str, str, re.Pattern[str]]]:
    found = []
    for template in templates:
        try:
            pieces = list(string.Formatter().parse(template))
        except ValueError:
            continue  # a catalog entry that is no format string (a lone brace)
        if len(_fixed(template).strip()) < 4 or any(spec or conv for _, _, spec, conv in pieces):
            continue  # only a placeholder, or a finding's template with list specs
        regex, seen = "", set()
        for literal, name, _spec, _conv in pieces:
            regex += re.escape(literal)
            if name is None:
                continue
            if not name.isidentifier():
                break
            regex += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
        else:
            tail = pieces[-1][0] if pieces[-1][1] is None else ""
            found.append((template, pieces[0][0], tail, re.compile(regex, re.S)))
    return sorted(found, key=lambda item: -len(_fixed(item[0])))


def _fixed(template: str) -> str:
    return "".join(literal for literal, *_ in string.Formatter().parse(template))
