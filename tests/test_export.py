"""Unit tests of webdig.output.jsonbody over canned dnspython messages (no network)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime

import dns.message
import pytest

from webdig.dig.message import render_full
from webdig.engine.query import QueryOptions
from webdig.engine.result import ErrorKind, QueryError, QueryResult
from webdig.findings.catalog import sentence
from webdig.findings.model import Finding, Level
from webdig.language.translator import translator
from webdig.lookup.answers import judge
from webdig.lookup.block import Block
from webdig.lookup.params import DigFlag, Flag, LookupParams
from webdig.lookup.run import Outcome, plan
from webdig.output.jsonbody import errors_to_json, outcome_to_json, params_to_json
from webdig.settings import Settings

SERVER = "192.0.2.53"


def canned_outcome(
    *records: str,
    hostname: str = "www.webdig.test",
    type: str = "A",
    rcode: str = "NOERROR",
    expected: tuple[str, ...] = (),
    flags: frozenset[Flag] = frozenset(),
    error: QueryError | None = None,
    notes: tuple[Finding, ...] = (),
    header: str = "QR AA RD",
) -> Outcome:
    """An outcome of one query to SERVER whose reply has ``records`` as its answer."""
    params = LookupParams(
        hostnames=(hostname,),
        type=type,
        ns="self",
        nameservers=(SERVER,),
        expected=expected,
        flags=flags,
    )
    # An address nameserver needs no resolving, so planning sends nothing.
    lookup_plan = plan(params, Settings(allow_private=True))
    query = lookup_plan.queries[0]
    result = QueryResult(query=query, started=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    if error is None:
        result.response = dns.message.from_text(
            f"id 4242\nopcode QUERY\nrcode {rcode}\nflags {header}\n"
            f";QUESTION\n{query.hostname.ascii} IN {query.type_text}\n"
            ";ANSWER\n" + "\n".join(records) + "\n;AUTHORITY\n;ADDITIONAL\n"
        )
        result.wire_size = len(result.response.to_wire())
        result.elapsed_ms = 3
    else:
        result.error = error
    verdict = judge(result, lookup_plan.expected, server_is_authority=True)
    return Outcome(lookup_plan, [Block(result, verdict)], list(notes))


TIMEOUT = QueryError(
    ErrorKind.TIMEOUT,
    "192.0.2.53 did not answer within 1 second.",
    ";; communications error to 192.0.2.53#53: timed out",
)


def test_query_echoes_parameters_with_lists_and_boolean_options() -> None:
    outcome = canned_outcome(type="aaaa", expected=("192.0.2.10",), flags=frozenset({Flag.TCP}))
    query = outcome_to_json(outcome, share_url="http://h/?x")["query"]
    assert query == {
        "hostnames": ["www.webdig.test"],
        "type": "AAAA",
        "ns": "self",
        "useresolver": None,
        "nameservers": [SERVER],
        "hosting": None,
        "expected": ["192.0.2.10"],
        "options": {name: name == Flag.TCP for name in (*Flag, *DigFlag)},
        "class": "IN",
        "dig_values": {},
        "share_url": "http://h/?x",
    }


@pytest.mark.parametrize(
    ("params", "useresolver", "nameservers", "hosting"),
    [
        (
            LookupParams(ns="resolver", useresolver="8.8.8.8", nameservers=("x",)),
            "8.8.8.8",
            [],
            None,
        ),
        (LookupParams(ns="self", hosting="xserver"), None, [], "xserver"),
        (LookupParams(ns="auth", nameservers=("x",), hosting="xserver"), None, [], None),
    ],
)
def test_only_the_chosen_modes_server_fields_are_set(
    params: LookupParams, useresolver: str | None, nameservers: list[str], hosting: str | None
) -> None:
    query = params_to_json(params)
    assert (query["useresolver"], query["nameservers"], query["hosting"]) == (
        useresolver,
        nameservers,
        hosting,
    )


def test_reply_becomes_one_result_with_every_field() -> None:
    outcome = canned_outcome("www.webdig.test. 300 IN A 192.0.2.10")
    (result,) = outcome_to_json(outcome, share_url=None)["results"]
    assert result == {
        "hostname": "www.webdig.test",
        "hostname_ascii": "www.webdig.test.",
        "type": "A",
        "mode": "self",
        "companion": False,
        "server": {"name": None, "address": SERVER, "port": 53},
        "status": "NOERROR",
        "error": None,
        "flags": ["qr", "aa", "rd"],
        "transport": "udp",
        "query_time_ms": 3,
        "msg_size": outcome.blocks[0].result.wire_size,
        "answer": [
            {
                "name": "www.webdig.test.",
                "ttl": 300,
                "class": "IN",
                "type": "A",
                "data": "192.0.2.10",
            }
        ],
        "authority": [],
        "additional": [],
        "dig": render_full(outcome.blocks[0].result),
        "verdict": None,
        # What draws the block again exactly from the raw reply (webdig.output.restore).
        "started": "2026-01-02T03:04:05+00:00",
        "query_class": "IN",
        "reverse_of": None,
        "options": asdict(QueryOptions()),
        "warnings": [],
        "error_kind": None,
        "error_dig": None,
    }


@pytest.mark.parametrize(
    ("record", "data"),
    [
        ('quotes.webdig.test. 300 IN TXT "she said \\"hi\\"" "x;y"', '"she said \\"hi\\"" "x;y"'),
        ('utf8.webdig.test. 300 IN TXT "caf\\195\\169"', '"caf\\195\\169"'),
        ("webdig.test. 300 IN MX 10 mail.webdig.test.", "10 mail.webdig.test."),
        ('webdig.test. 300 IN CAA 0 issue "letsencrypt.org"', '0 issue "letsencrypt.org"'),
        ("www.webdig.test. 300 IN AAAA 2001:db8::10", "2001:db8::10"),
    ],
)
def test_record_data_is_the_rdata_as_dig_prints_it(record: str, data: str) -> None:
    owner, _ttl, _class, rdtype = record.split()[:4]
    outcome = canned_outcome(record, hostname=owner, type=rdtype)
    (answer,) = outcome_to_json(outcome, share_url=None)["results"][0]["answer"]
    assert answer["data"] == data
    assert (answer["name"], answer["type"]) == (owner, rdtype)


def test_every_record_of_an_rrset_is_listed() -> None:
    outcome = canned_outcome(
        "dual.webdig.test. 300 IN A 192.0.2.10", "dual.webdig.test. 300 IN A 203.0.113.7"
    )
    answer = outcome_to_json(outcome, share_url=None)["results"][0]["answer"]
    assert sorted(record["data"] for record in answer) == ["192.0.2.10", "203.0.113.7"]


def test_no_reply_has_null_status_and_sizes_and_an_error_sentence() -> None:
    outcome = canned_outcome(error=TIMEOUT, expected=("192.0.2.10",))
    result = outcome_to_json(outcome, share_url=None)["results"][0]
    assert (result["status"], result["query_time_ms"], result["msg_size"]) == (None, None, None)
    assert result["error"] == TIMEOUT.message
    assert (result["flags"], result["answer"]) == ([], [])
    assert result["verdict"]["status"] == "error"


@pytest.mark.parametrize(
    ("records", "status", "matched", "unexpected"),
    [
        (["www.webdig.test. 300 IN A 192.0.2.10"], "match", ["192.0.2.10"], []),
        (["www.webdig.test. 300 IN A 203.0.113.7"], "mismatch", [], ["203.0.113.7"]),
        ([], "no-answer", [], []),
    ],
)
def test_verdict_carries_status_evidence_and_sentence(
    records: list[str], status: str, matched: list[str], unexpected: list[str]
) -> None:
    outcome = canned_outcome(*records, expected=("192.0.2.10",))
    verdict = outcome_to_json(outcome, share_url=None)["results"][0]["verdict"]
    assert verdict == {
        "status": status,
        "matched": matched,
        "unexpected": unexpected,
        "code": verdict["code"],
        "level": verdict["level"],
        "params": verdict["params"],
        "message": sentence(outcome.blocks[0].verdict.finding),  # type: ignore[union-attr]
        "notes": [],
        "note_findings": [],
    }
    assert verdict["code"].startswith("answer.")


def test_cross_server_checks_are_listed_with_kind_status_and_message() -> None:
    outcome = canned_outcome()
    stray = Finding("ipv6.stray-aaaa", Level.FAIL, {"host": "a.lab", "addresses": ["2001:db8::1"]})
    outcome.verdicts.append(stray)
    checks = outcome_to_json(outcome, share_url=None)["verdicts"]
    assert checks == [
        {
            "kind": "ipv6",
            "status": "fail",
            "code": "ipv6.stray-aaaa",
            "level": "fail",
            "params": {"host": "a.lab", "addresses": ["2001:db8::1"]},
            "message": sentence(stray),
        }
    ]


@pytest.mark.parametrize(
    ("level", "status"),
    [("pass", "ok"), ("info", "ok"), ("warn", "warn"), ("unknown", "warn"), ("fail", "fail")],
)
def test_cross_server_levels_keep_the_v1_status_values(level: str, status: str) -> None:
    outcome = canned_outcome()
    outcome.verdicts.append(Finding("ipv6.no-aaaa", Level(level), {"host": "a.lab"}))
    assert outcome_to_json(outcome, share_url=None)["verdicts"][0]["status"] == status


def test_notes_and_unicode_survive_json_encoding() -> None:
    note = Finding("note.trace-stopped", Level.INFO, {"host": "bücher.webdig.test", "problem": "x"})
    outcome = canned_outcome(hostname="bücher.webdig.test", notes=(note,))
    document = json.loads(json.dumps(outcome_to_json(outcome, share_url=None)))
    assert document["notes"] == ["bücher.webdig.test: the trace stopped: x"]
    assert document["note_findings"][0]["code"] == "note.trace-stopped"
    assert document["results"][0]["hostname"] == "bücher.webdig.test"
    assert document["results"][0]["hostname_ascii"] == "xn--bcher-kva.webdig.test."


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"type": ["Bad type."]}, "Bad type."),
        ({"hostnames": ["One.", "Two."]}, "There are 2 problems with hostnames; see fields."),
        (
            {"hostnames": ["One."], "type": ["Two."], "expected": ["Three."]},
            "There are 3 problems, with hostnames, type and expected; see fields.",
        ),
    ],
)
def test_errors_give_one_sentence_and_messages_by_field(
    fields: dict[str, list[str]], error: str
) -> None:
    assert errors_to_json(fields) == {"error": error, "fields": fields}


def test_message_follows_the_language_and_code_and_params_do_not() -> None:
    outcome = canned_outcome("www.webdig.test. 300 IN A 192.0.2.10", expected=("192.0.2.10",))
    english = outcome_to_json(outcome, share_url=None)["results"][0]["verdict"]
    japanese = outcome_to_json(outcome, share_url=None, translations=translator("ja"))
    verdict = japanese["results"][0]["verdict"]
    assert (verdict["code"], verdict["level"], verdict["params"]) == (
        english["code"],
        english["level"],
        english["params"],
    )
    assert verdict["message"] != english["message"]
    assert "一致しています" in verdict["message"]


def test_the_summary_of_several_problems_follows_the_language() -> None:
    fields = {"hostnames": ["One."], "type": ["Two."], "expected": ["Three."]}
    body = errors_to_json(fields, translator("ja"))
    assert body["error"] == (
        "hostnames、type、expected に合わせて 3 件の問題があります。"
        "詳しくは fields を見てください。"
    )
    assert body["fields"] == fields
    single = errors_to_json({"hostnames": ["One.", "Two."]}, translator("ja"))["error"]
    assert single == "hostnames に 2 件の問題があります。詳しくは fields を見てください。"
