"""The registration half of ``domain-exists`` end to end: page, API and CLI, English and Japanese.

The lab's registry answers RDAP for .lab (the bootstrap file maps ``lab`` to the
local RDAP server) and JPRS WHOIS for .jp (``whois.jprs.jp`` resolves to the
local WHOIS server through the lab's ``jp.`` zone).  Expiry dates are made
relative to the day the test runs.
"""

from __future__ import annotations

import html
import json
import re
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from tests.support.registryservers import REGISTRAR
from tests.support.renewallab import Case, RenewalLab, own_rows
from webdig import create_app
from webdig.cli.main import main
from webdig.renewal import registryio
from webdig.renewal.checklist import check_renewal


def ja_day(offset: int) -> str:
    day = datetime.now(UTC).date() + timedelta(days=offset)
    return f"{day.year}年{day.month}月{day.day}日"


ACTIVE = Case("www.shop.lab", "domain-exists", "pass", "")
HOLD = Case("www.shop.lab", "domain-exists", "fail", "", rdap="hold")
JP_ACTIVE = Case("www.shop.co.jp", "domain-exists", "pass", "")
JP_EXPIRED = Case("www.old.jp", "domain-exists", "fail", "")

# (case, language, words in the item's detail)
SAID = [
    (ACTIVE, "en", f"shop.lab is registered at {REGISTRAR} until"),
    (ACTIVE, "ja", f"shop.lab はレジストラ {REGISTRAR} で{ja_day(400)}（残り400日）まで登録されています"),  # noqa: E501
    (HOLD, "en", "The registry lists shop.lab as on hold by the registrar, which takes it out of DNS (client hold)"),  # noqa: E501
    (HOLD, "ja", "レジストラにより停止され、DNSから外されています（clientHold）"),
    (JP_ACTIVE, "en", "shop.co.jp is registered until"),
    (JP_ACTIVE, "ja", f"shop.co.jp は{ja_day(150)}（残り150日）まで登録されています"),
    (JP_EXPIRED, "en", "old.jp expired on"),
    (JP_EXPIRED, "ja", f"old.jp は{ja_day(-5)}（5日前）に有効期限が切れています"),
]  # fmt: skip


def api(renewal_lab: RenewalLab, case: Case, lang: str) -> dict[str, object]:
    client = create_app(renewal_lab.config(**case.servers)).test_client()
    query = {"domain": case.domain, "expected": "127.0.0.1", "lang": lang}
    response = client.get("/api/v1/check", query_string=query)
    assert response.status_code == 200
    rows = own_rows(response.get_json()["checks"], case.domain)
    (item,) = [c for c in rows if c["id"] == "domain-exists"]
    return dict(item)


@pytest.mark.parametrize(("case", "lang", "words"), SAID, ids=lambda x: getattr(x, "id", x))
def test_the_api_says_it(renewal_lab: RenewalLab, case: Case, lang: str, words: str) -> None:
    item = api(renewal_lab, case, lang)
    assert item["status"] == case.status
    assert words in str(item["detail"])
    codes = [f["code"] for f in item["findings"]]  # type: ignore[attr-defined]
    assert any(code.startswith("registration.") for code in codes)


@pytest.mark.parametrize(("case", "lang", "words"), SAID, ids=lambda x: getattr(x, "id", x))
def test_the_page_says_it(renewal_lab: RenewalLab, case: Case, lang: str, words: str) -> None:
    client = create_app(renewal_lab.config(**case.servers)).test_client()
    query = {"domain": case.domain, "expected": "127.0.0.1", "lang": lang}
    body = client.get("/check?" + urlencode(query)).get_data(as_text=True)
    # One domain-exists row per zone (the served certificate may add names of another zone).
    rows = re.findall(
        r'<li class="item (\w+)" id="check-domain-exists(?:-\d)?">(.*?)</li>', body, re.S
    )
    said = [
        (status, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()))
        for status, text in rows
    ]
    assert (case.status, True) in [(status, words in text) for status, text in said]


@pytest.mark.parametrize(("case", "lang", "words"), SAID, ids=lambda x: getattr(x, "id", x))
def test_the_cli_says_it(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: Case,
    lang: str,
    words: str,
) -> None:
    for name, value in renewal_lab.environ(**case.servers).items():
        monkeypatch.setenv(name, value)
    status = main(["check", case.domain, "--expected", "127.0.0.1", "--lang", lang, "--json"])
    body = json.loads(capsys.readouterr().out)
    (item,) = [c for c in own_rows(body["checks"], case.domain) if c["id"] == "domain-exists"]
    assert (item["status"], words in item["detail"]) == (case.status, True)
    if (
        case.status == "fail"
    ):  # (a .jp site's other items fail too: the lab's certificate is .lab's)
        assert status == 1


def test_the_exchange_is_the_evidence(renewal_lab: RenewalLab) -> None:
    evidence = api(renewal_lab, ACTIVE, "en")["evidence"]
    titles = [e["title"] for e in evidence]  # type: ignore[attr-defined]
    assert f"RDAP: GET http://127.0.0.1:{renewal_lab.rdap.port}/active/domain/shop.lab" in titles
    jp = api(renewal_lab, JP_ACTIVE, "en")["evidence"]
    (whois,) = [e for e in jp if e["title"].startswith("WHOIS")]  # type: ignore[attr-defined]
    assert whois["title"] == "WHOIS: whois -h whois.jprs.jp shop.co.jp"
    assert "[状態]                          Connected (" in whois["text"]


def test_an_app_asks_the_registry_once_per_domain_for_a_while(renewal_lab: RenewalLab) -> None:
    client = create_app(renewal_lab.config(rdap="expiring")).test_client()
    before = len(renewal_lab.rdap.requests)
    for _ in range(2):
        query = {"domain": "www.shop.lab", "expected": "127.0.0.1"}
        assert client.get("/api/v1/check", query_string=query).status_code == 200
    asked = [path for path, _ in renewal_lab.rdap.requests[before:]]
    assert asked == ["/expiring/dns.json", "/expiring/domain/shop.lab"]


def test_a_registry_that_does_not_answer_is_named_and_never_a_pass(
    renewal_lab: RenewalLab,
) -> None:
    item = api(renewal_lab, Case("www.shop.lab", "", "", "", rdap="500"), "en")
    assert item["status"] == "skip"
    assert "The registry delegates shop.lab" in str(item["detail"])
    assert "from the registry's RDAP server 127.0.0.1 (it answered HTTP 500" in str(item["detail"])


def test_expiry_is_judged_against_the_clock_given(renewal_lab: RenewalLab) -> None:
    # The lab's domain expires in 400 days; seen from 395 days ahead it expires in 5.
    later = datetime.now(UTC) + timedelta(days=395)
    report = check_renewal("www.shop.lab", ("127.0.0.1",), renewal_lab.settings(), now=later)
    (item,) = [c for c in own_rows(report.checks, "www.shop.lab") if c.id == "domain-exists"]
    assert item.status == "warn"
    assert "(5 days left): renew it at Lab Registrar, Inc. before then" in item.detail


def test_checks_at_the_same_moment_fetch_the_registry_once(
    renewal_lab: RenewalLab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two /check requests for one domain while its registry answers slowly: the second waits
    for the first's fetch (bootstrap and answer) instead of asking the registry again."""
    # The registry's read timeout at 30 s (3 s in use): the held bootstrap must not run
    # into it, however long a loaded machine takes over the 1.5 s the test holds it.
    monkeypatch.setattr(registryio, "TIMEOUT", 30.0)
    app = create_app(renewal_lab.config(rdap="held"))
    rdap, before = renewal_lab.rdap, len(renewal_lab.rdap.requests)
    statuses: list[int] = []

    def check() -> None:
        query = {"domain": "www.shop.lab", "expected": "127.0.0.1"}
        statuses.append(app.test_client().get("/api/v1/check", query_string=query).status_code)

    rdap.hold()
    first = threading.Thread(target=check)
    first.start()
    assert rdap.wait_for(before + 1, timeout=30)  # the first check's bootstrap, held
    second = threading.Thread(target=check)
    second.start()
    # Time for the second check's DNS items to reach the registry (they take milliseconds).
    assert not rdap.wait_for(before + 2, timeout=1.5)
    rdap.release()
    for thread in (first, second):
        thread.join(timeout=30)
    assert statuses == [200, 200]
    asked = [path for path, _ in rdap.requests[before:]]
    assert asked == ["/held/dns.json", "/held/domain/shop.lab"]
