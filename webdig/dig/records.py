"""Resource records as BIND 9.18's ``dig`` prints them, one line each.

dnspython's ``to_text`` is close to BIND's presentation format but not the
same, and the differences matter because webdig promises dig's output byte
for byte.  Every rule here was checked against ``dig`` 9.18:

* columns: the owner is followed by tabs (or one space) up to column 24, the
  TTL to 32, the class to 40 and the type to 48 (BIND's ``indent()``);
* base64 in DNSKEY/CDNSKEY/KEY/RKEY, RRSIG/SIG, CERT, OPENPGPKEY and SINK is
  split into 56-character chunks, while DHCID, IPSECKEY, HIP and DOA data is never split;
* hex is upper case; in DS/CDS/DLV/TA, TLSA/SMIMEA, SSHFP, ZONEMD, EID/NIMLOC and
  unknown (``\\#``) rdata it is split into 56-character chunks; ``\\# 0`` has no
  trailing space; NSEC3 salts and next-owner hashes and HIP HITs are upper case;
* SVCB/HTTPS values are unquoted except ``alpn`` and ``keyNNNNN`` (with
  BIND's escaping, a space in ``alpn`` becomes ``\\032``); ``dohpath`` is
  ``key7``;
* LOC always shows size and precisions, whole metres without decimals;
  GPOS fields are quoted; L64/NID groups drop leading zeros;
* type 128 is ``TYPE128`` (BIND 9.18 has no NXNAME mnemonic).
"""

from __future__ import annotations

import base64
import functools
import io
import ipaddress
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.ipv6
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.wire
import idna

from webdig.dig.multiline import multiline_rdata

TAB_WIDTH = 8
TTL_COLUMN = 24
CLASS_COLUMN = 32
TYPE_COLUMN = 40
RDATA_COLUMN = 48
SPLIT_WIDTH = 56
"""dig's default ``+split``: long base64/hex fields are cut every 56 characters."""

# dnspython splits base64 itself; every blob is re-chunked here instead.
_NO_SPLIT = dns.rdata.RdataStyle(base64_chunk_size=0, hex_chunk_size=0)

_T = dns.rdatatype.RdataType
# Types whose last field is a base64 or hex blob that dig splits.
# SINK (40), RKEY (57), EID (31), NIMLOC (32) and TA (32768) are read by
# webdig.engine.bindtypes: dnspython has no names for them.
_BASE64_TAIL = {_T.DNSKEY, _T.CDNSKEY, _T.KEY, _T.RRSIG, _T.SIG, _T.CERT, _T.OPENPGPKEY, 40, 57}
_HEX_TAIL = {_T.DS, _T.CDS, _T.DLV, _T.TLSA, _T.SMIMEA, _T.SSHFP, _T.ZONEMD, 31, 32, 32768}
_BITMAP_TYPES = {_T.NSEC, _T.NSEC3, _T.CSYNC}

_SVC_KEYS = ("mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint")


# Naming a type or class went through dnspython's enum machinery several
# times per record line; there are only a few thousand of them.
@functools.lru_cache(maxsize=1024)
def type_text(rdtype: int) -> str:
    """A type mnemonic as dig 9.18 prints it (``A``, ``TYPE65534``)."""
    if rdtype == 128:
        return "TYPE128"
    return dns.rdatatype.to_text(dns.rdatatype.RdataType.make(rdtype))


@functools.lru_cache(maxsize=256)
def class_text(rdclass: int) -> str:
    """A class mnemonic as dig prints it (``IN``, ``CLASS5``)."""
    return dns.rdataclass.to_text(dns.rdataclass.RdataClass.make(rdclass))


@dataclass(frozen=True)
class Style:
    """How dig lays out records: the ``+[no]ttlid``, ``+[no]class``, ``+ttlunits``,
    ``+multiline`` and ``+idnout`` options (defaults as dig's)."""

    ttl: bool = True
    rrclass: bool = True
    ttlunits: bool = False
    multiline: bool = False
    idnout: bool = False

    @property
    def columns(self) -> tuple[int, int, int, int]:
        """TTL, class, type and rdata columns, as dig 9.18 chooses them."""
        if self.multiline or not (self.ttl or self.rrclass):
            return (24, 24, 24, 32)
        if not (self.ttl and self.rrclass):
            return (24, 24, 32, 40)
        return (TTL_COLUMN, CLASS_COLUMN, TYPE_COLUMN, RDATA_COLUMN)


DEFAULT_STYLE = Style()


def record_lines(rrset: dns.rrset.RRset, style: Style = DEFAULT_STYLE) -> list[str]:
    """One dig-format entry per record: owner, TTL, class, type, rdata.

    With ``+multiline`` an entry may span several lines (joined by ``\\n``).
    """
    owner = name_text(rrset.name, style)
    ttl_column, class_column, type_column, rdata_column = style.columns
    fields = []
    if style.ttl:
        ttl = ttl_units(rrset.ttl) if style.ttlunits else str(rrset.ttl)
        fields.append((ttl_column, ttl))
    if style.rrclass:
        fields.append((class_column, class_text(rrset.rdclass)))
    fields.append((type_column, type_text(rrset.rdtype)))
    prefix, column = _layout(owner, fields)
    pad, _ = _indent(column, rdata_column)
    return [prefix + pad + rdata_text(rdata, style) for rdata in rrset]


def question_line(rrset: dns.rrset.RRset, style: Style = DEFAULT_STYLE) -> str:
    """The QUESTION SECTION line, e.g. ``;www.example.\\t\\tIN\\tA``."""
    # The leading ";" does not count: BIND lays out the name from column 0.
    # The class is printed even with +noclass.
    _, class_column, type_column, _ = style.columns
    fields = ((class_column, class_text(rrset.rdclass)), (type_column, type_text(rrset.rdtype)))
    text, _ = _layout(name_text(rrset.name, style), fields)
    return ";" + text


def name_text(name: dns.name.Name, style: Style = DEFAULT_STYLE) -> str:
    """A name as dig prints it: presentation format, U-labels with ``+idnout``."""
    text = _presentation(name.labels)
    return to_unicode(text) if style.idnout and "xn--" in text.lower() else text


@functools.lru_cache(maxsize=4096)
def _presentation(labels: tuple[bytes, ...]) -> str:
    # dnspython escapes a name byte by byte in Python, and every reply repeats its question
    # name in each section, the JSON and the dig text: the labels say all the text depends on.
    return dns.name.Name(labels).to_text()


def to_unicode(text: str) -> str:
    """A presentation-format name with its A-labels shown as U-labels, as dig's +idnout.

    Like dig, a name that does not convert cleanly is left as it is.
    """
    try:
        idna.decode(text.rstrip(".") or ".")
    except (idna.IDNAError, UnicodeError, ValueError):
        return text
    # It converts: decode each A-label by itself, so that letters keep the case they
    # have on the wire (dig prints XN--BCHER-KVA as BüCHER, and other labels as they are).
    return ".".join(_u_label(label) for label in text.split("."))


def _u_label(label: str) -> str:
    if label[:4].lower() != "xn--":
        return label
    return str(label[4:].encode("ascii").decode("punycode"))


_IDN_NAME = re.compile(r"(?<!\S)([A-Za-z0-9_.-]*[xX][nN]--[A-Za-z0-9_.-]*\.)(?!\S)")


def rdata_text(rdata: dns.rdata.Rdata, style: Style = DEFAULT_STYLE) -> str:
    """The rdata of one record exactly as dig prints it (also dig ``+short``)."""
    text = _rdata_text(rdata, style)
    if style.idnout and "xn--" in text.lower():
        text = _IDN_NAME.sub(lambda match: to_unicode(match.group(1)), text)
    return text


def _rdata_text(rdata: dns.rdata.Rdata, style: Style) -> str:
    if style.multiline:
        shown = multiline_rdata(rdata)
        if shown is not None:
            return shown
    if isinstance(rdata, dns.rdata.GenericRdata):
        if rdata.rdtype in (_T.SVCB, _T.HTTPS):
            # dnspython refused the data (an ech that is not an
            # ECHConfigList); BIND prints such values all the same.
            return svcb_from_wire(rdata.data) or _generic(rdata.data)
        return _generic(rdata.data)
    rdtype = rdata.rdtype
    special = _SPECIAL.get(rdtype)
    if special is not None:
        return special(rdata)
    text = rdata.to_text(style=_NO_SPLIT)
    if rdtype in _BASE64_TAIL or rdtype in _HEX_TAIL:
        head, _, blob = text.rpartition(" ")
        blob = _chunks(blob if rdtype in _BASE64_TAIL else blob.upper())
        return f"{head} {blob}" if head else blob
    if rdtype in _BITMAP_TYPES:
        text = " ".join("TYPE128" if word == "NXNAME" else word for word in text.split(" "))
    if rdtype == _T.NSEC3:
        # Salt and next hashed owner: BIND prints both in upper case.
        words = text.split(" ", 5)
        words[3], words[4] = words[3].upper(), words[4].upper()
        return " ".join(words)
    if rdtype == _T.NSEC3PARAM:
        words = text.split(" ")
        words[3] = words[3].upper()
        return " ".join(words)
    return text


_TTL_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60))


def ttl_units(ttl: int) -> str:
    """A TTL as ``+ttlunits`` prints it: ``5m``, ``1h30m``, ``0s``."""
    parts = []
    for unit, size in _TTL_UNITS:
        count, ttl = divmod(ttl, size)
        if count:
            parts.append(f"{count}{unit}")
    if ttl or not parts:
        parts.append(f"{ttl}s")
    return "".join(parts)


def _generic(data: bytes) -> str:
    if not data:
        return "\\# 0"
    return f"\\# {len(data)} {_chunks(data.hex().upper())}"


def _chunks(blob: str) -> str:
    return " ".join(blob[i : i + SPLIT_WIDTH] for i in range(0, len(blob), SPLIT_WIDTH))


def _hip(rdata: dns.rdata.Rdata) -> str:
    algorithm, hit, rest = rdata.to_text(style=_NO_SPLIT).split(" ", 2)
    return f"{algorithm} {hit.upper()} {rest}"


def _hex_groups(rdata: dns.rdata.Rdata) -> str:
    """L64 and NID: BIND prints each 16-bit group with ``%x``."""
    preference, groups = rdata.to_text().split(" ", 1)
    return preference + " " + ":".join(f"{int(group, 16):x}" for group in groups.split(":"))


def _gpos(rdata: dns.rdata.Rdata) -> str:
    wire = rdata.to_wire() or b""
    fields, offset = [], 0
    while offset < len(wire):
        length = wire[offset]
        fields.append('"' + escape_bytes(wire[offset + 1 : offset + 1 + length]) + '"')
        offset += 1 + length
    return " ".join(fields)


def _loc(rdata: dns.rdata.Rdata) -> str:
    # dnspython omits default precisions and prints "10000.00m"; BIND always
    # prints all three from the wire bytes, whole metres without decimals.
    wire = rdata.to_wire() or b""
    position = rdata.to_text().split(" ")[:9]
    return " ".join([*position, *(_loc_precision(byte) + "m" for byte in wire[1:4])])


def _loc_precision(byte: int) -> str:
    mantissa, exponent = byte >> 4, byte & 0x0F
    if exponent > 1:
        return str(mantissa) + "0" * (exponent - 2)
    return f"0.{mantissa * 10**exponent:02d}"


def _svcb(rdata: dns.rdata.Rdata) -> str:
    head = rdata.to_text().split(" ", 2)[:2]  # priority and target name
    params: dict[int, Any] = getattr(rdata, "params", {})
    words = list(head)
    for key in sorted(params):
        buffer = io.BytesIO()
        if params[key] is not None:  # dnspython keeps no-default-alpn as None
            params[key].to_wire(buffer)
        words.append(_svc_param(int(key), buffer.getvalue()))
    return " ".join(words)


def svcb_from_wire(data: bytes) -> str | None:
    """SVCB/HTTPS rdata from its wire bytes, as BIND prints it; None if it is not SVCB-shaped."""
    try:
        parser = dns.wire.Parser(data)
        priority = parser.get_uint16()
        target = parser.get_name()
        words = [str(priority), target.to_text()]
        while parser.remaining():
            key, length = parser.get_struct("!HH")
            words.append(_svc_param(key, parser.get_bytes(length)))
        return " ".join(words)
    except (dns.exception.DNSException, struct.error, ValueError, IndexError):
        return None


def _svc_key(key: int) -> str:
    return _SVC_KEYS[key] if key < len(_SVC_KEYS) else f"key{key}"


def _svc_param(key: int, value: bytes) -> str:
    name = _svc_key(key)
    if key == 0:
        keys = struct.unpack(f"!{len(value) // 2}H", value)
        return f"{name}={','.join(_svc_key(k) for k in keys)}"
    if key == 1:
        ids, offset = [], 0
        while offset < len(value):
            length = value[offset]
            item = value[offset + 1 : offset + 1 + length]
            # Two escaping layers: the comma-separated list, then the quoted string.
            ids.append(escape_bytes(item.replace(b"\\", b"\\\\").replace(b",", b"\\,"), space=True))
            offset += 1 + length
        return f'{name}="{",".join(ids)}"'
    if key == 3:
        return f"{name}={struct.unpack('!H', value)[0]}"
    if key == 4:
        hints = (str(ipaddress.IPv4Address(value[i : i + 4])) for i in range(0, len(value), 4))
        return f"{name}={','.join(hints)}"
    if key == 5:
        return f"{name}={base64.b64encode(value).decode()}"
    if key == 6:
        hints = (dns.ipv6.inet_ntoa(value[i : i + 16]) for i in range(0, len(value), 16))
        return f"{name}={','.join(hints)}"
    if not value:
        return name
    return f'{name}="{escape_bytes(value)}"'


def escape_bytes(data: bytes, *, space: bool = False) -> str:
    """Escape a character-string like BIND inside quotes (``\\"``, ``\\\\``, ``\\DDD``).

    ``space=True`` also escapes the space, as BIND does inside ``alpn``.
    """
    out = []
    for byte in data:
        if byte in (0x22, 0x5C):
            out.append("\\" + chr(byte))
        elif byte < 0x20 or byte >= 0x7F or (space and byte == 0x20):
            out.append(f"\\{byte:03d}")
        else:
            out.append(chr(byte))
    return "".join(out)


_SPECIAL: dict[int, Callable[[dns.rdata.Rdata], str]] = {
    _T.HIP: _hip,
    _T.L64: _hex_groups,
    _T.NID: _hex_groups,
    _T.GPOS: _gpos,
    _T.LOC: _loc,
    _T.SVCB: _svcb,
    _T.HTTPS: _svcb,
}


def _indent(column: int, to: int) -> tuple[str, int]:
    """BIND's ``indent()``: tabs, then spaces, to reach ``to`` (at least one)."""
    to = max(to, column + 1)
    tabs = to // TAB_WIDTH - column // TAB_WIDTH
    if tabs > 0:
        return "\t" * tabs + " " * (to % TAB_WIDTH), to
    return " " * (to - column), to


def _layout(first: str, fields: Iterable[tuple[int, str]]) -> tuple[str, int]:
    """``first``, then each field at its column; returns the text and its width."""
    # BIND counts bytes: a U-label owner (+idnout) takes its UTF-8 width.
    text, column = first, len(first.encode())
    for to, field in fields:
        pad, column = _indent(column, to)
        text += pad + field
        column += len(field)
    return text, column
