"""The dns-01 item end to end through the local lab: the page, ``/api/v1/check`` and
``webdig check``, in English and Japanese, passing and failing; and a wildcard on the
served certificate bringing the item in without ``method``.

www.dns01.lab has its ``_acme-challenge`` TXT record at both nameservers; www.slowneg.lab has
none, and its zone tells resolvers to remember that for an hour (tests/support/acmezones.py).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.support.renewallab import RenewalLab
from webdig import create_app
from webdig.cli.main import main

PASSING = "www.dns01.lab"
FAILING = "www.slowneg.lab"
CERTIFICATE = {PASSING: "dns01", FAILING: "slowneg"}
"""The lab certificate each site serves (its names, so nothing else fails)."""
WORDS = {
    ("pass", "en"): "Every nameserver of dns01.lab (ns1.good.lab, ns2.good.lab) answers the TXT "
    "record at _acme-challenge.www.dns01.lab",
    ("pass", "ja"): "dns01.lab のすべてのネームサーバー（ns1.good.lab、ns2.good.lab）が "
    "_acme-challenge.www.dns01.lab の TXTレコード",
    ("fail", "en"): "wait 60 minutes before pressing renew",
    ("fail", "ja"): "60分 待ってから［更新］を押してください",
}
"""Words of the dns-01 row."""
CAUSE = {
    "en": "Most likely cause: _acme-challenge.www.slowneg.lab does not exist at the nameservers",
    "ja": "考えられる原因：slowneg.lab のネームサーバー（ns1.good.lab、ns2.good.lab）に "
    "_acme-challenge.www.slowneg.lab が存在しない",
}
"""The summary of a failure: its cause, in one line."""
CASES = [(status, lang) for status in ("pass", "fail") for lang in ("en", "ja")]


def domain_of(status: str) -> str:
    return PASSING if status == "pass" else FAILING


def api(renewal_lab: RenewalLab, domain: str, tls: str, **args: str) -> tuple[int, Any]:
    client = create_app(renewal_lab.config(tls=tls)).test_client()
    query = {"domain": domain, "expected": "127.0.0.1", **args}
    response = client.get("/api/v1/check", query_string=query)
    return response.status_code, response.get_json()


def rows(body: dict[str, Any], check_id: str, name: str) -> list[dict[str, Any]]:
    return [c for c in body["checks"] if c["id"] == check_id and c["name"] == name]


@pytest.mark.parametrize(("status", "lang"), CASES)
def test_api(renewal_lab: RenewalLab, status: str, lang: str) -> None:
    domain = domain_of(status)
    code, body = api(renewal_lab, domain, CERTIFICATE[domain], method="dns-01", lang=lang)
    assert code == 200
    (row,) = rows(body, "dns-01", domain)
    assert row["status"] == status
    assert (body["status"], body["query"]["method"]) == (status, "dns-01")
    words = WORDS[status, lang]
    assert words in row["detail"] + " " + row["fix"]
    if status == "fail":
        assert body["summary"].startswith(CAUSE[lang])
        assert row["findings"][1] == {
            **row["findings"][1],
            "code": "dns01.negative-cache",
            "params": {"zone": "slowneg.lab", "wait": 3600},
        }
    # The renewal fetches no file: port 80 is shown, never judged.
    (http,) = rows(body, "http-challenge", domain)
    assert (http["status"], http["level"], http["code"]) == ("pass", "info", "http.not-used")
    assert http["fix"] == ""
    share = urlsplit(body["query"]["share_url"])
    assert parse_qs(share.query)["method"] == ["dns-01"]


def page_items(body: str) -> dict[str, tuple[str, str]]:
    """Each item's anchor → its status and its words (tags removed)."""
    found = re.findall(r'<li class="item (\w+)" id="check-([\w-]+)">(.*?)</li>', body, re.S)
    return {
        anchor: (status, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()))
        for status, anchor, text in found
    }


@pytest.mark.parametrize(("status", "lang"), CASES)
def test_page(renewal_lab: RenewalLab, status: str, lang: str) -> None:
    domain = domain_of(status)
    client = create_app(renewal_lab.config(tls=CERTIFICATE[domain])).test_client()
    query = {"domain": domain, "expected": "127.0.0.1", "method": "dns-01", "lang": lang}
    response = client.get("/check?" + urlencode(query))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    shown = page_items(body)
    # The first dns-01 row is the typed name's (its counterpart's follows, or is absent).
    assert shown["dns-01"][0] == status
    assert " ".join(WORDS[status, lang].split()) in shown["dns-01"][1]
    title = (
        "_acme-challenge の TXTレコード（DNS-01 認証）"
        if lang == "ja"
        else ("The _acme-challenge TXT record (DNS-01)")
    )
    assert title in shown["dns-01"][1]
    assert '<option selected value="dns-01">' in body
    assert "method=dns-01" in body  # the share link keeps it
    # Watching it (while the record spreads, or the "no record" answer wears off) keeps it
    # too; a check that passes has nothing to watch for.
    watch = re.search(r'href="(/watch\?[^"]*)"', body)
    if status == "pass":
        assert watch is None
    else:
        assert watch is not None
        assert "method=dns-01" in html.unescape(watch.group(1))
    if status == "fail":
        assert 'href="#check-dns-01"' in body  # the summary points at it


@pytest.mark.parametrize(("status", "lang"), CASES)
def test_cli(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    status: str,
    lang: str,
) -> None:
    domain = domain_of(status)
    for name, value in renewal_lab.environ(tls=CERTIFICATE[domain]).items():
        monkeypatch.setenv(name, value)
    args = ["check", domain, "--expected", "127.0.0.1", "--method", "dns-01", "--lang", lang]
    exit_status = main(args)
    out = " ".join(capsys.readouterr().out.split())
    assert exit_status == (0 if status == "pass" else 1)
    assert WORDS[status, lang] in out
    mark = "✓" if status == "pass" else "✗"
    title = (
        "_acme-challenge の TXTレコード（DNS-01 認証）"
        if lang == "ja"
        else ("The _acme-challenge TXT record (DNS-01)")
    )
    assert re.search(rf"\d+\. {mark} \w+(?:: |：){re.escape(title)}", out)


def test_cli_json_carries_the_method(
    renewal_lab: RenewalLab, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in renewal_lab.environ(tls="dns01").items():
        monkeypatch.setenv(name, value)
    main(["check", PASSING, "--expected", "127.0.0.1", "--method", "dns-01", "--json"])
    body = json.loads(capsys.readouterr().out)
    assert body["query"]["method"] == "dns-01"
    assert [r["status"] for r in rows(body, "dns-01", PASSING)] == ["pass"]


def test_a_wildcard_certificate_brings_the_item_in_without_method(
    renewal_lab: RenewalLab,
) -> None:
    code, body = api(renewal_lab, PASSING, "dns01wild")
    assert (code, body["query"]["method"]) == (200, "auto")
    (row,) = rows(body, "dns-01", "*.dns01.lab")
    assert (row["status"], row["code"]) == ("pass", "dns01.present")
    assert row["findings"][0]["params"]["name"] == "_acme-challenge.dns01.lab"
    # The names themselves are renewed over HTTP-01 as usual: no dns-01 row, port 80 judged.
    assert rows(body, "dns-01", PASSING) == []
    (http,) = rows(body, "http-challenge", PASSING)
    assert (http["level"], http["code"]) == ("pass", "http.not-found")


@pytest.mark.parametrize(
    ("method", "records"),
    [
        ("auto", ["_acme-challenge.dns01.lab"]),
        # The name's own record, as dns-01 asks of every name, and the wildcard's.
        ("dns-01", ["_acme-challenge.www.dns01.lab", "_acme-challenge.dns01.lab"]),
    ],
)
def test_with_only_a_wildcard_certificate_still_brings_the_item_in(
    renewal_lab: RenewalLab, method: str, records: list[str]
) -> None:
    # The trigger is the certificate served, not the names a check adds: only=on adds none,
    # so the wildcard's record is checked under the name typed that it covers.
    code, body = api(renewal_lab, PASSING, "dns01wild", only="on", method=method)
    assert (code, body["query"]["only"]) == (200, True)
    assert [n["name"] for n in body["names"]] == [PASSING]
    assert {c["name"] for c in body["checks"]} == {PASSING, None}
    found = rows(body, "dns-01", PASSING)
    assert [r["findings"][0]["params"]["name"] for r in found] == records
    assert {(r["status"], r["code"]) for r in found} == {("pass", "dns01.present")}
    assert [n["params"] for n in body["notes"] if n["code"] == "names.wildcard"] == [
        {"name": "*.dns01.lab"}
    ]


def test_with_only_a_wildcard_covering_no_typed_name_adds_nothing(
    renewal_lab: RenewalLab,
) -> None:
    # www.shop.lab's certificate here is dns01.lab's: its wildcard is another site's business.
    code, body = api(renewal_lab, "www.shop.lab", "dns01wild", only="on")
    assert code == 200
    assert [c for c in body["checks"] if c["id"] == "dns-01"] == []


def test_without_method_or_wildcard_there_is_no_dns01_item(renewal_lab: RenewalLab) -> None:
    _, body = api(renewal_lab, PASSING, "dns01")
    assert [c for c in body["checks"] if c["id"] == "dns-01"] == []


def test_an_unknown_method_is_refused_next_to_its_field(
    renewal_lab: RenewalLab, capsys: pytest.CaptureFixture[str]
) -> None:
    code, body = api(renewal_lab, PASSING, "dns01", method="tls-alpn-01", lang="ja")
    assert code == 400
    assert body["fields"] == {
        "method": [
            "「tls-alpn-01」は認証方法ではありません。dns-01 と入力するか、空欄にしてください。"
        ]
    }
    client = create_app(renewal_lab.config()).test_client()
    response = client.get("/check?domain=www.dns01.lab&method=tls-alpn-01")
    assert response.status_code == 400
    assert "is not a validation method" in response.get_data(as_text=True)
    assert main(["check", PASSING, "--method", "tls-alpn-01"]) == 2
    assert "invalid choice: 'tls-alpn-01'" in capsys.readouterr().err


def test_a_saved_dns01_check_keeps_its_method(renewal_lab: RenewalLab, tmp_path: Path) -> None:
    config = {**renewal_lab.config(tls="dns01"), "INSTANCE_PATH": str(tmp_path / "instance")}
    client = create_app(config).test_client()
    asked = {"domain": PASSING, "expected": ["127.0.0.1"], "method": "dns-01"}
    response = client.post("/api/v1/snapshots", json=asked)
    assert response.status_code == 201
    saved = response.get_json()
    assert saved["result"]["query"]["method"] == "dns-01"
    assert [r["status"] for r in rows(saved["result"], "dns-01", PASSING)] == ["pass"]
    # The saved page is drawn from the stored result, and runs it again with the method.
    page = client.get(f"/r/{saved['id']}").get_data(as_text=True)
    assert 'id="check-dns-01"' in page
    assert '<option selected value="dns-01">' in page
