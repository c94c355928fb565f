"""JSON responses (webdig.web.jsonresponse): orjson's bytes, the JSON Flask's provider wrote."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path
from typing import Any

from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider
from flask.testing import FlaskClient

from webdig import create_app
from webdig.web.jsonresponse import JSONProvider


@dataclasses.dataclass
class _Point:
    x: int
    label: str


def _app(folder: Path, **config: Any) -> Flask:
    instance = {"INSTANCE_PATH": str(folder / "instance")}
    app = create_app({"TESTING": True, "RATE_LIMIT_DISABLED": True, **instance, **config})

    @app.get("/t/<kind>")
    def answer(kind: str) -> Any:
        return jsonify(_VALUES[kind])

    return app


_VALUES: dict[str, Any] = {
    "mixed": {"z": 1, "a": [True, None, 1.5, "日本語 ✓"], "m": {"k": (1, 2)}},
    "date": {"when": datetime.datetime(2026, 12, 2, 3, 4, 5, tzinfo=datetime.UTC)},
    "dataclass": {"point": _Point(3, "p")},
    "intkeys": {1: "one", 2: "two"},
    "big": {"n": 2**70},
}


def _flask_body(app: Flask, value: Any) -> bytes:
    """What Flask's own provider writes for ``value`` in the same app."""
    provider = DefaultJSONProvider(app)
    provider.sort_keys = False
    with app.app_context():
        response: Any = provider.response(value)
        body: bytes = response.get_data()
    return body


def test_the_app_uses_it(tmp_path: Path) -> None:
    assert isinstance(_app(tmp_path).json, JSONProvider)


def test_the_same_json_in_the_same_order_as_flask_wrote(tmp_path: Path) -> None:
    app = _app(tmp_path)
    client: FlaskClient = app.test_client()
    for kind, value in _VALUES.items():
        response = client.get(f"/t/{kind}")
        assert response.status_code == 200, kind
        assert response.mimetype == "application/json"
        body = response.get_data()
        assert body.endswith(b"}\n"), kind
        expected = _flask_body(app, value)
        assert json.loads(body) == json.loads(expected), kind
        # The key order is the one given, not sorted (the API documents its order).
        assert list(json.loads(body)) == list(json.loads(expected)), kind


def test_non_ascii_is_written_as_utf8_not_escaped(tmp_path: Path) -> None:
    body = _app(tmp_path).test_client().get("/t/mixed").get_data()
    assert "日本語 ✓".encode() in body
    assert b"\\u" not in body


def test_dates_and_dataclasses_go_through_flasks_default(tmp_path: Path) -> None:
    client = _app(tmp_path).test_client()
    assert client.get("/t/date").get_json() == {"when": "Wed, 02 Dec 2026 03:04:05 GMT"}
    assert client.get("/t/dataclass").get_json() == {"point": {"x": 3, "label": "p"}}
    assert client.get("/t/intkeys").get_json() == {"1": "one", "2": "two"}


def test_what_orjson_cannot_encode_is_encoded_by_flask(tmp_path: Path) -> None:
    body = _app(tmp_path).test_client().get("/t/big").get_data()
    assert json.loads(body) == {"n": 2**70}


def test_debug_responses_stay_indented(tmp_path: Path) -> None:
    app = _app(tmp_path, DEBUG=True)
    body = app.test_client().get("/t/mixed").get_data().decode()
    assert '\n  "z": 1' in body
