"""The registration half of the ``domain-exists`` item: expiry, registrar and status in words.

Judges a :class:`~webdig.renewal.registrydata.RegistryAnswer` on the day given
(an injected clock, so that nothing depends on when it runs): expired, on hold,
in redemption or about to be deleted fail; expiring within
:data:`EXPIRY_WARNING_DAYS` warns; a registry that cannot be asked is
``unknown``, naming the server.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from webdig.findings.model import Finding, Level, worst
from webdig.language.message import Message, Quote
from webdig.renewal.items import RETRY_ONCE, CheckResult, Evidence, fix
from webdig.renewal.registrydata import AnswerState, Registration, RegistryAnswer

EXPIRY_WARNING_DAYS = 30
"""Hosts renew certificates 30 to 20 days before they expire: the domain must outlive that."""
HOLDS = ("client hold", "server hold")
"""Statuses that take the domain out of DNS (RFC 8056)."""
ENDINGS = ("redemption period", "pending delete", "pending restore")
"""Statuses of a domain that expired or was cancelled and is being deleted (RFC 8056)."""
WORDED = frozenset({
    "active", "inactive", "client hold", "server hold", "redemption period", "pending delete",
    "pending restore", "pending transfer", "pending renew", "pending update", "pending create",
    "client transfer prohibited", "server transfer prohibited", "client update prohibited",
    "server update prohibited", "client delete prohibited", "server delete prohibited",
    "client renew prohibited", "server renew prohibited", "auto renew period", "renew period",
    "add period", "transfer period", "locked", "reserved",
})  # fmt: skip
"""Statuses with a phrase of their own (``status.<words-with-dashes>``); others shown as sent."""


@dataclass(frozen=True)
class RegistrationVerdict:
    """What the registry's answer means for the renewal: findings and what to do."""

    findings: tuple[Finding, ...]
    fixes: tuple[Finding, ...]
    evidence: tuple[Evidence, ...] = ()

    @property
    def level(self) -> Level:
        """The verdict's own level: its first finding's."""
        return self.findings[0].level


def with_registration(item: CheckResult, verdict: RegistrationVerdict) -> CheckResult:
    """The ``domain-exists`` item (the registry's delegation in DNS) with the registration added.

    The item is as bad as the worse of the two halves, whose findings come first; a
    delegation that DNS confirms but a registry that cannot be asked makes the item
    ``unknown``: the expiry date was not checked.
    """
    dns_first = item.level.rank <= verdict.level.rank
    halves = (item.findings, verdict.findings) if dns_first else (verdict.findings, item.findings)
    level = worst([item.level, verdict.level])
    ordered = (verdict.fixes, item.fixes) if not dns_first else (item.fixes, verdict.fixes)
    fixes = [f for f in dict.fromkeys([*ordered[0], *ordered[1]]) if f != RETRY_ONCE]
    if level is Level.FAIL:
        fixes.append(RETRY_ONCE)  # as items.check ends every failing item's advice
    return replace(
        item, level=level, findings=(*halves[0], *halves[1]), fixes=tuple(fixes),
        evidence=[*item.evidence, *verdict.evidence],
    )  # fmt: skip


def judge(answer: RegistryAnswer, today: date) -> RegistrationVerdict:
    """The findings for ``answer`` on ``today`` (UTC), with the exchange as evidence."""
    verdict = _judge(answer, today)
    if not answer.request:
        return verdict
    said = Quote(answer.text) if answer.text else Message("(no answer)")
    shown = Evidence(f"{answer.protocol}: {answer.request}", said)
    return replace(verdict, evidence=(shown,))


def _judge(answer: RegistryAnswer, today: date) -> RegistrationVerdict:
    about: dict[str, Any] = {"domain": answer.domain, "server": answer.server}
    state = answer.state
    if state is AnswerState.FOUND and answer.registration is not None:
        return _found(answer.domain, answer.registration, today)
    if state is AnswerState.NOT_REGISTERED:
        gone = Finding("registration.not-registered", Level.FAIL, about)
        return RegistrationVerdict((gone,), (fix("fix.renew-domain"),))
    if state is AnswerState.UNAVAILABLE:
        said = {**about, "protocol": answer.protocol, "reason": answer.reason}
        unknown = Finding("registration.unavailable", Level.UNKNOWN, said)
        return RegistrationVerdict((unknown,), (fix("fix.check-registrar"),))
    if state is AnswerState.NO_SERVICE:
        tld = {"domain": answer.domain, **answer.reason}
        return RegistrationVerdict((Finding("registration.no-service", Level.UNKNOWN, tld),), ())
    if answer.reason.get("code") == "registry.not-configured":
        unset = Finding("registration.not-checked", Level.UNKNOWN, {"domain": answer.domain})
        return RegistrationVerdict((unset,), ())
    said = {**about, "reason": answer.reason}
    return RegistrationVerdict((Finding("registration.no-bootstrap", Level.UNKNOWN, said),), ())


def status_words(statuses: tuple[str, ...]) -> list[dict[str, str]]:
    """Statuses as phrase mappings: known ones in plain words, others as the registry sent them."""
    return [
        {"code": "status." + s.replace(" ", "-")} if s in WORDED else
        {"code": "status.other", "status": s}
        for s in statuses
    ]  # fmt: skip


def _found(domain: str, registration: Registration, today: date) -> RegistrationVerdict:
    facts: dict[str, Any] = {"domain": domain}
    if registration.registrar:
        facts["registrar"] = registration.registrar
    expires = registration.expires
    if expires is not None:
        facts["expiry"] = expires.isoformat()
        facts["days"] = abs((expires - today).days)
    statuses = registration.statuses
    listed = (
        Finding("registration.statuses", Level.INFO, {"statuses": status_words(statuses)}),
    ) if statuses else ()  # fmt: skip
    blocking = [s for s in statuses if s in HOLDS or s in ENDINGS]
    if blocking:
        said = {**facts, "statuses": status_words(tuple(blocking))}
        advice = "fix.release-hold" if blocking[0] in HOLDS else "fix.restore-domain"
        return RegistrationVerdict(
            (Finding("registration.suspended", Level.FAIL, said), *listed), (fix(advice),)
        )
    if expires is not None and expires < today:
        return RegistrationVerdict(
            (Finding("registration.expired", Level.FAIL, facts), *listed),
            (fix("fix.renew-domain"),),
        )
    if expires is not None and (expires - today).days < EXPIRY_WARNING_DAYS:
        return RegistrationVerdict(
            (Finding("registration.expiring", Level.WARN, facts), *listed),
            (fix("fix.renew-before-expiry"),),
        )
    return RegistrationVerdict((Finding("registration.active", Level.PASS, facts), *listed), ())
