"""``webdig check`` end to end through the local lab: text, JSON and exit status."""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.support.renewallab import EDGE_CASES, HEALTHY, ITEMS, Case, RenewalLab, own_rows
from tests.test_japanese_pages import odd_punctuation
from webdig.cli.main import main


def check(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: Case,
    *options: str,
) -> tuple[int, str, str]:
    """Run ``webdig check`` for ``case``; return (exit status, stdout, stderr)."""
    for name, value in renewal_lab.environ(**case.servers).items():
        monkeypatch.setenv(name, value)
    expected = [arg for address in case.expected for arg in ("--expected", address)]
    status = main(["check", case.domain, *expected, *options])
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize("case", EDGE_CASES, ids=lambda c: c.id)
def test_a_failing_item_exits_1_and_is_named(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: Case,
) -> None:
    status, out, _ = check(renewal_lab, monkeypatch, capsys, case)
    assert status == 1
    # Items are numbered through all names (the certificate may add some).
    assert re.search(r"\n\d+\. ✗ Problem: ", out)
    summary = out.split("\n\n")[1]
    assert summary.startswith("✗ Most likely cause: ")
    assert case.words in " ".join(summary.split())


def test_a_healthy_site_exits_0_with_every_item_passing(
    renewal_lab: RenewalLab, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = check(renewal_lab, monkeypatch, capsys, HEALTHY)
    assert status == 0
    # shop.lab, the counterpart, has no address and is not on the certificate: ℹ; the
    # certificate's wildcard has no _acme-challenge TXT record now (normal between renewals): ℹ.
    assert [line.split(":")[0] for line in out.splitlines() if ". " in line[:3]] == [
        *(f"{n}. ✓ Pass" for n in range(1, len(ITEMS))),
        f"{len(ITEMS)}. ℹ Pass",
        f"{len(ITEMS) + 1}. ℹ Pass",
        f"{len(ITEMS) + 2}. ✓ Pass",
    ]


def test_warnings_alone_exit_0(
    renewal_lab: RenewalLab, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = Case("www.shop.lab", "dns-points-here", "warn", "", expected=())
    status, out, _ = check(renewal_lab, monkeypatch, capsys, case)
    assert status == 0
    assert "3. ⚠ Warning: DNS points at your server" in out


@pytest.mark.parametrize("case", [HEALTHY, EDGE_CASES[3]], ids=lambda c: c.id)
def test_json_is_the_apis_body(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: Case,
) -> None:
    status, out, _ = check(renewal_lab, monkeypatch, capsys, case, "--json")
    body = json.loads(out)
    assert [c["id"] for c in own_rows(body["checks"], case.domain)] == ITEMS
    assert body["query"] == {
        "domain": case.domain,
        "expected": ["127.0.0.1"],
        "share_url": None,
        "domains": [case.domain],
        "only": False,
        "method": "auto",
    }
    assert status == (1 if body["status"] == "fail" else 0)


def test_evidence_prints_the_dig_output(
    renewal_lab: RenewalLab, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, plain, _ = check(renewal_lab, monkeypatch, capsys, HEALTHY)
    _, out, _ = check(renewal_lab, monkeypatch, capsys, HEALTHY, "--evidence")
    assert ";; ANSWER SECTION:" in out
    assert ";; ANSWER SECTION:" not in plain
    # The notes webdig writes between the quoted output are in the reader's language.
    _, japanese, _ = check(renewal_lab, monkeypatch, capsys, HEALTHY, "--evidence", "--lang", "ja")
    assert "* Connected to 127.0.0.1 port " in out
    assert ";; ANSWER SECTION:" in japanese
    assert re.search(r"\* 127\.0\.0\.1 のポート \d+ に接続しました（SNI www\.shop\.lab）", japanese)
    assert "* Connected to" not in japanese


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check", ""], "webdig: domain: Enter a hostname"),
        (["check", "www.exa mple.lab"], "webdig: domain: "),
        (["check", "www.shop.lab", "--expected", "not-an-ip!"], "webdig: expected: "),
        (["check"], "webdig: domain: Enter a hostname"),  # the domain may come from --error
    ],
)
def test_bad_input_exits_2_with_the_message(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
) -> None:
    for name, value in renewal_lab.environ().items():
        monkeypatch.setenv(name, value)
    assert main(args) == 2
    out = capsys.readouterr()
    assert words in out.err
    assert out.out == ""


FORWARDING = Case("www.shop.lab", "http-challenge", "fail", "forwarding", http="redirect")
PORT_80 = "www.shop.lab: Timeout during connect (likely firewall problem)"


@pytest.mark.parametrize(
    ("lang", "says", "points"),
    [
        ("en", "Your mail says: Let's Encrypt could not connect to port 80", "Your mail points here"),  # noqa: E501
        ("ja", "メールの内容：Let's Encrypt が、ドメインの指すサーバーの 80 番ポート", "メールが指している項目"),  # noqa: E501
    ],
)  # fmt: skip
def test_error_says_what_the_text_means_first_and_marks_its_item(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    says: str,
    points: str,
) -> None:
    for name, value in renewal_lab.environ(**FORWARDING.servers).items():
        monkeypatch.setenv(name, value)
    status = main(["check", "--error", PORT_80, "--expected", "127.0.0.1", "--lang", lang])
    out = capsys.readouterr().out
    assert status == 1
    assert " ".join(out.split("\n\n")[1].split()).startswith(says)  # first, before the summary
    if lang == "ja":  # 「問題あり：」, 「対処方法：」 with nothing half-width after Japanese words
        assert odd_punctuation(out.splitlines()) == []
    (marked,) = [line for line in out.splitlines() if points in line]
    # The text names www.shop.lab: its http-challenge row, not the counterpart shop.lab's.
    lines = out.splitlines()
    name = next(x for x in reversed(lines[: lines.index(marked)]) if x.startswith("== "))
    assert " www.shop.lab" in f"{name} "  # "Name: www.shop.lab", "www.shop.lab の確認項目"
    assert " ✗ " in marked


def test_error_from_stdin_and_as_json(
    renewal_lab: RenewalLab, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in renewal_lab.environ(**HEALTHY.servers).items():
        monkeypatch.setenv(name, value)
    mail = "【ConoHa】SSLサーバ証明書更新のご案内\n対象ドメイン: www.shop.lab\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(mail))
    status = main(["check", "--error", "-", "--expected", "127.0.0.1", "--json"])
    body = json.loads(capsys.readouterr().out)
    assert status == 0
    assert body["query"]["domain"] == "www.shop.lab"
    assert (body["decoded"]["cause"], body["decoded"]["host"]) == ("hosting-mail", "conoha")
    assert body["decoded"]["check"] is None


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["check", "--error", "-"], "x" * 100_001, "100001 characters long; at most 100000"),
        (["check", "--error", "SERVFAIL looking up CAA"], "", "No domain was found in the text"),
    ],
)
def test_error_too_long_or_without_a_domain_exits_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    words: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(args) == 2
    out = capsys.readouterr()
    assert words in out.err
    assert out.out == ""
