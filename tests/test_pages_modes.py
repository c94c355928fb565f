"""The page for every ns mode, +trace and cross-server verdict, against the local hierarchy."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import dns.rdatatype
import pytest
from flask.testing import FlaskClient

from tests.support import hierarchy as lab
from tests.support.canned import failed_result, reply, result_from_text
from webdig import create_app
from webdig.engine.names import parse_hostname
from webdig.findings.catalog import sentence
from webdig.findings.model import Finding, Level, worst_first
from webdig.lookup.trace import Trace, TraceStep
from webdig.web.resulttraces import shown_trace

LAB_CONFIG = lab.APP_CONFIG
AUTH_GROUP = "The domain's own nameservers (asked directly, without recursion)"
AAAA_GROUP = "AAAA records, checked alongside"


@pytest.fixture
def lab_client(hierarchy: None) -> FlaskClient:
    """A client of an app whose resolver, root and presets are the hierarchy's."""
    return create_app(LAB_CONFIG).test_client()


def page(client: FlaskClient, params: dict[str, str], status: int = 200) -> str:
    response = client.get("/?" + urlencode(params))
    assert response.status_code == status, response.get_data(as_text=True)[-3000:]
    return response.get_data(as_text=True)


def text(fragment: str) -> str:
    """Visible text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def checks(body: str) -> list[tuple[str, str]]:
    """(status, “Word · topic message”) of each item of “What webdig found”, in page order."""
    items = re.findall(r'<li class="finding (\w+)">(.*?)</li>', body, re.S)
    return [(status, text(item)) for status, item in items]


def groups(body: str) -> list[str]:
    return [text(h) for h in re.findall(r'<h3 id="group-[\w-]+">(.*?)</h3>', body, re.S)]


def table(body: str) -> list[tuple[str, str, str, bool]]:
    """(server, answer, your-server cell, odd one out) per comparison row."""
    rows = re.findall(r'<tr class="(odd-one)?">(.*?)</tr>', body, re.S)

    def cell(row: str, label: str) -> str:
        found = re.search(rf'<td data-label="{re.escape(label)}"[^>]*>(.*?)</td>', row, re.S)
        return text(found.group(1)) if found else ""

    return [
        (cell(row, "Server").split()[0], cell(row, "Answer"), cell(row, "Your server?"), bool(odd))
        for odd, row in rows
    ]


@pytest.mark.parametrize(
    ("params", "expected_groups", "expected_check"),
    [
        (
            {"hostnames": "www.split.lab", "ns": "auth", "expected": "192.0.2.10"},
            [AUTH_GROUP, AAAA_GROUP],
            (
                "fail",
                "Problem · Do the domain's nameservers agree? 1 of your 2 nameserver "
                "addresses answer 192.0.2.10 for www.split.lab; ns2.split.lab (127.0.53.4) still "
                "answers 203.0.113.7.",
            ),
        ),
        (
            {"hostnames": "www.moved.lab", "ns": "nic"},
            ["The registry's servers (.lab)"],
            (
                "pass",
                "OK · Delegation: where the registry sends resolvers The registry delegates "
                "moved.lab to ns2.good.lab",
            ),
        ),
        (
            {"hostnames": "www.good.lab", "ns": "all"},
            ["Public resolvers", AUTH_GROUP],
            (
                "warn",
                "Warning · Public resolvers' caches Cloudflare still answers 203.0.113.7 "
                "for www.good.lab and may serve it for up to",
            ),
        ),
        (
            {
                "hostnames": "www.moved.lab",
                "ns": "self",
                "nameservers": "ns1.good.lab",
                "expected": "192.0.2.10",
            },
            ["The nameservers you entered", AAAA_GROUP],
            (
                "fail",
                "Problem · Delegation: where the registry sends resolvers The registry "
                "delegates moved.lab to ns2.good.lab, so the records you edit at ns1.good.lab are "
                "not used.",
            ),
        ),
        (
            {"hostnames": "v6stale.good.lab", "ns": "auth", "expected": "192.0.2.10"},
            [AUTH_GROUP, AAAA_GROUP],
            (
                "warn",
                "Warning · IPv6 (AAAA record) v6stale.good.lab has an AAAA record "
                "(2001:db8::dead), but you gave no IPv6 address to compare it with. "
                "Is 2001:db8::dead your server's IPv6 address?",
            ),
        ),
        (
            {"hostnames": "www.drift.lab", "ns": "auth"},
            [AUTH_GROUP],
            (
                "warn",
                "Warning · Delegation: where the registry sends resolvers The registry "
                "delegates drift.lab to ns1.drift.lab and ns2.drift.lab, but the zone itself lists "
                "ns1.drift.lab and ns3.drift.lab.",
            ),
        ),
        (
            {"hostnames": "www.lame.lab", "ns": "auth"},
            [AUTH_GROUP],
            (
                "warn",
                "Warning · Do the domain's nameservers agree? ns2.lame.lab (127.0.53.9) "
                "did not give a usable answer for www.lame.lab",
            ),
        ),
        (
            {"hostnames": "www.good.lab", "ns": "auth", "expected": "ns1.good.lab"},
            [AUTH_GROUP, AAAA_GROUP],
            (
                "info",
                "Note · Your server ns1.good.lab resolves to 127.0.53.3; answers are compared "
                "with that address.",
            ),
        ),
    ],
    ids=["auth-split", "nic", "all-cache", "self-delegation", "ipv6", "drift", "lame", "by-name"],
)
def test_verdicts_top_the_page_problems_first(
    lab_client: FlaskClient,
    params: dict[str, str],
    expected_groups: list[str],
    expected_check: tuple[str, str],
) -> None:
    body = page(lab_client, params)
    found = checks(body)
    status, sentence = expected_check
    mark = Level(status).mark
    assert any(s == status and t.startswith(f"{mark} {sentence}") for s, t in found), found
    ranks = [Level(s).rank for s, _ in found]
    assert ranks == sorted(ranks)
    assert groups(body) == expected_groups
    # The answer comes before the evidence: verdicts, then the table, then the blocks.
    assert body.index('class="findings"') < body.index('<article class="block')
    if 'class="comparison"' in body:
        assert body.index('class="findings"') < body.index('class="comparison"')
        assert body.index('class="comparison"') < body.index('<article class="block')


@pytest.mark.parametrize(
    ("params", "rows"),
    [
        (
            {"hostnames": "www.split.lab", "ns": "auth", "expected": "192.0.2.10"},
            [
                ("ns1.split.lab", "192.0.2.10", "✓ yes", False),
                ("ns2.split.lab", "203.0.113.7", "✗ no", True),
            ],
        ),
        (
            {"hostnames": "www.good.lab", "ns": "all"},
            [
                ("Google", "192.0.2.10", "", False),
                ("Cloudflare", "203.0.113.7", "", True),
                ("ns1.good.lab", "192.0.2.10", "", False),
                ("ns2.good.lab", "192.0.2.10", "", False),
            ],
        ),
        (
            {"hostnames": "www.lame.lab", "ns": "auth"},
            [
                ("ns1.lame.lab", "192.0.2.10", "", False),
                (
                    "ns2.lame.lab",
                    "ns2.lame.lab refused the connection: no DNS server is listening at "
                    "127.0.53.9#53.",
                    "",
                    True,
                ),
            ],
        ),
    ],
    ids=["split", "all", "lame"],
)
def test_comparison_marks_the_odd_ones_out_in_words(
    lab_client: FlaskClient, params: dict[str, str], rows: list[tuple[str, str, str, bool]]
) -> None:
    body = page(lab_client, params)
    assert table(body) == rows
    odd_rows = re.findall(r'<tr class="odd-one">.*?</tr>', body, re.S)
    assert len(odd_rows) == sum(odd for *_, odd in rows)
    assert all("✗ odd one out" in text(row) for row in odd_rows)


def test_self_mode_warns_that_a_match_may_not_count(lab_client: FlaskClient) -> None:
    body = page(
        lab_client,
        {
            "hostnames": "www.moved.lab",
            "ns": "self",
            "nameservers": "ns1.good.lab",
            "expected": "192.0.2.10",
        },
    )
    assert "✓</span> Matches:</strong> ns1.good.lab answers 192.0.2.10" in body
    assert "a ✓ below does not mean visitors get this answer" in text(body)


def test_registry_block_shows_the_delegation(lab_client: FlaskClient) -> None:
    body = page(lab_client, {"hostnames": "www.moved.lab", "ns": "nic"})
    [block] = re.findall(r'<article class="block.*?</article>', body, re.S)
    assert "the server answered with the delegation" in block
    assert "AUTHORITY SECTION: the delegation" in block
    assert (
        "moved.lab.\t\t3600\tIN\tNS\tns2.good.lab.\nns2.good.lab.\t\t3600\tIN\tA\t127.0.53.4"
        in block
    )
    assert "The ANSWER SECTION is empty" not in block


def test_trace_shows_every_step_labelled(lab_client: FlaskClient) -> None:
    body = page(lab_client, {"hostnames": "www.good.lab", "trace": "on", "expected": "192.0.2.10"})
    heads = [text(h) for h in re.findall(r'<p class="step-head">(.*?)</p>', body, re.S)]
    assert heads == [
        "Step 1 127.0.53.1, a root server, lists the root servers: a.root-servers.lab.",
        "Step 2 a.root-servers.lab (127.0.53.1), a root server, refers the question to the "
        ".lab registry's servers: ns1.nic.lab.",
        "Step 3 ns1.nic.lab (127.0.53.2), a server of the .lab registry, refers the question "
        "to good.lab's nameservers: ns1.good.lab and ns2.good.lab.",
        "Step 4 ns1.good.lab (127.0.53.3), a nameserver of good.lab, answers 192.0.2.10.",
    ]
    trace = body[body.index('<article class="trace"') :]
    # The verdict on the final answer sits above the steps.
    assert trace.index("✓</span> Matches:</strong>") < trace.index('<ol class="steps">')
    # Each step's dig lines are a slice of the whole dig +trace text, in order.
    whole = re.search(r'<pre class="dig" id="trace-1">(.*?)</pre>', body, re.S)
    assert whole is not None
    steps = re.findall(r'<li class="step \w+">.*?<pre class="dig">(.*?)</pre>', body, re.S)
    assert len(steps) == 4
    assert "\n\n".join(steps) in whole.group(1)
    assert ";; Received" in steps[1]
    assert "#53(a.root-servers.lab) in" in steps[1]
    # The answer appears once, in the trace, not again as a separate block.
    assert '<article class="block' not in body


def test_trace_that_ends_in_nxdomain_says_so(lab_client: FlaskClient) -> None:
    body = page(lab_client, {"hostnames": "www.nosuch", "trace": "on"})
    [last] = re.findall(r'<li class="step negative">\s*<p class="step-head">(.*?)</p>', body, re.S)
    assert text(last).endswith("a root server, says www.nosuch does not exist (NXDOMAIN).")
    assert (
        '<p class="verdict warn"><strong><span aria-hidden="true">⚠</span> Warning:</strong>'
        in body
    )


def test_trace_that_stopped_says_so_in_red(hierarchy: None) -> None:
    # A public webdig refuses the loopback root of the hierarchy: the walk stops at once.
    client = create_app({**LAB_CONFIG, "ALLOW_PRIVATE": False}).test_client()
    body = page(client, {"hostnames": "www.good.lab", "trace": "on"})
    assert (
        '<p class="verdict fail"><strong><span aria-hidden="true">✗</span> Problem:</strong> '
        in body
    )
    assert "The trace stopped: 127.0.53.1 is not queried: it is a loopback address" in body
    assert (
        "fail",
        "✗ Problem · Trace from the root The trace of www.good.lab stopped: 127.0.53.1 "
        "is not queried: it is a loopback address (this webdig server itself). This public "
        "webdig only queries nameservers on the internet.",
    ) in checks(body)
    assert '<p class="note">' not in body  # said once, in red, not again as a note


def test_trace_labels_a_silent_server_and_a_lame_delegation() -> None:
    silent = failed_result()
    lame = result_from_text(reply(flags="QR"))  # neither an answer nor a referral
    problem = "ns1.example.net neither answered nor referred the question further down."
    walk = Trace(
        parse_hostname("www.example.com"),
        dns.rdatatype.A,
        [TraceStep(silent, []), TraceStep(lame, [])],
        problem=problem,
    )
    shown = shown_trace(walk, None)
    assert [(step.kind, step.server, sentence(step.said)) for step in shown.steps] == [
        (
            "failed",
            "ns1.example.net (192.0.2.53)",
            "ns1.example.net (192.0.2.53), a root server, did not reply: ns1.example.net did not "
            "answer within 2 seconds. webdig asked the next server.",
        ),
        (
            "stuck",
            "ns1.example.net (192.0.2.53)",
            "ns1.example.net (192.0.2.53), a root server, neither answered nor referred the "
            "question further down.",
        ),
    ]
    assert shown.outcome == Finding("trace.walk-stopped", Level.FAIL, {"problem": problem})


def test_trace_as_text_has_dig_trace_layout(lab_client: FlaskClient) -> None:
    response = lab_client.get(
        "/?"
        + urlencode(
            {"hostnames": "www.good.lab", "trace": "on", "format": "text", "expected": "192.0.2.10"}
        )
    )
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[:5] == [
        ";; webdig: ✓ www.good.lab points at your server: ns1.good.lab answers 192.0.2.10.",
        ";; webdig: ✓ ns1.good.lab answers 192.0.2.10 for www.good.lab: this matches your server.",
        "",
        "; <<>> webdig <<>> +trace www.good.lab A",
        ";; global options: +cmd",
    ]
    received = [re.sub(r"\d+ (bytes|ms)", r"N \1", line) for line in lines if "Received" in line]
    assert received == [
        ";; Received N bytes from 127.0.53.1#53(127.0.53.1) in N ms",
        ";; Received N bytes from 127.0.53.1#53(a.root-servers.lab) in N ms",
        ";; Received N bytes from 127.0.53.2#53(ns1.nic.lab) in N ms",
        ";; Received N bytes from 127.0.53.3#53(ns1.good.lab) in N ms",
    ]
    assert "www.good.lab.\t\t300\tIN\tA\t192.0.2.10" in lines


def test_hosting_preset_is_chosen_in_the_form(lab_client: FlaskClient) -> None:
    # The lab's root knows no .jp, so Xserver's nameservers cannot be resolved: the form
    # comes back with the preset still chosen and the reason next to the field.
    body = page(lab_client, {"hostnames": "www.good.lab", "ns": "self", "hosting": "xserver"}, 400)
    option = re.search(r'<option[^>]*value="xserver"[^>]*>([^<]*)</option>', body)
    assert option is not None
    assert "selected" in option.group(0)
    assert option.group(1) == (
        "Xserver: ns1.xserver.jp, ns2.xserver.jp, ns3.xserver.jp, ns4.xserver.jp, ns5.xserver.jp"
    )
    errors = re.search(r'id="nameservers-errors">(.*?)</ul>', body, re.S)
    assert errors is not None
    assert "ns1.xserver.jp" in text(errors.group(1))


def test_page_asks_about_an_aaaa_it_cannot_judge(lab_client: FlaskClient) -> None:
    body = page(
        lab_client, {"hostnames": "v6stale.good.lab", "ns": "auth", "expected": "192.0.2.10"}
    )
    shown = text(body)
    assert "Is 2001:db8::dead your server's IPv6 address? If not," in shown
    assert "Delete" not in shown
    assert [s for s, t in checks(body) if "AAAA" in t] == ["warn"]
    # The AAAA block's own verdict asks too: a warning that cannot compare, not a mismatch.
    assert "⚠</span> Cannot compare:</strong> ns1.good.lab answers 2001:db8::dead" in body


def test_page_never_says_ok_without_replies(hierarchy: None) -> None:
    dead = [
        {"key": "8.8.8.8", "label": "Google Public DNS", "address": lab.DEAD},
        {"key": "1.1.1.1", "label": "Cloudflare", "address": lab.DEAD},
    ]
    client = create_app({**LAB_CONFIG, "PRESETS": dead}).test_client()
    body = page(client, {"hostnames": "www.good.lab", "ns": "all", "expected": "192.0.2.10"})
    cache = [(s, t) for s, t in checks(body) if "caches" in t]
    assert cache == [
        (
            "unknown",
            "? Unknown · Public resolvers' caches None of the resolvers asked (Google Public DNS "
            "and Cloudflare) gave a usable answer for www.good.lab, so webdig cannot tell what "
            "they have cached.",
        )
    ]
    assert "Every resolver asked answers" not in text(body)


def headline_items(body: str) -> list[tuple[str, str]]:
    """(level, text) of the answers at the top of "What webdig found", in page order."""
    items = re.findall(r'<li class="finding (\w+) headline">(.*?)</li>', body, re.S)
    return [(level, text(item)) for level, item in items]


def test_the_answer_to_the_question_comes_first(lab_client: FlaskClient) -> None:
    """ns=self with expected: the asked server's mismatch heads the page (issue 11, item 1)."""
    params = {"hostnames": "www.split.lab", "ns": "self", "nameservers": "ns2.split.lab"}
    body = page(lab_client, {**params, "expected": "192.0.2.10"})
    [(level, said)] = headline_items(body)
    assert level == "fail"
    assert "answers 203.0.113.7 for www.split.lab, not your server (192.0.2.10)" in said
    # It is the first item, above the delegation and IPv6 findings.
    first = body.index('<li class="finding ')
    assert body.index('<li class="finding fail headline">') == first
    assert body.index("IPv6 (AAAA record)") > first


def test_without_expected_the_headline_says_what_was_answered(lab_client: FlaskClient) -> None:
    body = page(lab_client, {"hostnames": "www.good.lab", "ns": "auth"})
    said = headline_items(body)
    assert [level for level, _ in said] == ["info", "info"]
    assert all("answers 1 A record for www.good.lab: 192.0.2.10." in t for _, t in said)


MOVED_SELF = {
    "hostnames": "www.moved.lab",
    "ns": "self",
    "nameservers": "ns1.good.lab",
    "expected": "192.0.2.10",
}
"""ns1.good.lab answers the user's address (OK) but the registry delegates elsewhere (worse)."""


def test_other_findings_never_list_an_ok_above_a_problem(lab_client: FlaskClient) -> None:
    body = page(lab_client, MOVED_SELF)
    levels = re.findall(r'<li class="finding (\w+)(?: headline)?">', body)
    assert "pass" in levels
    assert levels[0] != "pass"
    ranks = [Level(level).rank for level in levels]
    assert ranks == sorted(ranks), levels


def test_worst_first_orders_fail_warn_unknown_info_pass() -> None:
    order = [Level.PASS, Level.INFO, Level.UNKNOWN, Level.WARN, Level.FAIL, Level.PASS]
    found = worst_first(Finding(f"x.{n}", level) for n, level in enumerate(order))
    assert [f.level for f in found] == [
        Level.FAIL, Level.WARN, Level.UNKNOWN, Level.INFO, Level.PASS, Level.PASS,
    ]  # fmt: skip
    assert [f.code for f in found][-2:] == ["x.0", "x.5"]  # equal levels keep their order


def test_text_format_lists_findings_worst_first(lab_client: FlaskClient) -> None:
    response = lab_client.get("/?" + urlencode({**MOVED_SELF, "format": "text"}))
    marks = {level.mark: level for level in Level}
    # The headline, then the other findings and notes, then a blank line and dig's blocks.
    top = response.get_data(as_text=True).split("\n\n")[0].splitlines()
    levels = [marks[line.removeprefix(";; webdig: ")[0]] for line in top[1:-1]]
    assert {Level.FAIL, Level.PASS} <= set(levels)
    assert [level.rank for level in levels] == sorted(level.rank for level in levels), top
