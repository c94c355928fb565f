"""/api/v1 end to end against the test BIND, through the Flask test client."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient

from tests.support.bind import NamedServer, free_port
from webdig.lookup.params import DigFlag, DigValue, from_values

PAGE_PARAMETERS = {
    "hostnames", "type", "ns", "useresolver", "nameservers", "hosting", "expected",
    "short", "stats", "norecursive", "tcp", "dnssec", "nsid", "showcommand", "colorize",
    "sort", "onlyfirst", "save", "trace", "compare",
}  # fmt: skip


def lookup(client: FlaskClient, named: NamedServer, **args: str) -> tuple[int, Any]:
    """GET /api/v1/lookup asking the test BIND (unless ``args`` say otherwise)."""
    query = {"ns": "self", "nameservers": f"127.0.0.1#{named.port}", **args}
    response = client.get("/api/v1/lookup", query_string=query)
    assert response.mimetype == "application/json"
    return response.status_code, response.get_json()


def main_results(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The results of the question asked (not the companion AAAA/A queries)."""
    return [result for result in body["results"] if not result["companion"]]


@pytest.mark.parametrize(
    ("hostname", "status", "matched", "unexpected", "words"),
    [
        ("www.webdig.test", "match", ["192.0.2.10"], [], "this matches your server"),
        ("alias.webdig.test", "match", ["192.0.2.10"], [], "is an alias of www.webdig.test"),
        ("wrong.webdig.test", "mismatch", [], ["203.0.113.7"], "not your server"),
        ("dual.webdig.test", "mismatch", ["192.0.2.10"], ["203.0.113.7"], "but also"),
        ("nope.webdig.test", "no-answer", [], [], "does not exist (NXDOMAIN)"),
        ("example.org", "error", [], [], "refused to answer"),
    ],
)
def test_each_reply_gets_its_verdict(
    client: FlaskClient,
    named: NamedServer,
    hostname: str,
    status: str,
    matched: list[str],
    unexpected: list[str],
    words: str,
) -> None:
    code, body = lookup(client, named, hostnames=hostname, expected="192.0.2.10")
    assert code == 200
    (result,) = main_results(body)
    verdict = result["verdict"]
    assert (verdict["status"], verdict["matched"], verdict["unexpected"]) == (
        status,
        matched,
        unexpected,
    )
    assert words in verdict["message"]


def test_a_reply_has_the_whole_result_shape(
    client: FlaskClient, named: NamedServer, schema: Any
) -> None:
    # Without RD this BIND adds its NS records (minimal-responses no-auth-recursive).
    code, body = lookup(
        client, named, hostnames="www.webdig.test", expected="192.0.2.10", norecursive="on"
    )
    assert code == 200
    schema(body, "LookupResponse")
    (result,) = main_results(body)
    assert result["hostname_ascii"] == "www.webdig.test."
    assert result["server"] == {"name": None, "address": "127.0.0.1", "port": named.port}
    assert (result["status"], result["error"], result["transport"]) == ("NOERROR", None, "udp")
    assert result["flags"] == ["qr", "aa"]
    assert result["answer"] == [
        {"name": "www.webdig.test.", "ttl": 300, "class": "IN", "type": "A", "data": "192.0.2.10"}
    ]
    assert {r["type"] for r in result["authority"]} == {"NS"}
    assert result["msg_size"] > 0
    assert "192.0.2.10" in result["dig"]


def test_expected_a_brings_an_aaaa_companion(client: FlaskClient, named: NamedServer) -> None:
    _, body = lookup(client, named, hostnames="www.webdig.test", expected="192.0.2.10")
    companions = [r for r in body["results"] if r["companion"]]
    assert [(r["type"], r["answer"][0]["data"]) for r in companions] == [("AAAA", "2001:db8::10")]


def test_a_big_answer_arrives_over_tcp(client: FlaskClient, named: NamedServer) -> None:
    _, body = lookup(client, named, hostnames="big.webdig.test", type="TXT")
    (result,) = body["results"]
    assert result["transport"] == "tcp"
    assert len(result["answer"]) == 16
    assert result["verdict"] is None


def test_a_silent_server_is_a_result_not_a_failure(
    client: FlaskClient, named: NamedServer, schema: Any
) -> None:
    dead = f"127.0.0.1#{free_port()}"
    code, body = lookup(client, named, hostnames="www.webdig.test", nameservers=dead)
    assert code == 200
    schema(body, "LookupResponse")
    (result,) = body["results"]
    assert (result["status"], result["msg_size"], result["answer"]) == (None, None, [])
    assert result["error"]


def test_share_url_reopens_the_same_lookup(client: FlaskClient, named: NamedServer) -> None:
    _, body = lookup(client, named, hostnames="www.webdig.test", expected="192.0.2.10", tcp="on")
    url = urlsplit(body["query"]["share_url"])
    # Relative: no WEBDIG_PUBLIC_URL is configured, and the Host header is not trusted.
    assert (url.scheme, url.netloc, url.path) == ("", "", "/")
    reopened = from_values(dict(parse_qsl(url.query)))
    assert reopened.hostnames == ("www.webdig.test",)
    assert reopened.nameservers == (f"127.0.0.1#{named.port}",)
    assert reopened.expected == ("192.0.2.10",)
    assert body["query"]["options"]["tcp"] is True


def test_preset_resolver_is_named_in_the_result(client: FlaskClient, named: NamedServer) -> None:
    _, body = lookup(
        client, named, hostnames="www.webdig.test", ns="resolver", useresolver="8.8.8.8"
    )
    assert body["query"]["useresolver"] == "8.8.8.8"
    assert body["results"][0]["server"]["name"] == "Google Public DNS"


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        ({"hostnames": ""}, "hostnames", "at least one hostname"),
        ({"hostnames": "a" * 64 + ".webdig.test"}, "hostnames", "at most 63"),
        ({"hostnames": ".".join(["a" * 60] * 5)}, "hostnames", "at most 253"),
        ({"hostnames": "exa mple!.com"}, "hostnames", "cannot be in a hostname"),
        ({"hostnames": "xn--zz.webdig.test"}, "hostnames", "not a valid IDN"),
        ({"hostnames": "☃.webdig.test"}, "hostnames", "the character U+2603"),
        (
            {"hostnames": " ".join(f"h{i}.webdig.test" for i in range(21))},
            "hostnames",
            "at most 20",
        ),
        ({"type": "BOGUS"}, "type", "not a DNS record type"),
        ({"type": "AXFR"}, "type", "Zone transfers (AXFR)"),
        ({"type": "IXFR"}, "type", "Zone transfers (IXFR)"),
        ({"nameservers": "127.0.0.1:99999"}, "nameservers", "port must be a number"),
        ({"nameservers": "127.1"}, "nameservers", "not a valid IP address"),
        ({"nameservers": "nosuch.webdig.test"}, "nameservers", "could not be resolved"),
        (
            {"nameservers": " ".join(f"127.0.0.{i}" for i in range(1, 12))},
            "nameservers",
            "at most 10",
        ),
        ({"expected": "999.1.2.3"}, "expected", "neither an IP address"),
        ({"ns": "bogus"}, "ns", "not a nameserver choice"),
        ({"ns": "resolver", "useresolver": "bigdns"}, "useresolver", "not one of the resolvers"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    client: FlaskClient,
    named: NamedServer,
    schema: Any,
    args: dict[str, str],
    field: str,
    words: str,
) -> None:
    code, body = lookup(client, named, **{"hostnames": "www.webdig.test", **args})
    assert code == 400
    schema(body, "Error")
    assert words in " ".join(body["fields"][field])
    assert body["error"]


def test_several_problems_are_all_reported(client: FlaskClient, named: NamedServer) -> None:
    code, body = lookup(client, named, hostnames="", type="AXFR", expected="nope!")
    assert code == 400
    assert set(body["fields"]) == {"hostnames", "type", "expected"}
    assert body["error"].startswith("There are 3 problems")


def test_openapi_lists_the_lookup_path_and_every_parameter(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    operation = document["paths"]["/api/v1/lookup"]["get"]
    dig = {"class", *map(str, DigFlag), *map(str, DigValue)}
    assert {p["name"] for p in operation["parameters"]} == PAGE_PARAMETERS | dig
    assert set(operation["responses"]) == {"200", "400"}


def test_openapi_document_is_valid_openapi(client: FlaskClient) -> None:
    import openapi_spec_validator as validator

    validator.validate(client.get("/api/v1/openapi.json").get_json())


def test_message_follows_lang_but_code_and_params_do_not(
    client: FlaskClient, named: NamedServer
) -> None:
    ask = {"hostnames": "www.webdig.test", "expected": "192.0.2.10"}
    english = main_results(lookup(client, named, **ask)[1])[0]["verdict"]
    japanese = main_results(lookup(client, named, **ask, lang="ja")[1])[0]["verdict"]
    kept = ("code", "level", "params", "status")
    assert {k: japanese[k] for k in kept} == {k: english[k] for k in kept}
    assert "一致しています" in japanese["message"]
    assert "一致しています" not in english["message"]


def test_lang_words_the_messages_but_never_the_codes(
    client: FlaskClient, named: NamedServer
) -> None:
    ns = f"{named.address}:{named.port}"
    query = f"hostnames=www.webdig.test&ns=self&nameservers={ns}&expected=192.0.2.10"
    english = client.get(f"/api/v1/lookup?{query}").get_json()
    japanese = client.get(f"/api/v1/lookup?{query}&lang=ja").get_json()
    by_header = client.get(f"/api/v1/lookup?{query}", headers={"Accept-Language": "ja"}).get_json()
    assert japanese["headlines"] == by_header["headlines"]
    for en, ja in zip(english["headlines"], japanese["headlines"], strict=True):
        assert (en["code"], en["level"], en["params"]) == (ja["code"], ja["level"], ja["params"])
        assert en["message"] != ja["message"]
    assert english["headlines"][0]["message"].startswith(f"{named.address} answers your server")
    assert "あなたのサーバー" in japanese["headlines"][0]["message"]
    verdict = japanese["results"][0]["verdict"]
    assert (verdict["code"], verdict["status"]) == ("answer.match", "match")
    assert "一致しています" in verdict["message"]
