"""Record types BIND 9.18 knows and dnspython does not, taught to dnspython.

dnspython reads MB, MG, MR, MD, MF, MINFO, A6, NXT and TA as opaque data, and does not
know SINK, EID, NIMLOC, ATMA, TALINK, DOA, RKEY, UINFO, UID or GID at all.  dig
names and prints every one of them, so webdig must too: a reply's MB target may
even be a compression pointer into the message, which only a reader of the whole
message can follow.  :func:`register` gives dnspython a reader for each (its
``to_text`` is BIND's one-line text, long blobs unsplit, as dnspython's own
types with ``base64_chunk_size=0``) and the mnemonics, so that ``TALINK`` is a
type on the command line and in the form.  UINFO, UID and GID only get their
names: BIND prints their data as ``\\# N hex`` too.

Registering is global to the process and done once, when :mod:`webdig.engine`
is imported.
"""

from __future__ import annotations

import base64
import ipaddress
from typing import Any

import dns.immutable
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.dnskeybase
import dns.rdtypes.dsbase
import dns.wire


@dns.immutable.immutable
class _BindRdata(dns.rdata.Rdata):
    """Rdata read from the wire and printed as BIND prints it; never written back."""

    __slots__ = ["fields"]

    def __init__(self, rdclass: Any, rdtype: Any, fields: tuple[Any, ...]) -> None:
        super().__init__(rdclass, rdtype)
        self.fields = fields

    def to_styled_text(self, style: dns.rdata.RdataStyle) -> str:
        """BIND's presentation of the data, whatever the style."""
        return self.text()

    def text(self) -> str:
        """BIND's presentation of ``fields``."""
        raise NotImplementedError

    def _to_wire(
        self, file: Any, compress: Any = None, origin: Any = None, canonicalize: bool = False
    ) -> None:
        # Compared and hashed through their wire form: names without compression.
        for field in self.fields:
            if isinstance(field, dns.name.Name):
                field.to_wire(file, None, origin, canonicalize)
            elif isinstance(field, bytes):
                file.write(field)
            else:
                file.write(str(field).encode())


@dns.immutable.immutable
class _Names(_BindRdata):
    """MB, MG, MR, MD, MF (one name) and MINFO (two): RFC 1035's types, whose names a
    server may compress."""

    count = 1
    compressed = True

    @classmethod
    def from_wire_parser(
        cls, rdclass: Any, rdtype: Any, parser: dns.wire.Parser, origin: Any = None
    ) -> _Names:
        """The names, following compression pointers where the type allows them."""
        names = (parser.get_name(origin, cls.compressed) for _ in range(cls.count))
        return cls(rdclass, rdtype, tuple(names))

    def text(self) -> str:
        return " ".join(name.to_text() for name in self.fields)


@dns.immutable.immutable
class _NamePair(_Names):
    count = 2


@dns.immutable.immutable
class _TALINK(_Names):
    """TALINK: two names, never compressed (RFC 3597 types)."""

    count = 2
    compressed = False


@dns.immutable.immutable
class A6(_BindRdata):
    """A6 (RFC 2874): prefix length, the address suffix, the prefix's name."""

    @classmethod
    def from_wire_parser(
        cls, rdclass: Any, rdtype: Any, parser: dns.wire.Parser, origin: Any = None
    ) -> A6:
        """Prefix length, then the suffix's bytes, then the prefix name unless it is 0."""
        length = parser.get_uint8()
        octets = 16 - length // 8
        suffix = parser.get_bytes(octets)
        prefix = parser.get_name(origin) if length else None
        return cls(rdclass, rdtype, (length, suffix, prefix))

    def text(self) -> str:
        length, suffix, prefix = self.fields
        # BIND masks the bits of the first byte that belong to the prefix.
        address = bytearray(16 - len(suffix)) + bytearray(suffix)
        if suffix:
            address[16 - len(suffix)] &= 0xFF >> (length % 8)
        shown = str(ipaddress.IPv6Address(bytes(address))) if suffix else ""
        words = [str(length), shown]
        if prefix is not None:
            words.append(prefix.to_text())
        return " ".join(words)


@dns.immutable.immutable
class NXT(_BindRdata):
    """NXT (RFC 2535, DNSSEC's first denial record): the next name, then its types."""

    @classmethod
    def from_wire_parser(
        cls, rdclass: Any, rdtype: Any, parser: dns.wire.Parser, origin: Any = None
    ) -> NXT:
        """The next name (never compressed), then a bitmap with a bit per type."""
        return cls(rdclass, rdtype, (parser.get_name(origin), parser.get_remaining()))

    def text(self) -> str:
        following, bitmap = self.fields
        numbers = [
            index * 8 + bit
            for index, byte in enumerate(bitmap)
            for bit in range(8)
            if byte & (0x80 >> bit)
        ]
        # A type without a mnemonic is its bare number here (not TYPE127).
        return " ".join([following.to_text(), *(_nxt_type(n) for n in numbers)])


def _nxt_type(number: int) -> str:
    """A type in an NXT bitmap: its mnemonic, or its bare number (not ``TYPE127``)."""
    name = dns.rdatatype.to_text(dns.rdatatype.RdataType.make(number))
    return str(number) if name.startswith("TYPE") else name


@dns.immutable.immutable
class SINK(_BindRdata):
    """SINK: meaning, coding, subcoding, then data in base64."""

    @classmethod
    def from_wire_parser(
        cls, rdclass: Any, rdtype: Any, parser: dns.wire.Parser, origin: Any = None
    ) -> SINK:
        """Three bytes of codes, then the data."""
        return cls(rdclass, rdtype, (*parser.get_struct("!BBB"), parser.get_remaining()))

    def text(self) -> str:
        meaning, coding, subcoding, data = self.fields
        return f"{meaning} {coding} {subcoding} {base64.b64encode(data).decode()}"


@dns.immutable.immutable
class _Hex(_BindRdata):
    """EID and NIMLOC: the data in upper-case hex."""

    @classmethod
    def from_wire_parser(
        cls, rdclass: Any, rdtype: Any, parser: dns.wire.Parser, origin: Any = None
    ) -> _Hex:
        """All of the data."""
        return cls(rdclass, rdtype, (parser.get_remaining(),))

    def text(self) -> str:
        return str(self.fields[0].hex().upper())


@dns.immutable.immutable
class ATMA(_BindRdata):
    """ATMA: an NSAP address in lower-case hex (format 0) or an E.164 number (``+digits``)."""

    @classmethod
    def from_wire_parser(
        cls, rdclass: Any, rdtype: Any, parser: dns.wire.Parser, origin: Any = None
    ) -> ATMA:
        """The format byte, then the address."""
        return cls(rdclass, rdtype, (parser.get_uint8(), parser.get_remaining()))

    def text(self) -> str:
        kind, address = self.fields
        if kind == 1:
            return "+" + str(address.decode("ascii", "replace"))
        return str(address.hex())


@dns.immutable.immutable
class DOA(_BindRdata):
    """DOA: enterprise, type, location, media type (quoted), data in base64 (``-`` if none)."""

    @classmethod
    def from_wire_parser(
        cls, rdclass: Any, rdtype: Any, parser: dns.wire.Parser, origin: Any = None
    ) -> DOA:
        """Two 32-bit numbers, a byte, a character-string, then the data."""
        enterprise, kind, location = parser.get_struct("!IIB")
        media = parser.get_counted_bytes()
        return cls(rdclass, rdtype, (enterprise, kind, location, media, parser.get_remaining()))

    def text(self) -> str:
        enterprise, kind, location, media, data = self.fields
        shown = base64.b64encode(data).decode() if data else "-"
        return f'{enterprise} {kind} {location} "{_quoted(media)}" {shown}'


def _quoted(data: bytes) -> str:
    """A character-string's inside as BIND escapes it."""
    out = []
    for byte in data:
        if byte in (0x22, 0x5C):
            out.append("\\" + chr(byte))
        elif byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:03d}")
        else:
            out.append(chr(byte))
    return "".join(out)


@dns.immutable.immutable
class RKEY(dns.rdtypes.dnskeybase.DNSKEYBase):
    """RKEY: laid out as KEY."""


@dns.immutable.immutable
class TA(dns.rdtypes.dsbase.DSBase):
    """TA (DNSSEC trust anchor): laid out as DS."""


_T = dns.rdatatype.RdataType
# The classes webdig asks about.  Each is registered on its own: dnspython remembers
# "no reader" per class, so a reader for class ANY could lose to an earlier miss.
_ANY = (dns.rdataclass.IN, dns.rdataclass.CH, dns.rdataclass.HS)
_IN = (dns.rdataclass.IN,)
_READERS: tuple[
    tuple[int, str, type[dns.rdata.Rdata], tuple[dns.rdataclass.RdataClass, ...]], ...
] = (
    (3, "MD", _Names, _ANY),
    (4, "MF", _Names, _ANY),
    (7, "MB", _Names, _ANY),
    (8, "MG", _Names, _ANY),
    (9, "MR", _Names, _ANY),
    (14, "MINFO", _NamePair, _ANY),
    (58, "TALINK", _TALINK, _ANY),
    (38, "A6", A6, _IN),
    (30, "NXT", NXT, _ANY),
    (40, "SINK", SINK, _ANY),
    (31, "EID", _Hex, _IN),
    (32, "NIMLOC", _Hex, _IN),
    (34, "ATMA", ATMA, _IN),
    (259, "DOA", DOA, _ANY),
    (57, "RKEY", RKEY, _ANY),
    (32768, "TA", TA, _ANY),
)
_NAMES_ONLY = ((100, "UINFO"), (101, "UID"), (102, "GID"))
MNEMONICS = tuple(sorted({mnemonic for _, mnemonic, _, _ in _READERS} | {"UINFO", "UID", "GID"}))
"""The names of the types taught here (dnspython's enum does not list them)."""


def register() -> None:
    """Teach dnspython the types above (once: a type it reads already is left alone)."""
    for number, mnemonic, reader, rdclasses in _READERS:
        for rdclass in rdclasses:
            known = dns.rdata.get_rdata_class(rdclass, _T.make(number))  # type: ignore[no-untyped-call]
            if known is dns.rdata.GenericRdata:
                dns.rdata.register_type(reader, number, mnemonic, rdclass=rdclass)
    names = [*((number, mnemonic) for number, mnemonic, _, _ in _READERS), *_NAMES_ONLY]
    for number, mnemonic in names:
        dns.rdatatype.register_type(_T.make(number), mnemonic)
    # dnspython makes a new object for each unknown number, named as the number was named
    # then: register once more, so that from_text("UINFO") gives one whose name is UINFO.
    for number, mnemonic in names:
        dns.rdatatype.register_type(_T.make(number), mnemonic)
