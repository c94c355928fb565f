"""The registry's answer judged on a given day: pass, warn, fail or unknown, and what to do."""

from __future__ import annotations

from datetime import date

import pytest

from webdig.findings.catalog import sentence
from webdig.findings.model import Level
from webdig.language.translator import translator
from webdig.renewal.registration import judge, status_words
from webdig.renewal.registrydata import (
    AnswerState,
    Registration,
    RegistryAnswer,
    registered_domain,
    spaced_status,
)

TODAY = date(2026, 11, 27)


def found(
    expires: date | None, *statuses: str, registrar: str | None = "Lab Registrar"
) -> RegistryAnswer:
    registration = Registration(registrar, expires, statuses)
    return RegistryAnswer("shop.lab", AnswerState.FOUND, "rdap.lab", "RDAP", registration)


@pytest.mark.parametrize(
    ("answer", "code", "level", "fix"),
    [
        (found(date(2027, 6, 1), "active"), "registration.active", Level.PASS, None),
        (
            found(date(2026, 12, 26), "active"),
            "registration.expiring",
            Level.WARN,
            "fix.renew-before-expiry",
        ),
        (found(date(2026, 12, 27)), "registration.active", Level.PASS, None),  # 30 days: fine
        (
            found(date(2026, 11, 26), "active"),
            "registration.expired",
            Level.FAIL,
            "fix.renew-domain",
        ),
        (
            found(date(2027, 6, 1), "client hold"),
            "registration.suspended",
            Level.FAIL,
            "fix.release-hold",
        ),
        (
            found(date(2027, 6, 1), "server hold"),
            "registration.suspended",
            Level.FAIL,
            "fix.release-hold",
        ),
        (
            found(date(2026, 10, 1), "redemption period"),
            "registration.suspended",
            Level.FAIL,
            "fix.restore-domain",
        ),
        (found(None, "pending delete"), "registration.suspended", Level.FAIL, "fix.restore-domain"),
        (
            RegistryAnswer("gone.lab", AnswerState.NOT_REGISTERED, "rdap.lab"),
            "registration.not-registered",
            Level.FAIL,
            "fix.renew-domain",
        ),
        (
            RegistryAnswer(
                "shop.lab",
                AnswerState.UNAVAILABLE,
                "rdap.lab",
                "RDAP",
                reason={"code": "registry.unreadable"},
            ),
            "registration.unavailable",
            Level.UNKNOWN,
            "fix.check-registrar",
        ),
        (
            RegistryAnswer("shop.zz", AnswerState.NO_SERVICE, reason={"tld": "zz"}),
            "registration.no-service",
            Level.UNKNOWN,
            None,
        ),
        (
            RegistryAnswer(
                "shop.lab",
                AnswerState.NO_BOOTSTRAP,
                "https://data.iana.org/rdap/dns.json",
                reason={"code": "registry.http-status", "status": "503"},
            ),
            "registration.no-bootstrap",
            Level.UNKNOWN,
            None,
        ),
        (
            RegistryAnswer(
                "shop.lab", AnswerState.NO_BOOTSTRAP, reason={"code": "registry.not-configured"}
            ),
            "registration.not-checked",
            Level.UNKNOWN,
            None,
        ),
    ],
)
def test_verdicts(answer: RegistryAnswer, code: str, level: Level, fix: str | None) -> None:
    verdict = judge(answer, TODAY)
    assert (verdict.findings[0].code, verdict.level) == (code, level)
    assert [f.code for f in verdict.fixes] == ([fix] if fix else [])


def test_the_sentences_name_registrar_date_and_days() -> None:
    verdict = judge(found(date(2026, 12, 1), "active", "client transfer prohibited"), TODAY)
    english = " ".join(sentence(f) for f in verdict.findings)
    assert "shop.lab expires on 1 December 2026 (4 days left)" in english
    assert "renew it at Lab Registrar" in english
    assert "locked against transfer by the registrar (client transfer prohibited)" in english
    japanese = " ".join(sentence(f, translator("ja")) for f in verdict.findings)
    assert "2026年12月1日（残り4日）" in japanese
    assert "レジストラにより移管がロックされています" in japanese


def test_an_expired_domain_says_how_long_ago() -> None:
    (finding,) = judge(found(date(2026, 11, 20), registrar=None), TODAY).findings
    assert sentence(finding).startswith("shop.lab expired on 20 November 2026 (7 days ago).")
    assert "2026年11月20日（7日前）" in sentence(finding, translator("ja"))


def test_a_hold_is_said_in_plain_words() -> None:
    verdict = judge(found(date(2027, 6, 1), "client hold"), TODAY)
    text = sentence(verdict.findings[0])
    assert "on hold by the registrar, which takes it out of DNS (client hold)" in text


def test_the_registry_that_did_not_answer_is_named() -> None:
    answer = RegistryAnswer(
        "shop.jp", AnswerState.UNAVAILABLE, "whois.jprs.jp", "WHOIS",
        reason={"code": "registry.no-answer", "error": "connection refused"},
    )  # fmt: skip
    text = sentence(judge(answer, TODAY).findings[0])
    assert "registry's WHOIS server whois.jprs.jp (no answer: connection refused)" in text


def test_unknown_statuses_are_shown_as_sent() -> None:
    assert status_words(("active", "frozen by court")) == [
        {"code": "status.active"},
        {"code": "status.other", "status": "frozen by court"},
    ]


@pytest.mark.parametrize(
    ("raw", "spaced"),
    [("clientHold", "client hold"), ("redemption period", "redemption period"),
     ("pendingDelete", "pending delete"), ("ok", "ok")],
)  # fmt: skip
def test_statuses_are_spaced_as_rfc_8056_writes_them(raw: str, spaced: str) -> None:
    assert spaced_status(raw) == spaced


@pytest.mark.parametrize(
    ("name", "registered"),
    [("www.shop.lab", "shop.lab"), ("a.b.shop.co.jp", "shop.co.jp"), ("co.jp", None),
     ("lab", None), ("shop.lab.", "shop.lab")],
)  # fmt: skip
def test_the_registered_domain(name: str, registered: str | None) -> None:
    assert registered_domain(name) == registered
