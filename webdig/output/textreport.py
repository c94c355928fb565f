"""An outcome as plain text: what ``format=text`` serves and ``webdig lookup`` prints.

The dig text comes from :mod:`webdig.dig.message` unchanged; webdig's own
words (verdicts, notes) are added as ``;;`` comment lines, so a reader (or
a script) that skips dig comments sees exactly what ``dig`` would print.
The headlines (:mod:`webdig.lookup.headline`) come first, as on the page.
With ``+short`` the text is exactly dig's: no webdig lines at all.
"""

from __future__ import annotations

from webdig.dig.display import Display, from_flags
from webdig.dig.message import DEFAULT, dig_command, render_full, render_short
from webdig.dig.trace import render_trace
from webdig.findings.catalog import Translations, sentence
from webdig.findings.model import Finding, worst_first
from webdig.lookup.answers import Verdict
from webdig.lookup.block import Block
from webdig.lookup.headline import headlines
from webdig.lookup.params import Flag
from webdig.lookup.run import Outcome

PREFIX = ";; webdig: "


def render_text(
    outcome: Outcome,
    translations: Translations | None = None,
    *,
    command: str | None = None,
    idnout: bool = False,
) -> str:
    """The look-up as text: the headlines, the other checks (worst first) and notes, then per
    block its verdict and dig; with ``+short``, exactly dig's short answer and nothing else.

    ``command`` is the banner's dig arguments as typed (the CLI); by default
    each block shows its equivalent command.  ``idnout`` prints U-labels.
    """
    params = outcome.plan.params
    display = from_flags(params.flag, idnout=idnout)
    if params.flag(Flag.SHORT) and not outcome.traces:
        # Only what dig itself would print: the companion family's answers stay out.
        asked = [block for block in outcome.blocks if not block.companion]
        texts = (render_short(b.result, display, sort=params.flag(Flag.SORT)) for b in asked)
        return "".join(text if text.endswith("\n") or not text else text + "\n" for text in texts)
    parts = [finding_line(found, translations) + "\n" for found in headlines(outcome)]
    checks = worst_first(outcome.verdicts)
    parts.extend(finding_line(check, translations) + "\n" for check in checks)
    parts.extend(f"{PREFIX}{sentence(note, translations)}\n" for note in worst_first(outcome.notes))
    if outcome.traces:
        # With +trace the walk is the output, as with dig; its last step is the answer.
        for walk, block in zip(outcome.traces, outcome.trace_finals(), strict=True):
            if block is not None and block.verdict is not None:
                parts.append(verdict_lines(block.verdict, translations))
            parts.append(render_trace(walk))
        return "".join(parts)
    for block in outcome.blocks:
        parts.append(
            render_block(
                block,
                short=params.flag(Flag.SHORT),
                showcommand=params.flag(Flag.SHOWCOMMAND),
                sort=params.flag(Flag.SORT),
                translations=translations,
                display=display,
                command=command,
            )
        )
    # dig's full text opens and closes with a blank line, which separates blocks.
    return "".join(parts)


def render_block(
    block: Block,
    *,
    short: bool = False,
    showcommand: bool = False,
    sort: bool = False,
    translations: Translations | None = None,
    display: Display = DEFAULT,
    command: str | None = None,
) -> str:
    """One block: ``$ dig …`` when asked for, the verdict lines (in the language of
    ``translations``), then the dig text (each section's records sorted with ``sort``)."""
    lines = []
    if showcommand:
        shown = f"dig {command}" if command is not None else dig_command(block.query, display)
        lines.append(f"$ {shown}\n")
    if block.verdict is not None:
        lines.append(verdict_lines(block.verdict, translations))
    text = (
        render_short(block.result, display, sort=sort)
        if short
        else render_full(block.result, command=command, display=display, sort=sort)
    )
    lines.append(text if not text or text.endswith("\n") else text + "\n")
    return "".join(lines)


def verdict_lines(verdict: Verdict, translations: Translations | None = None) -> str:
    """The verdict as dig comment lines: the marked sentence, then its notes."""
    lines = [finding_line(verdict.finding, translations)]
    lines.extend(f"{PREFIX}{sentence(note, translations)}" for note in verdict.notes)
    return "\n".join(lines) + "\n"


def finding_line(finding: Finding, translations: Translations | None = None) -> str:
    """``;; webdig: ✗ sentence``: the level's mark, then the finding in words."""
    return f"{PREFIX}{finding.level.mark} {sentence(finding, translations)}"
