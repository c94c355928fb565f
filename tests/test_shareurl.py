"""Share URLs come from configuration, never from a Host or X-Forwarded-Host header."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.bind import NamedServer
from tests.support.gunicornapp import get, serving
from webdig import create_app

EVIL = "evil.example"


def share_link(body: str) -> str:
    found = re.search(r'<input id="share-url" type="text" readonly value="([^"]*)">', body)
    assert found is not None
    return html.unescape(found.group(1))


def lookup_path(named: NamedServer) -> str:
    return f"/?hostnames=www.webdig.test&nameservers=127.0.0.1:{named.port}"


@pytest.fixture(scope="module")
def gunicorn_port(named: NamedServer) -> Iterator[int]:
    """webdig behind one trusted proxy hop, as the self-host recipe runs it."""
    env = {
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_TRUSTED_PROXIES": "1",
    }
    with serving(env) as port:
        yield port


@pytest.mark.parametrize(
    "headers",
    [{"Host": EVIL}, {"X-Forwarded-Host": EVIL}, {"Host": EVIL, "X-Forwarded-Host": EVIL}],
)
def test_a_client_chosen_host_never_reaches_the_copy_box(
    gunicorn_port: int, named: NamedServer, headers: dict[str, str]
) -> None:
    status, _, body = get("127.0.0.1", gunicorn_port, lookup_path(named), headers=headers)
    assert status == 200
    text = body.decode()
    assert share_link(text).startswith("/?hostnames=www.webdig.test")
    assert EVIL not in text
    api = get("127.0.0.1", gunicorn_port, "/api/v1" + lookup_path(named).replace("/?", "/lookup?"),
              headers=headers)[2].decode()  # fmt: skip
    assert EVIL not in api


def test_public_url_makes_links_absolute_on_that_origin(
    settings_config: dict[str, Any], named: NamedServer
) -> None:
    app = create_app({**settings_config, "PUBLIC_URL": "https://webdig.example/"})
    client = app.test_client()
    body = client.get(lookup_path(named), headers={"Host": EVIL}).get_data(as_text=True)
    assert share_link(body).startswith("https://webdig.example/?hostnames=www.webdig.test")
    check = client.get("/check?domain=absent.webdig.test", headers={"Host": EVIL})
    assert share_link(check.get_data(as_text=True)).startswith("https://webdig.example/check?")


def test_trusted_hosts_refuse_any_other_host(
    settings_config: dict[str, Any], named: NamedServer
) -> None:
    app = create_app({**settings_config, "TRUSTED_HOSTS": "webdig.example, localhost"})
    client: FlaskClient = app.test_client()
    assert client.get(lookup_path(named), headers={"Host": EVIL}).status_code == 400
    assert client.get(lookup_path(named), headers={"Host": "webdig.example"}).status_code == 200
