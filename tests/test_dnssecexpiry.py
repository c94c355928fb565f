"""When a valid signature counts as "expiring soon": 3 days at most, and less than a tenth of
its validity left (the same against BIND's signed zones is in tests/test_dnssec.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webdig.findings.catalog import sentence
from webdig.findings.model import Level
from webdig.language.translator import translator
from webdig.renewal.dnssecchain import Flaw, Signatures
from webdig.renewal.dnssecexpiry import expires_soon, expiry_findings, expiry_warning

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def valid(
    left: timedelta, lifetime: timedelta | None, record: str = "www.example.com A"
) -> Signatures:
    """Valid signatures by key 12345 that expire ``left`` from NOW."""
    return Signatures(record, None, NOW + left, 12345, lifetime)


@pytest.mark.parametrize(
    ("left", "lifetime", "soon"),
    [
        (2 * DAY, 30 * DAY, True),  # a 30-day signature left alone
        (3 * DAY - HOUR, 30 * DAY, True),
        (3 * DAY + HOUR, 30 * DAY, False),
        (7 * DAY, 30 * DAY, False),  # BIND renews when a quarter is left
        (50 * DAY, 365 * DAY, False),  # long-lived: still three days at most
        (2 * DAY, 365 * DAY, True),
        (2 * DAY, 14 * DAY, False),  # a tenth of 14 days is 1.4 days
        (DAY, 14 * DAY, True),
        (DAY, 2 * DAY, False),  # an on-the-fly signer's short signature
        (2 * HOUR, 2 * DAY, True),
        (2 * DAY, None, True),  # validity unknown: three days
    ],
)
def test_soon_is_three_days_and_a_tenth_of_the_validity(
    left: timedelta, lifetime: timedelta | None, soon: bool
) -> None:
    assert expires_soon(valid(left, lifetime), NOW) is soon


def test_flawed_signatures_are_not_expiring_they_are_failures() -> None:
    expired = Signatures("www.example.com A", Flaw.EXPIRED, NOW - DAY)
    assert not expires_soon(expired, NOW)


def test_the_warning_names_each_record_once_the_keys_and_the_first_expiry() -> None:
    signatures = [
        valid(2 * DAY, 30 * DAY, "example.com DNSKEY"),
        valid(30 * HOUR, 30 * DAY),
        valid(30 * HOUR, 30 * DAY),  # the same record from a second nameserver
        valid(20 * DAY, 30 * DAY, "www.example.com CAA"),  # not soon
    ]
    warning = expiry_warning(signatures, "example.com", NOW)
    assert warning is not None
    assert warning.level is Level.WARN
    assert warning.params["records"] == ("example.com DNSKEY", "www.example.com A")
    assert warning.params["tags"] == ("12345",)
    assert warning.params["left"] == 30 * 3600
    assert sentence(warning) == (
        "The DNSSEC signatures on example.com DNSKEY, www.example.com A (key tag 12345) expire"
        " on 2 December 2026 at 18:00 UTC, in 30 hours. Signers renew signatures well before"
        " that, so the zone's signer may have stopped: unless example.com is signed again by"
        " then, every validating resolver, Let's Encrypt's included, answers SERVFAIL from"
        " that moment."
    )


def test_a_japanese_reader_gets_the_moment_in_japan_time() -> None:
    # 2 December 18:00 UTC is 3 December 03:00 in Japan: the day moves with the time.
    warning = expiry_warning([valid(30 * HOUR, 30 * DAY)], "example.com", NOW)
    assert warning is not None
    japanese = sentence(warning, translator("ja"))
    assert "2026年12月3日 03:00（日本時間）に期限切れになります" in japanese
    assert "UTC" not in japanese
    assert "2 December 2026 at 18:00 UTC" in sentence(warning)


def test_nothing_expiring_gives_no_warning_and_no_fix() -> None:
    assert expiry_findings([valid(20 * DAY, 30 * DAY)], "example.com", NOW, 3600) == ([], [])


@pytest.mark.parametrize(("ttl", "words"), [(86400, "only 24 hours later"), (None, "often a day")])
def test_the_fix_says_to_remove_the_ds_before_the_keys(ttl: int | None, words: str) -> None:
    _, (fix,) = expiry_findings([valid(DAY, 30 * DAY)], "example.com", NOW, ttl)
    said = sentence(fix)
    assert said.startswith("Before 2 December 2026, sign example.com again")
    assert said.index("remove the DS record") < said.index("remove the keys")
    assert words in said
