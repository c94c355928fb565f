"""Attacks on the features that came after issue 10's (saved results, diffs, watches, the
renewal check's registry and CA fetches), replayed against webdig under a real gunicorn on
loopback with the default rate limits.

One outside visitor, one address: what they send, and what everyone else still gets.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path

import dns.message
import dns.rrset
import pytest

from tests.support.bind import NamedServer
from tests.support.fakeserver import FakeServer, framed
from tests.support.gunicornapp import get, serving

LIMIT = 1024 * 1024
"""``WEBDIG_MAX_CONTENT_LENGTH``'s default."""


@pytest.fixture(scope="module")
def webdig(named: NamedServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """webdig with every default budget and limit; only the policy allows loopback targets."""
    env = {
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
    }
    with serving(env) as port:
        yield port


def post(
    port: int, path: str, body: bytes, headers: Mapping[str, str], *, source: str
) -> tuple[int, bytes]:
    """One POST on a new connection; a server that answers before reading all of a large
    body may close the connection under the client's feet: its answer still counts."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0)
    )
    try:
        connection.putrequest("POST", path)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            connection.putheader(name, value)
        connection.endheaders()
        with contextlib.suppress(OSError):  # refused early: read the answer it sent
            connection.send(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def large_json() -> bytes:
    # A JSON list of ones: each parsed element costs a list slot, 8 bytes of memory per 2
    # of body (4 x 100 MB bodies took a worker from 78 MB to 1.4 GB before the limit).
    return b"[" + b"1," * (LIMIT // 2 + 1) + b"1]"


@pytest.mark.parametrize("path", ["/api/v1/watch", "/api/v1/snapshots"])
def test_a_huge_json_body_is_refused_unread(webdig: int, path: str) -> None:
    headers = {"Content-Type": "application/json"}
    status, body = post(webdig, path, large_json(), headers, source="127.0.0.31")
    assert status == 413
    assert "too large" in json.loads(body)["error"]


@pytest.mark.parametrize("path", ["/save", "/watch/save", "/check/decode"])
def test_a_huge_form_file_is_refused_not_spooled_to_disk(webdig: int, path: str) -> None:
    # werkzeug writes a form's file parts over 500 KB to a temporary file: without a limit,
    # one visitor's uploads fill the disk.
    boundary = "webdigboundary"
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="x"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = part + b"x" * (2 * LIMIT) + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, _ = post(webdig, path, body, headers, source="127.0.0.32")
    assert status == 413


# --- Saved results held in memory -------------------------------------------------------


def txt_flood(query: dns.message.Message, _: bytes) -> list[bytes]:
    """Over TCP, 200 TXT records of 244 bytes each: 50 KB that compress to almost nothing."""
    reply = dns.message.make_response(query)
    texts = [f'"{i:04d}{"a" * 240}"' for i in range(200)]
    reply.answer.append(dns.rrset.from_text_list(query.question[0].name, 300, "IN", "TXT", texts))
    return [framed(reply.to_wire(max_size=65535))]


@pytest.fixture(scope="module")
def flooders() -> Iterator[list[FakeServer]]:
    """Ten nameservers of the attacker's own (each one a port: the per-target budgets count
    an address and port), answering every TXT question with the flood."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(FakeServer(tcp=txt_flood)) for _ in range(10)]


def save(port: int, names: list[str], servers: list[str], source: str) -> tuple[int, bytes]:
    """POST /api/v1/snapshots: the TXT records of ``names`` at ``servers``, over TCP."""
    question = {"hostnames": names, "ns": "self", "type": "TXT", "tcp": True,
                "nameservers": servers}  # fmt: skip
    headers = {"Content-Type": "application/json"}
    return post(port, "/api/v1/snapshots", json.dumps(question).encode(), headers, source=source)


def saved_id(answer: tuple[int, bytes]) -> str:
    """The id of a snapshot ``save`` stored."""
    status, body = answer
    assert status == 201, body[:300]
    snapshot_id: str = json.loads(body)["id"]
    return snapshot_id


def flood_environ(named: NamedServer, instance: Path, **more: str) -> dict[str, str]:
    """Default limits; loopback targets allowed; its own database in ``instance``."""
    return {
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_INSTANCE_PATH": str(instance),
        **more,
    }


# One flood save: 6 hostnames at 10 servers, 3 MB of replies and 6 MB of JSON that compress
# to 150 KB (a snapshot may take 512 KB: 18 MB of JSON, ~35 MB once parsed).
FLOOD = [f"h{i}.victim.test" for i in range(6)]


def test_large_saved_results_are_not_kept_in_memory(
    named: NamedServer, flooders: list[FakeServer], tmp_path: Path
) -> None:
    # Each worker kept the last 256 snapshots it saved or read, whatever their size: 9 GB.
    # One worker: the one that saved is the one that reads.
    servers = [f"127.0.0.1:{server.port}" for server in flooders]
    with serving(flood_environ(named, tmp_path, WEB_CONCURRENCY="1")) as port:
        large = saved_id(save(port, FLOOD, servers, "127.0.0.33"))
        small = saved_id(save(port, ["www.example.com"], [f"127.0.0.1:{named.port}"], "127.0.0.33"))
        # Gone from the database: only what the worker keeps in memory can still answer.
        database = sqlite3.connect(tmp_path / "webdig.sqlite3")
        with contextlib.closing(database), database:
            database.execute("DELETE FROM snapshots")
        assert get("127.0.0.1", port, f"/r/{small}.json", source="127.0.0.33")[0] == 200
        assert get("127.0.0.1", port, f"/r/{large}.json", source="127.0.0.33")[0] == 404


def test_one_client_cannot_take_the_whole_space_for_saved_results(
    named: NamedServer, flooders: list[FakeServer], tmp_path: Path
) -> None:
    # By default one address could keep 60 saves an hour of 512 KB each for 30 days: 21 GB.
    # Its daily share (WEBDIG_RATE_LIMIT_SAVE_KB, 10 MB by default) is scaled down here.
    servers = [f"127.0.0.1:{server.port}" for server in flooders]
    env = flood_environ(named, tmp_path, WEBDIG_RATE_LIMIT_SAVE_KB="400/day")
    with serving(env) as port:
        answers = [save(port, FLOOD, servers, "127.0.0.37") for _ in range(5)]
        codes = [status for status, _ in answers]
        assert 429 in codes, codes
        assert codes.index(429) >= 2  # 150 KB each: the third or fourth uses up the 400 KB
        assert all(code == 429 for code in codes[codes.index(429) :])
        refused = json.loads(answers[-1][1])["error"]
        assert "as many results as webdig keeps for one visitor in a day" in refused
        # Another visitor saves as before.
        saved_id(save(port, ["www.example.com"], [f"127.0.0.1:{named.port}"], "127.0.0.38"))


def test_saved_results_stop_at_the_quota_and_look_ups_go_on(
    named: NamedServer, flooders: list[FakeServer], tmp_path: Path
) -> None:
    # Many addresses together (a /48 of IPv6 is 65,536 clients) met no bound but the disk.
    servers = [f"127.0.0.1:{server.port}" for server in flooders]
    with serving(flood_environ(named, tmp_path, WEBDIG_SNAPSHOT_QUOTA_MB="0.5")) as port:
        answers = [save(port, FLOOD, servers, f"127.0.0.{40 + n}") for n in range(5)]
        codes = [status for status, _ in answers]
        assert codes[:2] == [201, 201]
        assert codes[-1] == 503
        assert "full until older ones expire" in json.loads(answers[-1][1])["error"]
        path = f"/api/v1/lookup?hostnames=www.example.com&nameservers=127.0.0.1:{named.port}"
        assert get("127.0.0.1", port, path, source="127.0.0.46")[0] == 200
    kept = (tmp_path / "webdig.sqlite3").stat().st_size
    assert kept < 1024 * 1024


# --- Reading saved results: the limits hold -----------------------------------------------

SENT = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
"""What a browser says when another site navigated it here without the person's click."""


@pytest.fixture(scope="module")
def saved(webdig: int, named: NamedServer) -> str:
    """The id of a saved look-up."""
    question = {"hostnames": ["www.example.com"], "nameservers": [f"127.0.0.1:{named.port}"]}
    headers = {"Content-Type": "application/json"}
    status, body = post(webdig, "/api/v1/snapshots", json.dumps(question).encode(), headers,
                        source="127.0.0.34")  # fmt: skip
    assert status == 201
    snapshot_id: str = json.loads(body)["id"]
    return snapshot_id


@pytest.mark.parametrize(
    ("path", "headers", "source"),
    [
        # "Run again now" that another site opened shows the saved result and waits for the
        # click: it read and drew the result (9 s for an 18 MB one) without any limit.
        ("/r/{id}/again", SENT, "127.0.0.35"),
        # Not in the look-up limits at all, while /diff/<a>/<b> was.
        ("/api/v1/diff?a={id}&b={id}", {}, "127.0.0.36"),
    ],
)
def test_reading_saved_results_counts_against_the_look_up_limit(
    webdig: int, saved: str, path: str, headers: dict[str, str], source: str
) -> None:
    target = path.format(id=saved)
    codes = [get("127.0.0.1", webdig, target, headers=headers, source=source)[0] for _ in range(40)]
    assert 27 <= codes.count(200) <= 33
    assert codes.count(200) + codes.count(429) == 40
