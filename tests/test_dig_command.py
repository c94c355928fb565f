"""dig's command line read as dig reads it: order kept, classes, -x, +options."""

from __future__ import annotations

import pytest

from webdig.dig.command import CommandError, looks_like_command, parse_command, split_command
from webdig.dig.display import from_flags
from webdig.engine.query import parse_subnet
from webdig.lookup.sendoptions import query_options


def test_a_pasted_command_becomes_the_parameters_of_a_link() -> None:
    command = parse_command(split_command("dig @ns1.xserver.jp www.example.com"))
    params = command.params
    assert params.hostnames == ("www.example.com",)
    assert params.nameservers == ("ns1.xserver.jp",)
    assert params.ns == "self"
    assert params.type == "A"


def test_class_and_type_in_any_order() -> None:
    for tokens in (["version.bind", "CH", "TXT"], ["txt", "chaos", "version.bind"]):
        params = parse_command(tokens).params
        assert (params.hostnames, params.type.upper(), params.rdclass) == (
            ("version.bind",),
            "TXT",
            "CH",
        )


def test_dash_options() -> None:
    params = parse_command(["@192.0.2.53", "-p", "5353", "-x", "203.0.113.5"]).params
    assert params.hostnames == ("203.0.113.5",)
    assert params.type == "Reverse"
    assert params.nameservers == ("192.0.2.53#5353",)
    assert parse_command(["-t", "MX", "-c", "hs", "-q", "x.example"]).params.rdclass == "HS"


@pytest.mark.parametrize(
    ("tokens", "answer", "question", "stats"),
    [
        (["+noall", "+answer"], True, False, False),
        (["+answer", "+noall"], False, False, False),
        (["+noquestion"], True, False, True),
        (["+nostats", "+stats"], True, True, True),
    ],
)
def test_display_options_apply_in_order(
    tokens: list[str], answer: bool, question: bool, stats: bool
) -> None:
    params = parse_command(["example.com", *tokens]).params
    display = from_flags(params.flag)
    assert (display.answer, display.question, display.stats) == (answer, question, stats)


def test_valued_options_and_switches() -> None:
    command = parse_command(
        ["x.example", "+bufsize=4096", "+subnet=192.0.2.0/24", "+tries=3", "+time=2", "+nocookie",
         "+cd", "+noadflag", "+noedns", "+multi", "+noidnout"]
    )  # fmt: skip
    params = command.params
    assert dict(params.values) == {
        "bufsize": "4096",
        "subnet": "192.0.2.0/24",
        "retry": "2",
        "time": "2",
    }
    assert {"nocookie", "cd", "noadflag", "noedns", "multiline"} <= params.flags
    assert command.idnout is False


@pytest.mark.parametrize(
    ("tokens", "fragment"),
    [
        (["x.example", "+frobnicate"], "unknown option +frobnicate"),
        (["x.example", "-4"], "unknown option -4"),
        (["x.example", "A", "MX"], "one record type"),
        (["x.example", "CH", "HS"], "one class"),
        (["x.example", "+edns=1"], "+edns=0"),
        (["-x"], "needs a value"),
    ],
)
def test_what_webdig_cannot_do_is_said(tokens: list[str], fragment: str) -> None:
    with pytest.raises(CommandError, match=None) as info:
        parse_command(tokens)
    assert fragment in info.value.message


def test_looks_like_command() -> None:
    assert looks_like_command("dig @ns1.xserver.jp www.example.com")
    assert looks_like_command("www.example.com +short")
    assert not looks_like_command("www.example.com\nexample.org")


@pytest.mark.parametrize(
    ("tokens", "edns"),
    [
        (["+noedns"], False),
        (["+noedns", "+nsid"], True),  # an EDNS option turns EDNS back on...
        (["+nsid", "+noedns"], False),  # ...until +noedns comes after it
        (["+noedns", "+cookie"], True),
        (["+cookie", "+noedns"], False),
        (["+noedns", "+nocookie"], False),
        (["+dnssec", "+noedns"], True),  # the DO bit, a subnet or a buffer size: always
        (["+noedns", "+subnet=192.0.2.0/24"], True),
        (["+bufsize=4096", "+noedns"], True),
    ],
)
def test_edns_is_sent_when_dig_would_send_it(tokens: list[str], edns: bool) -> None:
    assert query_options(parse_command(["x.example", *tokens]).params).edns is edns


@pytest.mark.parametrize(
    ("text", "subnet"),
    [("10/8", "10.0.0.0/8"), ("192.168/16", "192.168.0.0/16"), ("0/0", "0.0.0.0/0"),
     ("0", "0.0.0.0/0"), ("192.0.2.5/24", "192.0.2.0/24"), ("2001:db8::1/48", "2001:db8::/48")],
)  # fmt: skip
def test_subnet_is_read_as_dig_reads_it(text: str, subnet: str) -> None:
    assert parse_subnet(text) == subnet
