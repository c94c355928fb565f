"""A pasted failure on the web: ``POST /api/v1/decode``, ``error=``/``cause=`` on ``/check``
and ``/api/v1/check``, and the paste box's POST → 303 → GET, through the renewal lab."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from tests.support.renewallab import HEALTHY, RenewalLab
from tests.test_failuretext import KNOWN
from webdig import create_app
from webdig.renewal.failuretext import MAX_QUERY_TEXT, MAX_TEXT, Cause
from webdig.renewal.items import CheckId
from webdig.web.failurepaste import BODY_LIMIT

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
FORWARDING = {"http": "redirect", "tls": "valid", "ca": "ok"}
"""The lab's site whose challenge path is forwarded elsewhere: http-challenge fails."""
PORT_80 = "www.shop.lab: Timeout during connect (likely firewall problem)"
XSERVER = (
    "件名：【Xserver】■重要■ SSLサーバー証明書更新未完了のお知らせ\n"
    "お客様のドメイン「www.shop.lab」の無料独自SSLを更新できませんでした。\n"
    "https://www.xserver.ne.jp/manual/"
)


@pytest.fixture
def client() -> FlaskClient:
    """An app with no DNS at hand: decoding needs none."""
    return create_app({"TESTING": True}).test_client()


def lab_client(renewal_lab: RenewalLab, **servers: str) -> FlaskClient:
    """An app checking against the renewal lab."""
    return create_app(renewal_lab.config(**servers)).test_client()


@pytest.mark.parametrize(("text", "cause", "check", "domain"), KNOWN)
def test_decode_api_names_the_cause_item_and_domain(
    client: FlaskClient,
    schema: Callable[[Any, str], None],
    text: str,
    cause: Cause,
    check: CheckId | None,
    domain: str | None,
) -> None:
    response = client.post("/api/v1/decode", json={"text": text})
    assert response.status_code == 200
    body = response.get_json()
    schema(body, "DecodeResponse")
    assert (body["cause"], body["check"], body["domain"]) == (cause, check, domain)
    assert body["code"] == f"decode.{cause}"
    assert body["message"]
    if domain is None:
        assert body["check_url"] is None
    else:
        assert parse_qs(urlsplit(body["check_url"]).query) == {
            "domain": [domain],
            "cause": [cause],
        }


def test_decode_api_says_not_recognised_and_speaks_japanese(
    client: FlaskClient, schema: Callable[[Any, str], None]
) -> None:
    body = client.post("/api/v1/decode?lang=ja", json={"text": "my site is slow"}).get_json()
    schema(body, "DecodeResponse")
    assert (body["cause"], body["recognised"], body["check"]) == ("not-recognised", False, None)
    assert body["level"] == "unknown"
    assert "認識できない" in body["message"]
    english = client.post("/api/v1/decode", json={"text": PORT_80}).get_json()["message"]
    japanese = client.post("/api/v1/decode?lang=ja", json={"text": PORT_80}).get_json()
    assert english.startswith("Let's Encrypt could not connect to port 80")
    assert "80 番ポート" in japanese["message"]


def test_decode_api_takes_100000_characters_and_refuses_more(
    client: FlaskClient, schema: Callable[[Any, str], None]
) -> None:
    longest = "あ" * (MAX_TEXT - len(PORT_80)) + PORT_80
    assert client.post("/api/v1/decode", json={"text": longest}).status_code == 200
    response = client.post("/api/v1/decode", json={"text": longest + "x"})
    assert response.status_code == 413
    schema(response.get_json(), "Error")
    assert f"{MAX_TEXT + 1} characters long; at most {MAX_TEXT}" in response.get_json()["error"]
    # A body over the byte limit is refused before it is read.
    huge = json.dumps({"text": "x" * BODY_LIMIT})
    response = client.post("/api/v1/decode", data=huge, content_type="application/json")
    assert response.status_code == 413
    assert "too long" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"text": "x"}', "text/plain", 415),
        ('{"text": "x"}', "application/x-www-form-urlencoded", 415),
        ('["text"]', "application/json", 400),
        ('{"text": 5}', "application/json", 400),
        ('{"text": "  "}', "application/json", 400),
        ("{", "application/json", 400),
    ],
)
def test_decode_api_wants_a_json_object_with_text(
    client: FlaskClient, body: str, content_type: str, status: int
) -> None:
    response = client.post("/api/v1/decode", data=body, content_type=content_type)
    assert response.status_code == status
    assert response.get_json()["error"]


def test_the_openapi_document_describes_decode(client: FlaskClient) -> None:
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    post = document["paths"]["/api/v1/decode"]["post"]
    assert set(post["responses"]) == {"200", "400", "413", "415"}
    assert set(document["paths"]["/api/v1/check"]["get"]["responses"]) == {"200", "400", "413"}


def test_check_api_with_error_checks_the_domain_it_names(
    renewal_lab: RenewalLab, schema: Callable[[Any, str], None]
) -> None:
    client = lab_client(renewal_lab, **FORWARDING)
    response = client.get("/api/v1/check", query_string={"error": PORT_80, "expected": "127.0.0.1"})
    assert response.status_code == 200
    body = response.get_json()
    schema(body, "RenewalReport")
    assert body["query"]["domain"] == "www.shop.lab"
    assert body["decoded"]["cause"] == "port-80"
    assert body["decoded"]["check"] == "http-challenge"
    assert body["query"]["share_url"].endswith("&cause=port-80")
    # A link carries the code, not the text: the same answer.
    again = client.get(
        "/api/v1/check?domain=www.shop.lab&expected=127.0.0.1&cause=port-80&lang=ja"
    ).get_json()
    schema(again, "RenewalReport")
    assert (again["decoded"]["cause"], again["decoded"]["matched"]) == ("port-80", None)
    assert "80 番ポート" in again["decoded"]["message"]
    plain = client.get("/api/v1/check?domain=www.shop.lab&expected=127.0.0.1").get_json()
    assert "decoded" not in plain


@pytest.mark.parametrize(
    ("args", "status", "field"),
    [
        ({"error": "x" * (MAX_QUERY_TEXT + 1)}, 413, "error"),
        ({"domain": "www.shop.lab", "cause": "no-such-cause"}, 400, "cause"),
        ({"error": "Timeout during connect (likely firewall problem)"}, 400, "domain"),
    ],
)
def test_check_api_refuses_a_long_text_an_unknown_cause_and_no_domain(
    renewal_lab: RenewalLab,
    schema: Callable[[Any, str], None],
    args: dict[str, str],
    status: int,
    field: str,
) -> None:
    response = lab_client(renewal_lab).get("/api/v1/check", query_string=args)
    assert response.status_code == status
    body = response.get_json()
    schema(body, "Error")
    assert list(body["fields"]) == [field]
    if status == 413:
        assert "a link carries at most 2000" in body["error"]
        assert "/api/v1/decode" in body["error"]


def test_check_page_refuses_a_long_error_next_to_the_paste_box(client: FlaskClient) -> None:
    for lang, words in (("en", "a link carries at most 2000"), ("ja", "リンクに入れられるのは")):
        query = {"error": "x" * (MAX_QUERY_TEXT + 1), "lang": lang}
        response = client.get("/check", query_string=query)
        assert response.status_code == 413
        page = response.get_data(as_text=True)
        errors = re.search(r'<ul class="errors" id="error-errors">(.*?)</ul>', page, re.S)
        assert errors is not None
        assert words in errors.group(1)
        assert '<details class="paste" open>' in page
        assert 'class="results"' not in page


def paste(client: FlaskClient, text: str, lang: str = "en", **fields: str) -> Any:
    """Open /check, then POST ``text`` from its paste box as a browser would."""
    page = client.get("/check", query_string={"lang": lang}).get_data(as_text=True)
    token = TOKEN.search(page)
    assert token is not None
    form = {"csrf_token": token.group(1), "error": text, "lang": lang, **fields}
    return client.post("/check/decode", data=form, headers={"Sec-Fetch-Site": "same-origin"})


@pytest.mark.parametrize(
    ("lang", "says", "points"),
    [
        ("en", "Your mail says:", "Your mail points here"),
        ("ja", "メールの内容：", "メールが指している項目"),
    ],
)
def test_pasting_redirects_to_the_shareable_check_with_the_cause_first(
    renewal_lab: RenewalLab, lang: str, says: str, points: str
) -> None:
    client = lab_client(renewal_lab, **FORWARDING)
    response = paste(client, PORT_80, lang, expected="127.0.0.1")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == (
        f"/check?domain=www.shop.lab&expected=127.0.0.1&cause=port-80&lang={lang}#results"
    )
    page = client.get(location).get_data(as_text=True)
    results = page[page.index('id="results"') :]
    box = results.index('id="decoded"')
    assert box < results.index('class="headline')  # first, above the summary
    decoded = re.search(r'<div class="decoded known" id="decoded"(.*?)</div>', page, re.S)
    assert decoded is not None
    assert says in decoded.group(1)
    assert 'href="#check-http-challenge"' in decoded.group(1)
    pointed = re.findall(r'<li class="item (\w+) pointed" id="check-([\w-]+)">', page)
    assert pointed == [("fail", "http-challenge")]
    assert points in page
    # The text itself is not in the link, and the share box keeps the cause.
    assert "Timeout during connect" not in location
    share = re.search(r'<input id="share-url" type="text" readonly value="([^"]+)"', page)
    assert share is not None
    assert "&cause=port-80" in html.unescape(share.group(1))


def test_a_hosting_mail_checks_its_domain_and_points_nowhere_in_particular(
    renewal_lab: RenewalLab,
) -> None:
    client = lab_client(renewal_lab)
    response = paste(client, XSERVER, "ja")
    assert response.headers["Location"].startswith("/check?domain=www.shop.lab&cause=hosting-mail")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ホスティング会社からのメール" in page
    assert " pointed" not in page


def test_text_that_names_no_domain_asks_for_one_under_what_it_says(client: FlaskClient) -> None:
    response = paste(client, "urn:ietf:params:acme:error:rateLimited :: too many failed")
    assert response.status_code == 303
    assert response.headers["Location"] == "/check?cause=rate-limited&lang=en#decoded"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Let&#39;s Encrypt&#39;s rate limit was reached" in page
    assert "Enter your website's domain above" in page
    assert '<input type="hidden" name="cause" value="rate-limited">' in page
    assert 'class="results"' not in page


def test_unrecognised_text_is_said_so_and_never_guessed(renewal_lab: RenewalLab) -> None:
    client = lab_client(renewal_lab)
    response = paste(client, "Hello, www.shop.lab is slow since Monday.")
    location = response.headers["Location"]
    assert location.startswith("/check?domain=www.shop.lab&cause=not-recognised")
    page = client.get(location).get_data(as_text=True)
    assert '<div class="decoded unknown" id="decoded"' in page
    assert "webdig does not recognise this text" in page
    assert "Your mail says:" not in page
    assert " pointed" not in page


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"csrf_token": "0" * 64}, 403),
        ({"headers": {"Sec-Fetch-Site": "cross-site"}}, 403),
        ({"headers": {"Origin": "https://evil.example"}}, 403),
        ({"error": ""}, 400),
        ({"error": "あ" * (MAX_TEXT + 1)}, 413),
    ],
)
def test_the_paste_box_refuses_forged_empty_and_long_posts(
    client: FlaskClient, change: dict[str, Any], status: int
) -> None:
    page = client.get("/check").get_data(as_text=True)
    token = TOKEN.search(page)
    assert token is not None
    form = {"csrf_token": token.group(1), "error": PORT_80}
    headers = change.pop("headers", {"Sec-Fetch-Site": "same-origin"})
    response = client.post("/check/decode", data={**form, **change}, headers=headers)
    assert response.status_code == status
    assert "Location" not in response.headers
    if headers.get("Sec-Fetch-Site") != "cross-site":  # else refused before the view, as all are
        assert 'href="/check"' in response.get_data(as_text=True)  # back to the check page


def test_a_body_over_the_limit_is_413_before_it_is_read(client: FlaskClient) -> None:
    response = client.post(
        "/check/decode",
        data={"error": "x" * BODY_LIMIT},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 413
    assert "at most 100000 characters" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "text",
    [
        "Invalid response from http://www.shop.lab/.well-known/acme-challenge/x: "
        '"<script>alert(1)</script><img src=x onerror=alert(2)> 404',
        "<b>www.shop.lab</b>\x00\x1b[31m Timeout during connect (likely firewall problem)",
    ],
)
def test_html_in_the_text_stays_inert_on_the_page(renewal_lab: RenewalLab, text: str) -> None:
    client = lab_client(renewal_lab, **HEALTHY.servers)
    response = client.get("/check", query_string={"error": text})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>www" not in page
    assert "\x00" not in page
    assert "\x1b" not in page
    assert '<div class="decoded known" id="decoded"' in page
    assert "Checklist for www.shop.lab" in page


def test_reading_pasted_texts_has_its_own_rate_limit() -> None:
    app = create_app(
        {"TESTING": True, "RATE_LIMIT_DISABLED": False, "RATE_LIMIT_DECODE": "2/minute"}
    )
    client = app.test_client()
    codes = [client.post("/api/v1/decode", json={"text": PORT_80}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = client.post("/api/v1/decode?lang=ja", json={"text": PORT_80})
    assert "貼り付けられた文面が多すぎます" in response.get_json()["error"]
    assert int(response.headers["Retry-After"]) > 0
    # The paste box shares the budget: the page says so too.
    page = client.get("/check").get_data(as_text=True)
    token = TOKEN.search(page)
    assert token is not None
    form = {"csrf_token": token.group(1), "error": PORT_80}
    refused = client.post("/check/decode", data=form, headers={"Sec-Fetch-Site": "same-origin"})
    assert refused.status_code == 429
    assert "Too many pasted texts" in refused.get_data(as_text=True)


def save_fields(page: str) -> dict[str, str]:
    """The hidden fields of a result page's save button, as the browser posts them."""
    form = re.search(r'<form class="save".*?</form>', page, re.S)
    assert form is not None, "a live result has the save button"
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))
    return {name: html.unescape(value) for name, value in found}


def said_and_pointed(page: str) -> tuple[str, list[tuple[str, str]]]:
    """What the page's "Your mail says" box says, and the rows it highlights."""
    box = re.search(r'<div class="decoded known" id="decoded"(.*?)</div>', page, re.S)
    assert box is not None, "the page says what the mail says"
    return box.group(1), re.findall(r'<li class="item (\w+) pointed" id="check-([\w-]+)">', page)


@pytest.mark.parametrize(("lang", "says"), [("en", "Your mail says:"), ("ja", "メールの内容：")])
def test_a_saved_check_still_says_what_the_mail_said(
    renewal_lab: RenewalLab, tmp_path: Path, lang: str, says: str
) -> None:
    config = {**renewal_lab.config(**FORWARDING), "INSTANCE_PATH": str(tmp_path / "instance")}
    client = create_app(config).test_client()
    live = client.get(paste(client, PORT_80, lang, expected="127.0.0.1").headers["Location"])
    fields = save_fields(live.get_data(as_text=True))
    assert fields["cause"] == "port-80"
    # The watch of this check asks about the same failure.
    assert "cause=port-80" in html.unescape(
        live.get_data(as_text=True).split('class="watch-link"')[1]
    )
    location = client.post("/save", data=fields).headers["Location"]
    assert location.endswith(f"?lang={lang}")
    path = urlsplit(location).path

    saved = client.get(location).get_data(as_text=True)
    assert "snapshot-banner" in saved
    box, pointed = said_and_pointed(saved)
    assert says in box
    assert 'href="#check-http-challenge"' in box
    assert pointed == [("fail", "http-challenge")]
    share = re.search(r'<input id="share-url" type="text" readonly value="([^"]+)"', saved)
    assert share is not None
    assert "&cause=port-80" in html.unescape(share.group(1))
    document = client.get(path + ".json").get_json()
    assert (document["result"]["decoded"]["cause"], document["result"]["decoded"]["check"]) == (
        "port-80",
        "http-challenge",
    )
    # "Run again now" asks the same question, the mail's cause included.
    again = client.get(path + "/again").get_data(as_text=True)
    assert said_and_pointed(again)[1] == [("fail", "http-challenge")]


def test_the_paste_box_keeps_the_check_it_was_on(client: FlaskClient) -> None:
    page = client.get("/check?method=dns-01&only=on&expected=192.0.2.10").get_data(as_text=True)
    box = page[page.index('class="lookup paste-form"') :]
    box = box[: box.index("</form>")]
    assert '<input type="hidden" name="method" value="dns-01">' in box
    response = paste(client, PORT_80, method="dns-01", only="on", expected="192.0.2.10")
    assert response.headers["Location"] == (
        "/check?domain=www.shop.lab&expected=192.0.2.10&only=on&cause=port-80&method=dns-01"
        "&lang=en#results"
    )
