"""The CAA check: may Let's Encrypt issue for this name? (RFC 8659)

The relevant CAA record set is the first one found climbing from the name
towards the root.  A CAA look-up that fails (SERVFAIL, no answer) blocks
issuance for the CA as well, so it is a failure here too.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.name
import dns.rdatatype

from webdig.dig.message import render_full
from webdig.engine.names import Hostname, from_dns_name
from webdig.engine.query import Query, Server
from webdig.engine.result import QueryResult
from webdig.engine.session import QuerySession
from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level, Param
from webdig.language.message import Quote
from webdig.renewal.items import CheckId, CheckResult, Evidence, check, fix

LETS_ENCRYPT = "letsencrypt.org"
TITLE = N_("The CAA record allows Let's Encrypt")  # the page translates it


@dataclass(frozen=True)
class CaaFinding:
    """The relevant CAA set, where it was found, and the replies on the way."""

    owner: str | None
    records: list[tuple[int, str, str]]
    """(flags, tag, value) of the relevant set; empty when there is none."""
    results: list[QueryResult]
    failure: QueryResult | None = None


def find_caa(hostname: Hostname, session: QuerySession, resolver: Server) -> CaaFinding:
    """Climb from ``hostname`` to the top-level domain, asking for CAA at each level."""
    name = hostname.name
    results: list[QueryResult] = []
    while len(name.labels) > 2:  # stop above the TLD: no CAA lives at the root or a TLD
        text = name.to_text()
        result = session.ask(Query(from_dns_name(name), dns.rdatatype.CAA, resolver))
        results.append(result)
        if result.error is not None or result.rcode not in ("NOERROR", "NXDOMAIN"):
            return CaaFinding(None, [], results, failure=result)
        records = [
            (
                rdata.flags,
                rdata.tag.decode("ascii", "replace"),
                rdata.value.decode("utf-8", "replace"),
            )
            for rrset in result.answer
            if rrset.rdtype == dns.rdatatype.CAA
            for rdata in rrset
        ]
        if records:
            return CaaFinding(text.rstrip("."), records, results)
        name = name.parent()
    return CaaFinding(None, [], results)


def allows(
    records: list[tuple[int, str, str]], ca: str = LETS_ENCRYPT, *, wildcard: bool = False
) -> bool:
    """Whether a relevant CAA set lets ``ca`` issue (``issuewild`` governs wildcards)."""
    tag = "issuewild" if wildcard and any(t == "issuewild" for _, t, _ in records) else "issue"
    values = [value for _, t, value in records if t.lower() == tag]
    if not values:
        # Only iodef or unknown non-critical tags: no restriction on issuers.
        return not any(
            flags & 128 and t.lower() not in ("issue", "issuewild", "iodef")
            for flags, t, _ in records
        )
    return any(value.split(";", 1)[0].strip().lower() == ca for value in values)


def caa_check(hostname: Hostname, finding: CaaFinding) -> CheckResult:
    """The ``caa`` checklist item."""
    evidence = [
        Evidence(f"dig {r.query.hostname.ascii.rstrip('.')} CAA", Quote(render_full(r)))
        for r in finding.results
    ]
    if finding.failure is not None:
        failed = finding.failure
        why: dict[str, Param] = {"name": failed.query.hostname.text}
        if failed.error is not None:
            why["error"] = failed.error.message
        else:
            why["rcode"] = failed.rcode
        return check(
            CheckId.CAA, TITLE, Finding("caa.lookup-failed", Level.FAIL, why),
            [fix("fix.caa-lookup")], evidence,
        )  # fmt: skip
    if not finding.records:
        none = Finding("caa.none", Level.PASS, {"host": hostname.text})
        return check(CheckId.CAA, TITLE, none, evidence=evidence)
    records = [f'{flags} {tag} "{value}"' for flags, tag, value in finding.records]
    found: dict[str, Param] = {"owner": finding.owner, "records": records}
    if allows(finding.records, wildcard=hostname.text.startswith("*.")):
        return check(
            CheckId.CAA, TITLE, Finding("caa.allows", Level.PASS, found), evidence=evidence
        )
    return check(
        CheckId.CAA, TITLE, Finding("caa.forbids", Level.FAIL, found),
        [fix("fix.caa-add", owner=str(finding.owner), ca=LETS_ENCRYPT)], evidence,
    )  # fmt: skip
