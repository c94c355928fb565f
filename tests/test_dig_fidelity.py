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
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import dns.rdatatype
import pytest

from tests.support.bind import NamedServer, main_zones, running_or_skip
from webdig.dig.message import dig_command, render_full, render_short
from webdig.engine.names import parse_hostname
from webdig.engine.query import Query, QueryOptions, Server
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
def dig() -> str:
    """The real dig; missing on CI is a broken setup, elsewhere a skip."""
    path = shutil.which("dig")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("dig is missing: .ci/test must install bind9-dnsutils")
        pytest.skip("dig (bind9-dnsutils) is not installed")
    return path


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


def comparable(text: str) -> list[str]:
    """dig text without what changes per query, each section's records sorted."""
    text = re.sub(r"<<>> DiG \S+ <<>>", "<<>> webdig <<>>", text)
    text = re.sub(r"id: \d+$", "id: ID", text, flags=re.MULTILINE)
    text = re.sub(r"; COOKIE: [0-9a-f]+", "; COOKIE: VALUE", text)
    text = re.sub(r"Query time: \d+ msec", "Query time: T msec", text)
    text = re.sub(r";; WHEN: .*", ";; WHEN: DATE", text)
    lines: list[str] = []
    records: list[str] = []
    for line in text.split("\n"):
        if line and not line.startswith(";"):
            records.append(line)
            continue
        lines += sorted(records)
        records = []
        lines.append(line)
    return lines + sorted(records)


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
    result = exchange(query, timeout=3.0)
    assert result.ok, result.error
    assert comparable(render_full(result)) == comparable(expected)


@pytest.mark.parametrize(("name", "rdtype"), SHORT_CASES, ids=[" ".join(c) for c in SHORT_CASES])
def test_short_output_matches_dig(
    dig: str, named: NamedServer, tmp_path: Path, name: str, rdtype: str
) -> None:
    query = make_query(name, rdtype, named.port)
    expected = run_dig(dig, query, tmp_path, "+short")
    result = exchange(query, timeout=3.0)
    assert sorted(render_short(result).splitlines()) == sorted(expected.splitlines())


def test_nsid_matches_dig(dig: str, named_with_nsid: NamedServer, tmp_path: Path) -> None:
    query = make_query("www.webdig.test", "A", named_with_nsid.port, ("+nsid",))
    expected = run_dig(dig, query, tmp_path)
    rendered = render_full(exchange(query, timeout=3.0))
    assert '; NSID: 6e 73 31 2e 77 65 62 64 69 67 2e 74 65 73 74 ("ns1.webdig.test")' in expected
    assert comparable(rendered) == comparable(expected)


def test_truncated_answer_is_retried_over_tcp_like_dig(
    dig: str, named: NamedServer, tmp_path: Path
) -> None:
    query = make_query("big.webdig.test", "TXT", named.port)
    expected = run_dig(dig, query, tmp_path)
    rendered = render_full(exchange(query, timeout=3.0))
    for text in (expected, rendered):
        assert text.startswith(";; Truncated, retrying in TCP mode.\n\n; <<>> ")
        assert "(127.0.0.1) (TCP)\n" in text
