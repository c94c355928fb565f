"""A hostile nameserver gives explained rows, never exceptions or hung workers."""

from __future__ import annotations

import time

import pytest

from tests.support import hostile
from tests.support.fakeserver import FakeServer
from webdig.lookup.params import LookupParams
from webdig.lookup.run import Outcome, lookup
from webdig.settings import Settings


def settings(case: str) -> Settings:
    """The short timeouts for a case that never replies, the patient ones for the others."""
    if case in hostile.MUTE:
        return Settings(
            allow_private=True,
            timeout=hostile.MUTE_TIMEOUT,
            tries=1,
            deadline=hostile.MUTE_DEADLINE,
        )
    return Settings(allow_private=True, timeout=hostile.TIMEOUT, tries=1, deadline=hostile.DEADLINE)


def ask(server: FakeServer, case: str, rdtype: str = "A") -> Outcome:
    params = LookupParams(
        hostnames=(f"{case}.evil.test",),
        type=rdtype,
        ns="self",
        nameservers=(f"127.0.0.1:{server.port}",),
    )
    return lookup(params, settings(case))


@pytest.mark.parametrize(
    ("case", "kind", "fragment"),
    [
        ("short", "malformed", "not a valid DNS message (it is shorter than the 12-byte"),
        ("loop", "malformed", "compressed name in it points forward"),
        ("tcgarbage", "malformed", "does not answer the question"),
        ("wrongid", "timeout", "did not answer"),
        ("otherq", "timeout", "did not answer"),
        ("dribble", "timeout", "did not answer"),
        ("silent", "timeout", "did not answer"),
    ],
)
def test_broken_replies_are_explained_errors(
    evil: FakeServer, case: str, kind: str, fragment: str
) -> None:
    begin = time.monotonic()
    [block] = ask(evil, case).blocks
    # A mute case takes one 0.5 s timeout; its 3 s deadline is 6 times that.
    assert time.monotonic() - begin < settings(case).deadline + 0.5
    assert block.result.error is not None
    assert block.result.error.kind == kind
    assert fragment in block.result.error.message


@pytest.mark.parametrize(
    ("case", "warning"),
    [
        ("wrongid", "ID mismatch"),
        ("otherq", "Question section mismatch: got victim.example. IN A"),
        ("junk", "malformed message packet"),
        ("tcgarbage", "Truncated, retrying in TCP mode"),
    ],
)
def test_suspicious_replies_leave_dig_style_warnings(
    evil: FakeServer, case: str, warning: str
) -> None:
    [block] = ask(evil, case).blocks
    assert any(warning in line for line in block.result.warnings)


def test_64k_answer_over_tcp_is_read_whole(evil: FakeServer) -> None:
    [block] = ask(evil, "big", "TXT").blocks
    assert block.result.transport == "tcp"
    assert block.result.wire_size is not None
    assert block.result.wire_size > 60_000
    assert len(block.result.answer) == 16


def test_records_outside_the_question_are_kept(evil: FakeServer) -> None:
    [block] = ask(evil, "outzone").blocks
    assert [r.name.to_text() for r in block.result.answer] == [
        "outzone.evil.test.",
        "www.victim.example.",
    ]


def test_huge_ttl_does_not_crash(evil: FakeServer) -> None:
    [block] = ask(evil, "ttl").blocks
    assert block.result.rcode == "NOERROR"


@pytest.mark.parametrize(("case", "rdtype"), [("ctrl", "TXT"), ("badname", "A")])
def test_control_bytes_are_escaped_in_text(evil: FakeServer, case: str, rdtype: str) -> None:
    [block] = ask(evil, case, rdtype).blocks
    text = " ".join(r.to_text() for r in block.result.answer)
    assert not any(ord(ch) < 32 or ord(ch) >= 0x7F for ch in text)
    assert "\\027" in text
