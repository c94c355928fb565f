"""Every name the certificate must cover: typed names, their www/bare counterparts, the served
certificate's names; each with its own rows, through the core, the page, the API and the CLI
(the local DNS hierarchy and the renewal lab's web servers, on loopback)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests.support.renewallab import RenewalLab
from webdig.cli.main import main
from webdig.engine.names import parse_hostname
from webdig.engine.session import QuerySession
from webdig.findings.catalog import sentence
from webdig.findings.model import Level
from webdig.renewal.checklist import check_renewal
from webdig.renewal.names import certificate_hostnames, counterpart
from webdig.renewal.report import RenewalReport
from webdig.renewal.sitechecks import Handshakes
from webdig.settings import Settings
from webdig.web.app import create_app


@pytest.mark.parametrize(
    ("typed", "other"),
    [
        ("www.example.com", "example.com"),
        ("example.com", "www.example.com"),
        ("WWW.Example.COM", "Example.COM"),
        ("example.co.jp", "www.example.co.jp"),
        ("shop.example.co.jp", None),
        ("mail.example.com", None),
        ("www.shop.example.com", "shop.example.com"),
        ("www.lab", None),
        ("lab", None),
        ("bücher.example", "www.bücher.example"),
    ],
)
def test_the_counterpart_is_the_name_with_or_without_www(typed: str, other: str | None) -> None:
    found = counterpart(parse_hostname(typed))
    assert (found.text if found else None) == other


def test_certificate_names_leave_out_addresses_and_set_wildcards_apart() -> None:
    hostnames, wildcards = certificate_hostnames(
        ["example.com", "www.example.com", "*.example.com", "192.0.2.10", "2001:db8::1",
         "WWW.example.com", "*.example.com", "bad name.example", "*.<script>",
         "*.xn--bcher-kva.example"]
    )  # fmt: skip
    assert [h.text for h in hostnames] == ["example.com", "www.example.com"]
    assert wildcards == ["*.example.com", "*.bücher.example"]


def rows(report: RenewalReport, name: str | None) -> dict[str, tuple[str, str]]:
    """id → (status, detail) of the rows about ``name``."""
    return {c.id: (c.status, c.detail) for c in report.checks if c.name == name}


def test_apex_and_www_on_different_servers_name_the_failing_one(
    renewal_lab: RenewalLab,
) -> None:
    report = check_renewal("pair.lab", ("127.0.0.1",), renewal_lab.settings(tls="pair"))
    assert [(n.name, n.source) for n in report.names] == [
        ("pair.lab", "typed"),
        ("www.pair.lab", "counterpart"),
    ]
    apex, www = rows(report, "pair.lab"), rows(report, "www.pair.lab")
    assert {k: s for k, (s, _) in apex.items()} == {
        "dns-points-here": "pass", "caa": "pass", "http-challenge": "pass", "certificate": "pass",
    }  # fmt: skip
    assert www["dns-points-here"][0] == "fail"
    assert "127.0.0.2" in www["dns-points-here"][1]
    assert www["http-challenge"][0] == "fail"
    assert report.summary_status == "fail"
    assert report.headline.json_params()["names"] == ["www.pair.lab"]
    assert "one name fails: www.pair.lab fails." in report.summary
    # One zone, one domain-exists and one dnssec row; the CA's status once, for the whole check.
    zone_rows = ["domain-exists", "dnssec", "ca-status"]
    assert [c.id for c in report.checks if c.name is None] == zone_rows


def test_a_missing_counterpart_off_the_certificate_is_information(
    renewal_lab: RenewalLab,
) -> None:
    report = check_renewal("www.shop.lab", ("127.0.0.1",), renewal_lab.settings())
    (row,) = [c for c in report.checks if c.name == "shop.lab"]
    assert (row.id, row.level) == ("dns-points-here", Level.INFO)
    assert row.detail == "shop.lab does not exist: fine if your certificate does not include it."
    assert report.summary_status == "pass"
    assert "refuses the whole certificate" not in report.summary


def test_a_missing_counterpart_on_the_certificate_fails(renewal_lab: RenewalLab) -> None:
    report = check_renewal("www.shop.lab", ("127.0.0.1",), renewal_lab.settings(tls="apex"))
    assert rows(report, "shop.lab")["dns-points-here"][0] == "fail"
    assert report.headline.json_params()["names"] == ["shop.lab"]


def test_the_certificates_names_are_added_and_wildcards_noted_not_probed(
    renewal_lab: RenewalLab,
) -> None:
    report = check_renewal("www.shop.lab", ("127.0.0.1", "::1"), renewal_lab.settings(tls="san"))
    sources = {n.name: (n.source, n.wildcard, n.checked) for n in report.names}
    assert sources["v6.shop.lab"] == ("certificate", False, True)
    assert sources["*.shop.lab"] == ("certificate", True, False)
    added = rows(report, "v6.shop.lab")
    assert list(added) == ["dns-points-here", "caa", "http-challenge", "certificate"]
    assert added["http-challenge"][0] == "pass"
    # The wildcard is not probed; its only row is the DNS-01 record it is validated by.
    assert list(rows(report, "*.shop.lab")) == ["dns-01"]
    (note,) = report.notes
    assert (note.code, note.params) == ("names.wildcard", {"name": "*.shop.lab"})
    assert "validates only through DNS (DNS-01)" in sentence(note)


def test_only_checks_the_names_typed(renewal_lab: RenewalLab) -> None:
    report = check_renewal(
        "www.shop.lab", ("127.0.0.1",), renewal_lab.settings(tls="san"), only=True
    )
    assert [n.name for n in report.names] == ["www.shop.lab"]
    assert {c.name for c in report.checks} == {"www.shop.lab", None}


def test_the_probe_caps_hold_across_names(renewal_lab: RenewalLab) -> None:
    # Five names with four addresses each: 4 per family per name, 16 for the whole check.
    names = [f"q{n}.shop.lab" for n in range(1, 6)]
    report = check_renewal(names, (), renewal_lab.settings(), only=True)
    left_out = 0
    for name in names:
        (http,) = [c for c in report.checks if c.name == name and c.id == "http-challenge"]
        left_out += sum(
            int(str(f.params["count"])) for f in http.findings if f.code == "web.not-probed"
        )
    assert left_out == 20 - 16


def test_names_past_the_limit_are_listed_not_checked(renewal_lab: RenewalLab) -> None:
    settings = Settings.from_mapping({**renewal_lab.config(tls="many"), "MAX_HOSTNAMES": 4})
    report = check_renewal("www.shop.lab", ("127.0.0.1",), settings)
    checked = [n.name for n in report.names if n.checked]
    assert checked == ["www.shop.lab", "shop.lab", "n1.shop.lab", "n2.shop.lab"]
    (note,) = report.notes
    assert (note.code, note.params["count"], note.params["limit"]) == ("names.not-checked", 22, 4)
    assert {c.name for c in report.checks} <= {*checked, None}


# --- Page, API and CLI: repeated and newline-separated names, in English and Japanese -----

SUMMARY = {
    "en": "one name fails: www.pair.lab fails.",
    "ja": "失敗している名前：www.pair.lab。",
}


def client(renewal_lab: RenewalLab) -> Any:
    return create_app(renewal_lab.config(tls="pair")).test_client()


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    "query",
    [
        "domain=pair.lab&domain=www.pair.lab",
        "domain=pair.lab%0D%0Awww.pair.lab",
    ],
    ids=["repeated", "newline"],
)
def test_the_api_takes_several_names(renewal_lab: RenewalLab, query: str, lang: str) -> None:
    response = client(renewal_lab).get(
        f"/api/v1/check?{query}&expected=127.0.0.1&only=on&lang={lang}"
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["query"]["domains"] == ["pair.lab", "www.pair.lab"]
    assert body["query"]["share_url"].endswith(
        "/check?domain=pair.lab&domain=www.pair.lab&expected=127.0.0.1&only=on"
    )
    named = [(c["name"], c["id"], c["status"]) for c in body["checks"] if c["name"]]
    assert ("www.pair.lab", "dns-points-here", "fail") in named
    assert ("pair.lab", "dns-points-here", "pass") in named
    assert SUMMARY[lang] in body["summary"]


@pytest.mark.parametrize(
    ("lang", "heading"), [("en", "Name: www.pair.lab"), ("ja", "www.pair.lab の確認項目")]
)
def test_the_page_groups_rows_by_name(renewal_lab: RenewalLab, lang: str, heading: str) -> None:
    response = client(renewal_lab).get(
        f"/check?domain=pair.lab%0Awww.pair.lab&expected=127.0.0.1&only=on&lang={lang}"
    )
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    titles = re.findall(r'<h3 class="name-title"[^>]*>([^<]*)</h3>', body)
    assert titles[1] == heading
    assert SUMMARY[lang] in " ".join(re.sub(r"<[^>]+>", " ", body).split())
    # The summary links to the failing row, which is the www name's (the second of its id).
    assert 'href="#check-dns-points-here-2"' in body
    (typed,) = re.findall(r'<textarea[^>]* id="domain"[^>]*>(.*?)</textarea>', body, re.S)
    assert typed.split() == ["pair.lab", "www.pair.lab"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_cli_takes_several_names(
    renewal_lab: RenewalLab,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
) -> None:
    for name, value in renewal_lab.environ(tls="pair").items():
        monkeypatch.setenv(name, value)
    args = ["check", "pair.lab", "www.pair.lab", "--expected", "127.0.0.1", "--only"]
    status = main([*args, "--lang", lang])
    out = " ".join(capsys.readouterr().out.split())
    assert status == 1
    assert SUMMARY[lang] in out
    heading = "Name: www.pair.lab" if lang == "en" else "www.pair.lab の確認項目"
    assert f"== {heading}" in out


def test_a_check_shakes_hands_with_each_address_once(renewal_lab: RenewalLab) -> None:
    # The certificate item and the reading of the certificate's names ask at the same time.
    with QuerySession(renewal_lab.settings()) as session:
        handshakes = Handshakes(session)
        probes = session.map(lambda _: handshakes.probe("www.shop.lab", "127.0.0.1"), range(4))
    assert all(probe is probes[0] for probe in probes)
    assert probes[0].verified
