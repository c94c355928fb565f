"""Failure mails and ACME errors → the checklist item they mean, and the domain to check."""

from __future__ import annotations

import time

import pytest

from webdig.renewal.failuretext import MAX_TEXT, decode
from webdig.renewal.items import CheckId

XSERVER = (
    "件名：【Xserver】■重要■ SSLサーバー証明書更新未完了のお知らせ\n"
    "対象ドメイン：shop-example.jp\nhttps://www.xserver.ne.jp/support/"
)


@pytest.mark.parametrize(
    ("text", "cause", "check", "domain"),
    [
        (
            "urn:ietf:params:acme:error:dns :: DNS problem: SERVFAIL looking up CAA for "
            "example.com - the domain's nameservers may be malfunctioning",
            "caa-lookup", CheckId.CAA, "example.com",
        ),
        (
            "Type: urn:ietf:params:acme:error:caa Detail: CAA record for www.example.com "
            "prevents issuance",
            "caa", CheckId.CAA, "www.example.com",
        ),
        (
            "urn:ietf:params:acme:error:rateLimited :: too many failed authorizations recently",
            "rate-limited", None, None,
        ),
        (
            "www.example.com: Timeout during connect (likely firewall problem)",
            "port-80", CheckId.HTTP_CHALLENGE, "www.example.com",
        ),
        (
            "Invalid response from http://example.com/.well-known/acme-challenge/abc "
            "[203.0.113.5]: 404",
            "challenge-404", CheckId.HTTP_CHALLENGE, "example.com",
        ),
        (
            "DNS problem: no valid A records found for www.example.net; no valid AAAA records",
            "no-address", CheckId.DNS_POINTS_HERE, "www.example.net",
        ),
        (
            "DNS problem: NXDOMAIN looking up A for gone.example.org",
            "domain-missing", CheckId.DOMAIN_EXISTS, "gone.example.org",
        ),
        (
            "urn:ietf:params:acme:error:connection :: connection refused for example.com",
            "connection", CheckId.HTTP_CHALLENGE, "example.com",
        ),
        (
            "urn:ietf:params:acme:error:unauthorized :: 403 for example.com",
            "unauthorized", CheckId.HTTP_CHALLENGE, "example.com",
        ),
        (
            "urn:ietf:params:acme:error:dns :: DNS problem: query timed out for example.com",
            "dns", CheckId.DNS_POINTS_HERE, "example.com",
        ),
        (XSERVER, "hosting-mail", None, "shop-example.jp"),
        (
            "【さくらのレンタルサーバ】無料SSL証明書 更新エラーについて\n対象: www.sakura-user.com",
            "hosting-mail", None, "www.sakura-user.com",
        ),
        (
            "さくらインターネット 認証失敗のお知らせ (blog.example.jp)",
            "hosting-mail", None, "blog.example.jp",
        ),
        (
            "【ConoHa】SSLサーバ証明書更新のご案内 example.co.jp",
            "hosting-mail", None, "example.co.jp",
        ),
    ],
)  # fmt: skip
def test_each_known_wording_names_its_item_and_domain(
    text: str, cause: str, check: CheckId | None, domain: str | None
) -> None:
    decoded = decode(text)
    assert (decoded.cause, decoded.check, decoded.domain) == (cause, check, domain)
    assert decoded.recognised


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello, my website is slow",
        "\x00\x01\x02\x1b[31m" * 1000,
        "<html><body><script>alert('urn')</script><p>nothing here</p></body></html>",
        "404 page not found",  # a 404 alone is not Let's Encrypt's wording
        "ü" * 5000,
    ],
)
def test_garbage_is_not_recognised(text: str) -> None:
    decoded = decode(text)
    assert not decoded.recognised
    assert (decoded.check, decoded.matched) == (None, None)


def test_control_characters_do_not_hide_a_wording() -> None:
    decoded = decode(
        "\x00www.example.com:\x07 Timeout during connect (likely firewall problem)\x1b"
    )
    assert (decoded.cause, decoded.domain) == ("port-80", "www.example.com")


def test_html_mail_is_read() -> None:
    html = f"<html><body><p>{XSERVER.replace(chr(10), '<br>')}</p></body></html>"
    assert (decode(html).cause, decode(html).domain) == ("hosting-mail", "shop-example.jp")


def test_a_megabyte_is_read_only_to_the_cap_and_quickly() -> None:
    late = "a" * (1 << 20) + " Timeout during connect (likely firewall problem)"
    begin = time.monotonic()
    decoded = decode(late)
    assert time.monotonic() - begin < 1.0
    assert not decoded.recognised  # past MAX_TEXT: not read
    phrase = "Timeout during connect (likely firewall problem)"
    assert decode("x." * (MAX_TEXT // 2) + phrase).cause is None
    assert decode("x." * (MAX_TEXT // 2 - 40) + phrase).cause == "port-80"
