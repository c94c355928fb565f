"""A hostile nameserver on loopback: every way a reply can be broken or lying.

The first label of the question picks the behaviour, so one server covers
every case (``short.evil.test``, ``loop.evil.test``…).  Used by the tests
that prove a hostile server yields an explained row, never a 500 or a hung
worker, through the engine, the page, the API and the CLI.
"""

from __future__ import annotations

import struct
from functools import cache

import dns.flags
import dns.message
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset

from tests.support.fakeserver import FakeServer, framed

CASES = (
    "short", "wrongid", "junk", "loop", "tcgarbage", "dribble", "otherq", "outzone",
    "big", "ttl", "ctrl", "silent", "badname",
)  # fmt: skip
MUTE = frozenset({"wrongid", "otherq", "dribble", "silent"})
"""Cases whose server never sends a usable reply in time: silence, a wrong id, another
question, or a TCP reply dribbled over seconds; they are asked with the short timeouts."""
TIMEOUT = 5.0
DEADLINE = 10.0
"""For the cases that reply: generous, so a reply that a loaded machine reads late still
counts (a look-up's own work takes milliseconds; at a load of 25 the server's thread gets a
twelfth of a core)."""
MUTE_TIMEOUT = 0.5
MUTE_DEADLINE = 3.0
"""For the :data:`MUTE` cases: the wait is all they show, so it is kept short."""


def _response(query: dns.message.Message) -> dns.message.Message:
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    return response


def _add(
    response: dns.message.Message, name: str | dns.name.Name, ttl: int, rdtype: str, text: str
) -> None:
    owner = dns.name.from_text(name) if isinstance(name, str) else name
    rrset = dns.rrset.from_text(owner, ttl, "IN", rdtype, text)
    response.answer.append(rrset)


def _case(query: dns.message.Message) -> str:
    return query.question[0].name.labels[0].decode("ascii", "replace").lower()


def udp(query: dns.message.Message, wire: bytes) -> list[bytes]:
    """The UDP side of every hostile behaviour."""
    case, qname = _case(query), query.question[0].name
    response = _response(query)
    if case == "silent":
        return []
    if case == "short":
        return [wire[:5]]
    if case == "wrongid":
        response.id = (query.id + 7) % 65536
        return [response.to_wire()]
    if case == "junk":
        _add(response, qname, 300, "A", "192.0.2.66")
        return [response.to_wire() + b"\x00garbage-after-the-message"]
    if case == "loop":
        # One answer whose owner name is a compression pointer to itself.
        header = struct.pack("!HHHHHH", query.id, 0x8400, 1, 1, 0, 0)
        question = (query.question[0].name.to_wire() or b"") + struct.pack("!HH", 1, 1)
        pointer = struct.pack("!H", 0xC000 | (12 + len(question)))
        return [header + question + pointer + struct.pack("!HHIH", 1, 1, 300, 4) + bytes(4)]
    if case in ("tcgarbage", "dribble", "big"):
        response.flags |= dns.flags.TC
        return [response.to_wire()]
    if case == "otherq":
        other = dns.message.make_query("victim.example.", "A")
        other.id = query.id
        lie = dns.message.make_response(other)
        _add(lie, "victim.example.", 300, "A", "203.0.113.66")
        return [lie.to_wire()]
    if case == "outzone":
        _add(response, qname, 300, "A", "192.0.2.66")
        _add(response, "www.victim.example.", 86400, "A", "203.0.113.66")
        return [response.to_wire()]
    if case == "ttl":
        _add(response, qname, 2**31 + 5, "A", "192.0.2.66")
        return [response.to_wire()]
    if case == "ctrl":
        _add(
            response,
            qname,
            300,
            "TXT",
            r'"nul\000bell\007esc\027[31mred\027[0m" "bidi\226\128\174gnp.exe" '
            r'"<script>alert(1)</script>"',
        )
        return [response.to_wire()]
    if case == "badname":
        evil = dns.name.Name([b"evil\x1b[2J\x00", b"\xe2\x80\xaeexe", *qname.labels[1:]])
        response.answer.append(dns.rrset.from_text(qname, 300, "IN", "CNAME", evil.to_text()))
        return [response.to_wire()]
    _add(response, qname, 300, "A", "192.0.2.66")
    return [response.to_wire()]


def tcp(query: dns.message.Message, wire: bytes) -> list[bytes]:
    """The TCP side: garbage, a byte at a time, or 64 KB."""
    case, qname = _case(query), query.question[0].name
    if case == "tcgarbage":
        return [framed(b"this is not dns")]
    response = _response(query)
    if case == "dribble":
        _add(response, qname, 300, "A", "192.0.2.66")
        data = framed(response.to_wire())
        return [data[i : i + 1] for i in range(len(data))]
    if case == "big":
        for i in range(16):
            owner = dns.name.from_text(f"r{i}", qname)
            response.answer.append(dns.rrset.from_rdata_list(owner, 300, _big_rdata()))
        return [framed(response.to_wire(max_size=65535))]
    return [framed(datagram) for datagram in udp(query, wire)[:1]]


@cache
def _big_rdata() -> list[dns.rdata.Rdata]:
    """The TXT record the ``big`` case repeats 16 times (16 strings of 245 bytes), parsed once.

    Parsing it costs some 0.1 s of CPU the first time (dnspython loads the TXT code); on a
    machine with a load of 25 the server thread gets a twelfth of a core, so parsing inside
    the exchange took 1.3 to 3 s and the client's 0.5 s TCP timeout expired first."""
    strings = " ".join(f'"{i:04d}' + "x" * 240 + '"' for i in range(16))
    return list(dns.rdataset.from_text("IN", "TXT", 300, strings))


def server() -> FakeServer:
    """A hostile server (enter it with ``with``); TCP replies dribble slowly."""
    _big_rdata()  # before any query: answering must not wait for the parse
    return FakeServer(udp=udp, tcp=tcp, tcp_pause=0.05)
