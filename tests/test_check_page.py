"""The check page (``/check``) end to end through the local lab: the checklist as a site
owner reads it, and its errors next to the fields."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest

from tests.support.renewallab import EDGE_CASES, HEALTHY, ITEMS, Case, RenewalLab
from webdig import create_app
from webdig.renewal.items import CheckId

WORDS = {"pass": ("✓", "Pass"), "warn": ("⚠", "Warning"), "fail": ("✗", "Problem")}


def page(renewal_lab: RenewalLab, case: Case, status: int = 200, **args: str) -> str:
    """The page for ``case`` (its query string overridden by ``args``)."""
    client = create_app(renewal_lab.config(**case.servers)).test_client()
    query = {"domain": case.domain, "expected": " ".join(case.expected), **args}
    response = client.get("/check?" + urlencode(query))
    assert response.status_code == status, response.get_data(as_text=True)[-3000:]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def items(body: str) -> list[tuple[str, str, str, str]]:
    """(id, status, mark, word) of every checklist item, in page order."""
    found = re.findall(
        r'<li class="item (\w+)" id="check-([\w-]+)">\s*<p class="item-head">\s*'
        r'<span class="mark" aria-hidden="true">(.)</span>\s*<span class="item-word">([\w ]+)<',
        body,
    )
    return [(check_id, status, mark, word) for status, check_id, mark, word in found]


def first_name_items(body: str) -> list[tuple[str, str, str, str]]:
    """The items of the first name, the domain and the whole check (the anchors without a
    number: an id shown again, for another name, gets ``-2``, ``-3``…; ``dns-01`` ends in
    digits of its own)."""
    return [item for item in items(body) if item[0] in set(CheckId)]


def headline(body: str) -> str:
    """The summary box: its status class, then its words."""
    found = re.search(r'<div class="headline (\w+)">(.*?)</div>', body, re.S)
    assert found is not None
    text = html.unescape(re.sub(r"<[^>]+>", " ", found.group(2)))
    return f"{found.group(1)} {' '.join(text.split())}"


@pytest.mark.parametrize("case", EDGE_CASES, ids=lambda c: c.id)
def test_the_failing_item_is_marked_and_named_on_top(renewal_lab: RenewalLab, case: Case) -> None:
    body = page(renewal_lab, case)
    shown = {
        check_id: (status, mark, word) for check_id, status, mark, word in first_name_items(body)
    }
    assert [check_id for check_id in shown if check_id != CheckId.DNS01] == ITEMS
    assert shown[case.check] == ("fail", "✗", "Problem")
    top = headline(body)
    assert top.startswith("fail ✗ This stops the renewal. Most likely cause: ")
    assert case.words in top
    assert f'href="#check-{case.check}"' in body
    (failed,) = re.findall(rf'id="check-{case.check}">(.*?)</li>', body, re.S)
    assert "<strong>What to do:</strong>" in failed


@pytest.mark.parametrize("case", EDGE_CASES, ids=lambda c: c.id)
def test_the_summary_is_the_cause_and_the_steps_say_what_to_do(
    renewal_lab: RenewalLab, case: Case
) -> None:
    body = page(renewal_lab, case)
    top = headline(body)
    # One line: the cause, not the advice the numbered steps give right below it.
    steps = re.findall(r'<ol class="todo-steps">(.*?)</ol>', body, re.S)
    said = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", s)).split()) for s in
            re.findall(r"<li>(.*?)</li>", steps[0], re.S)]  # fmt: skip
    assert said
    assert not [step for step in said if step in top]
    assert "failed validations" not in top
    assert top.count(". ") <= 3, top  # the word, "Most likely cause:", one sentence, a count


def test_a_healthy_site_is_all_ticks(renewal_lab: RenewalLab) -> None:
    body = page(renewal_lab, HEALTHY)
    # The certificate's wildcard (*.shop.lab) has no TXT record now: ℹ, not a problem.
    wildcard = ("dns-01", "pass", "ℹ", "Pass")
    assert first_name_items(body) == [
        *((check_id, "pass", "✓", "Pass") for check_id in ITEMS[:-1]),
        wildcard,
        (ITEMS[-1], "pass", "✓", "Pass"),
    ]
    assert headline(body).startswith("pass ✓ Ready to renew. Everything Let's Encrypt checks")
    assert "What to do:" not in body


def test_evidence_is_folded_under_each_item(renewal_lab: RenewalLab) -> None:
    body = page(renewal_lab, HEALTHY)
    (points,) = re.findall(r'id="check-dns-points-here">(.*?)</li>', body, re.S)
    folded = re.search(r'<details class="evidence">(.*?)</details>', points, re.S)
    assert folded is not None
    assert ";; ANSWER SECTION:\nwww.shop.lab." in html.unescape(folded.group(1))


def test_the_page_links_the_share_url_json_and_the_look_up(renewal_lab: RenewalLab) -> None:
    body = html.unescape(page(renewal_lab, HEALTHY))
    assert 'value="/check?domain=www.shop.lab&expected=127.0.0.1#results"' in body
    assert 'href="/api/v1/check?domain=www.shop.lab&expected=127.0.0.1"' in body
    assert 'href="/?hostnames=www.shop.lab&ns=auth&expected=127.0.0.1#results"' in body


def test_the_empty_form_runs_nothing(renewal_lab: RenewalLab) -> None:
    client = create_app(renewal_lab.config()).test_client()
    body = client.get("/check").get_data(as_text=True)
    assert '<form class="lookup check-form" method="get" action="/check#results"' in body
    assert "Your server's IP or server name (from your hosting panel)" in body
    assert 'class="results"' not in body
    assert '<a href="/">Use the look-up page</a>' in body


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        ({"domain": ""}, "domain", "Enter a hostname"),
        ({"domain": "<script>alert(1)</script>"}, "domain", "&lt;script&gt;"),
        ({"expected": "nowhere.gone.lab"}, "expected", "could not be resolved"),
    ],
)
def test_bad_input_is_400_next_to_the_field(
    renewal_lab: RenewalLab, args: dict[str, str], field: str, words: str
) -> None:
    body = page(renewal_lab, HEALTHY, 400, **args)
    errors = re.search(rf'<ul class="errors" id="{field}-errors">(.*?)</ul>', body, re.S)
    assert errors is not None
    assert words in errors.group(1)
    assert "The checklist was not run." in body
    assert "<script>" not in body
    assert 'class="results"' not in body
