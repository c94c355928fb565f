"""``POST /api/v1/snapshots``, ``GET /api/v1/snapshots/<id>`` and ``/r/<id>.json`` against the
test BIND, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dns.message
import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.bind import NamedServer
from tests.support.postgres import PostgresCluster
from tests.support.renewallab import HEALTHY, RenewalLab
from webdig import create_app
from webdig.storage.snapshots import is_snapshot_id
from webdig.web.snapshotstore import store_of


@pytest.fixture
def saving_app(settings_config: dict[str, Any], database_url: str) -> Iterator[Flask]:
    """The test app saving into each kind of database."""
    app = create_app({**settings_config, "DATABASE_URL": database_url})
    yield app
    store_of(app).engine.dispose()


@pytest.fixture
def saving_client(saving_app: Flask) -> FlaskClient:
    return saving_app.test_client()


def question(named: NamedServer, **extra: Any) -> dict[str, Any]:
    return {
        "hostnames": ["www.webdig.test"],
        "type": "A",
        "ns": "self",
        "nameservers": [f"127.0.0.1#{named.port}"],
        **extra,
    }


def test_save_and_read_back_a_lookup(saving_client: FlaskClient, named: NamedServer) -> None:
    response = saving_client.post("/api/v1/snapshots", json=question(named, expected="192.0.2.10"))
    assert response.status_code == 201, response.get_json()
    saved = response.get_json()
    assert is_snapshot_id(saved["id"])
    assert saved["kind"] == "lookup"
    assert saved["api_url"] == f"http://localhost/api/v1/snapshots/{saved['id']}"
    assert response.headers["Location"] == saved["api_url"]
    assert saved["json_url"] == f"http://localhost/r/{saved['id']}.json"
    assert saved["created"].endswith("Z")
    assert saved["webdig_version"]

    document_schema = saving_client.get("/api/v1/openapi.json").get_json()
    jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/Snapshot", "components": document_schema["components"]}
    ).validate(saved)

    read = saving_client.get(f"/api/v1/snapshots/{saved['id']}")
    assert read.status_code == 200
    document = read.get_json()
    assert document == saved
    assert saving_client.get(f"/r/{saved['id']}.json").get_json() == document

    # The result is what /api/v1/lookup returns, and the raw replies parse as its dig text says.
    result = document["result"]
    live = saving_client.get("/api/v1/lookup", query_string={
        "hostnames": "www.webdig.test", "ns": "self", "nameservers": f"127.0.0.1#{named.port}",
        "expected": "192.0.2.10",
    }).get_json()  # fmt: skip
    assert result.keys() == live.keys()
    assert [r["answer"] for r in result["results"]] == [r["answer"] for r in live["results"]]
    replies = [base64.b64decode(text) for text in document["replies"]]
    assert len(replies) == len(result["results"])
    for reply, block in zip(replies, result["results"], strict=True):
        message = dns.message.from_wire(reply)
        assert dns.rcode.to_text(message.rcode()) == block["status"]
        assert [str(rr) for rr in message.answer] or not block["answer"]


def test_save_a_check(renewal_lab: RenewalLab, tmp_path: Path) -> None:
    app = create_app({**renewal_lab.config(**HEALTHY.servers), "INSTANCE_PATH": str(tmp_path)})
    body = {"domain": HEALTHY.domain, "expected": list(HEALTHY.expected)}
    response = app.test_client().post("/api/v1/snapshots", json=body)
    assert response.status_code == 201, response.get_json()
    saved = response.get_json()
    assert saved["kind"] == "check"
    assert saved["result"]["query"]["domain"] == HEALTHY.domain
    # What the check found is /api/v1/check's business (tests/test_check_api.py); saved
    # is the same body, whatever a loaded machine made of the probes' deadlines.
    first = ["domain-exists", "dnssec", "dns-points-here"]
    assert [c["id"] for c in saved["result"]["checks"]][:3] == first
    # The replies of its DNS look-up (every server's A and AAAA) are kept, and they parse.
    messages = [dns.message.from_wire(base64.b64decode(r)) for r in saved["replies"]]
    assert any(message.answer for message in messages)
    store_of(app).engine.dispose()


@pytest.mark.parametrize(
    "snapshot_id", ["AAAAAAAAAAAAAAAAAAAAAAAA", "short", "x" * 200, "%2e%2e", "..;"]
)
def test_unknown_and_malformed_ids_are_404(saving_client: FlaskClient, snapshot_id: str) -> None:
    for path in (f"/api/v1/snapshots/{snapshot_id}", f"/r/{snapshot_id}.json"):
        response = saving_client.get(path)
        assert response.status_code == 404
        assert "No saved result has this id" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("content_type", "data"),
    [("application/x-www-form-urlencoded", "hostnames=www.webdig.test"), ("text/plain", "{}")],
)
def test_only_json_bodies_are_accepted(
    saving_client: FlaskClient, content_type: str, data: str
) -> None:
    response = saving_client.post("/api/v1/snapshots", data=data, content_type=content_type)
    assert response.status_code == 415
    assert "application/json" in response.get_json()["error"]


def test_invalid_parameters_are_400_and_save_nothing(saving_app: Flask) -> None:
    client = saving_app.test_client()
    response = client.post("/api/v1/snapshots", json={"hostnames": "bad..name", "type": "A"})
    assert response.status_code == 400
    assert "hostnames" in response.get_json()["fields"]
    assert client.post("/api/v1/snapshots", json=["not", "an", "object"]).status_code == 400
    store = store_of(saving_app)
    store.ensure_schema()
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM snapshots").scalar() == 0


def test_too_large_is_413(settings_config: dict[str, Any], named: NamedServer) -> None:
    app = create_app({**settings_config, "SNAPSHOT_MAX_BYTES": 200})
    response = app.test_client().post("/api/v1/snapshots", json=question(named))
    assert response.status_code == 413
    assert "too large to save" in response.get_json()["error"]
    store_of(app).engine.dispose()


def test_saving_has_its_own_rate_limit(settings_config: dict[str, Any], named: NamedServer) -> None:
    app = create_app(
        {**settings_config, "RATE_LIMIT_DISABLED": False, "RATE_LIMIT_SAVE": "2/minute"}
    )
    client = app.test_client()
    codes = [client.post("/api/v1/snapshots", json=question(named)).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    # Look-ups have their own budget and go on.
    assert (
        client.get("/api/v1/lookup", query_string={"hostnames": "www.webdig.test"}).status_code
        == 200
    )
    store_of(app).engine.dispose()


def test_database_outage_is_503_while_lookups_work(
    settings_config: dict[str, Any], named: NamedServer, postgres: PostgresCluster
) -> None:
    name = postgres.create_database()
    app = create_app({**settings_config, "DATABASE_URL": postgres.url(name)})
    client = app.test_client()
    try:
        saved = client.post("/api/v1/snapshots", json=question(named)).get_json()
        postgres.stop()
        try:
            response = client.post("/api/v1/snapshots", json=question(named))
            assert response.status_code == 503
            assert response.get_json()["error"].startswith("Saving is unavailable right now")
            assert response.headers["Retry-After"]
            # A result this worker already holds is served; the database is needed otherwise.
            assert client.get(f"/api/v1/snapshots/{saved['id']}").status_code == 200
            assert client.get(f"/api/v1/snapshots/{'A' * 24}").status_code == 503
            lookup = client.get("/api/v1/lookup", query_string={
                "hostnames": "www.webdig.test", "ns": "self",
                "nameservers": f"127.0.0.1#{named.port}",
            })  # fmt: skip
            assert lookup.status_code == 200
            assert lookup.get_json()["results"][0]["status"] == "NOERROR"
        finally:
            postgres.start()
        assert client.get(f"/api/v1/snapshots/{saved['id']}").status_code == 200
        assert client.post("/api/v1/snapshots", json=question(named)).status_code == 201
    finally:
        store_of(app).engine.dispose()
        postgres.drop_database(name)
