"""dig-format rendering on canned messages.

Every expected string here was printed by BIND 9.18's dig (against named
or a scripted server) and copied verbatim, tabs included.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import dns.edns
import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import pytest

from webdig.dig.message import dig_command, record_lines, render_answer, render_full, render_short
from webdig.dig.records import question_line, rdata_text
from webdig.engine.names import parse_hostname
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.result import ErrorKind, QueryError, QueryResult

WHEN = datetime(2026, 11, 28, 4, 45, 28, tzinfo=UTC)
COOKIE = bytes.fromhex("aa364b23ff3850c2010000006b0a5c6823f21b68bd438828")


def make_query(name: str = "webdig.test", rdtype: str = "A", **options: bool) -> Query:
    server = Server("127.0.0.1", 42033)
    return Query(
        parse_hostname(name),
        dns.rdatatype.from_text(rdtype),
        server,
        QueryOptions(**options),  # type: ignore[arg-type]
    )


def rrset(record: str) -> dns.rrset.RRset:
    """An RRset from one master-file line: ``name ttl class type rdata``."""
    name, ttl, rdclass, rdtype, rdata = record.split(None, 4)
    return dns.rrset.from_text(name, int(ttl), rdclass, rdtype, rdata)


def make_result(
    query: Query,
    *,
    records: tuple[str, ...] = (),
    authority: tuple[str, ...] = (),
    rcode: int = dns.rcode.NOERROR,
    flags: int = dns.flags.QR | dns.flags.AA | dns.flags.RD,
    options: tuple[dns.edns.Option, ...] = (),
    edns: bool = True,
    **fields: object,
) -> QueryResult:
    """A reply to ``query`` as a server would send it, wrapped in a result."""
    request = dns.message.make_query(query.hostname.name, query.rdtype)
    reply = dns.message.make_response(request)
    reply.id = 44512
    reply.flags = flags
    reply.use_edns(0 if edns else False, payload=1232, options=list(options))
    reply.set_rcode(dns.rcode.Rcode.make(rcode))
    reply.answer = [rrset(text) for text in records]
    reply.authority = [rrset(text) for text in authority]
    defaults: dict[str, object] = {"wire_size": 84, "started": WHEN}
    return QueryResult(query=query, response=reply, **{**defaults, **fields})  # type: ignore[arg-type]


IPSECKEY = "AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ=="
SOA = "ns1.webdig.test. hostmaster.webdig.test. 2026112801 3600 900 604800 300"
HIP_KEY = (
    "AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+"
    "Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D"
)
HEX40 = "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF0011223344556677"
ECH = (
    "AEX+DQBBpQAgACBRvSRqeY9Qb91YdCt/rLF3adZjqbdRAeGt6jXHEcQm+"
    "gAEAAEAAQASY2xvdWRmbGFyZS1lY2guY29tAAA="
)
V4HINTS = "192.0.2.1,192.0.2.2"
V6HINTS = "2001:db8::1,2001:db8::2"


@pytest.mark.parametrize(
    ("record", "line"),
    [
        ("webdig.test. 300 IN A 192.0.2.10", "webdig.test.\t\t300\tIN\tA\t192.0.2.10"),
        ("alias.webdig.test. 300 IN CNAME alias2.webdig.test.",
         "alias.webdig.test.\t300\tIN\tCNAME\talias2.webdig.test."),
        ("xn--bcher-kva.webdig.test. 300 IN A 192.0.2.40",
         "xn--bcher-kva.webdig.test. 300\tIN\tA\t192.0.2.40"),
        ("a-very-long-owner-name-over-24.exotic.test. 300 IN A 192.0.2.1",
         "a-very-long-owner-name-over-24.exotic.test. 300\tIN A 192.0.2.1"),
        ("ttl.exotic.test. 2147483647 IN A 192.0.2.1",
         "ttl.exotic.test.\t2147483647 IN\tA\t192.0.2.1"),
        ("unk.exotic.test. 300 IN TYPE65534 \\# 5 0102030405",
         "unk.exotic.test.\t300\tIN\tTYPE65534 \\# 5 0102030405"),
        (f"ipseckey.exotic.test. 300 IN IPSECKEY 10 1 2 192.0.2.38 {IPSECKEY}",
         f"ipseckey.exotic.test.\t300\tIN\tIPSECKEY 10 1 2 192.0.2.38 {IPSECKEY}"),
        (f"webdig.test. 300 IN SOA {SOA}", f"webdig.test.\t\t300\tIN\tSOA\t{SOA}"),
        ('\\@odd\\"name.exotic.test. 300 IN A 192.0.2.9',
         '\\@odd\\"name.exotic.test. 300\tIN\tA\t192.0.2.9'),
        ("odd\\032space.exotic.test. 300 IN A 192.0.2.9",
         "odd\\032space.exotic.test. 300\tIN\tA\t192.0.2.9"),
    ],
)  # fmt: skip
def test_record_line_columns_match_dig(record: str, line: str) -> None:
    assert record_lines(rrset(record)) == [line]


def test_record_lines_gives_one_line_per_record() -> None:
    rrset = dns.rrset.from_text("dual.webdig.test.", 300, "IN", "A", "192.0.2.10", "203.0.113.7")
    assert record_lines(rrset) == [
        "dual.webdig.test.\t300\tIN\tA\t192.0.2.10",
        "dual.webdig.test.\t300\tIN\tA\t203.0.113.7",
    ]


DNSKEY_RSA = (
    "AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh"
    "/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaDX6RS6CXpoY68"
    "LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdX"
    "fZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0="
)
P256 = "fRiA3QMj8Wkhujci35MvL5qhKNVxzx1+NjCCBSZB5r7VbpnF8zcl3Tu87VOISkzvIbtQbaWE5pfHXFJeemmLOQ=="
P256_DIG = P256[:56] + " " + P256[56:]


@pytest.mark.parametrize(
    ("rdtype", "text", "dig"),
    [
        ("DNSKEY", f"257 3 13 {P256}", f"257 3 13 {P256_DIG}"),
        ("DNSKEY", f"256 3 8 {DNSKEY_RSA}",
         "256 3 8 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF "
         "FVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8g0NfnfL2MTJRkxoX "
         "bfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaD "
         "X6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpz "
         "W5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relS "
         "Qageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulq QxA+Uk1ihz0="),
        ("CDNSKEY", "0 3 0 AA==", "0 3 0 AA=="),
        ("RRSIG", f"A 13 3 300 20261201000000 20261101000000 12345 exotic.test. {P256}",
         f"A 13 3 300 20261201000000 20261101000000 12345 exotic.test. {P256_DIG}"),
        ("DS", "12345 13 2 b18616cdad40c04fa9a95dd1472e3713a5551189afe381b62295ae17473ca0f2",
         "12345 13 2 B18616CDAD40C04FA9A95DD1472E3713A5551189AFE381B62295AE17 473CA0F2"),
        ("CDS", "0 0 0 00", "0 0 0 00"),
        ("TLSA", "3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
         "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B566 64C5D3D6"),
        ("SSHFP", "1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac",
         "1 1 DD465C09CFA51FB45020CC83316FFF21B9EC74AC"),
        ("DHCID", "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
         "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="),
        ("HIP", f"2 200100107b1a74df365639cc39f1d578 {HIP_KEY} rvs.example.com.",
         f"2 200100107B1A74DF365639CC39F1D578 {HIP_KEY} rvs.example.com."),
        ("NSEC3", "1 1 12 aabbccdd 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG",
         "1 1 12 AABBCCDD 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S A RRSIG"),
        ("NSEC3", "1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s",
         "1 0 0 - 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S"),
        ("NSEC3PARAM", "1 0 10 aabbccdd", "1 0 10 AABBCCDD"),
        ("NSEC", "\\000.nxname.fake. RRSIG NSEC NXNAME", "\\000.nxname.fake. RRSIG NSEC TYPE128"),
        ("TYPE65280", f"\\# 40 {HEX40.lower()}", f"\\# 40 {HEX40[:56]} {HEX40[56:]}"),
        ("TYPE65281", "\\# 0", "\\# 0"),
        ("LOC", "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
         "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"),
        ("LOC", "51 30 12.748 N 0 7 39.611 W 0.00m",
         "51 30 12.748 N 0 7 39.611 W 0.00m 1m 10000m 10m"),
        ("GPOS", "-32.6882 116.8652 10.0", '"-32.6882" "116.8652" "10.0"'),
        ("L64", "10 2001:0DB8:1140:1000", "10 2001:db8:1140:1000"),
        ("NID", "10 0014:4fff:ff20:ee64", "10 14:4fff:ff20:ee64"),
        ("HTTPS", '1 . alpn="h2,h3" ipv4hint=192.0.2.10 ipv6hint=2001:db8::10',
         '1 . alpn="h2,h3" ipv4hint=192.0.2.10 ipv6hint=2001:db8::10'),
        ("HTTPS", f'1 . alpn="h3,h2" port=8443 ech="{ECH}" ipv4hint={V4HINTS} ipv6hint={V6HINTS}',
         f'1 . alpn="h3,h2" port=8443 ipv4hint={V4HINTS} ech={ECH} ipv6hint={V6HINTS}'),
        ("HTTPS", '1 . mandatory=alpn,port alpn="h2" port=443 no-default-alpn',
         '1 . mandatory=alpn,port alpn="h2" no-default-alpn port=443'),
        ("HTTPS", '1 . dohpath="/dns-query{?dns}" alpn=h2',
         '1 . alpn="h2" key7="/dns-query{?dns}"'),
        ("HTTPS", '2 target.exotic.test. key65333="hello" alpn="h\\\\,2,h3"',
         '2 target.exotic.test. alpn="h\\\\,2,h3" key65333="hello"'),
        ("HTTPS", '1 . alpn="a;b,c@d,e\\032f,g\\"h,i\\\\\\\\j,k\\\\,l" key65000="x y;z@w" key65444',
         '1 . alpn="a;b,c@d,e\\032f,g\\"h,i\\\\\\\\j,k\\\\,l" key65000="x y;z@w" key65444'),
        ("HTTPS", "1 . ipv6hint=::ffff:192.0.2.1", "1 . ipv6hint=::ffff:192.0.2.1"),
        ("SVCB", "0 svc.webdig.test.", "0 svc.webdig.test."),
        ("TXT", '"she said \\"hi\\"" "back\\\\slash" "semi;colon"',
         '"she said \\"hi\\"" "back\\\\slash" "semi;colon"'),
        ("TXT", '"caf\\195\\169 \\227\\129\\130"', '"caf\\195\\169 \\227\\129\\130"'),
        ("TXT", '"tab\\009bell\\007del\\127"', '"tab\\009bell\\007del\\127"'),
        ("TXT", '""', '""'),
        ("TXT", 'a\\"b "\\\\" "\\000\\031\\032\\126\\127\\128\\255"',
         '"a\\"b" "\\\\" "\\000\\031 ~\\127\\128\\255"'),
        ("CAA", '0 issue "ca.example; account=123"', '0 issue "ca.example; account=123"'),
        ("SRV", "10 60 5060 sip.webdig.test.", "10 60 5060 sip.webdig.test."),
        ("AAAA", "::1.2.3.4", "::1.2.3.4"),
    ],
)  # fmt: skip
def test_rdata_text_matches_dig(rdtype: str, text: str, dig: str) -> None:
    rdata = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(rdtype), text)
    assert rdata_text(rdata) == dig


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("webdig.test.", ";webdig.test.\t\t\tIN\tA"),
        # The ";" is not counted: a 23-character name still gets two tabs.
        ("abcdefghij.exotic.test.", ";abcdefghij.exotic.test.\t\tIN\tA"),
        ("abcdefghijklmnopqr.exotic.test.", ";abcdefghijklmnopqr.exotic.test.\tIN\tA"),
        ("abcdefghijklmnopqrs.exotic.test.", ";abcdefghijklmnopqrs.exotic.test. IN\tA"),
    ],
)
def test_question_line_matches_dig(name: str, line: str) -> None:
    question = dns.rrset.RRset(dns.name.from_text(name), dns.rdataclass.IN, dns.rdatatype.A)
    assert question_line(question) == line


FULL_ANSWER = """
; <<>> webdig <<>> @127.0.0.1 -p 42033 webdig.test A
; (1 server found)
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 44512
;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
;; WARNING: recursion requested but not available

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; COOKIE: aa364b23ff3850c2010000006b0a5c6823f21b68bd438828 (good)
;; QUESTION SECTION:
;webdig.test.\t\t\tIN\tA

;; ANSWER SECTION:
webdig.test.\t\t300\tIN\tA\t192.0.2.10

;; Query time: 0 msec
;; SERVER: 127.0.0.1#42033(127.0.0.1) (UDP)
;; WHEN: Sat Nov 28 04:45:28 UTC 2026
;; MSG SIZE  rcvd: 84

"""


def test_full_output_is_digs_byte_for_byte() -> None:
    result = make_result(
        make_query(),
        records=("webdig.test. 300 IN A 192.0.2.10",),
        options=(dns.edns.GenericOption(dns.edns.OptionType.COOKIE, COOKIE),),
    )
    assert render_full(result) == FULL_ANSWER


def test_nxdomain_shows_the_soa_in_authority() -> None:
    result = make_result(
        make_query("nope.webdig.test"),
        rcode=dns.rcode.NXDOMAIN,
        authority=(
            "webdig.test. 300 IN SOA ns1.webdig.test. hostmaster.webdig.test. "
            "2026112801 3600 900 604800 300",
        ),
    )
    text = render_full(result)
    assert ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 44512\n" in text
    assert ";; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n" in text
    assert (
        "\n\n;; AUTHORITY SECTION:\nwebdig.test.\t\t300\tIN\tSOA\tns1.webdig.test. "
        "hostmaster.webdig.test. 2026112801 3600 900 604800 300\n\n;; Query time:"
    ) in text
    assert ";; ANSWER SECTION:" not in text


def test_truncation_warning_comes_first_and_tcp_is_named() -> None:
    warning = ";; Truncated, retrying in TCP mode."
    result = make_result(make_query(), warnings=[warning], transport="tcp")
    text = render_full(result)
    assert text.startswith(f"{warning}\n\n; <<>> webdig <<>> ")
    assert ";; SERVER: 127.0.0.1#42033(127.0.0.1) (TCP)\n" in text


def test_header_without_opt_has_no_pseudosection() -> None:
    result = make_result(make_query(), edns=False, flags=dns.flags.QR | dns.flags.RD | dns.flags.RA)
    text = render_full(result)
    flags = ";; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n"
    assert f"{flags}\n;; QUESTION" in text
    assert "OPT PSEUDOSECTION" not in text


@pytest.mark.parametrize(
    ("flags", "line"),
    [
        (dns.flags.QR, ";; flags: qr; QUERY"),
        (dns.flags.QR | 0x0040, ";; flags: qr; MBZ: 0x4; QUERY"),
        (dns.flags.QR | dns.flags.RD | dns.flags.RA | dns.flags.AD | dns.flags.CD,
         ";; flags: qr rd ra ad cd; QUERY"),
    ],
)  # fmt: skip
def test_flags_line(flags: int, line: str) -> None:
    text = render_full(make_result(make_query(), flags=flags))
    assert line in text
    assert "recursion requested" not in text


@pytest.mark.parametrize(
    ("rcode", "status"),
    [(0, "NOERROR"), (5, "REFUSED"), (10, "NOTZONE"), (11, "RESERVED11"), (16, "BADVERS"),
     (17, "?17"), (23, "BADCOOKIE"), (100, "?100")],
)  # fmt: skip
def test_status_names_are_digs(rcode: int, status: str) -> None:
    text = render_full(make_result(make_query(), rcode=rcode))
    assert f"status: {status}, id:" in text


@pytest.mark.parametrize(
    ("code", "data", "line"),
    [
        (3, "6e7331", '; NSID: 6e 73 31 ("ns1")'),
        (3, "00ff41", '; NSID: 00 ff 41 ("..A")'),
        (3, "", "; NSID:"),
        (10, "0102030405060708", "; COOKIE: 0102030405060708 (echoed)"),
        (15, "0012", "; EDE: 18 (Prohibited)"),
        (15, "0000666f6f", "; EDE: 0 (Other): (foo)"),
        (15, "0019666f6f", "; EDE: 25: (foo)"),
        (15, "0016c3a9", "; EDE: 22 (No Reachable Authority): (é)"),
        (15, "0016ff00", "; EDE: 22 (No Reachable Authority): ff 00 (..)"),
        (15, "0203", "; EDE: 515"),
        (65001, "41420a", '; OPT=65001: 41 42 0a ("AB.")'),
        (65002, "", "; OPT=65002:"),
        (12, "000000", "; PAD: (3 bytes)"),
        (12, "", "; PAD:"),
        (9, "00000e11", "; EXPIRE: 3601 (1 hour 1 second)"),
        (9, "0001517f", "; EXPIRE: 86399 (23 hours 59 minutes 59 seconds)"),
        (9, "00000000", "; EXPIRE: 0 (0 seconds)"),
        (9, "01", '; EXPIRE: 01 (".")'),
        (11, "0064", "; TCP KEEPALIVE: 10.0 secs"),
        (14, "00010002", "; KEY-TAG: 1, 2"),
        (14, "000102", '; KEY-TAG: 00 01 02 ("...")'),
        (8, "00011800c00002", "; CLIENT-SUBNET: 192.0.2.0/24/0"),
        (8, "0002300020010db80000", "; CLIENT-SUBNET: 2001:db8::/48/0"),
        (8, "00000000", "; CLIENT-SUBNET: 0/0/0"),
        (8, "0003000000", "; CLIENT-SUBNET: 00 03 00 00 00 "),
        (16, "0a0b", "; CLIENT-TAG: 2571"),
        (17, "0c", '; SERVER-TAG: 0c (".")'),
        (13, "01", '; OPT=13: 01 (".")'),
    ],
)
def test_edns_option_lines_match_dig(code: int, data: str, line: str) -> None:
    option = dns.edns.GenericOption(dns.edns.OptionType.make(code), bytes.fromhex(data))
    text = render_full(make_result(make_query(), options=(option,)))
    assert f"; EDNS: version: 0, flags:; udp: 1232\n{line}\n;; QUESTION" in text


def test_dnssec_ok_and_unknown_edns_flags() -> None:
    result = make_result(make_query(dnssec=True))
    assert result.response is not None
    result.response.ednsflags = dns.flags.DO | 0x1234
    assert "; EDNS: version: 0, flags: do; MBZ: 0x1234, udp: 1232\n" in render_full(result)


@pytest.mark.parametrize(("dnssec", "retry"), [(False, "+noedns"), (True, "+nodnssec +noedns")])
def test_formerr_without_opt_suggests_noedns(dnssec: bool, retry: str) -> None:
    result = make_result(make_query(dnssec=dnssec), rcode=dns.rcode.FORMERR, edns=False)
    expected = (
        ";; WARNING: recursion requested but not available\n\n"
        f";; WARNING: EDNS query returned status FORMERR - retry with '{retry}'\n\n"
        ";; QUESTION SECTION:"
    )
    assert expected in render_full(result)


def test_local_names_get_the_mdns_warning() -> None:
    text = render_full(make_result(make_query("printer.local"), rcode=dns.rcode.REFUSED))
    assert (
        ";; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n"
        ";; You are currently testing what happens when an mDNS query is leaked to DNS\n"
        ";; ->>HEADER<<-"
    ) in text


@pytest.mark.parametrize(
    "started",
    [
        WHEN,
        WHEN.replace(tzinfo=None),
        WHEN.astimezone(timezone(timedelta(hours=9))),
    ],
)
def test_when_is_printed_in_utc_like_dig(started: datetime) -> None:
    text = render_full(make_result(make_query(), started=started))
    assert ";; WHEN: Sat Nov 28 04:45:28 UTC 2026\n" in text


def test_custom_command_replaces_the_arguments() -> None:
    text = render_full(make_result(make_query()), command="dig @192.0.2.53 example.com AAAA")
    assert "\n; <<>> webdig <<>> @192.0.2.53 example.com AAAA\n" in text


REFUSED = QueryError(
    ErrorKind.REFUSED,
    "nothing listens",
    ";; communications error to 127.0.0.1#42033: connection refused",
)
TIMEOUT = QueryError(
    ErrorKind.TIMEOUT, "no answer", ";; connection timed out; no servers could be reached"
)


@pytest.mark.parametrize(
    ("error", "full", "short"),
    [
        (REFUSED,
         ";; communications error to 127.0.0.1#42033: connection refused\n\n"
         "; <<>> webdig <<>> @127.0.0.1 -p 42033 webdig.test A\n; (1 server found)\n"
         ";; global options: +cmd\n;; no servers could be reached\n",
         ";; communications error to 127.0.0.1#42033: connection refused\n"
         ";; no servers could be reached\n"),
        (TIMEOUT,
         "\n; <<>> webdig <<>> @127.0.0.1 -p 42033 webdig.test A\n; (1 server found)\n"
         ";; global options: +cmd\n;; connection timed out; no servers could be reached\n",
         ";; connection timed out; no servers could be reached\n"),
    ],
)  # fmt: skip
def test_failures_print_what_dig_prints(error: QueryError, full: str, short: str) -> None:
    result = QueryResult(query=make_query(), started=WHEN, error=error)
    assert render_full(result) == full
    assert render_short(result) == short
    assert render_answer(result) == ""


CHAIN = (
    "alias.webdig.test. 300 IN CNAME alias2.webdig.test.",
    "alias2.webdig.test. 300 IN CNAME www.webdig.test.",
    "www.webdig.test. 300 IN A 192.0.2.10",
)


def test_short_follows_the_cname_chain() -> None:
    result = make_result(make_query("alias.webdig.test"), records=CHAIN)
    assert render_short(result) == "alias2.webdig.test.\nwww.webdig.test.\n192.0.2.10\n"


def test_answer_is_the_record_lines_only() -> None:
    result = make_result(make_query("alias.webdig.test"), records=CHAIN)
    assert render_answer(result) == (
        "alias.webdig.test.\t300\tIN\tCNAME\talias2.webdig.test.\n"
        "alias2.webdig.test.\t300\tIN\tCNAME\twww.webdig.test.\n"
        "www.webdig.test.\t300\tIN\tA\t192.0.2.10\n"
    )


def test_empty_answer_renders_as_nothing() -> None:
    result = make_result(make_query("nope.webdig.test"), rcode=dns.rcode.NXDOMAIN)
    assert render_short(result) == ""
    assert render_answer(result) == ""


@pytest.mark.parametrize(
    ("query", "command"),
    [
        (make_query(), "dig @127.0.0.1 -p 42033 webdig.test A"),
        (Query(parse_hostname("www.webdig.test"), dns.rdatatype.AAAA, Server("192.0.2.53")),
         "dig @192.0.2.53 www.webdig.test AAAA"),
        (make_query(tcp=True, recurse=False, dnssec=True, nsid=True),
         "dig @127.0.0.1 -p 42033 webdig.test A +tcp +norecurse +dnssec +nsid"),
        (Query(parse_hostname("bücher.webdig.test"), dns.rdatatype.MX, Server("::1")),
         "dig @::1 xn--bcher-kva.webdig.test MX"),
        (Query(parse_hostname("10.2.0.192.in-addr.arpa"), dns.rdatatype.PTR, Server("127.0.0.1")),
         "dig @127.0.0.1 10.2.0.192.in-addr.arpa PTR"),
        (Query(parse_hostname("*.wild.webdig.test"), dns.rdatatype.A, Server("127.0.0.1")),
         "dig @127.0.0.1 '*.wild.webdig.test' A"),
        (Query(parse_hostname("version.bind"), dns.rdatatype.TXT, Server("127.0.0.1"),
               rdclass=dns.rdataclass.CH),
         "dig @127.0.0.1 version.bind CH TXT"),
    ],
)  # fmt: skip
def test_dig_command(query: Query, command: str) -> None:
    assert dig_command(query) == command


def test_sort_orders_each_section_and_leaves_the_header() -> None:
    result = make_result(
        make_query("webdig.test", "A"),
        records=("webdig.test. 300 IN A 192.0.2.30", "webdig.test. 300 IN A 192.0.2.4"),
        authority=(
            "webdig.test. 300 IN NS ns2.webdig.test.",
            "webdig.test. 300 IN NS ns1.webdig.test.",
        ),
    )
    plain, ordered = render_full(result), render_full(result, sort=True)
    assert plain != ordered
    assert sorted(plain.splitlines()) == sorted(ordered.splitlines())
    lines = ordered.splitlines()
    answer = lines[lines.index(";; ANSWER SECTION:") + 1 :][:2]
    authority = lines[lines.index(";; AUTHORITY SECTION:") + 1 :][:2]
    assert answer == sorted(answer)
    assert authority == sorted(authority)
    assert (
        lines[: lines.index(";; ANSWER SECTION:")]
        == plain.splitlines()[: lines.index(";; ANSWER SECTION:")]
    )
    assert render_short(result, sort=True) == "192.0.2.30\n192.0.2.4\n"
