"""IANA's RDAP bootstrap file (RFC 9224): parsed, and the longest match wins."""

from __future__ import annotations

import json

import pytest

from webdig.renewal.rdapbootstrap import BootstrapError, parse_bootstrap, rdap_bases

IANA_SHAPE = {
    "description": "RDAP bootstrap file for Domain Name System registrations",
    "publication": "2026-11-20T21:00:02Z",
    "services": [
        [["com", "net"], ["https://rdap.verisign.com/com/v1/"]],
        [["tokyo"], ["http://rdap.example.tokyo", "https://rdap.example.tokyo/"]],
        [["uk"], ["https://rdap.nominet.uk/uk/"]],
        [["co.uk"], ["https://rdap.example/co.uk/"]],
    ],
    "version": "1.0",
}


def services() -> dict[str, tuple[str, ...]]:
    return dict(parse_bootstrap(json.dumps(IANA_SHAPE).encode()))


@pytest.mark.parametrize(
    ("domain", "base"),
    [
        ("example.com", "https://rdap.verisign.com/com/v1/"),
        ("EXAMPLE.NET.", "https://rdap.verisign.com/com/v1/"),
        ("shop.tokyo", "https://rdap.example.tokyo/"),  # https first, a "/" added to the other
        ("example.co.uk", "https://rdap.example/co.uk/"),  # the longest match
        ("example.org.uk", "https://rdap.nominet.uk/uk/"),
    ],
)
def test_the_base_url_for_a_domain(domain: str, base: str) -> None:
    assert rdap_bases(services(), domain)[0] == base


def test_http_urls_are_kept_after_https_ones() -> None:
    assert rdap_bases(services(), "a.tokyo") == (
        "https://rdap.example.tokyo/",
        "http://rdap.example.tokyo/",
    )


def test_a_tld_without_rdap_has_no_base() -> None:
    assert rdap_bases(services(), "example.jp") == ()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"services": {}}',
        b'{"services": [["com"]]}',
        b'{"services": [[1, 2]]}',
    ],
)
def test_a_malformed_file_is_an_error(body: bytes) -> None:
    with pytest.raises(BootstrapError):
        parse_bootstrap(body)
