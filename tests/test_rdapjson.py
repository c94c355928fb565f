"""RDAP domain answers (RFC 9083) read into a registration."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from tests.support.registryservers import REGISTRAR
from webdig.renewal.rdapjson import RdapError, parse_domain

ANSWER: dict[str, Any] = {
    "objectClassName": "domain",
    "ldhName": "EXAMPLE.COM",
    "status": [
        "client transfer prohibited",
        "clientHold",
        "serverDeleteProhibited https://icann.org/epp#serverDeleteProhibited",
    ],
    "events": [
        {"eventAction": "registration", "eventDate": "1995-08-14T04:00:00Z"},
        {"eventAction": "expiration", "eventDate": "2026-12-01T04:00:00Z"},
    ],
    "entities": [
        {
            "objectClassName": "entity",
            "roles": ["technical"],
            "vcardArray": ["vcard", [["fn", {}, "text", "Someone"]]],
        },
        {
            "objectClassName": "entity",
            "roles": ["registrar"],
            "vcardArray": [
                "vcard",
                [["version", {}, "text", "4.0"], ["fn", {}, "text", REGISTRAR]],
            ],
        },
    ],
}


def test_registrar_expiry_and_statuses() -> None:
    registration = parse_domain(json.dumps(ANSWER).encode())
    assert registration.registrar == REGISTRAR
    assert registration.expires == date(2026, 12, 1)
    # RFC 8056's spaced forms, whatever the registry wrote (EPP camelCase, an ICANN link).
    assert registration.statuses == (
        "client transfer prohibited",
        "client hold",
        "server delete prohibited",
    )


def test_a_registrar_without_vcard_is_named_by_its_handle() -> None:
    answer = {**ANSWER, "entities": [{"roles": ["registrar"], "handle": "292"}]}
    assert parse_domain(json.dumps(answer).encode()).registrar == "292"


def test_no_expiration_event_and_no_registrar() -> None:
    answer = {"objectClassName": "domain", "status": ["active"], "events": []}
    registration = parse_domain(json.dumps(answer).encode())
    assert (registration.registrar, registration.expires) == (None, None)


@pytest.mark.parametrize(
    "body",
    [
        b'{"objectClassName": "domain", "status": "act',
        b'{"objectClassName": "entity"}',
        b"[1, 2]",
        b'{"objectClassName": "domain", "status": "active"}',
        b'{"objectClassName": "domain", "events": [{"eventAction": "expiration", "eventDate": "soon"}]}',  # noqa: E501
    ],
)
def test_malformed_answers_are_errors(body: bytes) -> None:
    with pytest.raises(RdapError):
        parse_domain(body)
