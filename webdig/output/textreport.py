"""An outcome as plain text: what ``format=text`` serves and ``webdig lookup`` prints.

The dig text comes from :mod:`webdig.dig.message` unchanged; webdig's own
words (verdicts, notes) are added as ``;;`` comment lines, so a reader (or
a script) that skips dig comments sees exactly what ``dig`` would print.
"""

from __future__ import annotations

from webdig.dig.message import dig_command, render_full, render_short
from webdig.dig.trace import render_trace
from webdig.lookup.answers import Verdict
from webdig.lookup.run import Block, Outcome

PREFIX = ";; webdig: "
MARKS = {"match": "✓", "mismatch": "✗", "no-answer": "✗", "error": "✗"}
"""A verdict's mark: only a match gets the tick; every other status means “not confirmed”."""
CHECK_MARKS = {"ok": "✓", "warn": "!", "fail": "✗"}
"""The mark of a cross-server check (delegation, consistency, IPv6…)."""


def render_text(outcome: Outcome) -> str:
    """The look-up as text: cross-server checks and notes, then per block its verdict and dig."""
    params = outcome.plan.params
    parts = [f"{PREFIX}{CHECK_MARKS[check.status]} {check.message}\n" for check in outcome.verdicts]
    parts.extend(f"{PREFIX}{note}\n" for note in outcome.notes)
    if outcome.traces:
        # With +trace the walk is the output, as with dig; its last step is the answer.
        for walk, block in zip(outcome.traces, _trace_blocks(outcome), strict=True):
            if block is not None and block.verdict is not None:
                parts.append(verdict_lines(block.verdict))
            parts.append(render_trace(walk))
        return "".join(parts)
    for block in outcome.blocks:
        parts.append(
            render_block(block, short=params.flag("short"), showcommand=params.flag("showcommand"))
        )
    # dig's full text opens and closes with a blank line, which separates blocks.
    return "".join(parts)


def _trace_blocks(outcome: Outcome) -> list[Block | None]:
    finals = {id(block.result): block for block in outcome.blocks}
    return [
        finals.get(id(walk.final)) if walk.final is not None else None for walk in outcome.traces
    ]


def render_block(block: Block, *, short: bool = False, showcommand: bool = False) -> str:
    """One block: ``$ dig …`` when asked for, the verdict lines, then the dig text."""
    lines = []
    if showcommand:
        lines.append(f"$ {dig_command(block.query)}\n")
    if block.verdict is not None:
        lines.append(verdict_lines(block.verdict))
    text = render_short(block.result) if short else render_full(block.result)
    lines.append(text if not text or text.endswith("\n") else text + "\n")
    return "".join(lines)


def verdict_lines(verdict: Verdict) -> str:
    """The verdict as dig comment lines: the marked sentence, then its notes."""
    lines = [f"{PREFIX}{MARKS[verdict.status]} {verdict.message}"]
    lines.extend(f"{PREFIX}{note}" for note in verdict.notes)
    return "\n".join(lines) + "\n"
