"""The one place where a finding becomes a sentence: code + parameters → words.

Every template is a whole sentence with named placeholders, marked with
:func:`N_` (or :func:`NP_` for plural forms) so that
``pybabel extract -k N_ -k NP_:1,2`` finds it for the translators.  A code may
have several variants (with or without an alias, after a redirect or not);
:func:`sentence` picks the first variant whose conditions the parameters meet.

Placeholders take a format spec for values that need words of their own:
lists join as "a, b and c" (``{x}``), "a, b, c" (``{x:unit}``), "a or b"
(``{x:or}``) or "a; b" (``{x:semicolon}``) in the reader's language through
Babel; ``{x:duration}`` reads seconds as "5 minutes", ``{x:days}`` a count as
"3 days", ``{x:time}`` and ``{x:date}`` an ISO moment as "23:10 UTC" and
"2026-12-01".  A list of mappings is a list of sub-phrases: each mapping's
``code`` names a phrase of :data:`PHRASES`, rendered with the mapping's other
keys, then joined.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from babel.lists import format_list

from webdig.findings.model import Finding

DEFAULT_LOCALE = "en_GB"
"""English as webdig writes it: "a, b and c", without the serial comma."""


class Translations(Protocol):
    """What :func:`sentence` needs of a translations object (``gettext.NullTranslations``)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


def N_(message: str) -> str:
    """Mark ``message`` as a catalog template for extraction; returns it unchanged."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a template with a plural form (``-k NP_:1,2``); returns both unchanged."""
    return singular, plural


@dataclass(frozen=True)
class V:
    """One wording of a code, used when every condition holds.

    A condition ``"name"`` holds when the parameter is present and not empty;
    ``"name=value"`` when its text equals ``value``.  ``count`` names the
    parameter that picks the plural form of a :func:`NP_` template.
    """

    template: str | tuple[str, str]
    when: tuple[str, ...] = ()
    count: str | None = None

    def holds(self, params: Mapping[str, Any]) -> bool:
        """Whether ``params`` meet every condition of this wording."""
        for condition in self.when:
            name, _, value = condition.partition("=")
            if "=" in condition:
                if str(params.get(name)) != value:
                    return False
            elif params.get(name) in (None, "", (), [], 0, False):
                return False
        return True


def v(template: str | tuple[str, str], *when: str, count: str | None = None) -> V:
    """A wording with its conditions: ``v(N_("…"), "alias")``."""
    return V(template, when, count)


SENTENCES: dict[str, tuple[V, ...]] = {
    # Per-answer verdicts: does this server answer the address the user expected?
    "answer.match": (
        v(N_("{server} answers {matched:unit} for {host} ({host} is an alias of {alias}): this matches your server."), "alias"),  # noqa: E501
        v(N_("{server} answers {matched:unit} for {host}: this matches your server.")),
    ),
    "answer.mixed": (
        v(N_("{server} answers {matched:unit} for {host} ({host} is an alias of {alias}), which is your server, but also {unexpected:unit}, which is not: visitors and Let's Encrypt may be sent to either."), "alias"),  # noqa: E501
        v(N_("{server} answers {matched:unit} for {host}, which is your server, but also {unexpected:unit}, which is not: visitors and Let's Encrypt may be sent to either.")),  # noqa: E501
    ),
    "answer.mismatch": (
        v(N_("{server} answers {unexpected:unit} for {host} ({host} is an alias of {alias}), not your server ({expected:unit})."), "alias"),  # noqa: E501
        v(N_("{server} answers {unexpected:unit} for {host}, not your server ({expected:unit}).")),
    ),
    "answer.other-family": (
        v(N_("{server} answers {unexpected:unit} for {host} ({host} is an alias of {alias}), but you gave no {family} address to compare with. If your server has no such address, this record sends visitors (and Let's Encrypt) elsewhere."), "alias"),  # noqa: E501
        v(N_("{server} answers {unexpected:unit} for {host}, but you gave no {family} address to compare with. If your server has no such address, this record sends visitors (and Let's Encrypt) elsewhere.")),  # noqa: E501
    ),
    "answer.nxdomain": (
        v(N_("According to {server}, {host} does not exist (NXDOMAIN) ({host} is an alias of {alias})."), "alias"),  # noqa: E501
        v(N_("According to {server}, {host} does not exist (NXDOMAIN).")),
    ),
    "answer.no-record": (
        v(N_("{server} has no {type} record for {host} ({host} is an alias of {alias})."), "alias"),
        v(N_("{server} has no {type} record for {host}.")),
    ),
    "answer.referral": (
        v(N_("{server} does not hold the records of {host}: it referred the question to other nameservers (a referral), so it is not this domain's nameserver.")),  # noqa: E501
    ),
    "answer.refused": (
        v(N_("{server} refused to answer for {host}: it is not a nameserver of this domain and does not look up other domains.")),  # noqa: E501
    ),
    "answer.servfail": (
        v(N_("{server} answered SERVFAIL: it failed to find an answer for {host} (often a broken delegation or DNSSEC problem).")),  # noqa: E501
    ),
    "answer.rcode": (v(N_("{server} answered {rcode} for {host}.")),),
    "answer.no-reply": (v(N_("{reason}")),),
    "answer.not-authoritative": (
        v(N_("The answer is not authoritative (no aa flag): {server} answered from its cache or by asking others, so it may differ from what the domain's own nameservers say.")),  # noqa: E501
    ),
    # Across servers: do the domain's nameservers agree?
    "consistency.agree": (v(N_("All {total} nameserver addresses answer {answer} for {host}.")),),
    "consistency.split": (
        v(N_("{count} of your {total} nameserver addresses answer {answer} for {host}; {others:semicolon}. Resolvers pick a nameserver at random, so visitors and Let's Encrypt get either answer.")),  # noqa: E501
    ),
    "consistency.silent": (
        v(N_("{servers} did not give a usable answer for {host}: resolvers that try it first wait for a time-out, and if every nameserver fails the name cannot be resolved.")),  # noqa: E501
    ),
    # Delegation: where the registry sends resolvers.
    "delegation.registry-differs": (
        v(N_("The registry delegates {zone} to {parent}, so the records you edit at {outside} are not used. Change the records at {parent}, or change the nameservers at your domain registrar.")),  # noqa: E501
    ),
    "delegation.lists-differ": (
        v(N_("The registry delegates {zone} to {parent}, but the zone itself lists {own}. Resolvers may use either list: make them the same.")),  # noqa: E501
    ),
    "delegation.agrees": (
        v(N_("The registry delegates {zone} to {parent}, including {asked}, which you asked, and the zone lists the same nameservers."), "asked"),  # noqa: E501
        v(N_("The registry delegates {zone} to {parent}, and the zone lists the same nameservers.")),  # noqa: E501
    ),
    # IPv6: the other address family, checked next to the one asked for.
    "ipv6.stray-aaaa": (
        v(N_("{host} has an AAAA record ({addresses:unit}) that is not your server. Let's Encrypt prefers IPv6: this AAAA record sends it to another server. Delete it, or set it to your server's IPv6 address.")),  # noqa: E501
    ),
    "ipv6.aaaa-matches": (v(N_("{host}'s AAAA record points at your server.")),),
    "ipv6.no-aaaa": (v(N_("{host} has no AAAA record, so IPv6 cannot lead elsewhere.")),),
    "ipv6.stray-a": (
        v(N_("{host} has an A record ({addresses:unit}) that is not your server.")),
    ),
    # Public resolvers' caches compared with the source.
    "cache.stale": (v(N_("{stale:semicolon}.")),),
    "cache.agree": (
        v(N_("Every resolver asked answers {answer} for {host}, as the source does.")),
    ),
    # The expected server given as a name.
    "expected.resolved": (
        v(NP_("{host} resolves to {addresses:unit}; answers are compared with that address.", "{host} resolves to {addresses:unit}; answers are compared with those addresses."), count="count"),  # noqa: E501
    ),
    # Notes on the look-up as a whole: facts, no judgement.
    "note.queries-skipped": (
        v(N_("{count} queries were not sent: one look-up may send at most {limit}. Ask about fewer hostnames or nameservers at once.")),  # noqa: E501
    ),
    "note.trace-stopped": (v(N_("{host}: the trace stopped: {problem}")),),
    "note.discovery": (v(N_("{problem}")),),
    "note.plan": (v(N_("{text}")),),
    "note.any": (
        v(N_("Many nameservers answer ANY with only some records, or with a single HINFO record (RFC 8482). Ask for a specific type to see everything.")),  # noqa: E501
    ),
    "note.expected-addresses-only": (
        v(N_("The expected address is compared with A and AAAA answers only.")),
    ),
    "note.resolver-not-asked": (
        v(N_("You entered {nameservers:unit}, but “A public resolver” is chosen, so it was not asked. Choose “The nameservers I enter” to ask it.")),  # noqa: E501
    ),
    # The result page's own tallies and traces.
    "answers.tally": (v(N_("{matches} of {total} answers match your server.")),),
    "answers.replies": (v(N_("{replies} of {total} look-ups got a reply.")),),
    "trace.stopped": (v(N_("The trace of {host} stopped: {problem}")),),
    "trace.walk-stopped": (
        v(N_("The trace stopped: {problem}"), "problem"),
        v(N_("The trace stopped: no server answered")),
    ),
    "trace.ended": (v(N_("{server}, {role}, {action}.")),),
}  # fmt: skip
"""Finding code → its wordings, first match wins."""

PHRASES: dict[str, tuple[V, ...]] = {
    "consistency.still-answers": (v(N_("{servers} still answers {answer}")),),
    "cache.still-answers": (
        v(N_("{server} still answers {answer} for {host} and may serve it for up to {ttl:duration} more (until {until:time})")),  # noqa: E501
    ),
}  # fmt: skip
"""Sub-phrase code → wordings, for the items of a list parameter (joined by its spec)."""

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
    return _render(SENTENCES, finding.code, finding.params, translations, locale)


def paragraph(
    findings: Iterable[Finding],
    translations: Translations | None = None,
    *,
    locale: str | None = None,
) -> str:
    """Several findings as one text: their sentences in order, each said once."""
    said = (sentence(finding, translations, locale=locale) for finding in findings)
    return " ".join(dict.fromkeys(text for text in said if text))


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
        return DEFAULT_LOCALE
    return str(language)


class _Formatter(string.Formatter):
    """str.format with webdig's specs for lists, durations, days and moments."""

    def __init__(self, translations: Translations | None, locale: str) -> None:
        self.translations = translations
        self.locale = locale

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            items = [self._item(item) for item in value]
            if format_spec == "semicolon":
                return "; ".join(items)
            return format_list(items, style=_LIST_STYLES[format_spec], locale=self.locale)
        if format_spec == "duration":
            return self._duration(int(value))
        if format_spec == "days":
            return self._count(_DAYS, int(value))
        if format_spec in ("time", "date"):
            moment = datetime.fromisoformat(str(value))
            return moment.strftime("%H:%M UTC" if format_spec == "time" else "%Y-%m-%d")
        return str(super().format_field(value, format_spec))

    def _item(self, item: Any) -> str:
        if isinstance(item, Mapping):
            rest = {k: v for k, v in item.items() if k != "code"}
            return _render(PHRASES, str(item["code"]), rest, self.translations, self.locale)
        return str(item)

    def _duration(self, seconds: int) -> str:
        for bound, unit, forms in _DURATIONS:
            if bound is None or seconds < bound:
                return self._count(forms, round(seconds / unit))
        raise AssertionError("the last unit has no bound")

    def _count(self, forms: tuple[str, str], count: int) -> str:
        return _translate(forms, count, self.translations).format(count=count)
