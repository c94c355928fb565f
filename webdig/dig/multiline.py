"""Rdata as ``dig +multiline`` prints it: long records in parentheses over several lines.

Only the types BIND 9.18 lays out differently in multiline mode are here:
SOA (one field per line with a comment), DNSKEY/CDNSKEY/KEY (the key in
44-character chunks and a comment naming the key), RRSIG/SIG, the types that
end in a base64 or hex blob (DS, CDS, TA, TLSA, SSHFP, ZONEMD, CERT, OPENPGPKEY,
IPSECKEY, SINK, EID, NIMLOC, DHCID with a comment), HIP (its key never split), NSEC3 (next owner
and types on lines of their own) and unknown data (``\\# N ( hex )``).  Every
other type prints as on one line, as dig does.  Continuation lines start at
column 32, dig's rdata column in multiline mode.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import dns.dnssec
import dns.rdata
import dns.rdatatype

LINEBREAK = "\n" + "\t" * 4
"""A new line, then tabs to column 32."""
CHUNK = 44
"""dig +multiline cuts base64 and hex into 44-character pieces."""

_T = dns.rdatatype.RdataType
_TIME_UNITS = (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
_NO_SPLIT = dns.rdata.RdataStyle(base64_chunk_size=0, hex_chunk_size=0)
_REVOKE = 0x0080
_SEP = 0x0001


def duration(seconds: int) -> str:
    """BIND's verbose TTL: ``1 hour``, ``1 day 2 hours``, ``0 seconds``."""
    words = []
    for unit, size in _TIME_UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            words.append(f"{count} {unit}{'s' if count != 1 else ''}")
    return " ".join(words) or "0 seconds"


def multiline_rdata(rdata: dns.rdata.Rdata) -> str | None:
    """The multiline form of ``rdata``, or None where it is the one-line form."""
    if isinstance(rdata, dns.rdata.GenericRdata):
        # An SVCB/HTTPS record dnspython refused still prints as SVCB, on one line.
        return None if rdata.rdtype in (_T.SVCB, _T.HTTPS) else unknown_rdata(rdata.data)
    render = _FORMS.get(rdata.rdtype)
    return render(rdata) if render is not None else None


def unknown_rdata(data: bytes) -> str:
    """RFC 3597 data the way dig +multiline prints it: ``\\# 4 ( 0A000001 )``."""
    if not data:
        return "\\# 0"
    return f"\\# {len(data)} ( {_pieces(data.hex().upper())} )"


def _pieces(text: str) -> str:
    return LINEBREAK.join(text[i : i + CHUNK] for i in range(0, len(text), CHUNK))


def _soa(rdata: dns.rdata.Rdata) -> str:
    mname, rname, serial, refresh, retry, expire, minimum = rdata.to_text().split(" ")
    rows = [f"{serial:<10} ; serial"]
    for value, label in (
        (refresh, "refresh"),
        (retry, "retry"),
        (expire, "expire"),
        (minimum, "minimum"),
    ):
        rows.append(f"{value:<10} ; {label} ({duration(int(value))})")
    return f"{mname} {rname} (" + "".join(LINEBREAK + row for row in rows) + LINEBREAK + ")"


def _key(rdata: dns.rdata.Rdata) -> str:
    flags, protocol, algorithm = (getattr(rdata, a) for a in ("flags", "protocol", "algorithm"))
    key = base64.b64encode(getattr(rdata, "key", b"")).decode()
    # DNSKEY and CDNSKEY say the key's role; dig names nothing for KEY.
    info = ""
    if rdata.rdtype in (_T.DNSKEY, _T.CDNSKEY):
        role = "KSK" if flags & _SEP else "ZSK"
        info = f" ; revoked {role}" if flags & _REVOKE else f" ; {role}"
    try:
        tag = str(dns.dnssec.key_id(rdata))  # type: ignore[arg-type]
    except (ValueError, TypeError, IndexError):
        tag = "?"
    return (
        f"{flags} {protocol} {int(algorithm)} ("
        f"{LINEBREAK}{_pieces(key)}{LINEBREAK}"
        f"){info}; alg = {_algorithm_name(algorithm)} ; key id = {tag}"
    )


def _algorithm_name(number: int) -> str:
    try:
        return dns.dnssec.algorithm_to_text(number)
    except ValueError:
        return str(int(number))


def _signature(rdata: dns.rdata.Rdata) -> str:
    words = rdata.to_text(style=_NO_SPLIT).split(" ")
    head, times, blob = words[:4], words[4:8], "".join(words[8:])
    return " ".join(head) + " (" + LINEBREAK + " ".join(times) + LINEBREAK + _pieces(blob) + " )"


def _hex_tail(rdata: dns.rdata.Rdata) -> str:
    text = rdata.to_text(style=_NO_SPLIT)
    head, _, blob = text.rpartition(" ")
    return f"{head} ({LINEBREAK}{_pieces(blob.upper())} )"


def _base64_tail(rdata: dns.rdata.Rdata) -> str:
    """CERT: the fields, then the certificate from the next line on."""
    head, _, blob = rdata.to_text(style=_NO_SPLIT).rpartition(" ")
    return f"{head} ({LINEBREAK}{_pieces(blob)} )"


def _open_base64(rdata: dns.rdata.Rdata) -> str:
    """OPENPGPKEY and IPSECKEY: the parenthesis opens the rdata, the key goes on from it."""
    head, _, blob = rdata.to_text(style=_NO_SPLIT).rpartition(" ")
    return "( " + (f"{head}{LINEBREAK}" if head else "") + f"{_pieces(blob)} )"


def _open_hex(rdata: dns.rdata.Rdata) -> str:
    """EID and NIMLOC: all hex, inside the parentheses."""
    return f"( {_pieces(rdata.to_text().upper())} )"


def _dhcid(rdata: dns.rdata.Rdata) -> str:
    """DHCID, with dig's comment: identifier type, digest type, digest length."""
    data: bytes = getattr(rdata, "data", b"")
    text = f"( {_pieces(base64.b64encode(data).decode())} )"
    if len(data) < 3:
        return text
    return f"{text} ; {int.from_bytes(data[:2], 'big')} {data[2]} {len(data) - 3}"


def _hip(rdata: dns.rdata.Rdata) -> str:
    """HIP: algorithm and HIT, then the key (never split) and each rendezvous server."""
    algorithm, hit, key, *servers = rdata.to_text(style=_NO_SPLIT).split(" ")
    rows = [key, *servers]
    return f"( {algorithm} {hit.upper()}" + "".join(LINEBREAK + row for row in rows) + " )"


def _nsec3(rdata: dns.rdata.Rdata) -> str:
    """NSEC3: the hash parameters, then the next hashed owner and the types on their own lines."""
    algorithm, flags, iterations, salt, following, *types = rdata.to_text().split(" ")
    rows = [following.upper()] + ([" ".join(types)] if types else [])
    head = f"{algorithm} {flags} {iterations} {salt.upper()} ("
    return head + "".join(LINEBREAK + row for row in rows) + " )"


_FORMS: dict[int, Callable[[dns.rdata.Rdata], str]] = {
    _T.SOA: _soa,
    _T.DNSKEY: _key,
    _T.CDNSKEY: _key,
    _T.KEY: _key,
    _T.RRSIG: _signature,
    _T.SIG: _signature,
    _T.DS: _hex_tail,
    _T.CDS: _hex_tail,
    _T.DLV: _hex_tail,
    _T.TLSA: _hex_tail,
    _T.SMIMEA: _hex_tail,
    _T.SSHFP: _hex_tail,
    _T.ZONEMD: _hex_tail,
    _T.CERT: _base64_tail,
    _T.OPENPGPKEY: _open_base64,
    _T.IPSECKEY: _open_base64,
    _T.DHCID: _dhcid,
    _T.HIP: _hip,
    _T.NSEC3: _nsec3,
    # Read by webdig.engine.bindtypes (dnspython has no names for them):
    57: _key,  # RKEY
    32768: _hex_tail,  # TA
    40: _base64_tail,  # SINK
    31: _open_hex,  # EID
    32: _open_hex,  # NIMLOC
}
