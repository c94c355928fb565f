"""Which language to speak, and the translator that speaks it.

A :class:`Translator` holds one language's gettext catalog and knows how
that language writes dates and times: Japanese readers get
``2026年12月1日（残り4日）`` and times in JST, English readers
``1 December 2026 (4 days left)`` and UTC, each time labelled with its zone.
:func:`written_date` is the one way a day is written, for the pages and the findings alike.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel.messages.mofile import read_mo
from babel.support import Translations

from webdig.language.message import Lines, Message

LANGUAGES = ("en", "ja")
"""The languages webdig speaks; English is the source text and the default."""
DEFAULT = "en"
CATALOGS = Path(__file__).resolve().parent.parent / "translations"
"""``<language>/LC_MESSAGES/messages.po`` (and ``.mo``) for each translated language."""

JST = ZoneInfo("Asia/Tokyo")
ENGLISH_LOCALE = "en_GB"
"""English as webdig writes it: "a, b and c" without the serial comma, "1 December 2026"."""
_ZONES = {"ja": (JST, "JST"), "en": (UTC, "UTC")}


def parse_language(text: str | None) -> str | None:
    """``ja``, ``ja-JP``, ``ja_JP.UTF-8`` → ``ja``; a language webdig does not speak → None."""
    if not text:
        return None
    code = text.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def from_environment(environ: Mapping[str, str]) -> str:
    """The language a terminal asks for, in gettext's order: LANGUAGE, LC_ALL, LC_MESSAGES, LANG.

    The first variable that is set decides (``LANG=C`` means English), except
    that LANGUAGE is a colon-separated list of wishes, read in order.
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        if name == "LANGUAGE":
            wished = [parse_language(part) for part in value.split(":")]
            chosen = next((code for code in wished if code), None)
            if chosen:
                return chosen
            continue
        return parse_language(value) or DEFAULT
    return DEFAULT


def best_of(wishes: Iterable[str]) -> str:
    """The first of ``wishes`` (language tags, best first) that webdig speaks, else English."""
    return next((code for code in map(parse_language, wishes) if code), DEFAULT)


def written_date(day: date, language: str) -> str:
    """``day`` as the reader's language writes it: 2026年12月1日, 1 December 2026.

    The findings' ``{x:day}`` and the pages' dates (a saved result's "Seen on") both come
    from here, so one page never mixes two ways of writing a day.
    """
    locale = "ja" if parse_language(language) == "ja" else ENGLISH_LOCALE
    return babel_dates.format_date(day, format="long", locale=locale)


@dataclass(frozen=True)
class Translator:
    """One language: its catalog, and how it writes dates and times."""

    language: str
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        """``message`` (an English catalog entry) in this language."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The singular or plural form for ``count``, in this language."""
        return self.translations.ngettext(singular, plural, count)

    def text(self, sentence: str) -> str:
        """A core sentence in this language: a :class:`Message` (or :class:`Lines` of them) is
        translated, other text kept."""
        if not isinstance(sentence, (Message, Lines)):
            return sentence
        # English notes keep their moments as written (2026-12-17 03:00 UTC, as OpenSSL's
        # fields read); other languages write them their way, in their zone.
        return sentence.say(self.gettext, None if self.language == DEFAULT else self.moment)

    def date(self, day: date, *, today: date | None = None) -> str:
        """``2026年12月1日`` / ``1 December 2026``; with ``today``, the days left too:
        ``2026年12月1日（残り4日）``."""
        text = written_date(day, self.language)
        if today is None:
            return text
        left = (day - today).days
        if left >= 0:
            rest = self.ngettext("{count} day left", "{count} days left", left)
        else:
            rest = self.ngettext("{count} day ago", "{count} days ago", -left)
        rest = rest.format(count=abs(left))
        return f"{text}（{rest}）" if self.language == "ja" else f"{text} ({rest})"

    def moment(self, when: datetime) -> str:
        """A date and time in this language's zone (JST for Japanese, UTC otherwise), labelled."""
        zone, label = _ZONES.get(self.language, _ZONES[DEFAULT])
        local = when.astimezone(zone)
        return f"{self.date(local.date())} {local:%H:%M} {label}"

    def clock(self, when: datetime) -> str:
        """The time of day to the second, in this language's zone, labelled: ``11:04:30 JST``."""
        zone, label = _ZONES.get(self.language, _ZONES[DEFAULT])
        return f"{when.astimezone(zone):%H:%M:%S} {label}"


@cache
def translator(language: str) -> Translator:
    """The translator for ``language`` (one of :data:`LANGUAGES`; anything else is English)."""
    code = parse_language(language) or DEFAULT
    if code == DEFAULT:
        return Translator(DEFAULT, gettext.NullTranslations())
    return Translator(code, Translations.load(str(CATALOGS), [code]))


@cache
def templates() -> tuple[str, ...]:
    """Every English template the catalogs translate (read from the Japanese one): what a
    saved sentence is read back with (:func:`~webdig.language.message.reread`)."""
    with open(CATALOGS / "ja" / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        catalog = read_mo(mo)
    return tuple(message.id for message in catalog if isinstance(message.id, str) and message.id)
