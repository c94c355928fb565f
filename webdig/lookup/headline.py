"""The answer to the question the user asked: one headline per hostname, first on every page.

With ``expected`` the question is “does this name point at my server?”: the
headline says, for the servers asked, whether their A (and AAAA) answers are
that server.  Without it the question is “what do the servers answer?”: the
headline says what they answer, grouped by answer, with no judgement.  A
headline with no reply behind it is ``unknown``, never a pass, and a server the
registry does not delegate to answering the right address is said with that "but"
(``headline.match-undelegated``): the first line never contradicts a failing finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from webdig.findings.model import Finding, Level
from webdig.lookup.block import Block
from webdig.lookup.crosschecks import signature
from webdig.lookup.run import Outcome

MANY = 3
"""Past this many servers a headline counts them instead of naming them."""

UNJUDGED = {"answer.no-reply", "answer.other-family"}
"""Per-answer codes that say nothing about the user's server: no reply, or an address of a
family the user gave none of (webdig cannot tell whether it is theirs)."""


def headlines(outcome: Outcome) -> list[Finding]:
    """One finding per hostname asked about, in the order the user typed them."""
    by_host: dict[str, list[Block]] = {h.text: [] for h in outcome.plan.hostnames}
    for block in outcome.blocks:
        by_host.setdefault(block.query.hostname.text, []).append(block)
    expected = [str(address) for address in outcome.plan.expected]
    found = []
    for host, blocks in by_host.items():
        if any(block.verdict is not None for block in blocks):
            found.append(_judged(host, blocks, expected, _elsewhere(host, outcome.verdicts)))
        else:
            found.append(_answers(host, blocks))
    return found


def _who(blocks: Sequence[Block]) -> dict[str, Any]:
    """``servers`` (their names) and ``count``, and ``many`` when there are too many to name."""
    names = list(dict.fromkeys(block.query.server.label for block in blocks))
    return {"servers": names, "count": len(names), "many": len(names) if len(names) > MANY else 0}


def _elsewhere(host: str, verdicts: Sequence[Finding]) -> tuple[Finding, set[str]] | None:
    """The verdict that the registry delegates ``host``'s zone to other servers than some the
    user asked (``delegation.registry-differs``), and those servers, if there is one."""
    name = host.lower().rstrip(".")
    for verdict in verdicts:
        zone = str(verdict.params.get("zone", "")).lower()
        if verdict.code == "delegation.registry-differs" and (
            name == zone or name.endswith(f".{zone}")
        ):
            outside = verdict.params.get("outside")
            unused = outside if isinstance(outside, (list, tuple)) else ()
            return verdict, {str(server).lower().rstrip(".") for server in unused}
    return None


def _judged(
    host: str,
    blocks: list[Block],
    expected: list[str],
    elsewhere: tuple[Finding, set[str]] | None = None,
) -> Finding:
    """Does ``host`` point at the expected server, as far as the replies tell?"""
    verdicts = [(block, block.verdict) for block in blocks if block.verdict is not None]
    replied = [(b, v) for b, v in verdicts if v.finding.code != "answer.no-reply"]
    if not replied:
        return Finding("headline.unknown", Level.UNKNOWN, {"host": host, **_who(blocks)})
    bad = [b for b, v in replied if v.level is Level.FAIL and v.finding.code not in UNJUDGED]
    if bad:
        answers = [a for b in bad if b.verdict is not None for a in b.verdict.unexpected]
        params = {"host": host, "expected": expected, "answers": list(dict.fromkeys(answers))}
        return Finding("headline.mismatch", Level.FAIL, {**params, **_who(bad)})
    good = [b for b, v in replied if v.level is Level.PASS]
    if not good:
        # Replies, but none about the user's server (only records of the other family).
        return Finding("headline.unknown", Level.UNKNOWN, {"host": host, **_who(blocks)})
    if elsewhere is not None:
        delegation, unused = elsewhere
        ignored = [b for b in good if b.query.server.label.lower().rstrip(".") in unused]
        if ignored:
            # Right answer, wrong servers: no resolver (nor Let's Encrypt) asks them, so
            # the name does not point at the server for anyone yet.
            answered = [a for b in ignored if b.verdict is not None for a in b.verdict.matched]
            where = {k: delegation.params[k] for k in ("zone", "parent")}
            said = {"host": host, "matched": list(dict.fromkeys(answered)), **where}
            return Finding("headline.match-undelegated", Level.FAIL, {**said, **_who(ignored)})
    matched = [a for b in good if b.verdict is not None for a in b.verdict.matched]
    params = {"host": host, "matched": list(dict.fromkeys(matched)), **_who(good)}
    silent = [b for b, v in verdicts if v.finding.code == "answer.no-reply" and not b.companion]
    if silent:
        return Finding(
            "headline.match-some", Level.WARN, {**params, "silent": _who(silent)["servers"]}
        )
    unjudged = [a for _, v in replied if v.finding.code in UNJUDGED for a in v.unexpected]
    if unjudged:
        # An address of a family the user gave none of: theirs or not, only they know.
        unsure = {**params, "unjudged": list(dict.fromkeys(unjudged))}
        return Finding("headline.match-unsure", Level.WARN, unsure)
    if any(v.level is not Level.PASS and v.level is not Level.INFO for _, v in replied):
        return Finding("headline.match-but", Level.WARN, params)
    return Finding("headline.match", Level.PASS, params)


def _answers(host: str, blocks: list[Block]) -> Finding:
    """What the servers answer for ``host``, grouped by answer, without a judgement."""
    main = [block for block in blocks if not block.companion]
    groups: dict[str | None, list[Block]] = {}
    for block in main:
        groups.setdefault(signature(block.result), []).append(block)
    if set(groups) <= {None}:
        return Finding("headline.no-reply", Level.UNKNOWN, {"host": host, **_who(main)})
    type_text = main[0].query.type_text
    phrases: list[dict[str, Any]] = []
    for answer, members in groups.items():
        if answer is None:
            phrases.append({"code": "headline.silent", **_who(members)})
        elif answer == "NXDOMAIN":
            phrases.append({"code": "headline.nxdomain", **_who(members)})
        elif answer == "no record":
            phrases.append({"code": "headline.no-record", "type": type_text, **_who(members)})
        else:
            phrases.append({"code": "headline.data", "data": answer, **_who(members)})
    params: dict[str, Any] = {"host": host, "type": type_text, "groups": phrases}
    return Finding("headline.answers", Level.INFO, params)
