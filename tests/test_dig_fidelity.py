"""End to end: webdig's dig text against the real ``dig`` 9.18, on the test BIND.

Each case runs ``dig`` with the arguments of :func:`dig_command` and
webdig's :func:`exchange` + :func:`render_full` (or ``+short`` and
:func:`render_short`), then compares everything but what changes from one
query to the next: the message id, the query time, the cookie value and the
date.  BIND rotates the order of records in an RRset, so each section's
record lines are compared sorted.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dns.rdatatype
import pytest

from tests.support.bind import ZONES_DIR, NamedServer, Zone, main_zones, running_or_skip
from tests.support.digcompare import comparable, dig_text, same_as_dig
from webdig.cli.commands import idnout_default
from webdig.cli.main import main
from webdig.dig.command import parse_command
from webdig.dig.display import from_flags
from webdig.dig.message import dig_args, dig_command, render_full, render_short
from webdig.engine.names import parse_hostname, reverse_hostname
from webdig.engine.query import Query, QueryOptions, Server, parse_class
from webdig.engine.transport import exchange

SERVER_ID = "ns1.webdig.test"

# (name as a user types it, type, dig options)
FULL_CASES = [
    ("webdig.test", "A", ()),
    ("www.webdig.test", "AAAA", ()),
    ("alias.webdig.test", "A", ()),
    ("away.webdig.test", "A", ()),
    ("webdig.test", "MX", ()),
    ("webdig.test", "NS", ()),
    ("webdig.test", "SOA", ()),
    ("webdig.test", "TXT", ()),
    ("multi.webdig.test", "TXT", ()),
    ("quotes.webdig.test", "TXT", ()),
    ("utf8.webdig.test", "TXT", ()),
    ("ctrl.webdig.test", "TXT", ()),
    ("empty.webdig.test", "TXT", ()),
    ("long.webdig.test", "TXT", ()),
    ("_sip._tcp.webdig.test", "SRV", ()),
    ("webdig.test", "CAA", ()),
    ("webdig.test", "HTTPS", ()),
    ("svc.webdig.test", "SVCB", ()),
    ("svc2.webdig.test", "SVCB", ()),
    ("child.webdig.test", "DS", ()),
    ("webdig.test", "DNSKEY", ()),
    ("child.webdig.test", "NS", ()),
    ("x.wild.webdig.test", "A", ()),
    ("10.2.0.192.in-addr.arpa", "PTR", ()),
    ("bücher.webdig.test", "A", ()),
    ("nope.webdig.test", "A", ()),
    ("www.webdig.test", "MX", ()),
    ("big.webdig.test", "TXT", ()),
    ("example.org", "A", ()),
    ("www.webdig.test", "A", ("+tcp",)),
    ("www.webdig.test", "A", ("+norecurse",)),
    ("webdig.test", "DNSKEY", ("+dnssec",)),
    ("www.webdig.test", "A", ("+nsid",)),
]

SHORT_CASES = [
    ("alias.webdig.test", "A"),
    ("webdig.test", "MX"),
    ("multi.webdig.test", "TXT"),
    ("webdig.test", "CAA"),
    ("webdig.test", "HTTPS"),
    ("child.webdig.test", "DS"),
    ("webdig.test", "DNSKEY"),
    ("10.2.0.192.in-addr.arpa", "PTR"),
    ("big.webdig.test", "TXT"),
    ("nope.webdig.test", "A"),
    ("www.webdig.test", "MX"),
]


@pytest.fixture(scope="module")
def named_with_nsid() -> Iterator[NamedServer]:
    """The test zones again, from a named that answers NSID requests."""
    server = NamedServer(zones=main_zones(), extra_options=f'server-id "{SERVER_ID}";')
    yield from running_or_skip(server)


def make_query(name: str, rdtype: str, port: int, options: tuple[str, ...] = ()) -> Query:
    return Query(
        parse_hostname(name),
        dns.rdatatype.from_text(rdtype),
        Server("127.0.0.1", port),
        QueryOptions(
            tcp="+tcp" in options,
            recurse="+norecurse" not in options,
            dnssec="+dnssec" in options,
            nsid="+nsid" in options,
        ),
    )


def run_dig(dig: str, query: Query, home: Path, *extra: str) -> str:
    argv = [dig, *shlex.split(dig_command(query))[1:], *extra]
    # An empty HOME keeps a developer's ~/.digrc out of the comparison.
    env = {**os.environ, "HOME": str(home)}
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, env=env, check=False)
    return done.stdout


@pytest.mark.parametrize(
    ("name", "rdtype", "options"),
    FULL_CASES,
    ids=[" ".join((n, t, *o)) for n, t, o in FULL_CASES],
)
def test_full_output_matches_dig(
    dig: str, named: NamedServer, tmp_path: Path, name: str, rdtype: str, options: tuple[str, ...]
) -> None:
    query = make_query(name, rdtype, named.port, options)
    expected = run_dig(dig, query, tmp_path)
    result = exchange(query, timeout=5.0)
    assert result.ok, result.error
    assert comparable(render_full(result)) == comparable(expected)


@pytest.mark.parametrize(("name", "rdtype"), SHORT_CASES, ids=[" ".join(c) for c in SHORT_CASES])
def test_short_output_matches_dig(
    dig: str, named: NamedServer, tmp_path: Path, name: str, rdtype: str
) -> None:
    query = make_query(name, rdtype, named.port)
    expected = run_dig(dig, query, tmp_path, "+short")
    result = exchange(query, timeout=5.0)
    assert sorted(render_short(result).splitlines()) == sorted(expected.splitlines())


def test_nsid_matches_dig(dig: str, named_with_nsid: NamedServer, tmp_path: Path) -> None:
    query = make_query("www.webdig.test", "A", named_with_nsid.port, ("+nsid",))
    expected = run_dig(dig, query, tmp_path)
    rendered = render_full(exchange(query, timeout=5.0))
    assert '; NSID: 6e 73 31 2e 77 65 62 64 69 67 2e 74 65 73 74 ("ns1.webdig.test")' in expected
    assert comparable(rendered) == comparable(expected)


def test_truncated_answer_is_retried_over_tcp_like_dig(
    dig: str, named: NamedServer, tmp_path: Path
) -> None:
    query = make_query("big.webdig.test", "TXT", named.port)
    expected = run_dig(dig, query, tmp_path)
    rendered = render_full(exchange(query, timeout=5.0))
    for text in (expected, rendered):
        assert text.startswith(";; Truncated, retrying in TCP mode.\n\n; <<>> ")
        assert "(127.0.0.1) (TCP)\n" in text


# ---------------------------------------------------------------------------
# The CLI as a dig user types it: the same arguments to ``webdig lookup`` and
# to ``dig``, the banner as typed, every display and query option.

EXACT_OPTIONS = (
    'check-names primary ignore; server-id "ns1.exact.test"; version "9.9.9-test"; '
    'hostname "host.exact.test";'
)


@pytest.fixture(scope="module")
def exact() -> Iterator[NamedServer]:
    """webdig.test and exact.test (escaped owners, IDN, odd data) from one named
    that answers version.bind, hostname.bind and id.server."""
    zones = [*main_zones(), Zone("exact.test.", ZONES_DIR / "exact.test.db")]
    yield from running_or_skip(NamedServer(zones=zones, extra_options=EXACT_OPTIONS))


@pytest.fixture
def cli_env(exact: NamedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI may ask the loopback BIND."""
    monkeypatch.setenv("WEBDIG_RESOLVER", f"127.0.0.1#{exact.port}")
    monkeypatch.setenv("WEBDIG_ALLOW_PRIVATE", "true")
    # dig waits 5 s for a reply: so does webdig, or a slow reply on a busy machine would
    # print a timed-out try where dig prints none.
    monkeypatch.setenv("WEBDIG_TIMEOUT", "5")


def cli_text(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    main(["lookup", *args])
    return capsys.readouterr().out


DIG_CASES = [
    # 1. case as typed, on the wire and in every line
    "WwW.WebDig.TEST",
    "+noall +answer MiXeD.Exact.Test",
    # 2. the banner as typed
    "-x 192.0.2.10",
    "webdig.test txt",
    "webdig.test TYPE1",
    "webdig.test IN A",
    "www.webdig.test +dnssec +tcp",
    "+norec www.webdig.test",
    "+vc www.webdig.test",
    "-t mx -q webdig.test",
    # 3. class CH
    "version.bind CH TXT",
    "hostname.bind CH TXT",
    "-c chaos -t txt id.server",
    "version.server CH TXT",
    # 4. master-file escapes
    r"'with\032space.exact.test'",
    r"+noall +answer 'dot\.inside.exact.test'",
    r"'\200\255bin.exact.test'",
    r"'semi\;colon.exact.test'",
    # 6. a record dnspython refuses
    "badech.exact.test HTTPS",
    "+short badech.exact.test HTTPS",
    "+multi badech.exact.test HTTPS",
    # 7. display options, alone
    "+noall +answer www.webdig.test",
    "+nocomments nope.webdig.test",
    "+noquestion www.webdig.test",
    "+noauthority nope.webdig.test",
    "+noadditional webdig.test MX",
    "+nostats www.webdig.test",
    "+nocmd www.webdig.test",
    "+multiline webdig.test SOA",
    "+multi child.webdig.test DS",
    "+multi exact.test DNSKEY",
    "+multi sig.exact.test RRSIG",
    "+multi webdig.test MX",
    "+ttlunits webdig.test SOA",
    "+noall +answer +ttlunits ttlmix.exact.test",
    "+noall +answer +ttlunits ttl0.exact.test",
    "+nottlid webdig.test SOA",
    "+noclass webdig.test SOA",
    "+cd www.webdig.test",
    "+adflag www.webdig.test",
    "+noadflag www.webdig.test",
    "+bufsize=4096 www.webdig.test",
    "+noedns www.webdig.test",
    "+edns=0 www.webdig.test",
    "+nocookie www.webdig.test",
    "+subnet=192.0.2.0/24 www.webdig.test",
    "+subnet=2001:db8::/48 www.webdig.test",
    "+qr www.webdig.test",
    "+identify www.webdig.test",
    "+retry=1 www.webdig.test",
    "+time=2 www.webdig.test",
    # ... and together
    "+noall +answer webdig.test MX",
    "+noall +answer +identify www.webdig.test",
    "+short +identify webdig.test MX",
    "+multi +dnssec webdig.test DNSKEY",
    "+multi +dnssec sig.exact.test RRSIG",
    "+nottlid +noclass webdig.test SOA",
    "+noclass +multi webdig.test SOA",
    "+ttlunits +multi webdig.test SOA",
    "+noall +comments www.webdig.test",
    "+noall +stats www.webdig.test",
    "+noall +cmd www.webdig.test",
    "+noall +question +answer +qr www.webdig.test",
    "+qr +nsid +subnet=192.0.2.0/24 +nocookie +bufsize=4096 +cd +noadflag www.webdig.test",
    "+qr +noedns +noall +comments www.webdig.test",
    "+answer +noall www.webdig.test",
    "+noall +answer +multi +nottlid child.webdig.test DS",
]


@pytest.mark.parametrize("case", DIG_CASES)
@pytest.mark.usefixtures("cli_env")
def test_cli_prints_what_dig_prints(
    dig: str, exact: NamedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    args = ["@127.0.0.1", "-p", str(exact.port), *shlex.split(case)]
    expected = dig_text(dig, args, tmp_path)
    assert same_as_dig(cli_text(args, capsys)) == same_as_dig(expected)


@pytest.mark.usefixtures("cli_env")
def test_unparsable_record_is_shown_with_a_note(
    exact: NamedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    text = cli_text(["@127.0.0.1", "-p", str(exact.port), "badech.exact.test", "HTTPS"], capsys)
    assert ";; webdig: the HTTPS record of badech.exact.test. could not be parsed" in text
    assert "invalid ECHConfigList" in text
    assert "no servers could be reached" not in text


@pytest.mark.parametrize(
    ("case", "dig_extra", "webdig_extra"),
    [
        ("bücher.exact.test", [], ["+idnout"]),
        ("www.bücher.exact.test", [], ["+idnout"]),
        ("日本語.exact.test", [], ["+idnout"]),
        ("+noall +answer 日本語.exact.test", [], ["+idnout"]),
        ("+short www.bücher.exact.test", [], ["+idnout"]),
        ("bücher.exact.test", ["+noidnout"], ["+noidnout"]),
    ],
)
@pytest.mark.usefixtures("cli_env")
def test_idn_as_dig_prints_it_on_a_terminal(
    dig: str,
    exact: NamedServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    dig_extra: list[str],
    webdig_extra: list[str],
) -> None:
    args = ["@127.0.0.1", "-p", str(exact.port), *shlex.split(case)]
    expected = dig_text(dig, [*args, *dig_extra], tmp_path, tty=True)
    # capsys is no terminal: +idnout stands for dig's terminal default; the
    # banner shows it, so it is taken out of both.
    shown = cli_text([*args, *webdig_extra], capsys)
    shown = shown.replace(" " + " ".join(webdig_extra), "")
    expected = expected.replace(" " + " ".join(dig_extra), "") if dig_extra else expected
    assert same_as_dig(shown) == same_as_dig(expected)


def test_cli_shows_u_labels_on_a_terminal_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert idnout_default(parse_command(["bücher.example"])) is True
    assert idnout_default(parse_command(["bücher.example", "+noidnout"])) is False
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert idnout_default(parse_command(["bücher.example"])) is False


WEB_CASES = [
    ("192.0.2.10", "Reverse", "IN", frozenset(), QueryOptions()),
    ("www.webdig.test", "A", "IN", frozenset({"noall", "answer"}), QueryOptions()),
    ("webdig.test", "SOA", "IN", frozenset({"multiline", "ttlunits"}), QueryOptions()),
    ("webdig.test", "MX", "IN", frozenset({"nocomments", "nottlid"}), QueryOptions()),
    ("version.bind", "TXT", "CH", frozenset(), QueryOptions()),
    (
        "www.webdig.test",
        "A",
        "IN",
        frozenset({"qr"}),
        QueryOptions(cd=True, adflag=False, bufsize=4096, cookie=False, subnet="192.0.2.0/24"),
    ),
    ("www.webdig.test", "A", "IN", frozenset({"noall", "comments"}), QueryOptions(edns=False)),
]


@pytest.mark.parametrize(
    ("name", "rdtype", "rdclass", "flags", "options"),
    WEB_CASES,
    ids=[" ".join((n, t, c, *sorted(f))) for n, t, c, f, _ in WEB_CASES],
)
def test_page_banner_is_a_command_that_prints_the_same(
    dig: str,
    exact: NamedServer,
    tmp_path: Path,
    name: str,
    rdtype: str,
    rdclass: str,
    flags: frozenset[str],
    options: QueryOptions,
) -> None:
    reverse = rdtype == "Reverse"
    query = Query(
        reverse_hostname(name) if reverse else parse_hostname(name),
        dns.rdatatype.PTR if reverse else dns.rdatatype.from_text(rdtype),
        Server("127.0.0.1", exact.port),
        options,
        parse_class(rdclass),
    )
    display = from_flags(flags.__contains__)
    expected = dig_text(dig, dig_args(query, display), tmp_path)
    rendered = render_full(exchange(query, timeout=5.0), display=display)
    assert same_as_dig(rendered) == same_as_dig(expected)
