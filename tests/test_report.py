"""Unit tests of webdig.output.textreport over canned dnspython messages (no network)."""

from __future__ import annotations

import pytest

from tests.test_export import TIMEOUT, canned_outcome
from webdig.dig.message import dig_command, render_full, render_short
from webdig.findings.catalog import sentence
from webdig.findings.model import Finding, Level
from webdig.lookup.headline import headlines
from webdig.lookup.params import Flag
from webdig.lookup.run import Outcome
from webdig.output.textreport import finding_line, render_text

WWW = "www.webdig.test. 300 IN A 192.0.2.10"
WRONG = "www.webdig.test. 300 IN A 203.0.113.7"
NOT_ADDRESS = Finding("note.expected-addresses-only", Level.INFO)
ONLY_A = "The expected address is compared with A and AAAA answers only."


def head(outcome: Outcome) -> str:
    """The headline lines every text opens with (one per hostname)."""
    return "".join(finding_line(found) + "\n" for found in headlines(outcome))


def test_without_expected_the_headline_says_what_the_server_answers_above_dig() -> None:
    outcome = canned_outcome(WWW)
    headline = ";; webdig: ℹ www.webdig.test (A): 192.0.2.53 answers 192.0.2.10.\n"
    assert render_text(outcome) == headline + render_full(outcome.blocks[0].result)


@pytest.mark.parametrize(
    ("records", "expected", "mark"),
    [
        ([WWW], ("192.0.2.10",), ";; webdig: ✓ "),
        ([WRONG], ("192.0.2.10",), ";; webdig: ✗ "),
        ([], ("192.0.2.10",), ";; webdig: ✗ "),
    ],
)
def test_verdict_is_a_marked_comment_line_above_the_dig_text(
    records: list[str], expected: tuple[str, ...], mark: str
) -> None:
    outcome = canned_outcome(*records, expected=expected)
    block = outcome.blocks[0]
    assert block.verdict is not None
    verdict = f"{mark}{sentence(block.verdict.finding)}\n"
    assert render_text(outcome) == head(outcome) + verdict + render_full(block.result)
    assert head(outcome).startswith(mark)


def test_a_failed_query_is_unknown_with_dig_failure_text() -> None:
    outcome = canned_outcome(error=TIMEOUT, expected=("192.0.2.10",))
    text = render_text(outcome)
    assert text.startswith(head(outcome) + f";; webdig: ? {TIMEOUT.message}\n")
    assert head(outcome).startswith(";; webdig: ? No server answered for www.webdig.test")
    assert text.endswith(render_full(outcome.blocks[0].result))


def test_short_option_prints_dig_short_output() -> None:
    outcome = canned_outcome(WWW, flags=frozenset({Flag.SHORT}))
    assert render_text(outcome) == render_short(outcome.blocks[0].result)


def test_showcommand_prints_the_dig_command_after_the_headline() -> None:
    outcome = canned_outcome(WWW, flags=frozenset({Flag.SHOWCOMMAND}))
    command = dig_command(outcome.blocks[0].query)
    assert render_text(outcome).startswith(f"{head(outcome)}$ {command}\n")


def test_notes_are_webdig_comment_lines_before_the_blocks() -> None:
    outcome = canned_outcome(WWW, notes=(Finding("note.any", Level.INFO), NOT_ADDRESS))
    text = render_text(outcome)
    notes = f";; webdig: {sentence(outcome.notes[0])}\n;; webdig: {ONLY_A}\n"
    assert text.startswith(head(outcome) + notes)
    assert render_full(outcome.blocks[0].result) in text


def test_cross_server_checks_come_first_with_their_marks() -> None:
    outcome = canned_outcome(WWW, notes=(NOT_ADDRESS,))
    away = Finding("ipv6.stray-a", Level.FAIL, {"host": "a.lab", "addresses": ["192.0.2.9"]})
    split = Finding("consistency.silent", Level.WARN, {"servers": ["ns2"], "host": "a.lab"})
    outcome.verdicts += [away, split]
    checks = f";; webdig: ✗ {sentence(away)}\n;; webdig: ⚠ {sentence(split)}\n"
    assert render_text(outcome).startswith(head(outcome) + checks + f";; webdig: {ONLY_A}\n")


def test_verdict_notes_follow_the_verdict() -> None:
    outcome = canned_outcome(WWW, expected=("192.0.2.10",), header="QR RD")
    lines = render_text(outcome).splitlines()
    assert lines[0].startswith(";; webdig: ✓ www.webdig.test points at your server")
    assert lines[1].startswith(";; webdig: ✓ ")
    assert lines[2].startswith(";; webdig: The answer is not authoritative")
