"""``/progress/<token>``: what a running look-up still waits for, for the page's script."""

from __future__ import annotations

from flask.testing import FlaskClient

from webdig.web.progress import COOKIE


def test_progress_board_answers_only_for_a_known_token(client: FlaskClient) -> None:
    token = "0123456789abcdef" * 2
    assert client.get(f"/progress/{token}").get_json() == {"waiting": None}
    assert client.get("/progress/not-a-token").get_json() == {"waiting": None}
    client.set_cookie(COOKIE, token)
    assert client.get("/?hostnames=www.webdig.test&ns=resolver").status_code == 200
    response = client.get(f"/progress/{token}")
    assert response.get_json() == {"waiting": []}  # the look-up is over
    assert response.headers["Cache-Control"] == "no-store"
