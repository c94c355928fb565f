"""What changed between two results: hand-made pairs of API bodies."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from webdig.output.diff import TtlChange, diff_results, diff_to_json


def record(data: str, ttl: int = 300, name: str = "www.example.jp.") -> dict[str, Any]:
    return {"name": name, "ttl": ttl, "class": "IN", "type": "A", "data": data}


def block(
    *answers: dict[str, Any],
    server: str = "ns1.example.net",
    address: str = "192.0.2.53",
    status: str | None = "NOERROR",
    verdict: str | None = "answer.match",
) -> dict[str, Any]:
    return {
        "hostname": "www.example.jp",
        "hostname_ascii": "www.example.jp",
        "type": "A",
        "server": {"name": server, "address": address, "port": 53},
        "status": status,
        "answer": list(answers),
        "verdict": {"code": verdict, "status": "match"} if verdict else None,
    }


def lookup(*blocks: dict[str, Any], findings: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {"results": list(blocks), "verdicts": list(findings)}


def finding(code: str, level: str = "fail", **params: Any) -> dict[str, Any]:
    return {"code": code, "level": level, "params": params, "message": f"words for {code}"}


BASE = lookup(
    block(record("192.0.2.10")),
    block(record("192.0.2.99"), server="ns2.example.net", address="192.0.2.54",
          verdict="answer.mismatch"),
    findings=(finding("consistency.split", servers=["ns2.example.net"]),),
)  # fmt: skip


def test_the_same_result_has_no_changes() -> None:
    diff = diff_results(BASE, copy.deepcopy(BASE))
    assert diff.same
    assert diff_to_json(diff)["same"] is True


def test_answers_added_and_removed_per_server() -> None:
    fixed = copy.deepcopy(BASE)
    fixed["results"][1] = block(
        record("192.0.2.10"), server="ns2.example.net", address="192.0.2.54"
    )
    fixed["verdicts"] = [finding("consistency.agree", "pass")]
    diff = diff_results(BASE, fixed)
    assert not diff.same
    [changed] = diff.blocks
    assert changed.server == "ns2.example.net (192.0.2.54)"
    assert changed.added == ("www.example.jp. IN A 192.0.2.10",)
    assert changed.removed == ("www.example.jp. IN A 192.0.2.99",)
    assert (changed.verdict_before, changed.verdict_after) == ("answer.mismatch", "answer.match")
    assert [f["code"] for f in diff.findings_added] == ["consistency.agree"]
    assert [f["code"] for f in diff.findings_removed] == ["consistency.split"]


def test_ttl_changes_are_ignored_unless_asked() -> None:
    later = copy.deepcopy(BASE)
    later["results"][0]["answer"][0]["ttl"] = 120
    assert diff_results(BASE, later).same
    [changed] = diff_results(BASE, later, ttl=True).blocks
    assert changed.ttl == (TtlChange("www.example.jp. IN A 192.0.2.10", 300, 120),)
    assert (changed.added, changed.removed) == ((), ())


def test_a_server_given_as_an_address_is_named_by_it() -> None:
    later = copy.deepcopy(BASE)
    for body in (BASE_UNNAMED := copy.deepcopy(BASE), later):
        body["results"][0]["server"]["name"] = None
    later["results"][0]["answer"] = []
    [changed] = diff_results(BASE_UNNAMED, later).blocks
    assert changed.server == "192.0.2.53"


def test_names_compare_without_case() -> None:
    later = copy.deepcopy(BASE)
    later["results"][0]["answer"][0]["name"] = "WWW.Example.JP."
    assert diff_results(BASE, later).same


def test_hostnames_typed_in_another_case_are_the_same_question() -> None:
    def typed(name: str) -> dict[str, Any]:
        body = copy.deepcopy(BASE)
        for result in body["results"]:
            result["hostname"] = result["hostname_ascii"] = name
        body["verdicts"].append(finding("headline.match", "pass", host=name, note="Keep-Case"))
        return body

    assert diff_results(typed("WWW.Example.jp"), typed("www.example.jp")).same
    # Only hostnames fold: another parameter's case still counts.
    other = typed("www.example.jp")
    other["verdicts"][-1]["params"]["note"] = "keep-case"
    assert not diff_results(typed("WWW.Example.jp"), other).same


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (block(status="SERVFAIL", verdict="answer.error"), ("NOERROR", "SERVFAIL")),
        (block(status=None, verdict="answer.error"), ("NOERROR", "no reply")),
    ],
)
def test_status_changes(after: dict[str, Any], expected: tuple[str, str]) -> None:
    later = lookup(after, BASE["results"][1], findings=tuple(BASE["verdicts"]))
    [changed] = diff_results(BASE, later).blocks
    assert (changed.status_before, changed.status_after) == expected
    assert changed.removed == ("www.example.jp. IN A 192.0.2.10",)


def test_a_server_asked_only_once_shows_as_appearing() -> None:
    later = copy.deepcopy(BASE)
    later["results"].append(block(record("192.0.2.10"), server="ns3.example.net",
                                  address="192.0.2.55"))  # fmt: skip
    [changed] = diff_results(BASE, later).blocks
    assert (changed.status_before, changed.status_after) == (None, "NOERROR")
    assert changed.added == ("www.example.jp. IN A 192.0.2.10",)


def test_findings_compare_by_code_and_params_not_words() -> None:
    reworded = copy.deepcopy(BASE)
    reworded["verdicts"][0]["message"] = "other words, same finding"
    assert diff_results(BASE, reworded).same
    other = copy.deepcopy(BASE)
    other["verdicts"][0]["params"] = {"servers": ["ns1.example.net"]}
    diff = diff_results(BASE, other)
    assert len(diff.findings_added) == len(diff.findings_removed) == 1


def test_check_items_and_status() -> None:
    def check(status: str, **items: str) -> dict[str, Any]:
        return {"status": status, "checks": [{"id": k, "status": v} for k, v in items.items()]}

    before = check("fail", **{"domain-exists": "pass", "dns-points-here": "fail"})
    after = check("pass", **{"domain-exists": "pass", "dns-points-here": "pass"})
    diff = diff_results(before, after)
    assert (diff.status_before, diff.status_after) == ("fail", "pass")
    assert [(i.id, i.before, i.after) for i in diff.items] == [("dns-points-here", "fail", "pass")]
    assert diff_results(before, before).same


def test_check_items_of_several_names_are_told_apart() -> None:
    def check(www: str) -> dict[str, Any]:
        rows = [("example.com", "pass"), ("www.example.com", www)]
        items = [{"id": "dns-points-here", "name": n, "status": s} for n, s in rows]
        return {"status": www, "checks": items}

    diff = diff_results(check("fail"), check("pass"))
    assert [(i.id, i.name, i.before, i.after) for i in diff.items] == [
        ("dns-points-here", "www.example.com", "fail", "pass")
    ]
    assert diff_to_json(diff)["checks"][0]["name"] == "www.example.com"
