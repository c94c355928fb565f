"""Watch until it is fixed (``/watch``), against a BIND whose zone a dynamic update changes:
runs, what changed, the interval floor, the time limit, rate limits, the page without
JavaScript, saving the timeline, and the cross-site guard.  The clock is the test's own."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.bind import NamedServer
from tests.support.movingzone import moving_question, point_www_at
from tests.support.renewallab import RenewalLab
from webdig import create_app
from webdig.web import csrf
from webdig.web.snapshotstore import store_of
from webdig.web.watchpage import set_clock

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
SENT = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


class Clock:
    """A clock the test moves on by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def watch_app(config: dict[str, Any], clock: Clock, **overrides: Any) -> Flask:
    app = create_app({**config, **overrides})
    set_clock(app, clock)
    return app


@pytest.fixture
def app(settings_config: dict[str, Any], clock: Clock) -> Iterator[Flask]:
    made = watch_app(settings_config, clock)
    yield made
    store_of(made).engine.dispose()


def attribute(page: str, name: str) -> str:
    found = re.search(rf'{name}="([^"]*)"', page)
    assert found is not None, name
    return html.unescape(found.group(1))


def open_watch(client: FlaskClient, server: NamedServer, **extra: str) -> str:
    response = client.get("/watch?" + urlencode(moving_question(server, **extra)))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def next_run(client: FlaskClient, page: str, previous: Any = None, lang: str = "") -> Any:
    """POST the run after the one ``page`` (or the previous API answer) shows."""
    body = {
        "query": attribute(page, "data-query"),
        "watch": attribute(page, "data-token"),
        "previous": previous if previous is not None else json.loads(attribute(page, "data-next")),
    }
    return client.post("/api/v1/watch", json=body, query_string={"lang": lang} if lang else None)


def test_the_page_runs_once_and_waits(app: Flask, moving: NamedServer) -> None:
    page = open_watch(app.test_client(), moving)
    assert "The change has not taken effect yet." in page
    assert "Run 1 · 01:00:00 UTC" in page
    assert "www.moving.test points to 192.0.2.99" in page or "192.0.2.99" in page
    assert attribute(page, "data-interval") == "30"
    assert attribute(page, "data-state") == "running"
    assert 'role="status" aria-live="polite"' in page
    # Without JavaScript the page reloads itself, on the same watch, one run further.
    refresh = re.search(r'<noscript><meta http-equiv="refresh" content="30;url=([^"]+)">', page)
    assert refresh is not None
    assert "watch=" in refresh.group(1)
    assert "run=2" in html.unescape(refresh.group(1))
    assert "/static/watch.js" in page


def test_a_run_shows_what_changed_and_when_it_took_effect(
    app: Flask, moving: NamedServer, clock: Clock
) -> None:
    client = app.test_client()
    page = open_watch(client, moving)
    clock.advance(30)
    unchanged = next_run(client, page).get_json()
    assert unchanged["state"] == "running"
    assert unchanged["entry"]["same"] is True
    assert unchanged["shown"]["announcement"] == (
        "Run 2 (01:00:30 UTC): no change; it has not taken effect yet."
    )
    assert unchanged["result"]["headlines"][0]["code"] == "headline.mismatch"

    point_www_at(moving, "192.0.2.10")
    clock.advance(30)
    fixed = next_run(client, page, unchanged["next"]).get_json()
    assert fixed["state"] == "fixed"
    assert fixed["entry"]["n"] == 3
    texts = [line["text"] for line in fixed["shown"]["lines"]]
    assert texts[0] == "The change has taken effect."
    assert texts[1] == "www.moving.test A @ 127.0.0.1"
    assert "Verdict: Does not match → Matches" in texts
    assert "+ www.moving.test. IN A 192.0.2.10" in texts
    assert "- www.moving.test. IN A 192.0.2.99" in texts
    assert fixed["shown"]["announcement"] == (
        "The change has taken effect: run 3 (01:01:00 UTC) matched."
    )


def test_japanese_words(app: Flask, moving: NamedServer, clock: Clock) -> None:
    client = app.test_client()
    page = open_watch(client, moving, lang="ja")
    assert "まだ反映されていません" in page
    assert "10:00:00 JST" in page
    point_www_at(moving, "192.0.2.10")
    clock.advance(30)
    fixed = next_run(client, page, lang="ja").get_json()
    assert fixed["shown"]["lines"][0]["text"] == "反映されました。"
    assert "反映されました" in fixed["shown"]["announcement"]


@pytest.mark.parametrize(
    ("asked", "used"),
    [("1", "10"), ("0", "10"), ("-5", "10"), ("nan", "30"), ("inf", "30"), ("45", "45"),
     ("3600", "300"), ("soon", "30")],
)  # fmt: skip
def test_a_link_cannot_ask_for_runs_closer_than_ten_seconds(
    app: Flask, moving: NamedServer, asked: str, used: str
) -> None:
    page = open_watch(app.test_client(), moving, interval=asked)
    assert attribute(page, "data-interval") == used
    assert f'content="{used};url=' in page


def test_the_api_refuses_a_run_before_the_interval(
    settings_config: dict[str, Any], moving: NamedServer, clock: Clock
) -> None:
    app = watch_app(settings_config, clock)
    client = app.test_client()
    page = open_watch(client, moving, interval="1")
    clock.advance(5)
    early = next_run(client, page)
    assert early.status_code == 429
    assert early.headers["Retry-After"] == "4"
    assert "at least 10 s apart" in early.get_json()["error"]
    clock.advance(5)
    assert next_run(client, page).status_code == 200


def test_a_short_interval_is_a_setting_for_tests_only(
    settings_config: dict[str, Any], moving: NamedServer, clock: Clock
) -> None:
    app = watch_app(settings_config, clock, WATCH_INTERVAL=1, WATCH_FLOOR=0.5)
    assert attribute(open_watch(app.test_client(), moving), "data-interval") == "1"
    app = watch_app(settings_config, clock, WATCH_INTERVAL=1)
    assert attribute(open_watch(app.test_client(), moving), "data-interval") == "10"


def test_the_watch_ends_after_thirty_minutes(app: Flask, moving: NamedServer, clock: Clock) -> None:
    client = app.test_client()
    page = open_watch(client, moving)
    previous = None
    for _ in range(3):
        clock.advance(30)
        answer = next_run(client, page, previous).get_json()
        previous = answer["next"]
    clock.advance(30 * 60)
    ended = next_run(client, page, previous)
    assert ended.status_code == 200
    assert ended.get_json() == {"state": "ended", "ends": "2026-12-01T01:30:00+00:00"}
    # The page without JavaScript stops reloading too, and offers a new watch.
    refresh = re.search(r'url=([^"]+)">', page)
    assert refresh is not None
    stopped = client.get(html.unescape(refresh.group(1))).get_data(as_text=True)
    assert "Watching stopped." in stopped
    assert "http-equiv" not in stopped
    assert "Watch again" in stopped


def test_a_forged_watch_or_state_is_refused(app: Flask, moving: NamedServer, clock: Clock) -> None:
    client = app.test_client()
    page = open_watch(client, moving)
    clock.advance(30)
    token = attribute(page, "data-token")
    start, interval, signature = token.split("-")
    stretched = f"{int(start) + 3600}-{interval}-{signature}"
    body = {"query": attribute(page, "data-query"), "watch": stretched, "previous": None}
    assert client.post("/api/v1/watch", json=body).status_code == 400
    query = attribute(page, "data-query").replace("192.0.2.10", "192.0.2.11")
    other = {**body, "watch": token, "query": query}
    assert client.post("/api/v1/watch", json=other).status_code == 400
    state = json.loads(attribute(page, "data-next"))
    state["state"]["results"][0]["answer"][0]["data"] = "192.0.2.10"
    assert next_run(client, page, state).status_code == 400
    assert client.post("/api/v1/watch", data="{}").status_code == 415


def test_every_run_counts_against_the_look_up_limit(
    settings_config: dict[str, Any], moving: NamedServer, clock: Clock, tmp_path: Any
) -> None:
    app = watch_app(
        settings_config,
        clock,
        RATE_LIMIT_DISABLED=False,
        RATE_LIMIT_CLIENT="3/minute",
        RATE_LIMIT_STORE=str(tmp_path / "limits.store"),
    )
    client = app.test_client()
    page = open_watch(client, moving)  # 1
    previous = None
    for _ in range(2):  # 2, 3
        clock.advance(30)
        answer = next_run(client, page, previous)
        assert answer.status_code == 200
        previous = answer.get_json()["next"]
    clock.advance(30)
    over = next_run(client, page, previous)
    assert over.status_code == 429
    assert "Too many look-ups" in over.get_json()["error"]
    # The ordinary look-up shares the same budget.
    assert client.get("/?" + urlencode(moving_question(moving))).status_code == 429


def save_form_of(page: str) -> dict[str, str]:
    form = page[page.index('action="/watch/save"') :]
    form = form[: form.index("</form>")]
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'name="([^"]+)" (?:id="[^"]*" )?value="([^"]*)"', form)
    }


def test_the_timeline_is_saved_and_shown_at_its_link(
    app: Flask, moving: NamedServer, clock: Clock
) -> None:
    client = app.test_client()
    page = open_watch(client, moving)
    fields = save_form_of(page)
    timeline = json.loads(fields["timeline"])
    point_www_at(moving, "192.0.2.10")
    clock.advance(30)
    fixed = next_run(client, page).get_json()
    fields["timeline"] = json.dumps([*timeline, fixed["entry"]])
    saved = client.post("/watch/save", data=fields)
    assert saved.status_code == 303
    location = saved.headers["Location"]
    shown = client.get(location).get_data(as_text=True)
    assert "Watched from 2026年" not in shown
    # The moment stays on one line, with its ISO form for machines.
    moment = (
        '<time class="moment" datetime="2026-12-01T01:00:00+00:00">1 December 2026 01:00 UTC</time>'
    )
    assert f"Watched from {moment}, every 30 s" in shown
    assert "Run 2 · 01:00:30 UTC" in shown
    assert "Run 1 · 01:00:00 UTC" in shown
    assert "The change has taken effect: run 2 (01:00:30 UTC) matched." in shown
    document = client.get(location + ".json").get_json()
    assert [entry["n"] for entry in document["watch"]["timeline"]] == [1, 2]
    assert "sig" not in document["watch"]["timeline"][0]
    assert "watch" not in document["result"]
    # The saved result is a look-up like any other: "Run again now" compares with it.
    assert "Nothing changed." in client.get(location + "/again").get_data(as_text=True)


def test_a_timeline_webdig_did_not_make_is_not_saved(app: Flask, moving: NamedServer) -> None:
    client = app.test_client()
    page = open_watch(client, moving)
    fields = save_form_of(page)
    [entry] = json.loads(fields["timeline"])
    entry["fixed"] = True
    forged = client.post("/watch/save", data={**fields, "timeline": json.dumps([entry])})
    assert forged.status_code == 400
    no_token = client.post("/watch/save", data={**fields, csrf.FIELD: "x"})
    assert no_token.status_code == 403


def test_a_watch_another_site_sent_is_not_started(app: Flask, moving: NamedServer) -> None:
    client = app.test_client()
    response = client.get("/watch?" + urlencode(moving_question(moving)), headers=SENT)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not started yet." in page
    assert "Start watching" in page
    assert "Run 1" not in page
    assert "http-equiv" not in page
    clicked = client.get(
        "/watch?" + urlencode(moving_question(moving)), headers={**SENT, "Sec-Fetch-User": "?1"}
    )
    assert "Run 1" in clicked.get_data(as_text=True)


def test_result_pages_link_to_the_watch(app: Flask, moving: NamedServer) -> None:
    client = app.test_client()
    page = client.get("/?" + urlencode(moving_question(moving))).get_data(as_text=True)
    link = re.search(r'<p class="watch-link"><a href="([^"]+)">', page)
    assert link is not None
    assert html.unescape(link.group(1)).startswith("/watch?hostnames=www.moving.test&")
    assert "Watch until it is fixed" in page
    ja = client.get("/?" + urlencode(moving_question(moving, lang="ja"))).get_data(as_text=True)
    assert "反映されるまで見守る" in ja
    check = client.get("/check?domain=www.moving.test&expected=192.0.2.10").get_data(as_text=True)
    assert "/watch?domain=www.moving.test&amp;expected=192.0.2.10" in check


def test_without_a_question_the_page_explains(app: Flask) -> None:
    page = app.test_client().get("/watch").get_data(as_text=True)
    assert "every 30 s, for up to 30 minutes" in page


def test_a_check_watch_asks_every_name_of_the_check(app: Flask) -> None:
    from flask import request

    from webdig.storage.snapshots import SnapshotKind
    from webdig.web.watchpage import question_of

    path = "/watch?domain=a.test&domain=b.test%0Ac.test&expected=192.0.2.10&only=on&method=dns-01"
    with app.test_request_context(path):
        asked = question_of(request.args)
    assert asked is not None
    assert asked.kind is SnapshotKind.CHECK
    assert asked.query == (
        "domain=a.test&domain=b.test&domain=c.test&expected=192.0.2.10&only=on&method=dns-01"
    )
    assert asked.values == {
        "domain": "a.test\nb.test\nc.test",
        "expected": "192.0.2.10",
        "only": "on",
        "method": "dns-01",
        "kind": "check",
    }
    held = app.test_client().get(path, headers=SENT).get_data(as_text=True)
    assert held.count('name="domain"') == 3
    assert "a.test, b.test, c.test" in held


def test_a_saved_check_watch_still_says_what_the_mail_said(
    renewal_lab: RenewalLab, tmp_path: Path, clock: Clock
) -> None:
    # The lab's site whose challenge path is forwarded elsewhere: http-challenge fails.
    config = renewal_lab.config(http="redirect")
    app = watch_app(config, clock, INSTANCE_PATH=str(tmp_path / "instance"))
    client = app.test_client()
    asked = {"domain": "www.shop.lab", "expected": "127.0.0.1", "cause": "port-80"}
    page = client.get("/watch?" + urlencode(asked)).get_data(as_text=True)
    fields = save_form_of(page)
    assert fields["cause"] == "port-80"
    saved = client.post("/watch/save", data=fields)
    assert saved.status_code == 303
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert 'Watched from <time class="moment"' in shown
    assert ">1 December 2026 01:00 UTC</time>" in shown
    box = re.search(r'<div class="decoded known" id="decoded"(.*?)</div>', shown, re.S)
    assert box is not None
    assert "Your mail says:" in box.group(1)
    pointed = re.findall(r'<li class="item (\w+) pointed" id="check-([\w-]+)">', shown)
    assert pointed == [("fail", "http-challenge")]
    store_of(app).engine.dispose()
