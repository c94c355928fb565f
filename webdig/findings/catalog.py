"""The one place where a finding becomes a sentence: code + parameters → words.

Every template is a whole sentence with named placeholders, marked with
:func:`~webdig.findings.markers.N_` (or ``NP_`` for plural forms) so that
``pybabel extract -k N_ -k NP_:1,2`` finds it for the translators; the tables are
:mod:`webdig.findings.lookupsentences`, :mod:`webdig.findings.checksentences`,
:mod:`webdig.findings.fixsentences` and :mod:`webdig.findings.failuresentences`.  A code may
have several variants (with or without an alias, after a redirect or not);
:func:`sentence` picks the first variant whose conditions the parameters meet.

Placeholders take a format spec for values that need words of their own:
lists join as "a, b and c" (``{x}``), "a, b, c" (``{x:unit}``), "a or b"
(``{x:or}``) or "a; b" (``{x:semicolon}``, 「a、b」 in Japanese) in the reader's language through
Babel, or as whole sentences one after the other (``{x:sentences}``);
``{x:duration}`` reads seconds as "5 minutes", ``{x:days}`` a count as
"3 days", ``{x:day}`` an ISO date or moment in the reader's way (2026年12月1日,
1 December 2026), ``{x:time}`` an ISO moment as "23:10 UTC", and ``{x:date}`` as
"2026-12-01" in English (the certificate's dates, as its fields print them) and as
``{x:day}`` in Japanese.  A Japanese reader gets moments in Japan time, as the hosting
manuals write them: ``{x:time}`` as "08:10（日本時間）", and ``{x:day}`` and
``{x:date}`` of a moment give its day in Japan (so a day and a time agree).
A mapping is a sub-phrase (a list of mappings is several, then joined): its
``code`` names a phrase of :data:`PHRASES`, rendered with the mapping's other keys.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Literal, Protocol

from babel.lists import format_list

from webdig.findings.checksentences import CHECKLIST, CHECKLIST_PHRASES
from webdig.findings.failuresentences import FAILURES
from webdig.findings.fixsentences import FIXES
from webdig.findings.lookupsentences import LOOKUP, LOOKUP_PHRASES
from webdig.findings.markers import NP_, V
from webdig.findings.model import Finding
from webdig.language.message import Message, run_together, say
from webdig.language.translator import ENGLISH_LOCALE, JST, written_date


class Translations(Protocol):
    """What :func:`sentence` needs of a translations object (``gettext.NullTranslations``)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...

    def __hash__(self) -> int: ...


SENTENCES: dict[str, tuple[V, ...]] = {**LOOKUP, **CHECKLIST, **FIXES, **FAILURES}
"""Finding code → its wordings (first match wins), from one table per area."""

PHRASES: dict[str, tuple[V, ...]] = {**LOOKUP_PHRASES, **CHECKLIST_PHRASES}
"""Sub-phrase code → wordings, for a mapping parameter or the items of a list of them."""


_DURATIONS = (
    (90, 1, NP_("{count} second", "{count} seconds")),
    (90 * 60, 60, NP_("{count} minute", "{count} minutes")),
    (48 * 3600, 3600, NP_("{count} hour", "{count} hours")),
    (None, 86400, NP_("{count} day", "{count} days")),
)
"""Below the first bound, count in the second's unit: 89 s is "89 seconds", 90 s "2 minutes"."""

_DAYS = NP_("{count} day", "{count} days")
_LIST_STYLES: dict[str, Literal["standard", "unit", "or"]] = {
    "": "standard",
    "unit": "unit",
    "or": "or",
}


def codes() -> list[str]:
    """Every finding code, sorted: the enum of ``code`` in the OpenAPI document."""
    return sorted(SENTENCES)


def sentence(
    finding: Finding, translations: Translations | None = None, *, locale: str | None = None
) -> str:
    """The finding in words, translated when ``translations`` is given.

    ``locale`` decides how lists join; by default the translations' own
    language, else English.
    """
    # A Message parameter equals its English text, but only it can be said in Japanese, and
    # two Messages of the same English may hold their reasons differently (one read back from
    # a saved result): the cache must not hand one's wording to the other.
    said = tuple(_wording(value) for value in finding.params.values())
    return _sentence(finding, translations, locale, said)


def _wording(value: object) -> object:
    """What decides how ``value`` is said besides its English text: a Message's template and
    its values' own (a reason inside a sentence); None for plain text and data."""
    if isinstance(value, Message):
        return (value.template, tuple(_wording(v) for v in value.params.values()))
    if isinstance(value, (list, tuple)):
        return tuple(_wording(v) for v in value)
    return None


@functools.lru_cache(maxsize=4096)
def _sentence(
    finding: Finding,
    translations: Translations | None,
    locale: str | None,
    _said: tuple[object, ...],
) -> str:
    # People re-check the same name while they fix it, and a page says a finding more than
    # once: wording one costs ~60 µs (str.format and Babel's list patterns), a hit ~5 µs.
    return _render(SENTENCES, finding.code, finding.params, translations, locale)


def paragraph(
    findings: Iterable[Finding],
    translations: Translations | None = None,
    *,
    locale: str | None = None,
) -> str:
    """Several findings as one text: their sentences in order, each finding said once."""
    said = (sentence(finding, translations, locale=locale) for finding in dict.fromkeys(findings))
    return run_together(text for text in said if text)


def join(items: Sequence[str], style: str = "", translations: Translations | None = None) -> str:
    """``items`` as one list in the reader's language: "a, b and c" (``style`` as in a
    placeholder's spec: "", "unit", "or" or "semicolon")."""
    return _Formatter(translations, _language(translations)).format_field(list(items), style)


def _render(
    table: Mapping[str, Sequence[V]],
    code: str,
    params: Mapping[str, Any],
    translations: Translations | None,
    locale: str | None,
) -> str:
    wordings = table.get(code)
    if wordings is None:
        raise KeyError(f"no wording for finding code {code!r}")
    chosen = next(w for w in wordings if w.holds(params))
    language = locale or _language(translations)
    template = _translate(chosen.template, params.get(chosen.count or "", 1), translations)
    return _Formatter(translations, language).vformat(template, (), params)


def _translate(
    template: str | tuple[str, str], count: object, translations: Translations | None
) -> str:
    if isinstance(template, tuple):
        singular, plural = template
        n = count if isinstance(count, int) else 1
        if translations is None:
            return singular if n == 1 else plural
        return translations.ngettext(singular, plural, n)
    return translations.gettext(template) if translations is not None else template


def _language(translations: Translations | None) -> str:
    """The locale lists join in: the translations' ``language`` (webdig's translator) or the
    ``Language`` of their catalog header (gettext's), else English."""
    language = getattr(translations, "language", None)
    info: Callable[[], Mapping[str, str]] | None = getattr(translations, "info", None)
    if language is None and info is not None:
        language = info().get("language")
    if not language or str(language).split("_")[0] == "en":
        return ENGLISH_LOCALE
    return str(language)


class _Formatter(string.Formatter):
    """str.format with webdig's specs for lists, durations, days and moments."""

    def __init__(self, translations: Translations | None, locale: str) -> None:
        self.translations = translations
        self.locale = locale

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Message):  # a core sentence (a server's failure) in a parameter
            return self._item(value)
        if isinstance(value, Mapping):
            return self._item(value)
        if isinstance(value, (list, tuple)):
            if format_spec == "day":  # in the reader's way: 2026年12月1日, 1 December 2026
                days = [self.format_field(item, "day") for item in value]
                return format_list(days, locale=self.locale)
            items = [self._item(item) for item in value]
            if format_spec == "semicolon":  # Japanese lists clauses with 、 as with words
                return ("、" if self._japanese else "; ").join(items)
            if format_spec == "sentences":  # whole sentences (a server's failures), one by one
                return run_together(items)
            style = _LIST_STYLES[format_spec]
            if style == "unit" and self.locale.split("_")[0] == "ja":
                # CLDR's Japanese unit list is "a b c": addresses then run together; the
                # standard one is "a、b、c", as the manuals list them.
                style = "standard"
            return format_list(items, style=style, locale=self.locale)
        if format_spec == "duration":
            return self._duration(int(value))
        if format_spec == "days":
            return self._count(_DAYS, int(value))
        if format_spec == "day" or (format_spec == "date" and self._japanese):
            # A Japanese reader reads every day as 2026年12月1日 (PRODUCT.md), the
            # certificate's too.
            return written_date(self._day(str(value)), self.locale)
        if format_spec == "time":
            moment = self._local(str(value))
            return f"{moment:%H:%M}（日本時間）" if self._japanese else f"{moment:%H:%M} UTC"
        if format_spec == "date":
            return self._day(str(value)).isoformat()
        return str(super().format_field(value, format_spec))

    @property
    def _japanese(self) -> bool:
        return self.locale.split("_")[0] == "ja"

    def _local(self, value: str) -> datetime:
        """An ISO moment in the reader's zone: Japan time for a Japanese reader, else UTC."""
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:  # webdig's moments are UTC (never the machine's zone)
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(JST if self._japanese else UTC)

    def _day(self, value: str) -> date:
        """The day of an ISO date, or of an ISO moment in the reader's zone, so that the day
        and the time of one moment agree."""
        return date.fromisoformat(value) if len(value) <= 10 else self._local(value).date()

    def _item(self, item: Any) -> str:
        if isinstance(item, Mapping):
            rest = {k: v for k, v in item.items() if k != "code"}
            return _render(PHRASES, str(item["code"]), rest, self.translations, self.locale)
        return say(item, self.translations.gettext if self.translations is not None else None)

    def _duration(self, seconds: int) -> str:
        for bound, unit, forms in _DURATIONS:
            if bound is None or seconds < bound:
                return self._count(forms, round(seconds / unit))
        raise AssertionError("the last unit has no bound")

    def _count(self, forms: tuple[str, str], count: int) -> str:
        return _translate(forms, count, self.translations).format(count=count)
