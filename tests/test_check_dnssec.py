"""The ``dnssec`` item end to end, in Japanese and English: the page, the API and the CLI
against the lab's signed zone (pass) and its zone with a stale DS record (fail)."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.support.renewallab import Case, RenewalLab
from webdig import create_app
from webdig.cli.main import main

SIGNED = Case("www.signed.lab", "dnssec", "pass", "", tls="signed.lab")
STALE = Case("www.staleds.lab", "dnssec", "fail", "", tls="staleds.lab")
WORDS = {
    ("pass", "en"): ("DNSSEC does not make look-ups fail", "DNSSEC is valid for signed.lab"),
    ("pass", "ja"): ("DNSSECの設定で名前解決が失敗しない", "signed.lab の DNSSEC は正常です"),
    ("fail", "en"): (
        "DNSSEC does not make look-ups fail",
        "The registry still publishes a DS record for staleds.lab, but your nameservers",
    ),
    ("fail", "ja"): (
        "DNSSECの設定で名前解決が失敗しない",
        "レジストリには staleds.lab の DSレコードがまだ登録されていますが",
    ),
}
FIX = {"en": "Remove the DS record for staleds.lab", "ja": "staleds.lab の DSレコードを削除する"}
CASES = [(case, lang) for case in (SIGNED, STALE) for lang in ("en", "ja")]


def _id(value: object) -> str:
    return value.domain if isinstance(value, Case) else str(value)


@pytest.mark.parametrize(("case", "lang"), CASES, ids=_id)
def test_the_page_shows_the_item_in_the_readers_language(
    renewal_lab: RenewalLab, case: Case, lang: str
) -> None:
    client = create_app(renewal_lab.config(**case.servers)).test_client()
    query = {"domain": case.domain, "expected": "127.0.0.1", "lang": lang}
    response = client.get("/check", query_string=query)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    found = re.search(r'<li class="item (\w+)" id="check-dnssec">(.*?)</li>', body, re.S)
    assert found is not None
    status, item = found.group(1), " ".join(html.unescape(found.group(2)).split())
    title, words = WORDS[(case.status, lang)]
    assert (status, title in item, words in item) == (case.status, True, True), item
    assert (FIX[lang] in item) == (case.status == "fail")
    if case.status == "fail":
        top = re.search(r'<div class="headline (\w+)">.*?href="#check-(\w+)"', body, re.S)
        assert top is not None
        assert top.groups() == ("fail", "dnssec")


@pytest.mark.parametrize(("case", "lang"), CASES, ids=_id)
def test_the_api_gives_status_code_and_words(
    renewal_lab: RenewalLab, case: Case, lang: str
) -> None:
    client = create_app(renewal_lab.config(**case.servers)).test_client()
    query = {"domain": case.domain, "expected": "127.0.0.1", "lang": lang}
    body = client.get("/api/v1/check", query_string=query).get_json()
    (item,) = [c for c in body["checks"] if c["id"] == "dnssec"]
    words = WORDS[(case.status, lang)][1]
    assert item["status"] == case.status
    assert words in item["detail"]
    code = item["findings"][0]["code"]
    assert code == ("dnssec.valid" if case.status == "pass" else "dnssec.no-dnskey")
    assert (FIX[lang] in item["fix"]) == (case.status == "fail")
    assert body["status"] == case.status
    if case.status == "fail":
        assert words in body["summary"]


@pytest.mark.parametrize(("case", "lang"), CASES, ids=_id)
def test_the_cli_prints_the_item_and_exits_by_it(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: Case,
    lang: str,
) -> None:
    for name, value in renewal_lab.environ(**case.servers).items():
        monkeypatch.setenv(name, value)
    status = main(["check", case.domain, "--expected", "127.0.0.1", "--json", "--lang", lang])
    body = json.loads(capsys.readouterr().out)
    (item,) = [c for c in body["checks"] if c["id"] == "dnssec"]
    assert (status, item["status"]) == ((0, "pass") if case.status == "pass" else (1, "fail"))
    assert WORDS[(case.status, lang)][1] in item["detail"]
    if lang == "en":
        main(["check", case.domain, "--expected", "127.0.0.1"])
        text = " ".join(capsys.readouterr().out.split())
        mark = "✓ Pass" if case.status == "pass" else "✗ Problem"
        assert f"2. {mark}: DNSSEC does not make look-ups fail" in text
        assert WORDS[(case.status, lang)][1] in text


EXPIRING = Case("www.expiring.lab", "dnssec", "warn", "", tls="expiring.lab")
SOON = {
    "en": ("(key tag ", "Before ", "remove the DS record at your registrar first"),
    "ja": (
        "に期限切れになります（残り",
        "までに expiring.lab に署名し直し",
        "先にレジストラで DSレコードを削除し",
    ),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_signatures_about_to_expire_warn_on_the_api_and_the_page(
    renewal_lab: RenewalLab, lang: str
) -> None:
    client = create_app(renewal_lab.config(**EXPIRING.servers)).test_client()
    query = {"domain": EXPIRING.domain, "expected": "127.0.0.1", "lang": lang}
    body = client.get("/api/v1/check", query_string=query).get_json()
    (item,) = [c for c in body["checks"] if c["id"] == "dnssec"]
    detail, fix, remove = SOON[lang]
    assert (item["status"], item["findings"][0]["code"]) == ("warn", "dnssec.expiring")
    assert detail in item["detail"]
    assert fix in item["fix"]
    assert remove in item["fix"]
    page = client.get("/check", query_string=query).get_data(as_text=True)
    found = re.search(r'<li class="item (\w+)" id="check-dnssec">(.*?)</li>', page, re.S)
    assert found is not None
    assert found.group(1) == "warn"
    assert detail in html.unescape(found.group(2))
