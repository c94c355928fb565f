"""The raw DNS replies behind a result, in the order its JSON lists them.

A saved result keeps them next to its JSON (:mod:`webdig.storage.snapshots`), so
a later rendering can read every message again with dnspython.  The order: one
entry per ``results`` item of the look-up's JSON, then one per step of each
trace, in order; ``b""`` where no reply came back.  A check keeps the replies
of its DNS look-ups (each name's ``dns-points-here`` item's), in the same order.
"""

from __future__ import annotations

from webdig.lookup.run import Outcome
from webdig.renewal.report import RenewalReport


def outcome_replies(outcome: Outcome) -> list[bytes]:
    """Every reply of ``outcome``: the blocks', then the trace steps'."""
    replies = [block.result.wire or b"" for block in outcome.blocks]
    replies.extend(step.result.wire or b"" for walk in outcome.traces for step in walk.steps)
    return replies


def report_replies(report: RenewalReport) -> list[bytes]:
    """The replies of the check's DNS look-ups, name after name (none if they did not run)."""
    return [reply for outcome in report.outcomes for reply in outcome_replies(outcome)]
