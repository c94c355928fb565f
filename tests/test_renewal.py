"""The renewal checklist end to end: the local DNS hierarchy, real HTTP and TLS servers on
loopback, and a local CA status page (run as root in a network namespace).

The lab and its cases live in tests/support/renewallab.py, shared with the page, API and CLI tests.
"""

from __future__ import annotations

import pytest

from tests.support.renewallab import CASES, EDGE_CASES, ITEMS, Case, RenewalLab, own_rows
from tests.support.webservers import WebServer, has_ipv6
from webdig.findings.model import Level
from webdig.lookup.run import InvalidParams
from webdig.renewal.checklist import check_renewal
from webdig.renewal.items import CheckId
from webdig.renewal.report import RenewalReport
from webdig.settings import Settings


def item(report: RenewalReport, check_id: str) -> tuple[str, str]:
    """(status, detail) of one item of ``report`` about its first name."""
    (found,) = [c for c in own_rows(report.checks, report.domain) if c.id == check_id]
    return found.status, found.detail


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_check_passes_and_fails(renewal_lab: RenewalLab, case: Case) -> None:
    report = check_renewal(case.domain, case.expected, renewal_lab.settings(**case.servers))
    status, detail = item(report, case.check)
    assert status == case.status, detail
    assert case.words in detail


def test_healthy_site_passes_every_check_in_the_manuals_order(renewal_lab: RenewalLab) -> None:
    report = check_renewal("www.shop.lab", ("127.0.0.1",), renewal_lab.settings())
    rows = own_rows(report.checks, "www.shop.lab")
    assert [(c.id, c.status) for c in rows] == [(i, "pass") for i in ITEMS]
    # The certificate's wildcard is validated by DNS-01: its row says no TXT record is there
    # now, which is normal between renewals (info, so API v1's "pass").
    (wildcard,) = [c for c in report.checks if c.name == "*.shop.lab"]
    assert (wildcard.id, wildcard.level, wildcard.status) == (CheckId.DNS01, Level.INFO, "pass")
    assert report.summary_status == "pass"
    assert "Press renew" in report.summary


@pytest.mark.parametrize("case", EDGE_CASES, ids=lambda c: c.id)
def test_summary_names_the_failing_item(renewal_lab: RenewalLab, case: Case) -> None:
    report = check_renewal(case.domain, case.expected, renewal_lab.settings(**case.servers))
    assert report.summary_status == "fail"
    assert report.summary.startswith("Most likely cause: ")
    assert case.words in report.summary


def test_every_address_of_the_name_is_probed(renewal_lab: RenewalLab) -> None:
    report = check_renewal("v6.shop.lab", ("127.0.0.1", "::1"), renewal_lab.settings())
    for check_id in ("http-challenge", "certificate"):
        (found,) = [c for c in own_rows(report.checks, "v6.shop.lab") if c.id == check_id]
        assert (found.status, found.detail.split(",")[0]) == ("pass", "On 127.0.0.1 and ::1")
        titles = [e.title for e in found.evidence]
        assert len(titles) == 2
        assert ("127.0.0.1" in titles[0], "::1" in titles[1]) == (True, True)


@pytest.mark.skipif(not has_ipv6(), reason="::1 is not available")
def test_ipv4_and_ipv6_answering_differently_is_reported_per_address(
    renewal_lab: RenewalLab,
) -> None:
    with WebServer("404") as v4, WebServer("403", ("::1",), port=v4.port):
        settings = Settings.from_mapping({**renewal_lab.config(), "HTTP_PORT": v4.port})
        report = check_renewal("v6.shop.lab", ("127.0.0.1", "::1"), settings)
    status, detail = item(report, "http-challenge")
    assert status == "fail"
    assert detail.startswith("IPv4 and IPv6 behave differently. On ::1, access restriction is set")
    assert "On 127.0.0.1, the challenge path answers 404 Not Found" in detail


def test_a_name_without_address_skips_the_web_checks(renewal_lab: RenewalLab) -> None:
    report = check_renewal("www.gone.lab", (), renewal_lab.settings())
    assert item(report, "http-challenge")[0] == item(report, "certificate")[0] == "skip"


@pytest.mark.parametrize(
    ("domain", "expected", "field"),
    [
        ("", (), "domain"),
        ("www.exa mple.lab", (), "domain"),
        ("-bad.lab", (), "domain"),
        ("www.shop.lab", ("not an address!",), "expected"),
        ("www.shop.lab", ("nowhere.gone.lab",), "expected"),
    ],
)
def test_bad_input_is_keyed_by_the_forms_fields(
    renewal_lab: RenewalLab, domain: str, expected: tuple[str, ...], field: str
) -> None:
    with pytest.raises(InvalidParams) as raised:
        check_renewal(domain, expected, renewal_lab.settings())
    assert list(raised.value.fields) == [field]
