"""What changed, against a zone changed between runs by a dynamic update to a real BIND:
``GET /api/v1/diff``, ``/diff/<a>/<b>`` and "Run again now" (``/r/<id>/again``)."""

from __future__ import annotations

import dns.update
from flask.testing import FlaskClient

from tests.support.bind import NamedServer
from tests.support.movingzone import moving_question, point_www_at, send_update


def save(client: FlaskClient, server: NamedServer) -> str:
    response = client.post("/api/v1/snapshots", json=moving_question(server))
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["id"])


def test_a_fixed_record_shows_as_added_and_removed(
    client: FlaskClient, moving: NamedServer
) -> None:
    before = save(client, moving)
    point_www_at(moving, "192.0.2.10")
    after = save(client, moving)

    diff = client.get("/api/v1/diff", query_string={"a": before, "b": after}).get_json()
    assert diff["same"] is False
    [main] = [r for r in diff["results"] if r["type"] == "A"]
    assert main["added"] == ["www.moving.test. IN A 192.0.2.10"]
    assert main["removed"] == ["www.moving.test. IN A 192.0.2.99"]
    assert main["verdict"] == {"before": "answer.mismatch", "after": "answer.match"}
    assert main["status"] == {"before": "NOERROR", "after": "NOERROR"}
    assert diff["a"]["id"] == before

    page = client.get(f"/diff/{before}/{after}").get_data(as_text=True)
    assert "+ www.moving.test. IN A 192.0.2.10" in page
    assert "- www.moving.test. IN A 192.0.2.99" in page

    same = client.get("/api/v1/diff", query_string={"a": after, "b": after}).get_json()
    assert same["same"] is True


def test_run_again_shows_what_changed_since(client: FlaskClient, moving: NamedServer) -> None:
    saved = save(client, moving)
    unchanged = client.get(f"/r/{saved}/again").get_data(as_text=True)
    assert "Nothing changed." in unchanged

    point_www_at(moving, "192.0.2.10")
    page = client.get(f"/r/{saved}/again")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "What changed since" in html
    assert "+ www.moving.test. IN A 192.0.2.10" in html
    # The live result is the page below, with its own save button.
    assert '<form class="save"' in html


def test_ttl_changes_only_when_asked(client: FlaskClient, moving: NamedServer) -> None:
    before = save(client, moving)
    update = dns.update.UpdateMessage("moving.test.")
    update.replace("www", 60, "A", "192.0.2.99")
    send_update(moving, update)
    after = save(client, moving)
    ignored = client.get("/api/v1/diff", query_string={"a": before, "b": after}).get_json()
    assert ignored["same"] is True
    asked = client.get(
        "/api/v1/diff", query_string={"a": before, "b": after, "ttl": "on"}
    ).get_json()
    [main] = [r for r in asked["results"] if r["type"] == "A"]
    assert main["ttl"] == [
        {"record": "www.moving.test. IN A 192.0.2.99", "before": 300, "after": 60}
    ]


def test_unknown_ids(client: FlaskClient) -> None:
    response = client.get("/api/v1/diff", query_string={"a": "A" * 24, "b": "x"})
    assert response.status_code == 404
    assert set(response.get_json()["fields"]) == {"a", "b"}
    assert client.get(f"/diff/{'A' * 24}/{'B' * 24}").status_code == 404
    assert client.get(f"/r/{'A' * 24}/again").status_code == 404


def test_runs_typed_in_another_case_compare_alike(client: FlaskClient, moving: NamedServer) -> None:
    # hostname_ascii keeps the case typed; the same name asked as typed otherwise is the
    # same question, so nothing changed between the runs.
    question = {"ns": "self", "nameservers": f"127.0.0.1#{moving.port}", "expected": "192.0.2.10"}
    ids = []
    for typed in ("WWW.Moving.test", "www.moving.test"):
        response = client.post("/api/v1/snapshots", json={"hostnames": typed, **question})
        assert response.status_code == 201
        ids.append(response.get_json()["id"])
    diff = client.get("/api/v1/diff", query_string={"a": ids[0], "b": ids[1]}).get_json()
    assert diff["same"] is True, diff
    point_www_at(moving, "192.0.2.10")
    again = client.get(f"/r/{ids[0]}/again").get_data(as_text=True)
    assert "+ www.moving.test. IN A 192.0.2.10" in again


def test_run_again_sent_by_another_site_shows_the_saved_result(
    client: FlaskClient, moving: NamedServer
) -> None:
    saved = save(client, moving)
    point_www_at(moving, "192.0.2.10")
    sent = {
        "Sec-Fetch-Site": "cross-site",
        "Sec-Fetch-Mode": "navigate",
        "Sec-Fetch-Dest": "document",
    }
    response = client.get(f"/r/{saved}/again", headers=sent)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not asked again yet." in html
    assert "What changed since" not in html
    # The saved answer, not the servers' answer of now.
    assert "192.0.2.99" in html
    assert "IN A 192.0.2.10" not in html
    clicked = client.get(f"/r/{saved}/again", headers={**sent, "Sec-Fetch-User": "?1"})
    assert "+ www.moving.test. IN A 192.0.2.10" in clicked.get_data(as_text=True)
