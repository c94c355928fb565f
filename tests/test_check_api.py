"""``GET /api/v1/check`` end to end through the local lab, against its OpenAPI schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.renewallab import EDGE_CASES, HEALTHY, ITEMS, Case, RenewalLab, own_rows
from webdig import create_app


def check(renewal_lab: RenewalLab, case: Case, **args: str) -> tuple[int, Any]:
    """GET /api/v1/check for ``case`` with the lab servers it names."""
    client = create_app(renewal_lab.config(**case.servers)).test_client()
    query = {"domain": case.domain, "expected": " ".join(case.expected), **args}
    response = client.get("/api/v1/check", query_string=query)
    assert response.mimetype == "application/json"
    return response.status_code, response.get_json()


@pytest.mark.parametrize("case", [HEALTHY, *EDGE_CASES], ids=lambda c: c.id)
def test_each_item_has_its_status(
    renewal_lab: RenewalLab, schema: Callable[[Any, str], None], case: Case
) -> None:
    code, body = check(renewal_lab, case)
    assert code == 200
    schema(body, "RenewalReport")
    statuses = {c["id"]: c["status"] for c in own_rows(body["checks"], case.domain)}
    assert list(statuses) == ITEMS
    if case is HEALTHY:
        assert set(statuses.values()) == {"pass"}
        assert body["status"] == "pass"
    else:
        assert statuses[case.check] == "fail"
        assert (body["status"], body["summary"].startswith("Most likely cause: ")) == ("fail", True)
        assert case.words in body["summary"]
        (failed,) = [c for c in own_rows(body["checks"], case.domain) if c["id"] == case.check]
        assert failed["fix"]


def test_share_url_opens_the_same_check_on_the_page(renewal_lab: RenewalLab) -> None:
    _, body = check(renewal_lab, HEALTHY)
    url = urlsplit(body["query"]["share_url"])
    assert (url.path, url.query) == ("/check", "domain=www.shop.lab&expected=127.0.0.1")
    assert body["query"]["expected"] == ["127.0.0.1"]
    assert body["queries_sent"] > 0


def test_evidence_carries_the_dig_output(renewal_lab: RenewalLab) -> None:
    _, body = check(renewal_lab, HEALTHY)
    (points,) = [
        c for c in own_rows(body["checks"], "www.shop.lab") if c["id"] == "dns-points-here"
    ]
    assert any(";; ANSWER SECTION:\nwww.shop.lab." in e["text"] for e in points["evidence"])


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"domain": ""}, "domain"),
        ({"domain": "www.exa mple.lab"}, "domain"),
        ({"expected": "999.1.2.3"}, "expected"),
    ],
)
def test_bad_input_is_400_by_field(
    renewal_lab: RenewalLab, schema: Callable[[Any, str], None], args: dict[str, str], field: str
) -> None:
    code, body = check(renewal_lab, HEALTHY, **args)
    assert code == 400
    schema(body, "Error")
    assert list(body["fields"]) == [field]


def test_without_domain_is_400(renewal_lab: RenewalLab) -> None:
    client = create_app(renewal_lab.config()).test_client()
    response = client.get("/api/v1/check")
    assert response.status_code == 400
    assert list(response.get_json()["fields"]) == ["domain"]


def test_the_openapi_document_describes_check() -> None:
    from openapi_spec_validator import validate

    document = create_app({"TESTING": True}).test_client().get("/api/v1/openapi.json").get_json()
    validate(document)
    names = [p["name"] for p in document["paths"]["/api/v1/check"]["get"]["parameters"]]
    assert names == ["domain", "expected", "only", "method", "error", "cause"]


def test_a_block_on_lets_encrypts_user_agent_is_named(renewal_lab: RenewalLab) -> None:
    # The lab server answers 403 to Let's Encrypt's User-Agent and 404 to anyone else's.
    blocked = Case("www.shop.lab", "http-challenge", "fail", "", http="blocks-le")
    code, body = check(renewal_lab, blocked)
    (http,) = [c for c in own_rows(body["checks"], "www.shop.lab") if c["id"] == "http-challenge"]
    assert (code, http["status"]) == (200, "fail")
    assert "answers browsers but refuses Let's Encrypt" in http["detail"]
    assert "answers 403 Forbidden to Let's Encrypt's User-Agent" in http["detail"]
    assert "but 404 Not Found to a browser's" in http["detail"]
    assert "exempt /.well-known/acme-challenge/" in http["fix"]
    titles = [e["title"] for e in http["evidence"]]
    assert "HTTP through 127.0.0.1 as a browser" in titles


def test_a_plain_403_is_not_blamed_on_the_user_agent(renewal_lab: RenewalLab) -> None:
    code, body = check(renewal_lab, Case("www.shop.lab", "http-challenge", "fail", "", http="403"))
    (http,) = [c for c in own_rows(body["checks"], "www.shop.lab") if c["id"] == "http-challenge"]
    assert (code, http["status"]) == (200, "fail")
    assert "access restriction is set" in http["detail"]
    assert "refuses Let's Encrypt" not in http["detail"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "5 failed validations per name per hour"), ("ja", "1 時間に 5 回まで")],
)
def test_a_failing_item_says_to_fix_first_and_retry_once(
    renewal_lab: RenewalLab, lang: str, words: str
) -> None:
    # Let's Encrypt's failed-validation limit: pressing renew again and again only locks it.
    _, body = check(renewal_lab, EDGE_CASES[3], lang=lang)
    advice = {c["id"]: c["fix"] for c in own_rows(body["checks"], "www.shop.lab")}
    assert words in advice["http-challenge"]
    assert words not in body["summary"]  # the summary is the cause; the fixes say what to do
    _, healthy = check(renewal_lab, HEALTHY, lang=lang)
    assert not any(words in c["fix"] for c in healthy["checks"])
