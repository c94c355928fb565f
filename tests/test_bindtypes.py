"""The record types webdig teaches dnspython: read from replies, named, printed as BIND does."""

from __future__ import annotations

import dns.message
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.wire
import pytest

import webdig.engine  # noqa: F401  (registers the types)
from webdig.dig.command import parse_command
from webdig.dig.records import rdata_text
from webdig.engine.query import all_types, parse_type


def _rdata(rdtype: int, wire: bytes) -> dns.rdata.Rdata:
    parser = dns.wire.Parser(wire)
    with parser.restrict_to(len(wire)):
        return dns.rdata.from_wire_parser(
            dns.rdataclass.IN, dns.rdatatype.RdataType.make(rdtype), parser
        )


@pytest.mark.parametrize(
    ("rdtype", "wire", "text"),
    [
        (7, b"\x04mail\x00", "mail."),
        (14, b"\x05rmail\x00\x05email\x00", "rmail. email."),
        (58, b"\x04prev\x00\x04next\x00", "prev. next."),
        (38, b"\x00" + bytes.fromhex("20010db8000000000000000000000001"), "0 2001:db8::1"),
        (38, b"\x40" + bytes.fromhex("0001000200030004") + b"\x01p\x00", "64 ::1:2:3:4 p."),
        (38, b"\x80\x01p\x00", "128  p."),
        (40, b"\x01\x00\x00\x00", "1 0 0 AA=="),
        (31, b"\x12\x34", "1234"),
        (32, b"\xab\xcd", "ABCD"),
        (34, b"\x01" + b"15551234567", "+15551234567"),
        (34, b"\x00\x39\x24", "3924"),
        (
            259,
            bytes.fromhex("00000000000000010209") + b"image/pgn" + b"hello",
            '0 1 2 "image/pgn" aGVsbG8=',
        ),
        (259, bytes.fromhex("499602d2000000010000"), '1234567890 1 0 "" -'),
        (57, bytes.fromhex("0000010803010001"), "0 1 8 AwEAAQ=="),
        (32768, bytes.fromhex("30390d02") + bytes(32), "12345 13 2 " + "0" * 56 + " " + "0" * 8),
    ],
)
def test_rdata_prints_as_dig_prints_it(rdtype: int, wire: bytes, text: str) -> None:
    assert rdata_text(_rdata(rdtype, wire)) == text


def test_mb_target_is_read_through_a_compression_pointer() -> None:
    # A reply whose MB target points back at the question name, as BIND sends it.
    query = dns.message.make_query("mb.example.", "MB")
    header = query.to_wire()[:12]
    reply = bytearray(header)
    reply[2:4] = b"\x84\x00"  # QR AA
    reply[6:8] = b"\x00\x01"  # one answer
    reply += b"\x02mb\x07example\x00\x00\x07\x00\x01"
    reply += b"\xc0\x0c\x00\x07\x00\x01\x00\x00\x01\x2c\x00\x07\x04mail\xc0\x0f"
    message = dns.message.from_wire(bytes(reply))
    assert rdata_text(message.answer[0][0]) == "mail.example."


@pytest.mark.parametrize("mnemonic", ["TALINK", "DOA", "SINK", "RKEY", "UINFO", "A6", "MB"])
def test_dig_mnemonics_are_types_on_the_command_line(mnemonic: str) -> None:
    assert dns.rdatatype.to_text(dns.rdatatype.from_text(mnemonic)) == mnemonic
    values = parse_command(["example.com", mnemonic.lower()]).values
    assert values["type"].upper() == mnemonic
    assert values["hostnames"] == "example.com"


def test_the_form_offers_dig_types_dnspython_lacks() -> None:
    offered = all_types()
    assert {"TALINK", "DOA", "A6", "MB", "MINFO", "UINFO"} <= set(offered)
    assert "NXNAME" not in offered  # BIND 9.18 has no such type
    assert parse_type("talink") == "TALINK"
