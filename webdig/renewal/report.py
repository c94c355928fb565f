"""A renewal check's result: every row, the names checked, and the summary that names the
item (and the names) that most likely broke the renewal.

Pure data and wording; :mod:`webdig.renewal.checklist` runs the checks that fill it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from webdig.findings.catalog import Translations, sentence
from webdig.findings.model import Finding, Level
from webdig.language.message import run_together
from webdig.lookup.run import Outcome
from webdig.renewal.dns01 import Method
from webdig.renewal.items import STATUS, CheckId, CheckResult
from webdig.renewal.names import CheckedName, NameSource


@dataclass
class RenewalReport:
    """The checklist's results, in the hosting manual's order, with a summary."""

    domain: str
    """The first name typed (``domains`` lists them all)."""
    expected: list[str]
    checks: list[CheckResult]
    headline: Finding
    """``summary.cause``, ``summary.attention`` or ``summary.ready``: its level is the report's."""
    outcomes: list[Outcome] = field(default_factory=list)
    """The ``dns-points-here`` look-up of each checked name."""
    queries_sent: int = 0
    names: list[CheckedName] = field(default_factory=list)
    """Every name of the check: typed, counterparts, the certificate's (wildcards included)."""
    notes: list[Finding] = field(default_factory=list)
    """Remarks on the names (``names.*``): wildcards noted, names past the cap."""
    only: bool = False
    """Only the names typed were checked (no counterparts, no certificate names)."""
    method: Method = Method.AUTO
    """``dns-01``: the user said the renewal uses DNS-01 (every name gets a ``dns-01`` row)."""

    @property
    def domains(self) -> list[str]:
        """The names typed, in order."""
        typed = [n.name for n in self.names if n.source is NameSource.TYPED]
        return typed or [self.domain]

    @property
    def probed_names(self) -> list[str]:
        """The names whose items ran (not a missing counterpart, which has one info row)."""
        shown = [c.name for c in self.checks if c.name and c.level is not Level.INFO]
        return list(dict.fromkeys(shown))

    @property
    def outcome(self) -> Outcome | None:
        """The first name's look-up (the nameservers that tell the hosting company)."""
        return self.outcomes[0] if self.outcomes else None

    @property
    def summary_status(self) -> str:
        """API v1's status of the whole checklist: pass, warn or fail."""
        return STATUS[self.headline.level]

    @property
    def summary(self) -> str:
        """The summary in English; :meth:`summary_in` says it in another language."""
        return self.summary_in(None)

    def summary_in(self, translations: Translations | None) -> str:
        """The headline, the names that fail, then the most likely cause: the first wrong
        item's own verdict (the fixes are the page's numbered steps)."""
        first = self.first_problem()
        if first is None:
            return sentence(self.headline, translations)
        parts = [sentence(self.headline, translations)]
        failing = self.headline.params.get("names")
        if failing and len(self.probed_names) > 1:
            level = "fail" if self.headline.level is Level.FAIL else "warn"
            count = len(failing) if isinstance(failing, (list, tuple)) else 1
            about = {"names": failing, "level": level, "count": count}
            names = Finding("summary.names", Level.INFO, about)
            parts.append(sentence(names, translations))
        # One line: the cause (the first wrong item's own verdict).  What to do is left to the
        # numbered steps below it, which say it once.
        parts.append(sentence(first.findings[0], translations))
        more = int(str(self.headline.params.get("more", 0)))
        if more:
            more_names = Finding("summary.more", Level.INFO, {"count": more})
            parts.append(sentence(more_names, translations))
        return run_together(part for part in parts if part)

    def first_problem(self) -> CheckResult | None:
        """The item the summary is about (the first at the headline's level), if any is wrong."""
        if self.headline.level is Level.PASS or self.headline.code == "summary.busy":
            return None
        return next((c for c in self.checks if c.level is self.headline.level), None)


def ordered(rows: Iterable[CheckResult], names: list[str]) -> list[CheckResult]:
    """Zone rows, then each name's rows (``names`` in order), then the whole check's; the
    manual's order (:class:`CheckId`) within each."""
    order = list(CheckId)

    def key(row: CheckResult) -> tuple[int, int, int]:
        if row.name is None:
            group = 0 if row.zone is not None else len(names) + 1
            return group, order.index(row.id), 0
        place = names.index(row.name) if row.name in names else len(names)
        return 1 + place, order.index(row.id), 0

    # A zone reached again through a certificate's name is listed once.  A name's rows are
    # all kept: a name may have two of one item (its own dns-01 record and a wildcard's).
    unique: dict[tuple[CheckId, str | None], CheckResult] = {}
    kept: list[CheckResult] = []
    for row in rows:
        if row.name is not None:
            kept.append(row)
        elif (row.id, row.zone) not in unique:
            unique[row.id, row.zone] = row
            kept.append(row)
    return sorted(kept, key=key)


def summarize(checks: list[CheckResult], *, busy_for: int = 0) -> Finding:
    """The headline: the item that most likely broke the renewal, or that all is ready.

    Items that could not be checked (``unknown``) do not count either way, but
    when a budget held queries back (``busy_for`` seconds until webdig may
    send them) and nothing fails, the checklist is incomplete, never ready.
    ``names`` lists the names with an item at the headline's level.
    """
    if busy_for and not any(c.level is Level.FAIL for c in checks):
        return Finding("summary.busy", Level.WARN, {"wait": busy_for})
    for wanted, code in ((Level.FAIL, "summary.cause"), (Level.WARN, "summary.attention")):
        found = [c for c in checks if c.level is wanted]
        if found:
            params: dict[str, Any] = {"check": found[0].id, "more": len(found) - 1}
            named = list(dict.fromkeys(c.name for c in found if c.name))
            if named:
                params["names"] = named
            return Finding(code, wanted, params)
    return Finding("summary.ready", Level.PASS)
