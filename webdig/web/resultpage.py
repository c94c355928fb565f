"""The result page's shape: the headlines, the findings worst first, the block groups and the
trace sections, ready for the templates.

Pure functions over a look-up :class:`~webdig.lookup.run.Outcome`; the view in
:mod:`webdig.web.lookuppage` builds a :class:`ResultPage` and renders it.  The blocks are
shaped in :mod:`webdig.web.resultblocks`, the trace sections in :mod:`webdig.web.resulttraces`.
"""

from __future__ import annotations

from dataclasses import dataclass

from webdig.findings.model import Finding, Level, worst_first
from webdig.lookup.answers import describe
from webdig.lookup.block import Block
from webdig.lookup.headline import headlines
from webdig.lookup.modes import Role
from webdig.lookup.run import Outcome
from webdig.web.resultblocks import BlockGroup, group_blocks, shown_block
from webdig.web.resulttraces import ShownTrace, shown_trace


@dataclass(frozen=True)
class ResultPage:
    """Everything under the form once a look-up ran."""

    outcome: Outcome
    headlines: list[Finding]
    """One per hostname: the answer to the question asked, first on the page."""
    checks: list[Finding]
    groups: list[BlockGroup]
    traces: list[ShownTrace]
    share_url: str
    notes: list[Finding]
    answers: list[Finding]
    """What each server asked answers, first among the other findings."""

    @classmethod
    def of(cls, outcome: Outcome, *, share_url: str) -> ResultPage:
        """Shape ``outcome`` for the page."""
        params = outcome.plan.params
        # The trace sections say why a walk stopped, in red, where it stopped.
        notes = [note for note in outcome.notes if note.code != "note.trace-stopped"]
        finals = outcome.trace_finals()
        traces = [
            shown_trace(walk, shown_block(final, params) if final else None)
            for walk, final in zip(outcome.traces, finals, strict=True)
        ]
        # Every trace block is a walk's final answer, shown in its trace section.
        rest = [shown_block(b, params) for b in outcome.blocks if b.mode != Role.TRACE]
        found, said = checks(outcome), server_answers(outcome)
        return cls(
            outcome, headlines(outcome), found, group_blocks(rest), traces, share_url, notes, said
        )

    @property
    def found(self) -> list[tuple[Finding, bool]]:
        """Every finding below the headlines, worst first, each with whether it is a server's
        answer: at one level the answers come first (they answer the question asked), but an
        OK answer never sits above a problem."""
        answers = {id(finding) for finding in self.answers}
        ordered = worst_first([*self.answers, *self.checks])
        return [(finding, id(finding) in answers) for finding in ordered]

    @property
    def delegated_elsewhere(self) -> bool:
        """The registry sends resolvers to other nameservers than the ones the user asked."""
        return any(f.code == "delegation.registry-differs" for f in self.checks)

    @property
    def hostnames(self) -> list[str]:
        """The names looked up, for the page title."""
        return [hostname.text for hostname in self.outcome.plan.hostnames]


def checks(outcome: Outcome) -> list[Finding]:
    """The verdicts for the top of the page, problems first.

    Walks that stopped are problems too.  The tally of matching answers is
    added when no cross-server verdict already says it (consistency and
    caches compare the same answers).
    """
    found = list(outcome.verdicts)
    found.extend(
        Finding("trace.stopped", Level.FAIL, {"host": walk.hostname.text, "problem": walk.problem})
        for walk in outcome.traces
        if walk.problem
    )
    tally = summary(outcome.blocks)
    compared = ("consistency.", "cache.")
    if tally is not None and not any(f.code.startswith(compared) for f in found):
        found.append(tally)
    # Problems first: the page answers “what is wrong?” before “what is fine”.
    return worst_first(found)


MAX_ANSWERS = 4
"""Past this many servers asked, the tally among the findings says it in one line instead."""


def server_answers(outcome: Outcome) -> list[Finding]:
    """What each server asked answers, before any other finding (after the headlines).

    With ``expected``, a block's verdict (does it match your server?); without, what it
    answered, with no judgement.  The registry's referrals and the other address family
    are evidence for other findings, not answers to the question.
    """
    main = [b for b in outcome.blocks if not b.companion and b.mode != Role.NIC]
    if len(main) > MAX_ANSWERS:
        return []
    return [b.verdict.finding if b.verdict else describe(b.result) for b in main]


def summary(blocks: list[Block]) -> Finding | None:
    """The tally over several blocks, e.g. “3 of 4 answers match your server.”.

    Companion blocks (the other address family, asked only to check it) are
    left out: they have findings of their own.
    """
    main = [block for block in blocks if not block.companion]
    if len(main) < 2:
        return None
    verdicts = [block.verdict for block in main if block.verdict is not None]
    if verdicts:
        # A server that did not reply says nothing about the match: count it apart.
        judged = [verdict for verdict in verdicts if verdict.level is not Level.UNKNOWN]
        unanswered = len(verdicts) - len(judged)
        if not judged:
            return Finding("answers.no-replies", Level.UNKNOWN, {"total": unanswered})
        matches = sum(verdict.level is Level.PASS for verdict in judged)
        level = Level.PASS if matches == len(judged) else Level.FAIL
        if level is Level.PASS and unanswered:
            level = Level.WARN
        tally = {"matches": matches, "total": len(judged), "unanswered": unanswered}
        return Finding("answers.tally", level, tally)
    replies = sum(block.result.ok for block in main)
    level = Level.PASS if replies == len(main) else Level.WARN if replies else Level.UNKNOWN
    return Finding("answers.replies", level, {"replies": replies, "total": len(main)})
