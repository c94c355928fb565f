"""dig's options on the page and in the API: class, display options, IDN names, escapes."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from flask.testing import FlaskClient

from tests.support.bind import NamedServer


def api(client: FlaskClient, named: NamedServer, **args: str) -> dict:  # type: ignore[type-arg]
    query = {"ns": "self", "nameservers": f"127.0.0.1#{named.port}", **args}
    response = client.get("/api/v1/lookup", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict = response.get_json()  # type: ignore[type-arg]
    return body


def page(client: FlaskClient, named: NamedServer, **args: str) -> str:
    query = {"ns": "self", "nameservers": f"127.0.0.1#{named.port}", **args}
    response = client.get("/?" + urlencode(query))
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_class_ch_asks_the_server_who_it_is(client: FlaskClient, named: NamedServer) -> None:
    body = api(client, named, hostnames="version.bind", type="TXT", **{"class": "CH"})
    record = body["results"][0]["answer"][0]
    assert (record["class"], record["type"]) == ("CH", "TXT")
    assert body["query"]["class"] == "CH"
    assert "version.bind CH TXT" in body["results"][0]["dig"]


def test_class_outside_the_offer_is_refused(client: FlaskClient, named: NamedServer) -> None:
    query = {"ns": "self", "nameservers": f"127.0.0.1#{named.port}", "hostnames": "x.test"}
    response = client.get("/api/v1/lookup", query_string={**query, "class": "ANY"})
    assert response.status_code == 400
    assert "IN, CH or HS" in response.get_data(as_text=True)


def test_display_options_shape_the_dig_text(client: FlaskClient, named: NamedServer) -> None:
    body = api(client, named, hostnames="www.webdig.test", noall="on", answer="on")
    assert body["results"][0]["dig"] == "www.webdig.test.\t300\tIN\tA\t192.0.2.10\n"


def test_case_is_kept_in_the_question(client: FlaskClient, named: NamedServer) -> None:
    body = api(client, named, hostnames="WwW.WebDig.TEST")
    assert ";WwW.WebDig.TEST.\t\tIN\tA" in body["results"][0]["dig"]
    assert body["results"][0]["hostname_ascii"] == "WwW.WebDig.TEST."


def test_escaped_name_line_is_one_name(client: FlaskClient, named: NamedServer) -> None:
    body = api(client, named, hostnames="semi\\;colon.webdig.test")
    assert body["query"]["hostnames"] == ["semi\\;colon.webdig.test"]
    assert ";semi\\;colon.webdig.test.\tIN\tA" in body["results"][0]["dig"]


def test_page_offers_dig_options_and_shows_the_equivalent_command(
    client: FlaskClient, named: NamedServer
) -> None:
    body = page(
        client, named, hostnames="192.0.2.10", type="Reverse", multiline="on", showcommand="on"
    )
    assert re.search(r'<select[^>]*name="class"', body)
    for name in ("noall", "answer", "multiline", "ttlunits", "nottlid", "noclass", "qr"):
        assert f'name="{name}"' in body
    assert f"$ dig @127.0.0.1 -p {named.port} -x 192.0.2.10 +multiline" in body


def test_page_shows_an_idn_with_its_a_label(client: FlaskClient, named: NamedServer) -> None:
    body = page(client, named, hostnames="bücher.webdig.test")
    assert "bücher.webdig.test (xn--bcher-kva.webdig.test)@" in body
