"""The save button, ``/r/<id>`` and its CSRF protection, through the Flask test client."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.support.bind import NamedServer
from tests.support.fakeserver import FakeServer
from tests.support.renewallab import HEALTHY, RenewalLab
from webdig import create_app
from webdig.settings import DEFAULTS
from webdig.storage.schema import snapshots
from webdig.web import csrf
from webdig.web.snapshotstore import store_of

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def question(named: NamedServer) -> dict[str, str]:
    return {
        "hostnames": "www.webdig.test",
        "ns": "self",
        "nameservers": f"127.0.0.1#{named.port}",
        "expected": "192.0.2.10",
    }


def open_result(client: FlaskClient, named: NamedServer) -> tuple[str, dict[str, str]]:
    """Open a live result page; return its HTML and the save form's fields."""
    response = client.get("/", query_string=question(named))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    form = re.search(r'<form class="save".*?</form>', html, re.S)
    assert form is not None, "a result page has the save button"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))
    return html, {k: v.replace("&#10;", "\n") for k, v in fields.items()}


def results_section(html: str) -> str:
    """The results, without what differs between two runs (times, sizes) or pages (banner)."""
    section = html[html.index('<section class="results"') :]
    section = re.sub(r'<div class="notice snapshot-banner".*?</div>', "", section, flags=re.S)
    section = re.sub(r'<form class="save".*?</form>', "", section, flags=re.S)
    section = re.sub(r"\d+ ms(ec)?|WHEN: [^\n<]*|rcvd: \d+|id: \d+|COOKIE: [0-9a-f]+", "#", section)
    # The banner and the button leave blank lines behind them.
    return re.sub(r"\n\s*\n", "\n", section)


def test_result_pages_carry_the_save_button_and_its_cookie(app: Flask, named: NamedServer) -> None:
    client = app.test_client()
    assert "csrf" not in client.get("/").headers.get("Set-Cookie", "")
    response = client.get("/", query_string=question(named))
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{csrf.COOKIE}=")
    assert "SameSite=Strict" in cookie
    assert "HttpOnly" in cookie
    _, fields = open_result(client, named)
    assert fields["hostnames"] == "www.webdig.test"
    assert fields["expected"] == "192.0.2.10"


def test_save_then_the_saved_page_renders_like_the_live_one(app: Flask, named: NamedServer) -> None:
    client = app.test_client()
    live, fields = open_result(client, named)
    response = client.post("/save", data=fields)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/r/[A-Za-z0-9_-]{24}", location)

    saved = client.get(location)
    assert saved.status_code == 200
    html = saved.get_data(as_text=True)
    assert "Seen on " in html
    assert "ago)" in html
    assert results_section(html) == results_section(live)
    # A saved page has no save button of its own, and sets no form cookie.
    assert '<form class="save"' not in html
    assert saved.headers.get("Set-Cookie") is None


@pytest.mark.parametrize(
    ("headers", "change"),
    [
        ({}, "no-token"),
        ({}, "wrong-token"),
        ({}, "no-cookie"),
        ({"Origin": "https://evil.example"}, None),
        ({"Origin": "null"}, None),
        ({"Sec-Fetch-Site": "cross-site"}, None),
        ({"Sec-Fetch-Site": "same-site"}, None),
    ],
)
def test_cross_site_or_tokenless_posts_are_refused(
    app: Flask, named: NamedServer, headers: dict[str, str], change: str | None
) -> None:
    client = app.test_client()
    _, fields = open_result(client, named)
    if change == "no-token":
        del fields["csrf_token"]
    elif change == "wrong-token":
        fields["csrf_token"] = "0" * 64
    elif change == "no-cookie":
        client.delete_cookie(csrf.COOKIE)
    response = client.post("/save", data=fields, headers=headers)
    assert response.status_code == 403
    store = store_of(app)
    store.ensure_schema()
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM snapshots").scalar() == 0


def test_same_origin_post_with_token_is_accepted(app: Flask, named: NamedServer) -> None:
    client = app.test_client()
    _, fields = open_result(client, named)
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/save", data=fields, headers=headers).status_code == 303


def test_unknown_ids_are_a_404_page(app: Flask) -> None:
    client = app.test_client()
    for snapshot_id in ("A" * 24, "nope", "A" * 23 + "~"):
        response = client.get(f"/r/{snapshot_id}")
        assert response.status_code == 404
        assert "No saved result has this id" in response.get_data(as_text=True)


def test_saved_page_speaks_the_viewers_language(app: Flask, named: NamedServer) -> None:
    client = app.test_client()
    _, fields = open_result(client, named)
    location = client.post("/save", data=fields).headers["Location"]
    japanese = client.get(location, headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "年" in japanese
    assert "JST" in japanese
    english = client.get(location, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "UTC" in english
    assert "Seen on" in english


def test_secret_key_is_generated_once_into_the_instance_folder(
    settings_config: dict[str, Any],
) -> None:
    first = create_app(settings_config)
    second = create_app(settings_config)
    key_file = Path(first.instance_path) / "secret_key"
    generated = first.config["SECRET_KEY"]
    assert generated == second.config["SECRET_KEY"] == key_file.read_text().strip()
    assert generated != DEFAULTS["SECRET_KEY"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    configured = create_app({**settings_config, "SECRET_KEY": "set-by-the-operator"})
    assert configured.config["SECRET_KEY"] == "set-by-the-operator"  # noqa: S105
    for app in (first, second, configured):
        store_of(app).engine.dispose()


def test_a_saved_check_renders_in_the_viewers_language(
    renewal_lab: RenewalLab, tmp_path: Path
) -> None:
    app = create_app({**renewal_lab.config(**HEALTHY.servers), "INSTANCE_PATH": str(tmp_path)})
    client = app.test_client()
    body = {"domain": HEALTHY.domain, "expected": list(HEALTHY.expected)}
    saved = client.post("/api/v1/snapshots", json=body).get_json()
    english = client.get(f"/r/{saved['id']}", headers={"Accept-Language": "en"})
    assert english.status_code == 200
    html = english.get_data(as_text=True)
    assert "Seen on " in html
    assert f"Checklist for {HEALTHY.domain}" in html
    japanese = client.get(f"/r/{saved['id']}?lang=ja").get_data(as_text=True)
    assert "に取得した結果です" in japanese
    # The items' sentences come from their codes, in the reader's language.
    assert saved["result"]["checks"][0]["findings"][0]["message"] not in japanese
    store_of(app).engine.dispose()


def test_save_on_points_at_the_button_and_stores_nothing(app: Flask, named: NamedServer) -> None:
    client = app.test_client()
    response = client.get("/", query_string={**question(named), "save": "on"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<form class="save save-asked"' in html
    assert "This link asks to save the result" in html
    store = store_of(app)
    store.ensure_schema()
    with store.engine.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(snapshots)).scalar()
    assert stored == 0, "opening a link never stores anything"
    plain = client.get("/", query_string=question(named)).get_data(as_text=True)
    assert "save-asked" not in plain


def test_a_saved_failure_is_said_in_the_readers_language(
    app: Flask, named: NamedServer, settings_config: dict[str, Any]
) -> None:
    # A saved result keeps a server's failure as its English sentence; read back into its
    # template, it reads in Japanese like the live page.
    client = app.test_client()
    with FakeServer() as silent:  # saving asks again: the server stays silent meanwhile
        dead = {**question(named), "nameservers": f"127.0.0.1#{silent.port}", "lang": "ja"}
        live = client.get("/", query_string=dead).get_data(as_text=True)
        form = re.search(r'<form class="save".*?</form>', live, re.S)
        assert form is not None
        found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))
        saved = client.post("/save", data={k: v.replace("&#10;", "\n") for k, v in found})
    # Another worker: nothing of the save is in its memory, only what the database holds.
    other = create_app(settings_config)
    opened = other.test_client().get(saved.headers["Location"], headers={"Accept-Language": "ja"})
    store_of(other).engine.dispose()
    html = opened.get_data(as_text=True)
    said = "127.0.0.1 は 1 秒以内に応答しませんでした。"
    assert said in live
    assert said in html, re.findall(r".{80}(?:did not|秒以内).{40}", html)
    assert "did not answer" not in html


def _resolver_failing_two_ways(query: dns.message.Message, _: bytes) -> list[bytes]:
    """webdig's resolver: webdig.test is delegated to ns1.webdig.test, whose A record the
    resolver cannot get (SERVFAIL) and whose AAAA query it never answers."""
    question = query.question[0]
    reply = dns.message.make_response(query)
    reply.flags |= dns.flags.RA
    if question.rdtype == dns.rdatatype.AAAA:
        return []
    if question.rdtype == dns.rdatatype.A:
        reply.set_rcode(dns.rcode.SERVFAIL)
    elif question.rdtype == dns.rdatatype.NS:
        reply.answer.append(
            dns.rrset.from_text("webdig.test.", 300, "IN", "NS", "ns1.webdig.test.")
        )
    else:
        soa = "ns1.webdig.test. hostmaster.webdig.test. 1 3600 900 604800 300"
        reply.authority.append(dns.rrset.from_text("webdig.test.", 300, "IN", "SOA", soa))
    return [reply.to_wire()]


def test_a_saved_failure_with_several_reasons_is_said_in_the_readers_language(
    settings_config: dict[str, Any],
) -> None:
    # Two reasons in one sentence ("…has no address: <reason>. <reason>.") are saved as one
    # English text; reading it back finds each reason's own template.
    with FakeServer(udp=_resolver_failing_two_ways) as resolver:
        config = {**settings_config, "RESOLVER": f"127.0.0.1#{resolver.port}"}
        app = create_app(config)
        client = app.test_client()
        asked = {"hostnames": "www.webdig.test", "ns": "auth", "lang": "ja"}
        live = client.get("/", query_string=asked).get_data(as_text=True)
        form = re.search(r'<form class="save".*?</form>', live, re.S)
        assert form is not None
        found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))
        saved = client.post("/save", data={k: v.replace("&#10;", "\n") for k, v in found})
        store_of(app).engine.dispose()
    other = create_app(settings_config)
    opened = other.test_client().get(saved.headers["Location"], headers={"Accept-Language": "ja"})
    store_of(other).engine.dispose()
    html = opened.get_data(as_text=True)
    reasons = (
        "ネームサーバー ns1.webdig.test の IP アドレスがわかりません：",
        "キャッシュDNSサーバーは ns1.webdig.test について SERVFAIL を返しました。",
        "この webdig サーバーのキャッシュDNSサーバー は 1 秒以内に応答しませんでした。",
    )
    for said in reasons:
        assert said in live
        assert said in html, re.findall(r".{80}(?:has no address|アドレスがありません).{200}", html)
    assert "answered SERVFAIL" not in html
    assert "did not answer" not in html


NAVIGATE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
SENT = {**NAVIGATE, "Sec-Fetch-Dest": "document"}
"""A top-level navigation another site made: a webmail's redirector, a script, a refresh."""


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (SENT, 200),
        ({**SENT, "Sec-Fetch-Site": "same-site"}, 200),
        ({**SENT, "Sec-Fetch-User": "?1"}, 200),
        ({**NAVIGATE, "Sec-Fetch-Dest": "iframe"}, 403),
        ({**NAVIGATE, "Sec-Fetch-Dest": "embed"}, 403),
        ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"},
         403),
        ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"},
         403),
    ],
)  # fmt: skip
def test_a_saved_result_opens_from_another_sites_navigation_but_not_in_its_frames(
    app: Flask, named: NamedServer, headers: dict[str, str], status: int
) -> None:
    # A share link pasted into a mail reaches webdig through the webmail's redirector: a
    # navigation another site made.  A saved result sends nothing, so it is shown.
    client = app.test_client()
    _, fields = open_result(client, named)
    location = client.post("/save", data=fields).headers["Location"]
    saved_id = location.rsplit("/", 1)[1]
    for path in (location, f"{location}.json", f"/diff/{saved_id}/{saved_id}"):
        response = client.get(path, headers=headers)
        assert response.status_code == status, path
        if status == 200 and path == location:
            assert "Seen on " in response.get_data(as_text=True)
    # "Run again now" sent by another site still asks nothing until the person's click.
    again = client.get(f"{location}/again", headers=SENT).get_data(as_text=True)
    assert "Not asked again yet" in again
