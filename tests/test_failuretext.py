"""Failure mails and ACME errors → the checklist item they mean, and the domain to check."""

from __future__ import annotations

import time

import pytest

from webdig.findings.catalog import SENTENCES, sentence
from webdig.findings.model import Level
from webdig.renewal.failuretext import (
    CAUSE_CHECKS,
    MAX_TEXT,
    Cause,
    decode,
    find_domain,
    from_text,
    to_text,
)
from webdig.renewal.items import CheckId

XSERVER = (
    "件名：【Xserver】■重要■ SSLサーバー証明書更新未完了のお知らせ\n"
    "対象ドメイン：shop-example.jp\nhttps://www.xserver.ne.jp/support/"
)
SAKURA_ERROR = "【さくらインターネット】無料SSL証明書 更新エラーについて\n対象: www.sakura-user.com"
SAKURA_AUTH = "さくらインターネット 無料SSL 認証失敗のお知らせ (blog.example.jp)"
CONOHA = "【ConoHa】SSLサーバ証明書更新のご案内 example.co.jp"
HTML_404 = (
    "Invalid response from http://example.com/.well-known/acme-challenge/abc [203.0.113.5]: "
    '"<!DOCTYPE HTML PUBLIC \\"-//IETF//DTD HTML 2.0//EN\\">\n<html><head>\n'
    '<title>404 Not Found</title>\n</head><body>"'
)

KNOWN = [
    (
        "urn:ietf:params:acme:error:dns :: DNS problem: SERVFAIL looking up CAA for "
        "example.com - the domain's nameservers may be malfunctioning",
        Cause.CAA_LOOKUP, CheckId.DNSSEC, "example.com",
    ),
    (
        "Type: urn:ietf:params:acme:error:caa Detail: CAA record for www.example.com "
        "prevents issuance",
        Cause.CAA, CheckId.CAA, "www.example.com",
    ),
    (
        "urn:ietf:params:acme:error:rateLimited :: too many failed authorizations recently",
        Cause.RATE_LIMITED, None, None,
    ),
    (
        "www.example.com: Timeout during connect (likely firewall problem)",
        Cause.PORT_80, CheckId.HTTP_CHALLENGE, "www.example.com",
    ),
    (
        "Invalid response from http://example.com/.well-known/acme-challenge/abc "
        "[203.0.113.5]: 404",
        Cause.CHALLENGE_404, CheckId.HTTP_CHALLENGE, "example.com",
    ),
    (HTML_404, Cause.CHALLENGE_404, CheckId.HTTP_CHALLENGE, "example.com"),
    (
        "DNS problem: no valid A records found for www.example.net; no valid AAAA records",
        Cause.NO_ADDRESS, CheckId.DNS_POINTS_HERE, "www.example.net",
    ),
    (
        "DNS problem: NXDOMAIN looking up A for gone.example.org",
        Cause.DOMAIN_MISSING, CheckId.DOMAIN_EXISTS, "gone.example.org",
    ),
    (
        "urn:ietf:params:acme:error:connection :: connection refused for example.com",
        Cause.CONNECTION, CheckId.HTTP_CHALLENGE, "example.com",
    ),
    (
        "urn:ietf:params:acme:error:unauthorized :: 403 for example.com",
        Cause.UNAUTHORIZED, CheckId.HTTP_CHALLENGE, "example.com",
    ),
    (
        "urn:ietf:params:acme:error:dns :: DNS problem: query timed out for example.com",
        Cause.DNS, CheckId.DNS_POINTS_HERE, "example.com",
    ),
    (XSERVER, Cause.HOSTING_MAIL, None, "shop-example.jp"),
    (SAKURA_ERROR, Cause.HOSTING_MAIL, None, "www.sakura-user.com"),
    (SAKURA_AUTH, Cause.HOSTING_MAIL, None, "blog.example.jp"),
    (CONOHA, Cause.HOSTING_MAIL, None, "example.co.jp"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "cause", "check", "domain"), KNOWN)
def test_each_known_wording_names_its_item_and_domain(
    text: str, cause: Cause, check: CheckId | None, domain: str | None
) -> None:
    decoded = decode(text)
    assert (decoded.cause, decoded.check, decoded.domain) == (cause, check, domain)
    assert decoded.recognised
    assert decoded.matched is not None
    assert decoded.matched in text.replace("：", ":")


@pytest.mark.parametrize(
    ("text", "host"),
    [(XSERVER, "xserver"), (SAKURA_ERROR, "sakura"), (SAKURA_AUTH, "sakura"), (CONOHA, "conoha")],
)
def test_a_hosting_mail_names_its_company(text: str, host: str) -> None:
    decoded = decode(text)
    assert decoded.host == host
    assert decoded.finding.params == {"domain": decoded.domain, "host": host}


def test_a_quoted_acme_error_in_a_hosting_mail_says_more_than_the_subject() -> None:
    decoded = decode(XSERVER + "\n詳細: Timeout during connect (likely firewall problem)")
    assert (decoded.cause, decoded.domain) == (Cause.PORT_80, "shop-example.jp")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello, my website is slow",
        "\x00\x01\x02\x1b[31m" * 1000,
        "<html><body><script>alert('urn')</script><p>nothing here</p></body></html>",
        "404 page not found",  # a 404 alone is not Let's Encrypt's wording
        "ログイン認証失敗のお知らせ",  # Sakura's subject, but about a login, not SSL
        "SSLサーバー証明書のお申し込みありがとうございます",
        "ü" * 5000,
    ],
)
def test_garbage_is_not_recognised(text: str) -> None:
    decoded = decode(text)
    assert not decoded.recognised
    assert decoded.cause is Cause.NOT_RECOGNISED
    assert (decoded.check, decoded.matched) == (None, None)
    assert decoded.finding.level is Level.UNKNOWN


def test_control_characters_do_not_hide_a_wording() -> None:
    decoded = decode(
        "\x00www.example.com:\x07 Timeout during connect (likely firewall problem)\x1b"
    )
    assert (decoded.cause, decoded.domain) == (Cause.PORT_80, "www.example.com")


def test_full_width_text_reads_as_ascii() -> None:
    subject = "【Ｘｓｅｒｖｅｒ】■重要■ ＳＳＬサーバー証明書更新未完了のお知らせ"
    decoded = decode(subject + "　ｗｗｗ．ｓｈｏｐ．ｊｐ")
    assert (decoded.cause, decoded.host, decoded.domain) == (
        Cause.HOSTING_MAIL,
        "xserver",
        "www.shop.jp",
    )


def test_html_mail_is_read() -> None:
    html = f"<html><body><p>{XSERVER.replace(chr(10), '<br>')}</p></body></html>"
    assert (decode(html).cause, decode(html).domain) == (Cause.HOSTING_MAIL, "shop-example.jp")


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("対象ドメインshop.example.jpの証明書", "shop.example.jp"),  # Japanese on both sides
        # A mail address is the sender's or the reader's, not the site's.
        (
            "From: support@xserver.ne.jp\nTo: taro.yamada@gmail.com\nsite: www.mine.jp",
            "www.mine.jp",
        ),
        ("see index.html and style.css for www.mine.jp", "www.mine.jp"),
        ("Invalid response from http://mine.jp/.well-known/acme-challenge/x.y", "mine.jp"),
        ('<!DOCTYPE html PUBLIC "http://www.w3.org/TR/xhtml1/DTD/x.dtd"> mine.jp', "mine.jp"),
        ("acme-v02.api.letsencrypt.org said: mine.example.", "mine.example"),
        ("sv12345.xserver.jp, user.sakura.ne.jp", None),
        ("no domain here at all", None),
    ],
)
def test_the_domain_is_the_users_not_the_companies(text: str, domain: str | None) -> None:
    assert find_domain(text) == domain


def test_a_megabyte_is_read_only_to_the_cap_and_quickly() -> None:
    late = "a" * (1 << 20) + " Timeout during connect (likely firewall problem)"
    # This thread's CPU time, which other processes on a loaded machine do not stretch:
    # some 0.02 s; a regular expression that backtracked over the megabyte would take minutes.
    begin = time.thread_time()
    decoded = decode(late)
    assert time.thread_time() - begin < 1.0
    assert not decoded.recognised  # past MAX_TEXT: not read
    phrase = "Timeout during connect (likely firewall problem)"
    assert decode("x." * (MAX_TEXT // 2) + phrase).cause is Cause.NOT_RECOGNISED
    assert decode("x." * (MAX_TEXT // 2 - 40) + phrase).cause is Cause.PORT_80


def test_a_megabyte_of_dotted_names_is_quick() -> None:
    begin = time.thread_time()  # CPU time, as above: some 0.04 s
    decode("a-b." * (1 << 18))
    decode("<a href='http://x.y.z/'>" * 50_000)
    assert time.thread_time() - begin < 2.0


@pytest.mark.parametrize("cause", list(Cause))
def test_cause_codes_read_back_and_have_a_sentence(cause: Cause) -> None:
    assert from_text(to_text(cause)) is cause
    assert from_text(f" {str(cause).upper()} ") is cause
    assert f"decode.{cause}" in SENTENCES
    assert cause in CAUSE_CHECKS
    decoded = decode("")
    assert sentence(decoded.finding)


def test_an_unknown_cause_code_is_an_error() -> None:
    with pytest.raises(ValueError, match="not-a-cause"):
        from_text("not-a-cause")
