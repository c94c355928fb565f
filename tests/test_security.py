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


LOOK_UP = "/?hostnames=www.webdig.test"
NAVIGATE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
IFRAME = {**NAVIGATE, "Sec-Fetch-Dest": "iframe"}
SCRIPTED = {**NAVIGATE, "Sec-Fetch-Dest": "document"}
CLICKED = {**SCRIPTED, "Sec-Fetch-User": "?1"}


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"},
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"},
        IFRAME,
        {**IFRAME, "Sec-Fetch-Dest": "embed"},
        {**IFRAME, "Sec-Fetch-Dest": "object"},
        {**IFRAME, "Sec-Fetch-Dest": "frame"},
        {**IFRAME, "Sec-Fetch-Site": "same-site"},
        {**IFRAME, "Sec-Fetch-User": "?1"},  # a click inside the frame is still a frame
    ],
)
@pytest.mark.parametrize("path", [LOOK_UP, "/api/v1/lookup?hostnames=www.webdig.test",
                                  "/check?domain=www.webdig.test"])  # fmt: skip
def test_embedded_in_another_site_is_refused(
    client: FlaskClient, path: str, headers: dict[str, str]
) -> None:
    assert client.get(path, headers=headers).status_code == 403


def test_a_navigation_the_user_did_not_make_shows_the_form_unrun(client: FlaskClient) -> None:
    response = client.get(LOOK_UP, headers=SCRIPTED)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Run this look-up" in body
    assert "www.webdig.test</textarea>" in body
    assert 'id="results"' not in body


@pytest.mark.parametrize(
    "path", ["/api/v1/lookup?hostnames=www.webdig.test", LOOK_UP + "&format=text"]
)
def test_a_sent_navigation_to_the_api_or_text_is_refused(client: FlaskClient, path: str) -> None:
    assert client.get(path, headers=SCRIPTED).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [CLICKED, {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"},
     {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}, {}],
)  # fmt: skip
def test_clicked_typed_or_same_origin_look_ups_run(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.get(LOOK_UP, headers=headers)
    assert response.status_code == 200
    assert 'id="results"' in response.get_data(as_text=True)
