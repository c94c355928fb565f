"""dig command lines, typed to the CLI or pasted into the hostnames box, read one way."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.support.bind import NamedServer
from webdig.cli.main import main
from webdig.web.typedrequest import expand_pasted, pasted_line


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("dig @ns1.xserver.jp www.example.com", "dig @ns1.xserver.jp www.example.com"),
        ("$ dig @ns1.xserver.jp www.example.com", "dig @ns1.xserver.jp www.example.com"),
        ("  $dig www.example.com +short\n", "dig www.example.com +short"),
        ("dig -x 192.0.2.10", "dig -x 192.0.2.10"),
        ("www.example.com", None),
        ("digital.example.com", None),
    ],
)
def test_pasted_line(text: str, line: str | None) -> None:
    assert pasted_line(text) == line


def test_expand_keeps_expected_and_lang() -> None:
    items = [("hostnames", "$ dig @ns1.xserver.jp www.example.com"), ("ns", "resolver"),
             ("expected", "192.0.2.10"), ("lang", "ja")]  # fmt: skip
    expanded, command, error = expand_pasted(items)
    fields = dict(expanded)
    assert (fields["hostnames"], fields["nameservers"]) == ("www.example.com", "ns1.xserver.jp")
    assert (fields["expected"], fields["lang"]) == ("192.0.2.10", "ja")
    assert fields.get("ns", "self") == "self"
    assert (command, error) == ("$ dig @ns1.xserver.jp www.example.com", None)


@pytest.mark.parametrize("prompt", ["", "$ "])
def test_pasted_command_on_the_page_runs_with_a_note(
    client: FlaskClient, named: NamedServer, prompt: str
) -> None:
    command = f"{prompt}dig @{named.address}:{named.port} www.webdig.test"
    response = client.get("/", query_string={"hostnames": command, "expected": "192.0.2.10"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Read as the dig command “" in body
    assert "points at your server" in body or "answers your server" in body
    assert 'name="nameservers"' in body
    assert f"{named.address}:{named.port}</textarea>" in body


def test_pasted_command_with_short_and_reverse_through_the_api(
    client: FlaskClient, named: NamedServer
) -> None:
    at = f"@{named.address}:{named.port}"
    body = client.get(
        "/api/v1/lookup", query_string={"hostnames": f"$ dig {at} www.webdig.test +short"}
    ).get_json()
    assert body["query"]["options"]["short"] is True
    assert body["note_findings"][0]["code"] == "note.pasted-command"
    reverse = client.get(
        "/api/v1/lookup", query_string={"hostnames": f"dig {at} -x 192.0.2.10", "lang": "ja"}
    ).get_json()
    assert reverse["query"]["type"] == "Reverse"
    assert reverse["notes"][0].startswith("dig コマンド「")


def test_unreadable_command_is_a_400_next_to_hostnames(client: FlaskClient) -> None:
    page = client.get("/", query_string={"hostnames": "dig www.webdig.test +bogus"})
    assert page.status_code == 400
    assert "unknown option +bogus" in page.get_data(as_text=True)
    api = client.get("/api/v1/lookup", query_string={"hostnames": "dig www.webdig.test +bogus"})
    assert api.status_code == 400
    assert api.get_json()["fields"]["hostnames"][0].startswith("unknown option +bogus")


def test_the_cli_reads_the_same_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "www.webdig.test", "+bogus"]) == 2
    assert "unknown option +bogus" in capsys.readouterr().err
