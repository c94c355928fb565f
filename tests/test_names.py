"""Hostname parsing: what users paste becomes a DNS name or a clear message."""

from __future__ import annotations

import pytest

from webdig.engine.names import parse_hostname, reverse_hostname
from webdig.errors import InputError


@pytest.mark.parametrize(
    ("text", "ascii_name", "shown"),
    [
        ("www.example.com", "www.example.com.", "www.example.com"),
        ("  WWW.Example.COM.  ", "WWW.Example.COM.", "WWW.Example.COM"),
        ("XN--bcher-kva.example", "XN--bcher-kva.example.", "bücher.example"),
        (r"with\032space.example", r"with\032space.example.", r"with\032space.example"),
        (r"dot\.inside.example.", r"dot\.inside.example.", r"dot\.inside.example"),
        (r"\200\255bin.example", r"\200\255bin.example.", r"\200\255bin.example"),
        (r"semi\;colon.example", r"semi\;colon.example.", r"semi\;colon.example"),
        ("https://www.example.com/path?x=1", "www.example.com.", "www.example.com"),
        ("http://user@www.example.com:8080/", "www.example.com.", "www.example.com"),
        # digwebinterface's "Fix": an e-mail address gives its domain, a bare
        # URL its host.
        ("info@example.com", "example.com.", "example.com"),
        ("mailto:Info@Example.COM", "Example.COM.", "Example.COM"),
        ("www.example.com/contact?x=1#top", "www.example.com.", "www.example.com"),
        ("//cdn.example.com/app.js", "cdn.example.com.", "cdn.example.com"),
        ("example.com:443", "example.com.", "example.com"),
        ("bücher.example", "xn--bcher-kva.example.", "bücher.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example.", "bücher.example"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah.", "例え.テスト"),
        ("_dmarc.example.com", "_dmarc.example.com.", "_dmarc.example.com"),
        ("*.example.com", "*.example.com.", "*.example.com"),
        (".", ".", "."),
    ],
)
def test_valid_hostnames(text: str, ascii_name: str, shown: str) -> None:
    name = parse_hostname(text)
    assert (name.ascii, name.text) == (ascii_name, shown)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Enter a hostname"),
        ("   ", "Enter a hostname"),
        ("www example.com", "contains a space"),
        ("a..b", "empty label"),
        (".example.com", "empty label"),
        ("exa$mple.com", "'$'"),
        ("<script>.com", "'<'"),
        ("-bad.example.com", "hyphen"),
        ("a" * 64 + ".com", "at most 63"),
        (".".join(["a" * 60] * 5), "at most 253"),
        ("xn--zz.example", "not a valid IDN"),
        ("a\u200db.example", "contains the character U+200D"),
        ("日本語" * 25 + ".example", "characters in ASCII (xn--"),
        ("a\\999.example", "a backslash escape in it is not valid"),
        ("a\\.b..example", "it has an empty label"),
    ],
)
def test_invalid_hostnames_say_why(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_hostname(text)
    assert fragment in info.value.message


@pytest.mark.parametrize(
    ("address", "ptr"),
    [
        ("192.0.2.10", "10.2.0.192.in-addr.arpa."),
        ("2001:db8::1", "1." + "0." * 23 + "8.b.d.0.1.0.0.2.ip6.arpa."),
    ],
)
def test_reverse_names(address: str, ptr: str) -> None:
    assert reverse_hostname(address).ascii == ptr


def test_reverse_needs_an_address() -> None:
    with pytest.raises(InputError, match="not an IP address"):
        reverse_hostname("www.example.com")


def test_case_differs_but_the_hostname_is_the_same() -> None:
    typed, lower = parse_hostname("WwW.Example.COM"), parse_hostname("www.example.com")
    assert typed == lower
    assert hash(typed) == hash(lower)
    assert typed.name.to_wire() == b"\x03WwW\x07Example\x03COM\x00"


def test_escaped_name_goes_on_the_wire_as_dig_reads_it() -> None:
    assert parse_hostname(r"a\032b\.c.example").name.to_wire() == b"\x05a b.c\x07example\x00"
