"""Choosing a language, translating core sentences, and dates in each language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from webdig.findings.catalog import sentence
from webdig.findings.model import Finding, Level, Param
from webdig.language.message import Message, reread
from webdig.language.translator import (
    best_of,
    from_environment,
    parse_language,
    templates,
    translator,
    written_date,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ja", "ja"),
        ("ja-JP", "ja"),
        ("ja_JP.UTF-8", "ja"),
        ("EN_us", "en"),
        ("fr", None),
        ("", None),
        (None, None),
        ("C", None),
    ],
)
def test_parse_language(text: str | None, code: str | None) -> None:
    assert parse_language(text) == code


@pytest.mark.parametrize(
    ("environ", "code"),
    [
        ({}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_MESSAGES": "C"}, "en"),
        ({"LANG": "C", "LC_ALL": "ja_JP.UTF-8"}, "ja"),
        ({"LANGUAGE": "fr:ja", "LANG": "C"}, "ja"),
        ({"LANGUAGE": "fr", "LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_language_from_the_environment(environ: dict[str, str], code: str) -> None:
    assert from_environment(environ) == code


def test_best_of_wishes() -> None:
    assert best_of(["fr", "ja-JP", "en"]) == "ja"
    assert best_of(["fr"]) == "en"


def test_dates_as_each_language_writes_them() -> None:
    day = date(2026, 12, 1)
    assert translator("ja").date(day, today=date(2026, 11, 27)) == "2026年12月1日（残り4日）"
    assert translator("en").date(day, today=date(2026, 11, 27)) == "1 December 2026 (4 days left)"
    assert translator("en").date(day, today=date(2026, 11, 30)) == "1 December 2026 (1 day left)"
    assert translator("ja").date(day, today=date(2026, 12, 3)) == "2026年12月1日（2日前）"


def test_times_are_jst_in_japanese_and_utc_in_english() -> None:
    when = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)
    assert translator("ja").moment(when) == "2026年12月2日 05:30 JST"
    assert translator("en").moment(when) == "1 December 2026 20:30 UTC"


def test_a_message_is_english_text_that_translates() -> None:
    sentence = Message("{count} day left", count=3)
    assert sentence == "3 day left"
    assert translator("ja").text(sentence) == "残り3日"
    assert translator("en").text(sentence) == "3 day left"
    assert translator("ja").text("plain text stays") == "plain text stays"


def test_a_saved_sentence_is_read_back_into_its_template() -> None:
    japanese = translator("ja")
    said = (
        "Could not find the zone of www.example.jp: ns1.example.jp did not answer within 2 seconds."
    )
    again = reread(said, templates())
    assert again == said  # the same English, now a Message with its template and values
    assert japanese.text(again) == (
        "www.example.jp を含むゾーンを見つけられませんでした："
        "ns1.example.jp は 2 秒以内に応答しませんでした。"
    )
    # Several reasons, saved joined with spaces, are read back one by one (and said one after
    # another, with no space after 。).
    both = (
        "The nameserver ns1.example.jp has no address: The resolver answered SERVFAIL for "
        "ns1.example.jp. ns2.example.jp did not answer within 2 seconds."
    )
    assert japanese.text(reread(both, templates())) == (
        "ネームサーバー ns1.example.jp の IP アドレスがわかりません："
        "キャッシュDNSサーバーは ns1.example.jp について SERVFAIL を返しました。"
        "ns2.example.jp は 2 秒以内に応答しませんでした。"
    )
    # Names, DNS data and text webdig never made stay what they are.
    for text in ("www.example.jp", "v=spf1 include:example.net ~all", "All Systems Operational"):
        assert not isinstance(reread(text, templates()), Message)
    assert not isinstance(reread("anything at all", ["{reason}"]), Message)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_page_s_date_and_a_finding_s_day_are_written_alike(language: str) -> None:
    # A saved result's banner (Translator.date) and its findings ({x:day}) sit on one page.
    said = translator(language)
    params: dict[str, Param] = {"domain": "shop.lab", "expiry": "2026-12-01", "days": 4}
    registered = sentence(Finding("registration.active", Level.PASS, params), said)
    assert said.date(date(2026, 12, 1)) in registered
    assert said.date(date(2026, 12, 1)) == written_date(date(2026, 12, 1), language)


def test_a_certificate_s_date_is_the_same_day_in_japanese() -> None:
    # {x:date} stays ISO in English (as the certificate's fields print it) and is the
    # Japanese day, with the days left in the manuals' shape, for a Japanese reader.
    problem: dict[str, Param] = {
        "code": "certificate.expires-very-soon",
        "expiry": "2026-12-01T20:00:00+00:00",
        "days": 4,
    }
    params: dict[str, Param] = {"addresses": ["192.0.2.1"], "problems": [problem]}
    soon = Finding("certificate.broken", Level.FAIL, params)
    assert "(2026-12-01)" in sentence(soon)
    assert "2026年12月2日（残り4日）" in sentence(soon, translator("ja"))


def test_a_note_s_moment_is_written_in_the_reader_s_zone() -> None:
    # A certificate's field: 20:00 UTC on 17 December is 05:00 on the 18th in Japan.
    note = Message("Not before:  {moment}", moment="2026-12-17 20:00 UTC")
    assert translator("en").text(note) == "Not before:  2026-12-17 20:00 UTC"
    assert translator("ja").text(note) == "有効期間の開始：2026年12月18日 05:00 JST"
    # Read back from a saved result's English, it is said the same way.
    again = reread("Not after:   2026-12-17 20:00 UTC (15 days left)", templates())
    assert translator("ja").text(again) == "有効期限：2026年12月18日 05:00 JST（残り15日）"
