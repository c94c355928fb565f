"""Security headers on every response, and no look-ups for other sites' pages."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize("path", ["/", "/healthz", "/api/v1/openapi.json", "/nope"])
def test_every_response_has_the_security_headers(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    "path", ["/?hostnames=www.webdig.test", "/api/v1/lookup?hostnames=www.webdig.test"]
)
def test_cross_site_subresource_is_refused(client: FlaskClient, path: str) -> None:
    response = client.get(
        path, headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
    )
    assert response.status_code == 403


def test_cross_site_navigation_is_allowed(client: FlaskClient) -> None:
    response = client.get(
        "/?hostnames=www.webdig.test",
        headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"},
    )
    assert response.status_code == 200
