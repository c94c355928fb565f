"""The words the pages put next to a finding's mark: one table per place a level is shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from webdig.findings.catalog import paragraph, sentence
from webdig.findings.model import Finding, Level
from webdig.renewal.checklist import RenewalReport
from webdig.web.language import current_translator

LEVEL_WORDS = {
    Level.PASS: "OK",
    Level.WARN: "Warning",
    Level.FAIL: "Problem",
    Level.UNKNOWN: "Unknown",
    Level.INFO: "Note",
}
"""The head of a finding at the top of the result page."""

VERDICT_WORDS = {
    "match": "Matches",
    "mismatch": "Does not match",
    "no-answer": "No address",
    "error": "Server problem",
    "answer.other-family": "Cannot compare",
}
"""The head of a per-answer verdict: by its code where one needs its own word, else by its
API v1 status."""

CHECK_WORDS = {
    Level.PASS: "Pass",
    Level.INFO: "Pass",
    Level.WARN: "Warning",
    Level.FAIL: "Problem",
    Level.UNKNOWN: "Not checked",
}
"""The word of a renewal checklist item."""

HEADLINES = {
    Level.PASS: "Ready to renew.",
    Level.WARN: "Probably fine, but look at this.",
    Level.FAIL: "This stops the renewal.",
}
"""The renewal checklist's headline, by the level of its summary."""


def template_globals() -> dict[str, Any]:
    """The tables above, as template globals (registered by :func:`webdig.web.app.create_app`)."""
    return {
        "LEVEL_WORDS": LEVEL_WORDS,
        "VERDICT_WORDS": VERDICT_WORDS,
        "CHECK_WORDS": CHECK_WORDS,
        "HEADLINES": HEADLINES,
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
