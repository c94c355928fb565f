"""A check's question: read from a query string or form, written as a share link's query."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from webdig.lookup.run import InvalidParams
from webdig.output.restore import question_from_json
from webdig.renewal.failuretext import Cause, Decoded
from webdig.renewal.question import CheckQuestion
from webdig.web.checkform import CheckForm


@pytest.mark.parametrize(
    ("values", "domains"),
    [
        (
            MultiDict([("domain", "a.test"), ("domain", "b.test\n c.test \n\n")]),
            ("a.test", "b.test", "c.test"),
        ),
        ({"domain": " a.test\r\nb.test "}, ("a.test", "b.test")),
        ({"domain": "  "}, ()),
        ({}, ()),
    ],
)
def test_names_come_repeated_or_one_per_line(
    values: MultiDict[str, str] | dict[str, str], domains: tuple[str, ...]
) -> None:
    assert CheckQuestion.from_values(values).domains == domains


@pytest.mark.parametrize(
    ("only", "read"),
    [("on", True), ("1", True), ("TRUE", True), ("yes", True), ("", False), ("off", False)],
)
def test_only_is_a_checkbox(app: Flask, only: str, read: bool) -> None:
    values = {"domain": "a.test", "only": only}
    assert CheckQuestion.from_values(values).only is read
    # The form's box shows what the check did (WTForms alone ticks it for "off").
    with app.test_request_context():
        assert CheckForm.from_args(MultiDict(values)).only.data is read


@pytest.mark.parametrize(
    ("method", "read", "in_link"),
    [
        ("", "auto", None),
        ("http-01", "auto", None),
        ("DNS_01", "dns-01", "dns-01"),
        # Kept as given: the check refuses it next to its field.
        (" tls-alpn-01 ", "tls-alpn-01", "tls-alpn-01"),
    ],
)
def test_the_method_is_written_as_its_own_name(method: str, read: str, in_link: str | None) -> None:
    question = CheckQuestion.from_values({"domain": "a.test", "method": method})
    assert question.method == read
    assert dict(question.query_items()).get("method") == in_link


def test_an_unknown_cause_is_refused_next_to_its_field() -> None:
    with pytest.raises(InvalidParams) as raised:
        CheckQuestion.from_values({"domain": "a.test", "cause": "no-such-cause"})
    assert list(raised.value.fields) == ["cause"]
    question = CheckQuestion.from_values({"domain": "a.test", "cause": " PORT-80 "})
    assert question.cause is Cause.PORT_80
    assert question.failure == Decoded(Cause.PORT_80)


def test_the_link_is_canonical_and_reads_back_the_same() -> None:
    asked = MultiDict(
        [
            ("method", "dns-01"),
            ("cause", "port-80"),
            ("domain", "a.test\nb.test"),
            ("expected", "192.0.2.10, sv1.host.test"),
            ("only", "on"),
            ("lang", "ja"),
        ]
    )
    question = CheckQuestion.from_values(asked)
    assert question.query_string() == (
        "domain=a.test&domain=b.test&expected=192.0.2.10+sv1.host.test&only=on"
        "&cause=port-80&method=dns-01"
    )
    assert CheckQuestion.from_values(MultiDict(parse_qsl(question.query_string()))) == question
    # A form posted back and read as a plain mapping: one field per parameter.
    assert CheckQuestion.from_values(dict(question.form_fields())) == question
    assert CheckQuestion(("a.test",)).query_string() == "domain=a.test"


def test_a_failure_text_completes_the_question() -> None:
    typed = CheckQuestion(("www.a.test",), ("192.0.2.10",))
    named = Decoded(Cause.PORT_80, domain="www.b.test")
    # A name typed wins over the one the text names; the cause comes with the text.
    assert typed.with_failure(named) == CheckQuestion(
        ("www.a.test",), ("192.0.2.10",), cause=Cause.PORT_80
    )
    assert CheckQuestion().with_failure(named).domains == ("www.b.test",)
    assert typed.with_failure(None) == typed
    with pytest.raises(InvalidParams) as raised:
        CheckQuestion().with_failure(Decoded(Cause.PORT_80))
    assert list(raised.value.fields) == ["domain"]


def test_a_saved_check_gives_its_question_back() -> None:
    body = {
        "query": {
            "domain": "a.test",
            "domains": ["a.test", "b.test"],
            "expected": ["192.0.2.10"],
            "only": True,
            "method": "dns-01",
        },
        "decoded": {"cause": "challenge-404"},
    }
    assert question_from_json(body) == CheckQuestion(
        ("a.test", "b.test"), ("192.0.2.10",), True, "dns-01", Cause.CHALLENGE_404
    )
    # Saved before several names, methods and causes were kept.
    old = {"query": {"domain": "a.test", "expected": []}}
    assert question_from_json(old) == CheckQuestion(("a.test",))
