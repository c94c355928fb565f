"""Rate limits: per client (IPv6 by /64), per target nameserver, shared through Redis."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.support.bind import NamedServer, free_port
from tests.support.fakeserver import FakeServer, empty_reply
from tests.support.gunicornapp import ROOT, serving
from webdig import create_app


def limited_app(settings_config: dict[str, Any], **overrides: Any) -> Flask:
    return create_app({**settings_config, "RATE_LIMIT_DISABLED": False, **overrides})


def statuses(app: Flask, path: str, count: int, **environ: str) -> list[int]:
    client = app.test_client()
    return [client.get(path, environ_base=environ).status_code for _ in range(count)]


def test_client_limit_gives_429_with_retry_after(settings_config: dict[str, Any]) -> None:
    app = limited_app(settings_config, RATE_LIMIT_CLIENT="3/minute")
    client = app.test_client()
    codes = [client.get("/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/")
    wait = int(response.headers["Retry-After"])
    assert wait > 0
    page = response.get_data(as_text=True)
    assert "Too many look-ups from your network" in page
    # A person is told how long to wait, in the page's words.
    if wait < 120:
        assert f"You can try again in {wait} second" in page
    else:
        assert f"You can try again in {-(-wait // 60)} minutes." in page
    japanese = client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "後にもう一度お試しください。" in japanese


def test_a_store_file_that_cannot_be_opened_is_logged_and_limits_count_per_worker(
    settings_config: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The folder was removed under the app (or WEBDIG_RATE_LIMIT_STORE names a bad place).
    missing = tmp_path / "removed" / "limits.store"
    app = limited_app(settings_config, RATE_LIMIT_STORE=str(missing), RATE_LIMIT_CLIENT="2/minute")
    assert f"cannot use the rate-limit store {missing} (No such file or directory)" in caplog.text
    assert f"cannot open the progress board {missing}.progress" in caplog.text
    assert statuses(app, "/?hostnames=www.webdig.test&ns=resolver", 3) == [200, 200, 429]


_FULL_TMPFS = """
import sys
from webdig import create_app
from webdig.web.windowstore import WindowStore
if sys.argv[1] == "lay-out":
    WindowStore(sys.argv[2])  # as a worker of an earlier start did
    sys.exit()
app = create_app({"RATE_LIMIT_DISABLED": False, "RATE_LIMIT_STORE": sys.argv[2],
                  "INSTANCE_PATH": sys.argv[3], "DATABASE_AUTO_UPGRADE": False})
print([app.test_client().get("/").status_code for _ in range(3)], flush=True)
"""


def test_a_store_on_a_tmpfs_that_fills_up_never_kills_the_worker(tmp_path: Path) -> None:
    # A sparse store maps fine, and then the first write to a page a full tmpfs has no
    # room for kills the process with SIGBUS.  The store takes all its room when it is
    # laid out; one that cannot is refused at once, and logged.
    shm = tmp_path / "shm"
    shm.mkdir()
    store, late, instance = shm / "limits.store", shm / "late.store", tmp_path / "instance"
    script = (
        f'mount -t tmpfs -o size=24m webdig-test {shm} && "$@" lay-out {store} && '
        f'(cat /dev/zero > {shm}/filler 2>/dev/null; "$@" app {store} {instance}) && '
        f'"$@" app {late} {instance}'
    )
    run = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", sys.executable, "-c", _FULL_TMPFS],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split("\n") == ["[200, 200, 200]"] * 2 + [""]
    assert f"cannot use the rate-limit store {store}" not in run.stderr
    assert f"cannot use the rate-limit store {late} (No space left on device)" in run.stderr


def test_api_429_is_json(settings_config: dict[str, Any]) -> None:
    app = limited_app(settings_config, RATE_LIMIT_CLIENT="1/minute")
    client = app.test_client()
    client.get("/api/v1/lookup")
    response = client.get("/api/v1/lookup")
    assert response.status_code == 429
    assert response.get_json()["error"].startswith("Too many look-ups")


def test_requests_in_flight_are_limited_per_client_and_per_worker(
    settings_config: dict[str, Any],
) -> None:
    # No slot for this client: 429 at once, and the request still counted against its limit.
    app = limited_app(settings_config, RATE_LIMIT_CLIENT="2/minute", CONCURRENT_CLIENT=0)
    client = app.test_client()
    response = client.get("/api/v1/lookup")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert "several look-ups running" in response.get_json()["error"]
    assert [client.get("/api/v1/lookup").status_code for _ in range(2)] == [429, 429]
    assert "Too many look-ups" in client.get("/api/v1/lookup").get_json()["error"]
    # A worker with no look-up slot left: 503, and the slot it never took is not given back.
    busy = limited_app(settings_config, LOOKUPS_PER_WORKER=1, CONCURRENT_CLIENT=5)
    with busy.test_request_context("/api/v1/lookup"):
        busy.preprocess_request()  # holds this worker's one slot until the teardown
        for _ in range(2):
            with busy.app_context():  # a request of its own, with its own g
                assert busy.test_client().get("/api/v1/lookup").status_code == 503
        busy.do_teardown_request()
    assert busy.test_client().get("/api/v1/lookup").status_code != 503


@pytest.mark.parametrize(
    ("query", "accept"), [("?format=text", "text/html"), ("?format=TXT", ""), ("", "text/plain")]
)
def test_429_is_plain_text_where_the_page_would_be(
    settings_config: dict[str, Any], query: str, accept: str
) -> None:
    app = limited_app(settings_config, RATE_LIMIT_CLIENT="1/minute")
    client = app.test_client()
    client.get("/")
    response = client.get(f"/{query}", headers={"Accept": accept} if accept else {})
    assert response.status_code == 429
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).startswith("Too many look-ups")


def test_ipv6_clients_share_a_slash_64(settings_config: dict[str, Any]) -> None:
    app = limited_app(settings_config, RATE_LIMIT_CLIENT="2/minute")
    same_64 = statuses(app, "/", 1, REMOTE_ADDR="2001:db8::1") + statuses(
        app, "/", 2, REMOTE_ADDR="2001:db8::ffff"
    )
    assert same_64 == [200, 200, 429]
    assert statuses(app, "/", 1, REMOTE_ADDR="2001:db8:0:1::1") == [200]


def test_forwarded_for_is_ignored_without_trusted_proxies(settings_config: dict[str, Any]) -> None:
    app = limited_app(settings_config, RATE_LIMIT_CLIENT="2/minute")
    client = app.test_client()
    codes = [
        client.get("/", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_forwarded_for_counts_with_one_trusted_proxy(settings_config: dict[str, Any]) -> None:
    app = limited_app(settings_config, RATE_LIMIT_CLIENT="1/minute", TRUSTED_PROXIES=1)
    client = app.test_client()
    codes = [
        client.get("/", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 200]


def test_health_check_is_not_limited(settings_config: dict[str, Any]) -> None:
    app = limited_app(settings_config, RATE_LIMIT_CLIENT="1/minute")
    assert statuses(app, "/healthz", 3) == [200, 200, 200]


def test_target_budget_stops_queries_to_one_nameserver(settings_config: dict[str, Any]) -> None:
    app = limited_app(settings_config, RATE_LIMIT_TARGET_CLIENT="2/minute")
    hosts = "%0A".join(f"h{i}.webdig.test" for i in range(3))
    with FakeServer(udp=empty_reply) as server:
        response = app.test_client().get(
            f"/api/v1/lookup?hostnames={hosts}&ns=self&nameservers=127.0.0.1:{server.port}"
        )
        assert server.packets == 2
    assert response.status_code == 200
    errors = [r["error"] for r in response.get_json()["results"]]
    assert sum(e is None for e in errors) == 2
    assert any(e and "Not sent: webdig is busy; try again in" in e for e in errors)
    busy = [n for n in response.get_json()["note_findings"] if n["code"] == "note.busy"]
    assert [n["level"] for n in busy] == ["unknown"]


def test_own_resolver_is_not_held_to_visitors_budgets(
    settings_config: dict[str, Any], named: NamedServer
) -> None:
    # The test BIND is webdig's own resolver here: the operator's, not a third party's.
    app = limited_app(settings_config, RATE_LIMIT_TARGET_CLIENT="2/minute")
    hosts = "%0A".join(f"h{i}.webdig.test" for i in range(3))
    response = app.test_client().get(
        f"/api/v1/lookup?hostnames={hosts}&ns=self&nameservers=127.0.0.1:{named.port}"
    )
    assert [r["error"] for r in response.get_json()["results"]] == [None, None, None]


@pytest.fixture
def gunicorn_with_redis(named: NamedServer, redis_url: str) -> Iterator[int]:
    """gunicorn with two workers that count rate limits in one Redis; yields its port."""
    env = {
        "WEB_CONCURRENCY": "2",
        "REDIS_URL": redis_url,
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_RATE_LIMIT_CLIENT": "5/minute",
        "WEBDIG_RATE_LIMIT_APP": "1000/minute",
    }
    with serving(env) as port:
        yield port


def test_two_gunicorn_workers_share_one_count_in_redis(gunicorn_with_redis: int) -> None:
    codes = []
    for _ in range(12):
        # A new connection each time, so both workers take requests.
        connection = http.client.HTTPConnection("127.0.0.1", gunicorn_with_redis, timeout=5)
        connection.request("GET", "/", headers={"Connection": "close"})
        codes.append(connection.getresponse().status)
        connection.close()
    assert codes.count(200) == 5
    assert codes.count(429) == 7


def test_redis_down_falls_back_to_memory_limits(settings_config: dict[str, Any]) -> None:
    # Nothing listens on this port: every Redis call fails.
    app = limited_app(
        settings_config,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        RATE_LIMIT_CLIENT="2/minute",
    )
    assert statuses(app, "/", 3) == [200, 200, 429]
