"""What one step of the renewal checklist found, as data.

Every check of :mod:`webdig.renewal.checklist` returns a :class:`CheckResult`; the
page shows them in the hosting manual's order with their fix, the API
returns them as JSON, and the CLI prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CheckStatus = Literal["pass", "warn", "fail", "skip"]

CHECK_IDS = (
    "domain-exists",
    "dns-points-here",
    "caa",
    "http-challenge",
    "certificate",
    "ca-status",
)
"""The checks in the order of the hosting manuals' renewal checklist."""


@dataclass(frozen=True)
class Evidence:
    """Raw material behind a verdict, shown folded: dig text, an HTTP exchange, cert fields."""

    title: str
    text: str


@dataclass(frozen=True)
class CheckResult:
    """One checklist item: its verdict in plain words and what to do about it."""

    id: str
    status: CheckStatus
    title: str
    """What was checked, e.g. "DNS points at your server"."""
    detail: str
    """What was found, in one or two sentences."""
    fix: str
    """What to do next ("" when nothing needs doing)."""
    evidence: list[Evidence] = field(default_factory=list)
