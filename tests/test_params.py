"""Canonical parameters: digwebinterface links in, shareable query strings out."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from werkzeug.datastructures import MultiDict

from webdig.cli.main import build_parser
from webdig.lookup.params import (
    DigFlag,
    DigValue,
    Flag,
    LookupParams,
    Mode,
    from_values,
    split_lines,
)
from webdig.settings import Settings
from webdig.web import openapi


def params_of(query: str) -> LookupParams:
    return from_values(dict(parse_qsl(query)))


def test_digwebinterface_link_is_understood() -> None:
    params = params_of(
        "hostnames=www.example.com%0D%0Aexample.com&type=MX&ns=self"
        "&nameservers=ns1.xserver.jp%0Ans2.xserver.jp&useresolver=8.8.4.4&showcommand=on"
    )
    assert params.hostnames == ("www.example.com", "example.com")
    assert (params.type, params.ns) == ("MX", "self")
    assert params.nameservers == ("ns1.xserver.jp", "ns2.xserver.jp")
    assert params.flags == {"showcommand"}


def test_query_string_round_trips() -> None:
    params = LookupParams(
        hostnames=("a.example", "b.example"),
        type="AAAA",
        ns="self",
        nameservers=("192.0.2.53",),
        expected=("192.0.2.10", "2001:db8::10"),
        flags=frozenset({Flag.TCP, Flag.SHORT}),
    )
    assert params_of(params.query_string()) == params


def test_resolver_mode_keeps_useresolver_not_nameservers() -> None:
    items = dict(LookupParams(hostnames=("a.example",), useresolver="1.1.1.1").query_items())
    assert items["useresolver"] == "1.1.1.1"
    assert "nameservers" not in items


def test_nameservers_without_ns_mean_self() -> None:
    assert params_of("hostnames=a.example&nameservers=192.0.2.53").ns == "self"


def test_a_name_given_twice_counts_once_by_its_first_value() -> None:
    # As request.args.get reads a query string: tcp=off&tcp=on leaves +tcp off.
    args = MultiDict(
        [("hostnames", "a.example"), ("tcp", "off"), ("tcp", "on"), ("nsid", "on"),
         ("noedns", "on"), ("retry", "2"), ("retry", "4"), ("time", " "), ("bufsize", "512")]
    )  # fmt: skip
    params = from_values(args)
    assert params.flags == {Flag.NSID, DigFlag.NOEDNS}
    assert params.values == ((DigValue.BUFSIZE, "512"), (DigValue.RETRY, "2"))


@pytest.mark.parametrize("value", ["on", "1", "true", "ON"])
def test_flag_spellings(value: str) -> None:
    assert params_of(f"hostnames=a&tcp={value}").flag(Flag.TCP)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("a\nb", ("a", "b")),
        ("a\r\n\r\nb", ("a", "b")),
        ("a, b;c d", ("a", "b", "c", "d")),
        ("", ()),
        (None, ()),
    ],
)
def test_split_lines(text: str | None, items: tuple[str, ...]) -> None:
    assert split_lines(text) == items


def test_each_mode_and_flag_is_described_once_for_the_api_and_the_cli(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = openapi.document(Settings())
    described = {p["name"]: p for p in document["paths"]["/api/v1/lookup"]["get"]["parameters"]}
    assert described["ns"]["schema"]["enum"] == [mode.value for mode in Mode]
    for mode in Mode:
        assert f"{mode}: {mode.description}" in described["ns"]["description"]
    for flag in Flag:
        assert described[flag]["description"] == flag.description
    with pytest.raises(SystemExit):
        build_parser().parse_args(["lookup", "--help"])
    lookup_help = " ".join(capsys.readouterr().out.split())
    assert " ".join(Mode.summary().split()) in lookup_help
