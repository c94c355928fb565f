"""The words the pages put next to a finding's mark: one table per place a level is shown.

The words are catalog entries (marked ``N_``); templates show them through ``_()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from webdig.findings.catalog import paragraph, sentence
from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level
from webdig.lookup.answers import STATUS
from webdig.renewal.items import CHECK_WORDS
from webdig.renewal.items import STATUS as ITEM_STATUS
from webdig.renewal.report import RenewalReport
from webdig.web.language import current_translator

LEVEL_WORDS = {
    Level.PASS: N_("OK"),
    Level.WARN: N_("Warning"),
    Level.FAIL: N_("Problem"),
    Level.UNKNOWN: N_("Unknown"),
    Level.INFO: N_("Note"),
}
"""The head of a finding at the top of the result page."""

VERDICT_WORDS = {
    "match": N_("Matches"),
    "mismatch": N_("Does not match"),
    "no-answer": N_("No address"),
    "error": N_("Server problem"),
    "answer.other-family": N_("Cannot compare"),
}
"""The head of a per-answer verdict: by its code where one needs its own word, else by its
API v1 status."""

ITEM_STATUS_WORDS: dict[str, str] = {
    status: CHECK_WORDS[level] for level, status in reversed(ITEM_STATUS.items())
}
"""A checklist item's API v1 status in the word its row on the page shows (``pass`` is
"Pass" whether the item's level was pass or info)."""


def verdict_word(code: str | None) -> str:
    """A per-answer verdict's code in the word its block on the result page shows."""
    if not code:
        return "–"
    word = VERDICT_WORDS.get(code) or VERDICT_WORDS.get(STATUS.get(code, ""))
    return str(_(word)) if word else code


def item_status_word(status: str | None) -> str:
    """A checklist item's (or a whole check's) status in the word the checklist shows."""
    word = ITEM_STATUS_WORDS.get(status or "")
    return str(_(word)) if word else status or "–"


TOPICS = {
    "answer": N_("What the server answers"),
    "answers": N_("Answers compared with your server"),
    "consistency": N_("Do the domain's nameservers agree?"),
    "delegation": N_("Delegation: where the registry sends resolvers"),
    "ipv6": N_("IPv6 (AAAA record)"),
    "cache": N_("Public resolvers' caches"),
    "expected": N_("Your server"),
    "trace": N_("Trace from the root"),
}
"""What each check at the top of the result page is about, by the first part of its codes."""

HEADLINES = {
    Level.PASS: N_("Ready to renew."),
    Level.WARN: N_("Probably fine, but look at this."),
    Level.FAIL: N_("This stops the renewal."),
}
"""The renewal checklist's headline, by the level of its summary."""


def template_globals() -> dict[str, Any]:
    """The tables above, as template globals (registered by :func:`webdig.web.app.create_app`)."""
    return {
        "LEVEL_WORDS": LEVEL_WORDS,
        "VERDICT_WORDS": VERDICT_WORDS,
        "CHECK_WORDS": CHECK_WORDS,
        "TOPICS": TOPICS,
        "HEADLINES": HEADLINES,
        "verdict_word": verdict_word,
        "item_status_word": item_status_word,
    }


def words(finding: Finding) -> str:
    """The ``sentence`` template filter: ``finding`` in the reader's language."""
    return sentence(finding, current_translator())


def several(findings: Iterable[Finding]) -> str:
    """The ``sentences`` template filter: findings as one text in the reader's language."""
    return paragraph(findings, current_translator())


def summary(report: RenewalReport) -> str:
    """The ``summary`` template filter: the checklist's summary in the reader's language."""
    return report.summary_in(current_translator())


FILTERS = {"sentence": words, "sentences": several, "summary": summary}
"""The template filters that word findings, registered by :func:`webdig.web.app.create_app`."""
