"""Read a reply that dnspython refuses because one record's data will not parse.

dnspython rejects a whole message when a single rdata is malformed (an
HTTPS ``ech`` that is not a well-formed ECHConfigList, say), while BIND
serves such records and dig prints them.  The reply the server sent is
evidence, so :func:`from_wire_leniently` reads the message record by record
and keeps each record that will not parse as generic data (``\\# len hex``),
with a note naming the record and the reason.  Anything wrong outside rdata
(the header, a name, a record that runs past the end) still fails.
"""

from __future__ import annotations

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.wire

_HEADER = "!HHHHHH"
_RR_HEADER = "!HHIH"
_MAX_TTL = 0x7FFFFFFF


def from_wire_leniently(data: bytes) -> tuple[dns.message.Message, list[str]]:
    """Parse ``data`` keeping unparsable rdata as generic data; returns the message and notes.

    Raises :class:`dns.exception.DNSException` (or ``ValueError``) when the
    message itself is broken, not just a record's data.
    """
    parser = dns.wire.Parser(data)
    if parser.remaining() < 12:
        raise dns.message.ShortHeader
    query_id, flags, qdcount, *counts = parser.get_struct(_HEADER)
    message = dns.message.Message(id=query_id)
    message.flags = dns.flags.Flag(flags)
    for _ in range(qdcount):
        name = parser.get_name(decompress=True)
        rdtype, rdclass = parser.get_struct("!HH")
        message.find_rrset(
            message.question,
            name,
            dns.rdataclass.RdataClass.make(rdclass),
            dns.rdatatype.RdataType.make(rdtype),
            create=True,
            force_unique=True,
        )
    notes: list[str] = []
    sections = (message.answer, message.authority, message.additional)
    for section, count in zip(sections, counts, strict=True):
        for _ in range(count):
            _read_record(parser, message, section, notes)
    return message, notes


def _read_record(
    parser: dns.wire.Parser,
    message: dns.message.Message,
    section: list[dns.rrset.RRset],
    notes: list[str],
) -> None:
    name = parser.get_name(decompress=True)
    rdtype, rdclass, ttl, rdlen = parser.get_struct(_RR_HEADER)
    start = parser.current
    rdata = _rdata(parser, rdclass, rdtype, rdlen)
    if rdtype in (dns.rdatatype.OPT, dns.rdatatype.TSIG):
        # Not records but parts of the message: only a well-formed OPT, once,
        # in ADDITIONAL, as dnspython itself requires.
        if isinstance(rdata, str) or rdtype == dns.rdatatype.TSIG:
            raise ValueError(rdata if isinstance(rdata, str) else "a TSIG record")
        if section is not message.additional or message.opt is not None:
            raise ValueError("misplaced OPT record")
        message.opt = dns.rrset.from_rdata(name, ttl, rdata)
        return
    if isinstance(rdata, str):
        parser.seek(start)
        raw = parser.get_bytes(rdlen)
        shown = dns.rdatatype.to_text(dns.rdatatype.RdataType.make(rdtype))
        notes.append(
            f";; webdig: the {shown} record of {name} could not be parsed ({rdata}); "
            "it is shown as received"
        )
        rdata = dns.rdata.GenericRdata(
            dns.rdataclass.RdataClass.make(rdclass), dns.rdatatype.RdataType.make(rdtype), raw
        )
    covers = rdata.covers() if not isinstance(rdata, dns.rdata.GenericRdata) else 0
    rrset = message.find_rrset(
        section,
        name,
        rdata.rdclass,
        rdata.rdtype,
        dns.rdatatype.RdataType.make(covers),
        create=True,
    )
    rrset.add(rdata, ttl if ttl <= _MAX_TTL else 0)


def _rdata(parser: dns.wire.Parser, rdclass: int, rdtype: int, rdlen: int) -> dns.rdata.Rdata | str:
    """The parsed rdata, or why it would not parse."""
    try:
        with parser.restrict_to(rdlen):
            return dns.rdata.from_wire_parser(
                dns.rdataclass.RdataClass.make(rdclass),
                dns.rdatatype.RdataType.make(rdtype),
                parser,
            )
    except (dns.exception.DNSException, ValueError, IndexError) as exc:
        return str(exc) or type(exc).__name__
