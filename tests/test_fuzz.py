"""Bounded fuzzing of what strangers control: typed input, and the bytes a nameserver sends.

Input parsers may refuse anything, but only with :class:`InputError` (or
:class:`InvalidParams` from :func:`webdig.lookup.planning.plan`), whose message the
page shows; any other exception would be a 500.  Reply bytes are parsed
exactly as :mod:`webdig.engine.transport` parses them, and every message that
parses is rendered by the dig text, the text report, the page's block and
the JSON export without an exception.  Each test is bounded by
``max_examples``; together they take well under a minute.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import struct
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.CNAME
import dns.rdtypes.ANY.TXT
import dns.rrset
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.bind import NamedServer
from tests.test_hostile_edges import RAW_CONTROLS
from webdig.engine.names import parse_hostname
from webdig.engine.nameservers import parse_nameserver
from webdig.engine.policy import refusal_reason
from webdig.engine.query import Query, QueryOptions, Server, all_types, parse_type
from webdig.engine.result import QueryResult
from webdig.engine.wire import Failure, parse_reply
from webdig.errors import InputError
from webdig.lookup.answers import judge
from webdig.lookup.block import Block
from webdig.lookup.context import LookupContext
from webdig.lookup.params import Flag, LookupParams, Mode, from_values
from webdig.lookup.run import InvalidParams, plan
from webdig.output.jsonbody import block_to_json
from webdig.output.textreport import render_block
from webdig.presets import default_presets
from webdig.settings import Settings
from webdig.web.resultblocks import shown_block

T = TypeVar("T")
E = TypeVar("E", bound=Exception)

FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces people (and attackers) type: schemes, ports, brackets, scopes,
# punycode, legacy IPv4 spellings, Unicode that IDNA maps or rejects.
_PIECES = (
    "www", "example", "com", "xn--", "xn--bcher-kva", "bücher", "ß", "İ", "\u200d", "\u202e",
    "-", "_", "*", ".", "..", ":", "::", "#", "%", "%eth0", "[", "]", "/", "@", "?", "https://",
    "127", "0x7f", "0177", "1", "0", "255", "256", "4294967295", "2130706433", "ffff", "::ffff:",
    "53", "65536", "\x00", "\t", "\n", " ", "。", "ａ", "\ufeff", "a" * 63, "a" * 64,
)  # fmt: skip
typed = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
    st.from_regex(r"\A[a-z0-9_*-]{0,64}(\.[a-z0-9_*-]{0,64}){0,5}\.?\Z"),
)
ip_text = st.ip_addresses().map(str)
nameserver_text = st.one_of(
    typed,
    ip_text,
    st.tuples(st.ip_addresses(v=4), st.integers(0, 70000)).map(lambda p: f"{p[0]}:{p[1]}"),
    st.tuples(st.ip_addresses(v=6), st.integers(0, 70000)).map(lambda p: f"[{p[0]}]:{p[1]}"),
    st.tuples(st.ip_addresses(), st.integers(0, 70000)).map(lambda p: f"{p[0]}#{p[1]}"),
    # Legacy IPv4 spellings: one decimal, hex or octal number.
    st.integers(0, 2**32 - 1).flatmap(lambda n: st.sampled_from([str(n), hex(n), f"0{n:o}"])),
)


def outcome(run: Callable[[], T], refusal: type[E]) -> T | E:
    """What ``run()`` returns, or the ``refusal`` it raises; any other exception escapes."""
    try:
        return run()
    except refusal as exc:
        return exc


@FUZZ
@given(typed)
@example("www。")  # IDNA maps the ideographic full stop to a trailing dot: “www..”
@example("ａ．")  # the same with fullwidth letters and dot
def test_parse_hostname_raises_only_input_errors(text: str) -> None:
    hostname = outcome(lambda: parse_hostname(text), InputError)
    if isinstance(hostname, InputError):
        assert hostname.message
    else:
        # What it accepts is a name dnspython can put on the wire.
        assert hostname.name.to_wire()


@pytest.mark.parametrize("path", ["/", "/api/v1/lookup"])
@pytest.mark.parametrize("hostname", ["www。", "ａ．"])
def test_mapped_full_stops_give_an_answer_not_a_500(
    client: FlaskClient, named: NamedServer, path: str, hostname: str
) -> None:
    # What the parser lets through reaches the transport: the page and the API
    # must answer (a 400 or a result), never fail with an exception.
    query = {"hostnames": hostname, "ns": "self", "nameservers": f"127.0.0.1:{named.port}"}
    assert client.get(path, query_string=query).status_code in (200, 400)


@FUZZ
@given(nameserver_text)
@example("https://127.1:53")  # the URL is unwrapped after the legacy-spelling check
@example("http://0x7f000001:53/")
@example("0x7fａａ")  # the check runs before IDNA maps the fullwidth letters: 0x7faa
@example("0.0/")  # parse_hostname drops the "/" and understands 0.0, which inet_aton reads
def test_parse_nameserver_raises_only_input_errors(text: str) -> None:
    spec = outcome(lambda: parse_nameserver(text), InputError)
    if isinstance(spec, InputError):
        assert spec.message
        return
    assert 0 < spec.port < 65536
    if spec.is_address:
        ipaddress.ip_address(spec.host)
    else:
        # A name is resolved through DNS, never by getaddrinfo, yet no spelling
        # that the C library reads as an IPv4 address (127.1, 0x7f000001) may pass.
        with pytest.raises(OSError, match="illegal IP address"):
            socket.inet_aton(spec.host)


@FUZZ
@given(st.one_of(typed, st.sampled_from(all_types()), st.sampled_from(["AXFR", "ixfr", "TYPE0"])))
def test_parse_type_raises_only_input_errors(text: str) -> None:
    rdtype = outcome(lambda: parse_type(text), InputError)
    if isinstance(rdtype, InputError):
        assert rdtype.message
    else:
        assert parse_type(rdtype) == rdtype


query_args = st.fixed_dictionaries(
    {},
    optional={
        "hostnames": st.lists(typed, max_size=4).map("\n".join),
        "type": st.one_of(typed, st.sampled_from(all_types())),
        "ns": st.one_of(typed, st.sampled_from([str(mode) for mode in Mode])),
        "useresolver": st.one_of(
            typed, ip_text, st.sampled_from(["system", "8.8.4.4", "Cloudflare", "64.6.64.6"])
        ),
        "nameservers": st.lists(nameserver_text, max_size=4).map("\n".join),
        "hosting": typed,
        "expected": st.lists(st.one_of(ip_text, typed), max_size=3).map(" ".join),
        **{str(name): st.one_of(typed, st.just("on")) for name in Flag},
    },
)


@FUZZ
@given(query_args)
def test_from_values_takes_any_query_string(args: dict[str, str]) -> None:
    params = from_values(args)
    assert isinstance(params, LookupParams)
    assert from_values(dict(params.query_items())).query_items() == params.query_items()


def _no_packets(address: str, port: int) -> int:
    """The rate-limit gate, closed: every query is answered "not sent" without a packet."""
    return 60


PUBLIC = Settings(allow_private=False, resolver="127.0.0.1")
CLOSED = LookupContext(target_gate=_no_packets)


@FUZZ
@given(query_args)
def test_plan_raises_only_invalid_params(args: dict[str, str]) -> None:
    # The gate keeps every name look-up of plan() off the network, so names
    # among the nameservers and expected servers fail as unresolvable.
    planned = outcome(lambda: plan(from_values(args), PUBLIC, context=CLOSED), InvalidParams)
    if isinstance(planned, InvalidParams):
        assert planned.fields
        assert all(messages for messages in planned.fields.values())
        return
    # Public mode: whatever the spelling, only presets, webdig's own resolver
    # and public addresses on port 53 survive (useresolver may name any
    # public resolver by address).
    presets = {(p.address, p.port) for p in default_presets()} | {("127.0.0.1", 53)}
    for server in planned.servers:
        if planned.mode == Mode.SELF or (server.address, server.port) not in presets:
            assert planned.mode in ("self", "resolver")
            assert refusal_reason(ipaddress.ip_address(server.address)) is None
            assert server.port == 53


# --- Reply bytes -------------------------------------------------------------

QUERY_ID = 0x1234
EXPECTED = (ipaddress.ip_address("192.0.2.1"), ipaddress.ip_address("2001:db8::1"))
PAGE_PARAMS = LookupParams(flags=frozenset({Flag.SHORT, Flag.COLORIZE, Flag.SHOWCOMMAND}))
OPTIONS = (
    dns.edns.NSIDOption(b"ns1.example\x00\xff"),
    dns.edns.CookieOption(b"\x01" * 8, b"\x02" * 16),
    dns.edns.EDEOption(dns.edns.EDECode.FILTERED, "blocked by policy"),
    dns.edns.ECSOption("192.0.2.0", 24, 0),
    dns.edns.GenericOption(dns.edns.OptionType.PADDING, b"\x00" * 8),
    dns.edns.GenericOption(dns.edns.OptionType.make(65001), b"\x01\x02"),
)
ANSWERS = {
    "A": ["www.example.com. 300 CNAME web.example.net.", "web.example.net. 60 A 192.0.2.1",
          "web.example.net. 60 A 203.0.113.7"],
    "AAAA": ["www.example.com. 300 AAAA 2001:db8::1"],
    "TXT": ['www.example.com. 300 TXT "v=spf1 -all" "caf\\195\\169" "q\\"uote" "\\007"'],
    "MX": ["www.example.com. 300 MX 10 mail.example.com.", "www.example.com. 300 MX 20 ."],
    "HTTPS": ['www.example.com. 300 HTTPS 1 . alpn="h2,h3" port=8443 ipv4hint=192.0.2.1'],
    "CAA": ['www.example.com. 300 CAA 0 issue "letsencrypt.org"'],
    "DS": ["www.example.com. 300 DS 12345 13 2 "
           "B18616CDAD40C04FA9A95DD1472E3713A5551189AFE381B62295AE17473CA0F2"],
    "RRSIG": ["www.example.com. 300 RRSIG A 13 3 300 20261201000000 20261101000000 12345 "
              "example.com. dGVzdHNpZ25hdHVyZQ=="],
    "LOC": ["www.example.com. 300 LOC 35 41 22.000 N 139 41 42.000 E 40.00m"],
    "NAPTR": ['www.example.com. 300 NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .'],
    "SSHFP": ["www.example.com. 300 SSHFP 4 2 "
              "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"],
    "HINFO": ['www.example.com. 300 HINFO "PC" "Linux"'],
    "SRV": ["www.example.com. 300 SRV 10 60 5060 sip.example.com."],
    "TYPE65534": ["www.example.com. 300 TYPE65534 \\# 4 0a0b0c0d"],
    "PTR": ["www.example.com. 300 PTR host.example.com."],
}  # fmt: skip
"""One seed per question type: the records a server would answer it with."""
AUTHORITY = [
    "example.com. 300 SOA ns1.example.com. hostmaster.example.com. 1 3600 900 604800 300",
    "example.com. 300 NSEC3 1 0 10 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG",
    "example.com. 300 NS ns1.example.com.",
]


def _query_message(rdtype: str) -> dns.message.QueryMessage:
    """The query webdig sent (the transport matches a reply by its ID and question)."""
    message = dns.message.make_query("www.example.com", rdtype, use_edns=0)
    message.id = QUERY_ID
    return message


def _query(rdtype: str) -> Query:
    return Query(
        parse_hostname("www.example.com"),
        dns.rdatatype.from_text(rdtype),
        Server("192.0.2.53", 53, "ns1.example.net"),
        QueryOptions(nsid=True),
    )


def _reply(
    rdtype: str,
    answer: list[str],
    *,
    rcode: dns.rcode.Rcode = dns.rcode.NOERROR,
    options: bool = True,
) -> bytes:
    """A reply to :func:`_query_message` with ``answer`` (master-file lines) and an authority."""
    reply = dns.message.make_response(_query_message(rdtype))
    reply.flags |= dns.flags.AA
    reply.set_rcode(rcode)
    if options:
        reply.use_edns(0, payload=1232, options=list(OPTIONS))
    for section, lines in ((reply.answer, answer), (reply.authority, AUTHORITY)):
        for line in lines:
            owner, ttl, rest = line.split(" ", 2)
            rdclass, rest = rest.split(" ", 1) if rest.startswith("CLASS") else ("IN", rest)
            kind, data = rest.split(" ", 1)
            section.append(dns.rrset.from_text(owner, int(ttl), rdclass, kind, data))
    return reply.to_wire()


SEEDS = [
    (rdtype, _reply(rdtype, answer, rcode=rcode, options=options))
    for rdtype, answer in ANSWERS.items()
    for rcode, options in ((dns.rcode.NOERROR, True), (dns.rcode.NXDOMAIN, False))
]
# An address record of another class than IN: dnspython keeps its rdata as
# generic ``\# 4 c0000201``, which is no address.
OTHER_CLASS = _reply("A", ["www.example.com. 300 CLASS5 A \\# 4 c0000201"])


@st.composite
def reply_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real reply with a few byte-level edits: header counts, types and classes, cuts, junk."""
    rdtype, seed = draw(st.sampled_from(SEEDS))
    wire = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        if not wire:
            break
        at = draw(st.integers(0, len(wire) - 1))
        edit = draw(st.sampled_from(["flip", "set", "insert", "delete", "cut", "count", "class"]))
        if edit == "flip":
            wire[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "set":
            # Label lengths and compression pointers live at these values.
            wire[at] = draw(st.sampled_from([0x00, 0x3F, 0x40, 0x7F, 0xC0, 0xFF, at & 0xFF]))
        elif edit == "insert":
            wire[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif edit == "delete":
            del wire[at : at + draw(st.integers(1, 8))]
        elif edit == "cut":
            del wire[at:]
        elif edit == "count":
            # QDCOUNT, ANCOUNT, NSCOUNT or ARCOUNT: the classic way to lie about sizes.
            field = 4 + 2 * draw(st.integers(0, 3))
            wire[field : field + 2] = struct.pack("!H", draw(st.integers(0, 0xFFFF)))
        else:
            # A type or class field (00 01 is type A and class IN) set to any value.
            spots = [i for i in range(12, len(wire) - 1) if wire[i : i + 2] == b"\x00\x01"]
            if spots:
                spot = draw(st.sampled_from(spots))
                wire[spot : spot + 2] = struct.pack("!H", draw(st.integers(0, 0xFFFF)))
    return rdtype, bytes(wire)


random_reply = st.tuples(
    st.sampled_from(list(ANSWERS)),
    st.binary(max_size=512).map(lambda tail: struct.pack("!H", QUERY_ID) + tail),
)


def render_all(rdtype: str, reply: dns.message.Message, size: int) -> list[str]:
    """Every text webdig makes of one reply: dig text, +short, report, page lines, JSON."""
    result = QueryResult(
        query=_query(rdtype),
        started=datetime(2026, 11, 28, tzinfo=UTC),
        response=reply,
        wire_size=size,
    )
    block = Block(result, judge(result, EXPECTED, server_is_authority=True))
    shown = shown_block(block, PAGE_PARAMS)
    return [
        shown.full,
        shown.short or "",
        render_block(block, short=False, showcommand=True),
        *(piece for line in shown.answer for _, piece in line.columns),
        json.dumps(block_to_json(block), ensure_ascii=False),
    ]


def parse_and_render(rdtype: str, data: bytes) -> None:
    """Parse ``data`` as the transport does, and render whatever parses."""
    # The transport's own parser: a reply, None ("not ours, keep waiting") or Failure.
    reply = outcome(lambda: parse_reply(data, QUERY_ID, _query(rdtype), []), Failure)
    if isinstance(reply, Failure):
        assert reply.error.message
    elif reply is not None:
        render_all(rdtype, reply, len(data))
    # A message the transport drops (wrong ID or question) is rendered too:
    # whatever it holds, a reply with the right ID and question can hold.
    try:
        loose = dns.message.from_wire(data, ignore_trailing=True)
    except (dns.exception.DNSException, ValueError, IndexError):  # as messages.parse_reply
        return
    render_all(rdtype, loose, len(data))


@FUZZ
@given(reply_bytes())
@example(("A", OTHER_CLASS))  # verdicts read the generic rdata as an address: ValueError
def test_mutated_replies_parse_and_render(sample: tuple[str, bytes]) -> None:
    parse_and_render(*sample)


@FUZZ
@given(random_reply)
def test_random_bytes_parse_and_render(sample: tuple[str, bytes]) -> None:
    parse_and_render(*sample)


@pytest.mark.parametrize(("rdtype", "wire"), SEEDS)
def test_seed_replies_render(rdtype: str, wire: bytes) -> None:
    # The seeds parse unmutated, so the mutations start from real replies.
    reply = parse_reply(wire, QUERY_ID, _query(rdtype), [])
    assert reply is not None
    assert "status: " in render_all(rdtype, reply, len(wire))[0]


@FUZZ
@given(
    strings=st.lists(st.binary(max_size=30), min_size=1, max_size=3),
    label=st.binary(min_size=1, max_size=20),
    extra_text=st.text(max_size=20),
    nsid=st.binary(max_size=16),
)
@example(strings=[b"ok"], label=b"ok", extra_text="\u202egnp.exe", nsid=b"")
@example(strings=[b"ok"], label=b"ok", extra_text="\x9b31m red", nsid=b"")
def test_rendered_text_has_no_raw_control_characters(
    strings: list[bytes], label: bytes, extra_text: str, nsid: bytes
) -> None:
    # Bytes a server controls: TXT strings, a name, EDE extra text, the NSID.
    query = _query_message("TXT")
    reply = dns.message.make_response(query)
    reply.use_edns(
        0,
        options=[
            dns.edns.EDEOption(dns.edns.EDECode.OTHER, extra_text or None),
            dns.edns.NSIDOption(nsid),
        ],
    )
    owner = query.question[0].name
    target = dns.name.Name([label, b"example", b"com", b""])
    txt = dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.TXT, strings)
    cname = dns.rdtypes.ANY.CNAME.CNAME(dns.rdataclass.IN, dns.rdatatype.CNAME, target)
    reply.answer.append(dns.rrset.from_rdata(owner, 300, cname))
    reply.answer.append(dns.rrset.from_rdata(target, 300, txt))
    wire = reply.to_wire()
    parsed = parse_reply(wire, query.id, _query("TXT"), [])
    assert parsed is not None
    for text in render_all("TXT", parsed, len(wire)):
        assert RAW_CONTROLS.findall(text) == []
