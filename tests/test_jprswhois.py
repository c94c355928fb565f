"""JPRS WHOIS records, in Japanese (ISO-2022-JP) and English, read into a registration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.registryservers import NO_MATCH, jprs_organisation_record, jprs_record
from webdig.renewal.jprswhois import decode, is_absent, parse_record


def in_days(days: int) -> object:
    return datetime.now(UTC).date() + timedelta(days=days)


@pytest.mark.parametrize("english", [False, True])
def test_a_generic_jp_record(english: bool) -> None:
    text = jprs_record("shop.jp", english=english, expires_in=300)
    wire = text.encode("ascii" if english else "iso-2022-jp")
    registration = parse_record(decode(wire))
    assert registration is not None
    assert (registration.expires, registration.statuses) == (in_days(300), ("active",))
    assert registration.registrar is None  # JPRS's public record names no registrar
    assert not is_absent(decode(wire))


@pytest.mark.parametrize("english", [False, True])
def test_a_co_jp_record_has_its_expiry_in_the_status(english: bool) -> None:
    text = jprs_organisation_record("shop.co.jp", english=english, expires_in=150)
    registration = parse_record(decode(text.encode("iso-2022-jp")))
    assert registration is not None
    assert (registration.expires, registration.statuses) == (in_days(150), ("active",))


@pytest.mark.parametrize(
    ("state", "status"),
    [("To be suspended", "pending delete"), ("Suspended", "redemption period"), ("Odd", "odd")],
)
def test_jprs_states_in_rfc_8056_words(state: str, status: str) -> None:
    registration = parse_record(jprs_record("a.jp", english=True, expires_in=3, state=state))
    assert registration is not None
    assert registration.statuses == (status,)


def test_no_match_means_not_registered() -> None:
    assert parse_record(NO_MATCH) is None
    assert is_absent(NO_MATCH)
    assert is_absent(decode("[ JPRS database ]\n未登録です\n".encode("iso-2022-jp")))


def test_garbage_is_neither_a_record_nor_absent() -> None:
    text = decode(b"\x1b$B\xff\xfe garbage \x00")
    assert parse_record(text) is None
    assert not is_absent(text)


def test_a_broken_expiry_date_is_no_date() -> None:
    registration = parse_record("[Expires on]   2026/02/31\n[Status]   Active\n")
    assert registration is not None
    assert registration.expires is None
