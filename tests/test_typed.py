"""Full-width and ideographic input becomes what the parsers expect."""

from __future__ import annotations

import pytest

from webdig.lookup.typed import normalise, normalise_items


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("１９２．０．２．１０", "192.0.2.10"),
        ("ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ", "www.example.jp"),
        ("www。example。jp", "www.example.jp"),
        ("２００１：ｄｂ８：：１０", "2001:db8::10"),
        ("192.0.2.10\u3000192.0.2.11", "192.0.2.10 192.0.2.11"),
        ("日本語.jp", "日本語.jp"),
        ("ns1.xserver.jp", "ns1.xserver.jp"),
    ],
)
def test_normalise(typed: str, read: str) -> None:
    assert normalise(typed) == read


def test_normalise_items_keeps_order_and_repeats() -> None:
    items = [("hostnames", "ａ．ｊｐ"), ("ｔｙｐｅ", "Ａ"), ("hostnames", "b.jp")]
    assert normalise_items(items) == [("hostnames", "a.jp"), ("type", "A"), ("hostnames", "b.jp")]
