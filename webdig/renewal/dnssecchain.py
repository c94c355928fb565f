"""The DNSSEC chain of one zone, judged from replies already received (no I/O).

A validating resolver (Let's Encrypt's among them) trusts a zone's answers when a DS record
the parent zone publishes matches a DNSKEY the zone serves (key tag, algorithm and digest),
that key signs the zone's DNSKEY set, and one of those keys signs each answer with a
signature that is valid now.  While a DS record exists, anything less is "bogus", and the
resolver answers SERVFAIL.  The cryptography is dnspython's (:mod:`dns.dnssec`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import dns.dnssec
import dns.exception
import dns.name
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
from dns.dnssecalgs import get_algorithm_cls
from dns.dnssectypes import DSDigest
from dns.rdtypes.ANY.DNSKEY import DNSKEY
from dns.rdtypes.ANY.DS import DS
from dns.rdtypes.ANY.RRSIG import RRSIG
from dns.rdtypes.dnskeybase import Flag

from webdig.engine.result import QueryResult

_DIGESTS = (DSDigest.SHA1, DSDigest.SHA256, DSDigest.SHA384)


class Flaw(StrEnum):
    """Why the records of one answer would not validate."""

    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    INVALID = "invalid"
    """Signed, but no signature verifies with the zone's keys."""
    MISSING = "missing"
    """No signature at all."""


@dataclass(frozen=True)
class Signatures:
    """How the signatures of one answer fare: the question it answers, and its flaw."""

    record: str
    """The question, as people read it: ``www.example.com A``."""
    flaw: Flaw | None
    moment: datetime | None = None
    """Valid: when the first signature expires; expired: when; not yet valid: from when."""
    key_tag: int | None = None
    """Valid: the tag of the key that made the signature expiring at ``moment``."""
    lifetime: timedelta | None = None
    """Valid: that signature's whole validity (expiration − inception)."""


def ds_records(results: Iterable[QueryResult], zone: dns.name.Name) -> list[DS]:
    """The DS records for ``zone`` in the parent servers' replies (each once)."""
    found: dict[str, DS] = {}
    for result in results:
        for rrset in result.answer:
            if rrset.rdtype == dns.rdatatype.DS and rrset.name == zone:
                for rdata in rrset:
                    found.setdefault(rdata.to_text(), rdata)
    return list(found.values())


def ds_ttl(results: Iterable[QueryResult], zone: dns.name.Name) -> int | None:
    """The longest TTL of ``zone``'s DS records in the parent servers' replies: how long
    resolvers may keep a DS record after the registry removes it."""
    ttls = [
        rrset.ttl
        for result in results
        for rrset in result.answer
        if rrset.rdtype == dns.rdatatype.DS and rrset.name == zone
    ]
    return max(ttls, default=None)


def dnskeys(result: QueryResult, zone: dns.name.Name) -> list[DNSKEY]:
    """The zone keys (flag 256) in a reply to a DNSKEY question for ``zone``."""
    return [
        rdata
        for rrset in result.answer
        if rrset.rdtype == dns.rdatatype.DNSKEY and rrset.name == zone
        for rdata in rrset
        if rdata.flags & Flag.ZONE
    ]


def key_tag(key: DNSKEY) -> int:
    """The key's tag (RFC 4034 appendix B), as DS records and signatures name it."""
    return dns.dnssec.key_id(key)


def algorithm_name(number: int) -> str:
    """An algorithm number as its mnemonic (``ECDSAP256SHA256``)."""
    return dns.dnssec.algorithm_to_text(number)


def matches(zone: dns.name.Name, ds: DS, key: DNSKEY) -> bool:
    """Whether ``ds`` is the digest of ``key``: same key tag, algorithm and digest."""
    if ds.key_tag != key_tag(key) or ds.algorithm != key.algorithm:
        return False
    try:
        made = dns.dnssec.make_ds(zone, key, ds.digest_type, validating=True)
    except (dns.exception.UnsupportedAlgorithm, dns.exception.DeniedByPolicy):
        return False
    return made.digest == ds.digest


def matching_keys(
    zone: dns.name.Name, ds_set: Sequence[DS], keys: Sequence[DNSKEY]
) -> list[DNSKEY]:
    """The served keys that some DS record of the parent matches: where the chain enters."""
    return [key for key in keys if any(matches(zone, ds, key) for ds in ds_set)]


def validatable(ds: DS) -> bool:
    """Whether a resolver (and webdig) can use ``ds``: a digest and an algorithm it knows.

    A DS record of an algorithm nobody can validate is ignored by resolvers (RFC 6840
    section 5.2), so only these can make a zone bogus.
    """
    if ds.digest_type not in _DIGESTS:
        return False
    try:
        get_algorithm_cls(ds.algorithm)
    except dns.exception.UnsupportedAlgorithm:
        return False
    probe = DNSKEY(dns.rdataclass.IN, dns.rdatatype.DNSKEY, 257, 3, ds.algorithm, b"")  # type: ignore[no-untyped-call]
    return dns.dnssec.default_policy.ok_to_validate(probe)


def suggested_ds(zone: dns.name.Name, keys: Sequence[DNSKEY]) -> list[str]:
    """DS records (SHA-256) for the served key-signing keys: what the registrar should hold."""
    signing = [key for key in keys if key.flags & Flag.SEP] or list(keys)
    found: list[str] = []
    for key in signing:
        try:
            text = dns.dnssec.make_ds(zone, key, "SHA256").to_text()
        except (dns.exception.UnsupportedAlgorithm, dns.exception.DeniedByPolicy):
            continue
        if text not in found:
            found.append(text)
    return found


def judge_reply(
    result: QueryResult, zone: dns.name.Name, keys: Sequence[DNSKEY], now: datetime
) -> Signatures:
    """The signatures of a reply's answer and authority records that belong to ``zone``.

    The first record set whose signatures fail decides; ``keys`` are the keys a resolver
    would accept for this answer (for the DNSKEY set itself: only those a DS matches).
    """
    question = result.query
    record = f"{question.hostname.ascii.rstrip('.')} {question.type_text}"
    response = result.response
    if response is None:
        return Signatures(record, Flaw.MISSING)
    keyset = dns.rdataset.Rdataset(dns.rdataclass.IN, dns.rdatatype.DNSKEY)
    for key in keys:
        keyset.add(key)
    # Of each record set's longest-lasting valid signature, the one that expires first.
    first: RRSIG | None = None
    for section in (response.answer, response.authority):
        for rrset in section:
            if not _signed_here(rrset, zone):
                continue
            sigs = _signatures_of(section, rrset)
            flaw, moment, lasting = _judge(rrset, sigs, zone, keyset, now)
            if flaw is not None:
                return Signatures(record, flaw, moment)
            if lasting is not None and (first is None or lasting.expiration < first.expiration):
                first = lasting
    if first is None:
        return Signatures(record, None)
    lifetime = timedelta(seconds=first.expiration - first.inception)
    return Signatures(record, None, _moment(first.expiration), first.key_tag, lifetime)


def _signed_here(rrset: dns.rrset.RRset, zone: dns.name.Name) -> bool:
    """Whether ``zone`` must sign ``rrset`` (not a signature, not a delegation, not another
    zone's data such as a CNAME target served from the same server)."""
    if rrset.rdtype == dns.rdatatype.RRSIG or not rrset.name.is_subdomain(zone):
        return False
    return not (rrset.rdtype == dns.rdatatype.NS and rrset.name != zone)


def _signatures_of(section: Sequence[dns.rrset.RRset], rrset: dns.rrset.RRset) -> list[RRSIG]:
    return [
        rdata
        for sigs in section
        if sigs.rdtype == dns.rdatatype.RRSIG and sigs.name == rrset.name
        for rdata in sigs
        if rdata.type_covered == rrset.rdtype
    ]


def _judge(
    rrset: dns.rrset.RRset,
    sigs: Sequence[RRSIG],
    zone: dns.name.Name,
    keyset: dns.rdataset.Rdataset,
    now: datetime,
) -> tuple[Flaw | None, datetime | None, RRSIG | None]:
    """(None, None, the valid signature that lasts longest), or the flaw and its moment.

    The longest-lasting one, because a resolver accepts any valid signature: a set is only
    about to go bogus when its last valid signature is.
    """
    if not sigs:
        return Flaw.MISSING, None, None
    stamp = now.timestamp()
    expired: list[int] = []
    early: list[int] = []
    lasting: RRSIG | None = None
    for sig in sigs:
        # Checked here rather than read from dnspython's exception text: the moment is wanted.
        if sig.expiration < stamp:
            expired.append(sig.expiration)
            continue
        if sig.inception > stamp:
            early.append(sig.inception)
            continue
        try:
            dns.dnssec.validate_rrsig(rrset, sig, {zone: keyset}, now=stamp)
        except (dns.exception.ValidationFailure, dns.exception.UnsupportedAlgorithm):
            continue
        if lasting is None or sig.expiration > lasting.expiration:
            lasting = sig
    if lasting is not None:
        return None, None, lasting
    if expired:
        return Flaw.EXPIRED, _moment(max(expired)), None
    if early:
        return Flaw.NOT_YET_VALID, _moment(min(early)), None
    return Flaw.INVALID, None, None


def _moment(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)
