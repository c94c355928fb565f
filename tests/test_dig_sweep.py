"""The sweep: every record type BIND 9.18 serves, printed by webdig as by the real dig.

One zone (``tests/zones/sweep.test.db``, signed at test time with NSEC, and
``n3.test`` with NSEC3) holds every type ``dig`` knows, in the shapes it prints
in its own way: escaped, empty, long and non-ASCII strings, SVCB parameters,
hex and base64 blobs, unknown types in RFC 3597 form, owner names with
escapes, wildcards, CNAME chains, a DNAME, a delegation.  Each case runs
``webdig lookup`` and ``dig`` with the same arguments against that zone and
compares the texts line by line, leaving out only what changes per query
(:func:`tests.support.digcompare.same_as_dig`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import dns.message
import dns.name
import dns.rrset
import pytest

from tests.support import sweepzone
from tests.support.appconfig import loopback_config
from tests.support.bind import NamedServer, free_port, running_or_skip
from tests.support.digcompare import dig_text, same_as_dig
from tests.support.fakeserver import FakeServer
from webdig import create_app
from webdig.cli.main import main
from webdig.web.snapshotstore import store_of

OPTIONS = 'check-names primary ignore; server-id "ns1.sweep.test";'

# Each type once, as dig prints it on one line.
TYPES = [
    "sweep.test SOA",
    "sweep.test NS",
    "sweep.test A",
    "sweep.test AAAA",
    "sweep.test MX",
    "mx.sweep.test MX",
    "txt.sweep.test TXT",
    "longtxt.sweep.test TXT",
    "spf.sweep.test SPF",
    "ptr.sweep.test PTR",
    "_sip._udp.sweep.test SRV",
    "_sip._tcp.sweep.test SRV",
    "caa.sweep.test CAA",
    "tlsa.sweep.test TLSA",
    "_443._tcp.tlsa.sweep.test TLSA",
    "smimea.sweep.test SMIMEA",
    "sshfp.sweep.test SSHFP",
    "naptr.sweep.test NAPTR",
    "loc.sweep.test LOC",
    "loc2.sweep.test LOC",
    "loc3.sweep.test LOC",
    "hinfo.sweep.test HINFO",
    "hinfo2.sweep.test HINFO",
    "https.sweep.test HTTPS",
    "svcb.sweep.test SVCB",
    "uri.sweep.test URI",
    "cds.sweep.test CDS",
    "cds0.sweep.test CDS",
    "cdnskey.sweep.test CDNSKEY",
    "cdnskey0.sweep.test CDNSKEY",
    "revoked.sweep.test CDNSKEY",
    "sweep.test DNSKEY",
    "sweep.test NSEC",
    "sweep.test RRSIG",
    "sweep.test NSEC3PARAM",
    "n3.test NSEC3PARAM",
    "child.sweep.test DS",
    "zonemd.sweep.test ZONEMD",
    "cert.sweep.test CERT",
    "openpgp.sweep.test OPENPGPKEY",
    "afsdb.sweep.test AFSDB",
    "rp.sweep.test RP",
    "rt.sweep.test RT",
    "kx.sweep.test KX",
    "px.sweep.test PX",
    "x25.sweep.test X25",
    "isdn.sweep.test ISDN",
    "nsap.sweep.test NSAP",
    "nsapptr.sweep.test NSAP-PTR",
    "wks.sweep.test WKS",
    "apl.sweep.test APL",
    "dhcid.sweep.test DHCID",
    "ipseckey.sweep.test IPSECKEY",
    "ipseckey2.sweep.test IPSECKEY",
    "eui48.sweep.test EUI48",
    "eui64.sweep.test EUI64",
    "csync.sweep.test CSYNC",
    "hip.sweep.test HIP",
    "hip2.sweep.test HIP",
    "l32.sweep.test L32",
    "l64.sweep.test L64",
    "lp.sweep.test LP",
    "nid.sweep.test NID",
    "avc.sweep.test AVC",
    "amtrelay.sweep.test AMTRELAY",
    "amtrelay2.sweep.test AMTRELAY",
    "gpos.sweep.test GPOS",
    "ninfo.sweep.test NINFO",
    "keyrec.sweep.test KEY",
    "null.sweep.test NULL",
    "unspec.sweep.test UNSPEC",
    "dsync.sweep.test DSYNC",
    "resinfo.sweep.test RESINFO",
    "wallet.sweep.test WALLET",
    "unknown.sweep.test TYPE65400",
    "unknown0.sweep.test TYPE65402",
    "unknown2.sweep.test TYPE65401",
    "ttl0.sweep.test A",
    "ttlbig.sweep.test A",
    # Types dnspython reads as opaque data or not at all (webdig.engine.bindtypes).
    "mb.sweep.test MB",
    "mg.sweep.test MG",
    "mr.sweep.test MR",
    "minfo.sweep.test MINFO",
    "minfo2.sweep.test MINFO",
    "a6.sweep.test A6",
    "a62.sweep.test A6",
    "a63.sweep.test A6",
    "ta.sweep.test TA",
    "talink.sweep.test TALINK",
    "sink.sweep.test SINK",
    "sink2.sweep.test SINK",
    "eid.sweep.test EID",
    "eid2.sweep.test EID",
    "nimloc.sweep.test NIMLOC",
    "atma.sweep.test ATMA",
    "atma2.sweep.test ATMA",
    "doa.sweep.test DOA",
    "doa2.sweep.test DOA",
    "doa3.sweep.test DOA",
    "rkey.sweep.test RKEY",
    "rkey2.sweep.test RKEY",
    "uinfo.sweep.test UINFO",
    "uid.sweep.test UID",
    "gid.sweep.test GID",
    "+short mb.sweep.test MB",
    "+short talink.sweep.test TALINK",
    "nxt.old.test NXT",
    "nxt2.old.test NXT",
    "+multi nxt.old.test NXT",
]

# Names, and answers that are not a plain record set.
NAMES_AND_ANSWERS = [
    r"'with\032space.sweep.test' A",
    r"'dot\.inside.sweep.test' A",
    r"'bad\@at.sweep.test' A",
    "upper.sweep.test A",
    "UPPER.SWEEP.TEST A",
    "sweep.test. A",
    ". NS",
    "xn--bcher-kva.sweep.test MX",
    "idnalias.sweep.test A",
    "x.wild.sweep.test A",
    "x.wild.sweep.test TXT",
    "x.wild.sweep.test MX",
    "c1.sweep.test A",
    "dangling.sweep.test A",
    "outside.sweep.test A",
    "www.dname.sweep.test A",
    "child.sweep.test A",
    "www.child.sweep.test A",
    "nope.sweep.test A",
    "txt.sweep.test A",
    "sweep.test ANY",
    "-x 192.0.2.1",
    "-x 2001:db8::1",
    "sweep.test MX IN",
    "v6.sweep.test AAAA",
    "+short v6.sweep.test AAAA",
    "caa2.sweep.test CAA",
    "svc6.sweep.test SVCB",
    "svc8.sweep.test HTTPS",
    "+short svc8.sweep.test HTTPS",
    r"'nul\000byte.sweep.test' A",
    r"'quote\"paren\(x\).sweep.test' A",
    r"'hi\255\127.sweep.test' A",
    "https.sweep.test NSEC",
    "a6.sweep.test NSEC",
    "uinfo.sweep.test NSEC",
    "sweep.test CH TXT",
    "version.bind CH TXT",
]

# DNSSEC answers: signatures, NSEC and NSEC3 denial.
DNSSEC = [
    "nope.sweep.test A +dnssec",
    "txt.sweep.test A +dnssec",
    "x.wild.sweep.test A +dnssec",
    "sweep.test DNSKEY +dnssec",
    "sweep.test NSEC +dnssec",
    "n3.test NSEC3PARAM +dnssec",
    "nope.n3.test A +dnssec",
    "b.ent.n3.test A +dnssec",
    "ent.n3.test A +dnssec",
    "+short sweep.test DNSKEY +dnssec",
]

# +multiline: the types dig lays out over several lines, and some it does not.
MULTILINE = [
    "sweep.test SOA +dnssec +multi",
    "sweep.test DNSKEY +multi",
    "revoked.sweep.test CDNSKEY +multi",
    "cdnskey.sweep.test CDNSKEY +multi",
    "cdnskey0.sweep.test CDNSKEY +multi",
    "cds.sweep.test CDS +multi",
    "tlsa.sweep.test TLSA +multi",
    "_443._tcp.tlsa.sweep.test TLSA +multi",
    "smimea.sweep.test SMIMEA +multi",
    "sshfp.sweep.test SSHFP +multi",
    "keyrec.sweep.test KEY +multi",
    "zonemd.sweep.test ZONEMD +multi",
    "cert.sweep.test CERT +multi",
    "openpgp.sweep.test OPENPGPKEY +multi",
    "ipseckey.sweep.test IPSECKEY +multi",
    "ipseckey2.sweep.test IPSECKEY +multi",
    "dhcid.sweep.test DHCID +multi",
    "dhcid2.sweep.test DHCID +multi",
    "hip.sweep.test HIP +multi",
    "hip2.sweep.test HIP +multi",
    "unknown.sweep.test TYPE65400 +multi",
    "unknown0.sweep.test TYPE65402 +multi",
    "unknown2.sweep.test TYPE65401 +multi",
    "unknown3.sweep.test TYPE65403 +multi",
    "null.sweep.test NULL +multi",
    "nope.n3.test A +dnssec +multi",
    "ent.n3.test A +dnssec +multi",
    "amtrelay.sweep.test AMTRELAY +multi",
    "gpos.sweep.test GPOS +multi",
    "nsap.sweep.test NSAP +multi",
    "dsync.sweep.test DSYNC +multi",
    "resinfo.sweep.test RESINFO +multi",
    "sweep.test RRSIG +multi",
    "sink2.sweep.test SINK +multi",
    "eid2.sweep.test EID +multi",
    "doa3.sweep.test DOA +multi",
    "atma2.sweep.test ATMA +multi",
    "rkey2.sweep.test RKEY +multi",
    "a62.sweep.test A6 +multi",
    "ta.sweep.test TA +multi",
    "minfo.sweep.test MINFO +multi",
    "www.n3.test A +dnssec +multi",
    "longtxt.sweep.test TXT +multi",
    "https.sweep.test HTTPS +multi",
    "loc.sweep.test LOC +multi",
    "naptr.sweep.test NAPTR +multi",
    "csync.sweep.test CSYNC +multi",
    "apl.sweep.test APL +multi",
    "wks.sweep.test WKS +multi",
    "x25.sweep.test X25 +multi",
    "caa.sweep.test CAA +multi",
    "sweep.test NSEC +multi",
    "n3.test NSEC3PARAM +multi",
    "sweep.test SOA +multi +ttlunits",
    "+nottlid +multi sweep.test SOA",
    "+noclass +nottlid +multi sweep.test DNSKEY",
]

# What is printed, and what is sent.
OPTIONS_CASES = [
    "+short sweep.test ANY",
    "+short txt.sweep.test TXT",
    "+short https.sweep.test HTTPS",
    "+short caa.sweep.test CAA",
    "+short loc.sweep.test LOC",
    "+short unknown.sweep.test TYPE65400",
    "+short nope.sweep.test A",
    "+short c1.sweep.test A",
    "+short idnalias.sweep.test A",
    "+short +multi sweep.test SOA",
    "+short +nsid sweep.test A",
    "+nsid sweep.test A",
    "+nsid +tcp sweep.test A",
    "+cookie sweep.test A",
    "+nocookie +nsid sweep.test A",
    "+norecurse nope.sweep.test A",
    "+norec www.child.sweep.test A",
    "+noall +answer +authority www.child.sweep.test A",
    "+noall +answer c1.sweep.test A",
    "+noall +authority nope.sweep.test A",
    "+noall +answer +ttlunits ttlbig.sweep.test A",
    "+noall +answer +nottlid +noclass mx.sweep.test MX",
    "+noall +answer +noclass https.sweep.test HTTPS",
    "+noall +answer +nottlid txt.sweep.test TXT",
    "+qr +dnssec sweep.test DNSKEY",
    "+qr +tcp sweep.test A",
    "+qr +noedns sweep.test A",
    "+qr +nocookie +subnet=0.0.0.0/0 sweep.test A",
    "+subnet=2001:db8:1::/56 sweep.test A",
    "+bufsize=512 sweep.test DNSKEY +dnssec",
    "+bufsize=0 sweep.test A",
    "sweep.test ANY +tcp",
    "sweep.test A A",
    "+short +identify sweep.test A",
    "+short +qr sweep.test A",
    "+short +stats sweep.test A",
    "+short +comments sweep.test A",
    "+noshort sweep.test A",
    "+short +multi +dnssec sweep.test DNSKEY",
    "+identify +noall +answer sweep.test A",
    "+norec +dnssec +cd x.wild.sweep.test A",
    # EDNS as dig sends it: options turn it on, +noedns off, DO/subnet/bufsize always on.
    "+noedns +nsid sweep.test A",
    "+nsid +noedns sweep.test A",
    "+noedns +dnssec sweep.test A",
    "+dnssec +noedns sweep.test A",
    "+subnet=192.0.2.0/24 +noedns sweep.test A",
    "+bufsize=4096 +noedns sweep.test A",
    "+noedns +cookie sweep.test A",
    "+cookie +noedns sweep.test A",
    "+noedns +nocookie sweep.test A",
    "+edns=0 +noedns sweep.test A",
    "+subnet=10/8 sweep.test A",
    "+subnet=0/0 sweep.test A",
    "+subnet=192.0.2.5/24 sweep.test A",
    # A truncated reply: the note is one of dig's comments; +qr shows both queries, the
    # one over TCP with the server's cookie.
    "tc.sweep.test TXT",
    "+noall +answer tc.sweep.test TXT",
    "+nocomments tc.sweep.test TXT",
    "+short tc.sweep.test TXT",
    "+noall +comments tc.sweep.test TXT",
    "+qr tc.sweep.test TXT",
    "+qr +nocomments tc.sweep.test TXT",
    "+qr +nostats tc.sweep.test TXT",
    "+qr +nocookie tc.sweep.test TXT",
]

CASES = [*TYPES, *NAMES_AND_ANSWERS, *DNSSEC, *MULTILINE, *OPTIONS_CASES]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NamedServer]:
    """BIND serving the signed sweep zones, answering NSID requests."""
    zones = sweepzone.build(tmp_path_factory.mktemp("sweep-keys"))
    yield from running_or_skip(NamedServer(zones=zones, extra_options=OPTIONS))


@pytest.fixture
def cli_env(sweep: NamedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI may ask the loopback BIND."""
    monkeypatch.setenv("WEBDIG_RESOLVER", f"127.0.0.1#{sweep.port}")
    monkeypatch.setenv("WEBDIG_ALLOW_PRIVATE", "true")
    # dig waits 5 s for a reply: so does webdig, or a slow reply on a busy machine would
    # print a timed-out try where dig prints none.
    monkeypatch.setenv("WEBDIG_TIMEOUT", "5")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.usefixtures("cli_env")
def test_webdig_prints_what_dig_prints(
    dig: str, sweep: NamedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    args = ["@127.0.0.1", "-p", str(sweep.port), *shlex.split(case)]
    expected = dig_text(dig, args, tmp_path)
    main(["lookup", *args])
    assert same_as_dig(capsys.readouterr().out) == same_as_dig(expected)


def _flaky(query: dns.message.Message, wire: bytes) -> list[bytes]:
    """Silent for a name's first, third… query, answers its second, fourth…."""
    name = query.question[0].name
    _ASKED[name] = _ASKED.get(name, 0) + 1
    if _ASKED[name] % 2 or name.labels[0] == b"silent":
        return []
    reply = dns.message.make_response(query)
    reply.answer.append(dns.rrset.from_text(name, 300, "IN", "A", "192.0.2.1"))
    return [reply.to_wire()]


_ASKED: dict[dns.name.Name, int] = {}

# Servers that fail: each try that timed out or was refused is reported, even with +short; a TCP
# connection refused stops dig before its banner.
FAILURES = [
    ("flaky", "+tries=2 +time=1 a.flaky.test"),
    ("flaky", "+short +tries=2 +time=1 b.flaky.test"),
    ("flaky", "+noall +answer +tries=3 +time=1 c.flaky.test"),
    ("flaky", "+tries=2 +time=1 silent.flaky.test"),
    ("flaky", "+short +tries=2 +time=1 silent.flaky.test"),
    ("closed", "+tcp +tries=1 +time=1 x.closed.test"),
    ("closed", "+tcp +short +tries=1 +time=1 x.closed.test"),
    ("closed", "+tries=1 +time=1 x.closed.test"),
    ("closed", "+tries=3 +time=1 x.closed.test"),
    ("closed", "+short +tries=2 +time=1 x.closed.test"),
]


@pytest.mark.parametrize(("server", "case"), FAILURES)
def test_failures_are_reported_as_dig_reports_them(
    dig: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    server: str,
    case: str,
) -> None:
    monkeypatch.setenv("WEBDIG_ALLOW_PRIVATE", "true")
    with FakeServer(udp=_flaky) as flaky:
        port = flaky.port if server == "flaky" else free_port()
        monkeypatch.setenv("WEBDIG_RESOLVER", f"127.0.0.1#{port}")
        for who in ("dig", "webdig"):
            # Each asks its own name: the server answers every second query of a name.
            args = ["@127.0.0.1", "-p", str(port), *shlex.split(case.replace(".test", f".{who}"))]
            if who == "dig":
                expected = dig_text(dig, args, tmp_path).replace(".dig", ".NAME")
            else:
                main(["lookup", *args])
                shown = capsys.readouterr().out.replace(".webdig", ".NAME")
    # The names differ in length: so do the replies.
    size = re.compile(r"MSG SIZE  rcvd: \d+")
    assert same_as_dig(size.sub("", shown)) == same_as_dig(size.sub("", expected))


# IDN on a terminal (dig's +idnout default there): A-labels in owners and data as
# U-labels, keeping the case they have on the wire.
IDN_CASES = [
    "idnalias.sweep.test A",
    "xn--bcher-kva.sweep.test MX",
    "mixed.sweep.test A",
    "mixed2.sweep.test A",
    "+short mixed2.sweep.test A",
    "+multi xn--bcher-kva.sweep.test MX",
    "+noall +answer BÜCHER.sweep.test MX",
]


@pytest.mark.parametrize("case", IDN_CASES)
@pytest.mark.usefixtures("cli_env")
def test_idn_as_dig_prints_it_on_a_terminal(
    dig: str, sweep: NamedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    args = ["@127.0.0.1", "-p", str(sweep.port), *shlex.split(case)]
    expected = dig_text(dig, args, tmp_path, tty=True)
    # capsys is no terminal: +idnout stands for dig's terminal default (and leaves the banner).
    main(["lookup", *args, "+idnout"])
    shown = capsys.readouterr().out.replace(" +idnout", "")
    assert same_as_dig(shown) == same_as_dig(expected)


# The page's text: its banner is a dig command that prints the same (the options from
# the form, where dig's order rules do not apply: DO with noedns is still EDNS).
PAGE_CASES = [
    {"hostnames": "talink.sweep.test", "type": "TALINK"},
    {"hostnames": "tc.sweep.test", "type": "TXT", "qr": "on"},
    {"hostnames": "x.wild.sweep.test", "type": "A", "dnssec": "on", "multiline": "on"},
    {"hostnames": "sweep.test", "type": "A", "dnssec": "on", "noedns": "on"},
    {"hostnames": "sweep.test", "type": "A", "nsid": "on", "noedns": "on"},
]


@pytest.mark.parametrize("query", PAGE_CASES, ids=[" ".join(q.values()) for q in PAGE_CASES])
def test_page_text_is_what_its_banner_prints_in_dig(
    dig: str, sweep: NamedServer, tmp_path: Path, query: dict[str, str]
) -> None:
    config = loopback_config(
        sweep.address, sweep.port, INSTANCE_PATH=str(tmp_path / "i"), TIMEOUT=5.0, DEADLINE=8.0
    )
    app = create_app(config)
    wanted = {**query, "ns": "self", "nameservers": f"127.0.0.1#{sweep.port}", "format": "text"}
    # A click of the person's own, so that the look-up runs.
    headers = {"Sec-Fetch-Site": "none", "Sec-Fetch-User": "?1"}
    text = app.test_client().get("/?" + urlencode(wanted), headers=headers).get_data(as_text=True)
    store_of(app).engine.dispose()
    banner = re.search(r"<<>> webdig <<>> (.*)", text)
    assert banner is not None
    expected = dig_text(dig, shlex.split(banner.group(1)), tmp_path)
    assert same_as_dig(text) == same_as_dig(expected)
