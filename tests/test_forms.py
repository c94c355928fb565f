"""The look-up form: field names, plan()'s messages next to each field, filled-in values."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from werkzeug.datastructures import MultiDict

from tests.support.bind import NamedServer
from webdig.engine.names import parse_hostname, reverse_hostname
from webdig.engine.nameservers import parse_nameserver
from webdig.engine.query import parse_type
from webdig.errors import InputError
from webdig.lookup.context import LookupContext
from webdig.lookup.fielderrors import InvalidParams
from webdig.lookup.params import Flag, LookupParams, from_values
from webdig.lookup.planning import plan
from webdig.presets import Preset
from webdig.settings import Settings
from webdig.web.lookupform import (
    DIG_FORM_FLAGS,
    DIG_FORM_VALUES,
    LookupForm,
    form_data,
    resolver_choices,
)

SETTINGS = Settings(
    presets=(Preset("8.8.8.8", "Google Public DNS", "8.8.8.8"),),
    resolver="127.0.0.1",
    allow_private=True,
)
NO_PACKETS = LookupContext(target_gate=lambda address, port: 60)
"""Planning these forms needs no query; a closed gate makes sure none is sent."""


def make_form(**fields: str) -> LookupForm:
    return LookupForm(MultiDict(fields), settings=SETTINGS)


def shown(
    fields: dict[str, str],
    settings: Settings = SETTINGS,
    context: LookupContext = NO_PACKETS,
) -> LookupForm:
    """The form as the page shows it after planning, as the view does."""
    form = LookupForm(MultiDict(fields), settings=settings)
    try:
        plan(from_values(fields), settings, context=context)
    except InvalidParams as exc:
        form.add_errors(exc.fields)
    return form


def core_message(parse: Callable[[str], object], text: str) -> str:
    try:
        parse(text)
    except InputError as exc:
        return exc.message
    raise AssertionError(f"{text!r} was accepted by the core")


def test_field_names_are_digwebinterface_ones() -> None:
    names = {field.name for field in make_form()}
    assert names == {
        "hostnames",
        "type",
        "ns",
        "useresolver",
        "nameservers",
        "hosting",
        "expected",
        *Flag,
        "class",
        *DIG_FORM_FLAGS,
        *DIG_FORM_VALUES,
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"hostnames": "www.example.com", "type": "A"},
        {"hostnames": "www.example.com\nexample.com", "type": "aaaa"},
        {"hostnames": "https://www.example.com/path", "type": "MX"},
        {"hostnames": "bücher.example", "type": "A"},
        {"hostnames": "_acme-challenge.example.com", "type": "TXT"},
        {"hostnames": "192.0.2.10\n2001:db8::1", "type": "Reverse"},
        {"hostnames": "example.com", "ns": "self", "nameservers": "192.0.2.53:5353"},
        {"hostnames": "example.com", "ns": "self", "nameservers": "[2001:db8::53]:5353"},
        {"hostnames": "example.com", "ns": "self", "nameservers": "192.0.2.53#53"},
        {"hostnames": "example.com", "ns": "resolver", "nameservers": "not a server!"},
        {"hostnames": "example.com", "expected": "192.0.2.10 2001:db8::10"},
    ],
)
def test_valid_input_passes(fields: dict[str, str]) -> None:
    form = shown(fields)
    assert not form.has_errors, form.errors


@pytest.mark.parametrize(
    "fields",
    [
        {"hostnames": "example.com", "ns": "self", "nameservers": "ns1.webdig.test"},
        {"hostnames": "example.com", "expected": "ns1.webdig.test"},
    ],
)
def test_server_names_are_resolved_before_the_form_passes(
    named: NamedServer, fields: dict[str, str]
) -> None:
    settings = Settings(resolver=f"127.0.0.1#{named.port}", allow_private=True, timeout=1)
    assert not shown(fields, settings, LookupContext()).has_errors
    assert shown(fields).has_errors  # no answer without the nameserver


@pytest.mark.parametrize(
    ("field", "value", "parse", "extra"),
    [
        ("hostnames", "www..example.com", parse_hostname, {}),
        ("hostnames", "bad_host!.com", parse_hostname, {}),
        ("hostnames", "a" * 64 + ".example", parse_hostname, {}),
        ("hostnames", ".".join(["abcdefghi"] * 26), parse_hostname, {}),
        ("hostnames", "-start.example", parse_hostname, {}),
        ("hostnames", "xn--zz.example", parse_hostname, {}),
        ("hostnames", "www.example.com", reverse_hostname, {"type": "Reverse"}),
        ("type", "AXFR", parse_type, {}),
        ("type", "ixfr", parse_type, {}),
        ("type", "NOTATYPE", parse_type, {}),
        ("nameservers", "999.1.2.3", parse_nameserver, {"ns": "self"}),
        ("nameservers", "[2001:db8::53", parse_nameserver, {"ns": "self"}),
        ("nameservers", "192.0.2.53:99999", parse_nameserver, {"ns": "self"}),
        ("nameservers", "ns1..xserver.jp", parse_nameserver, {"ns": "self"}),
    ],
)
def test_bad_input_gets_the_cores_message_on_its_field(
    field: str, value: str, parse: Callable[[str], object], extra: dict[str, str]
) -> None:
    fields = {"hostnames": "www.example.com", **extra, field: value}
    form = shown(fields)
    assert form[field].errors == [core_message(parse, value)]
    others = {name: errors for name, errors in form.errors.items() if name != field}
    assert others == {}


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"ns": "auth2"}, "ns", "is not a nameserver choice; use resolver, self, auth, nic or all"),
        ({"useresolver": "nosuch"}, "useresolver", "not one of the resolvers offered"),
        ({"ns": "self", "hosting": "nosuch"}, "hosting", "not a hosting provider"),
        ({"expected": "<b>"}, "expected", "neither an IP address nor a server name"),
    ],
)
def test_checks_that_need_the_whole_request_land_on_their_field(
    fields: dict[str, str], field: str, fragment: str
) -> None:
    form = shown({"hostnames": "www.example.com", **fields})
    [message] = form[field].errors
    assert fragment in message
    assert {name for name, errors in form.errors.items() if errors} == {field}


def test_every_bad_line_is_reported() -> None:
    form = shown({"hostnames": "ok.example\na..b\nc!.example\na..b"})
    assert form.hostnames.errors == [
        core_message(parse_hostname, "a..b"),
        core_message(parse_hostname, "c!.example"),
    ]


def test_type_is_shown_canonically() -> None:
    form = shown({"hostnames": "example.com", "type": "aaaa"})
    assert not form.has_errors
    assert form.type.data == "AAAA"
    assert '<option selected value="AAAA">' in form.type()


@pytest.mark.parametrize("value", ["TYPE65534", "AXFR"])
def test_type_outside_the_list_is_offered_back(value: str) -> None:
    form = shown({"hostnames": "example.com", "type": value})
    assert f'<option selected value="{value}">' in form.type()


def test_resolver_choices_are_the_system_resolver_and_the_presets() -> None:
    assert resolver_choices(SETTINGS) == {
        "system": "This webdig server's own resolver",
        "8.8.8.8": "8.8.8.8 (Google Public DNS)",
    }
    assert 'value="8.8.8.8"' in make_form().useresolver()


def test_form_keeps_both_nameserver_choices_and_the_flags() -> None:
    params = LookupParams(
        hostnames=("a.example", "b.example"),
        type="MX",
        ns="resolver",
        useresolver="8.8.8.8",
        nameservers=("ns1.xserver.jp",),
        expected=("192.0.2.10", "2001:db8::10"),
        flags=frozenset({Flag.SHORT, Flag.TCP}),
    )
    form = LookupForm.for_params(params, SETTINGS)
    assert form.hostnames.data == "a.example\nb.example"
    assert (form.type.data, form.ns.data, form.useresolver.data) == ("MX", "resolver", "8.8.8.8")
    assert form.nameservers.data == "ns1.xserver.jp"
    assert form.expected.data == "192.0.2.10 2001:db8::10"
    assert [flag.name for flag in form.flags if flag.data] == ["short", "tcp"]
    assert form_data(params).getlist("tcp") == ["on"]


def test_add_errors_puts_plan_messages_on_their_fields() -> None:
    form = shown({"hostnames": "a..b"})
    message = core_message(parse_hostname, "a..b")
    assert form.hostnames.errors == [message]
    form.add_errors({"hostnames": ["Too many."], "useresolver": ["Unknown."], "other": ["Odd."]})
    assert form.hostnames.errors == [message, "Too many."]
    assert form.useresolver.errors == ["Unknown."]
    assert form.form_errors == ["Odd."]
    assert form.has_errors


@pytest.mark.parametrize(
    ("given", "selected"),
    [("Google Public DNS", "8.8.8.8"), ("6.6.6.6", "6.6.6.6"), ("8.8.8.8", "8.8.8.8")],
)
def test_the_resolver_a_link_names_is_the_one_selected(given: str, selected: str) -> None:
    form = LookupForm.for_params(LookupParams(useresolver=given), SETTINGS)
    assert f'<option selected value="{selected}">' in form.useresolver()
