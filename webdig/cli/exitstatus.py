"""The ``webdig`` command's exit codes, and the one place each kind of result becomes one."""

from __future__ import annotations

from webdig.findings.model import Level
from webdig.lookup.run import Outcome
from webdig.renewal.report import RenewalReport

EXIT_OK = 0
EXIT_MISMATCH = 1
"""``lookup``: the expected address is not confirmed; ``check``: a checklist item fails."""
EXIT_USAGE = 2
EXIT_NO_REPLY = 9
"""dig's status when no server replied."""
EXIT_DATABASE = 3
"""``db``: the database could not be reached or changed."""


def exit_status(outcome: Outcome) -> int:
    """The exit code of a look-up: the one place that decides it.

    9 when no server replied at all (as dig).  1 when the expected address
    is not confirmed: a block answers another address, or a main block has
    no such record, a refusal or no reply.  A companion block (AAAA next to
    A) without a record is fine: no AAAA record cannot lead elsewhere.
    Otherwise 0.
    """
    if outcome.blocks and not any(block.result.ok for block in outcome.blocks):
        return EXIT_NO_REPLY
    for block in outcome.blocks:
        status = block.verdict.status if block.verdict is not None else "match"
        if status == "mismatch" or (status != "match" and not block.companion):
            return EXIT_MISMATCH
    return EXIT_OK


def check_exit_status(report: RenewalReport) -> int:
    """The exit code of a renewal check: 1 when an item fails, else 0.

    Warnings and skipped items do not stop a renewal, so they exit 0: a
    script may go on to renew when the check succeeds.
    """
    return EXIT_MISMATCH if any(c.level is Level.FAIL for c in report.checks) else EXIT_OK
