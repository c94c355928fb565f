"""What to do next: the host from its nameservers, the panel's menu, the retry dates."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.renewallab import RenewalLab
from webdig import create_app
from webdig.findings.catalog import sentence
from webdig.findings.model import Finding, Level
from webdig.language.translator import translator
from webdig.lookup.hosting import hosting_of
from webdig.renewal import nextsteps
from webdig.renewal.items import CheckId, CheckResult
from webdig.renewal.report import RenewalReport


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["ns1.xserver.jp", "ns2.xserver.jp"], "xserver"),
        (["NS3.XSERVER.JP."], "xserver"),
        (["ns1.dns.ne.jp"], "sakura"),
        (["uns01.lolipop.jp"], "lolipop"),
        (["ns-a1.conoha.io"], "conoha"),
        (["ns1.example.jp"], None),
    ],
)
def test_hosting_from_the_nameservers(names: list[str], key: str | None) -> None:
    found = hosting_of(names)
    assert (found.key if found else None) == key


def report_expiring(on: str, level: Level = Level.PASS) -> RenewalReport:
    served = Finding("certificate.valid", Level.PASS, {"expiry": on, "days": 60})
    check = CheckResult(CheckId.CERTIFICATE, level, "The certificate your site serves", (served,))
    return RenewalReport("www.example.jp", [], [check], Finding("summary.ready", level))


def test_xserver_retries_30_25_and_20_days_before_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nextsteps, "hosting", lambda report: hosting_of(["ns1.xserver.jp"]))
    found = nextsteps.retries(report_expiring("2026-12-31"), today=date(2026, 12, 2))
    assert found.json_params() == {
        "host": "Xserver",
        "days": ["30", "25", "20"],
        "dates": ["2026-12-06", "2026-12-11"],
    }
    japanese = sentence(found, translator("ja"))
    assert japanese == (
        "Xserver は有効期限の 30、25、20 日前に証明書を自動で更新します"
        "（2026年12月6日、2026年12月11日）。"
    )
    assert sentence(found).startswith("Xserver renews the certificate by itself 30, 25 and 20")


def test_retries_count_from_the_expiry_day_in_japan(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20:00 UTC on 30 December is 31 December in Japan: the day the page shows as the expiry.
    monkeypatch.setattr(nextsteps, "hosting", lambda report: hosting_of(["ns-a1.conoha.io"]))
    late = report_expiring("2026-12-30T20:00:00+00:00")
    found = nextsteps.retries(late, today=date(2026, 12, 2))
    assert found.json_params()["dates"] == ["2026-12-11"]


def test_unknown_host_retries_in_general_words() -> None:
    found = nextsteps.retries(report_expiring("2026-12-31"), today=date(2026, 12, 2))
    assert found == Finding("renewal.retries", Level.INFO, {})


def test_the_check_page_numbers_the_steps_and_ends_with_renew(renewal_lab: RenewalLab) -> None:
    client = create_app(renewal_lab.config(http="redirect")).test_client()
    query = {"domain": "www.shop.lab", "expected": "127.0.0.1", "lang": "ja"}
    body = client.get("/check", query_string=query).get_data(as_text=True)
    steps = body.split('<ol class="todo-steps">')[1].split("</ol>")[0]
    items = steps.count("<li>")
    assert items >= 3
    assert "直したら、サーバーの管理画面の［SSL設定］で［更新］を押してください。" in steps
    assert steps.index("直したら") < steps.index("有効期限が約90日先に延びた")
    healthy = create_app(renewal_lab.config()).test_client()
    body = healthy.get("/check", query_string=query).get_data(as_text=True)
    assert 'class="todo-steps"' not in body
    assert "いま［更新］を押さなくても" in body
