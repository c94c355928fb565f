"""Unit tests of webdig.output.textreport over canned dnspython messages (no network)."""

from __future__ import annotations

import pytest

from tests.test_export import TIMEOUT, canned_outcome
from webdig.dig.message import dig_command, render_full, render_short
from webdig.lookup.crosschecks import Finding
from webdig.output.textreport import render_text

WWW = "www.webdig.test. 300 IN A 192.0.2.10"
WRONG = "www.webdig.test. 300 IN A 203.0.113.7"


def test_without_expected_the_text_is_exactly_dig() -> None:
    outcome = canned_outcome(WWW)
    assert render_text(outcome) == render_full(outcome.blocks[0].result)


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
    assert render_text(outcome) == f"{mark}{block.verdict.message}\n" + render_full(block.result)


def test_a_failed_query_gets_a_cross_and_dig_failure_text() -> None:
    outcome = canned_outcome(error=TIMEOUT, expected=("192.0.2.10",))
    text = render_text(outcome)
    assert text.startswith(f";; webdig: ✗ {TIMEOUT.message}\n")
    assert text.endswith(render_full(outcome.blocks[0].result))


def test_short_option_prints_dig_short_output() -> None:
    outcome = canned_outcome(WWW, flags=frozenset({"short"}))
    assert render_text(outcome) == render_short(outcome.blocks[0].result)


def test_showcommand_prints_the_dig_command_first() -> None:
    outcome = canned_outcome(WWW, flags=frozenset({"showcommand"}))
    command = dig_command(outcome.blocks[0].query)
    assert render_text(outcome).startswith(f"$ {command}\n")


def test_notes_are_webdig_comment_lines_before_the_blocks() -> None:
    outcome = canned_outcome(WWW, notes=("First note.", "Second note."))
    text = render_text(outcome)
    assert text.startswith(";; webdig: First note.\n;; webdig: Second note.\n")
    assert render_full(outcome.blocks[0].result) in text


def test_cross_server_checks_come_first_with_their_marks() -> None:
    outcome = canned_outcome(WWW, notes=("A note.",))
    outcome.verdicts += [Finding("ipv6", "fail", "AAAA away."), Finding("cache", "warn", "Old")]
    assert render_text(outcome).startswith(
        ";; webdig: ✗ AAAA away.\n;; webdig: ! Old\n;; webdig: A note.\n"
    )


def test_verdict_notes_follow_the_verdict() -> None:
    outcome = canned_outcome(WWW, expected=("192.0.2.10",), header="QR RD")
    lines = render_text(outcome).splitlines()
    assert lines[0].startswith(";; webdig: ✓ ")
    assert lines[1].startswith(";; webdig: The answer is not authoritative")
