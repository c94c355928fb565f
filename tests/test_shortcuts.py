"""digwebinterface's path shortcut redirects to the canonical look-up URL."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient

from tests.support.bind import NamedServer


def redirect_of(client: FlaskClient, path: str) -> tuple[str, dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 301, path
    target = urlsplit(response.headers["Location"])
    return target.path, dict(parse_qsl(target.query))


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (
            "/www.example.com/A/ns1.example.com",
            {"hostnames": "www.example.com", "type": "A", "ns": "self",
             "nameservers": "ns1.example.com"},
        ),
        (
            "/example.com/mx/8.8.8.8",
            {"hostnames": "example.com", "type": "mx", "ns": "self", "nameservers": "8.8.8.8"},
        ),
        (
            "/www.example.com/AAAA",
            {"hostnames": "www.example.com", "type": "AAAA", "ns": "resolver",
             "useresolver": "system"},
        ),
        (
            "/www.example.com",
            {"hostnames": "www.example.com", "type": "A", "ns": "resolver",
             "useresolver": "system"},
        ),
        (
            "/www.example.com/TXT/ns1.example.com?short=on&expected=192.0.2.1",
            {"hostnames": "www.example.com", "type": "TXT", "ns": "self",
             "nameservers": "ns1.example.com", "expected": "192.0.2.1", "short": "on"},
        ),
    ],
)  # fmt: skip
def test_shortcut_redirects_to_the_query_url(
    client: FlaskClient, path: str, query: dict[str, str]
) -> None:
    assert redirect_of(client, path) == ("/", query)


@pytest.mark.parametrize(
    "path",
    ["/robots.txt", "/favicon.ico", "/sitemap.xml", "/wp-login.php", "/localhost", "/nodot/A"],
)
def test_files_and_names_without_a_dot_are_not_hosts(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/check", "/healthz", "/static/webdig.css", "/api/v1/openapi.json", "/"]
)
def test_webdigs_own_paths_win(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        assert response.status_code == 200


def test_following_the_redirect_runs_the_look_up(client: FlaskClient, named: NamedServer) -> None:
    response = client.get(f"/www.webdig.test/A/127.0.0.1:{named.port}", follow_redirects=True)
    assert response.status_code == 200
    assert "192.0.2.10" in response.get_data(as_text=True)
