"""The page's language: ``lang``, else Accept-Language, else English; the switcher."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from tests.support.bind import NamedServer
from webdig.language.translator import translator
from webdig.lookup.params import Mode
from webdig.web.wording import COMPANION, group_heading

FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789.:"}


def html_lang(body: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', body)
    assert found, body[:200]
    return found.group(1)


@pytest.mark.parametrize(
    ("query", "accept", "lang"),
    [
        ("", None, "en"),
        ("", "ja,en-US;q=0.8", "ja"),
        ("", "fr, ja;q=0.5", "ja"),
        ("", "fr", "en"),
        ("?lang=en", "ja", "en"),
        ("?lang=ja", None, "ja"),
        ("?lang=xx", "ja", "ja"),
    ],
)
def test_language_choice(client: FlaskClient, query: str, accept: str | None, lang: str) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get(f"/{query}", headers=headers)
    body = response.get_data(as_text=True)
    assert html_lang(body) == lang
    assert "Accept-Language" in response.headers["Vary"]
    assert ("本文へ移動" in body) == (lang == "ja")


def test_switcher_links_carry_lang_and_keep_the_query(client: FlaskClient) -> None:
    body = client.get("/check?domain=&expected=").get_data(as_text=True)
    nav = re.search(r'<nav class="languages".*?</nav>', body, re.S)
    assert nav
    assert 'href="/check?domain=&amp;expected=&amp;lang=ja"' in nav.group(0)
    assert 'aria-current="true">English<' in nav.group(0)


def test_links_carry_lang_only_when_chosen(client: FlaskClient) -> None:
    plain = client.get("/check", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert 'class="brand" href="/"' in plain
    chosen = client.get("/check?lang=ja").get_data(as_text=True)
    assert 'class="brand" href="/?lang=ja"' in chosen


def test_full_width_input_is_read_as_ascii(client: FlaskClient, named: NamedServer) -> None:
    ns = f"{named.address}:{named.port}".translate(FULL_WIDTH)
    query = urlencode(
        {
            "hostnames": "ｗｗｗ．ｗｅｂｄｉｇ．ｔｅｓｔ",
            "ns": "self",
            "nameservers": ns,
            "expected": "１９２．０．２．１０",
            "lang": "ja",
        }
    )
    body = client.get(f"/?{query}").get_data(as_text=True)
    assert "www.webdig.test" in body
    assert "✓ あなたのサーバー<" in body  # the answer line is marked as matching
    api = client.get(f"/api/v1/lookup?{query}").get_json()
    assert api["results"][0]["verdict"]["status"] == "match"


@pytest.mark.parametrize(
    ("flag", "english", "japanese"),
    [
        ("sort", "Sort the records", "レコードを並べ替える"),
        ("onlyfirst", "Only the first nameserver", "最初のネームサーバーだけ"),
        ("save", "Save the result", "結果を保存"),
    ],
)
def test_form_checkboxes_speak_the_readers_language(
    client: FlaskClient, flag: str, english: str, japanese: str
) -> None:
    def label(lang: str) -> str:
        html = client.get("/", query_string={"lang": lang}).get_data(as_text=True)
        found = re.search(rf'<label for="{flag}">(.*?)</label>', html)
        assert found is not None
        return found.group(1)

    assert label("en") == english
    assert label("ja") == japanese


def test_result_headings_are_translated_before_the_record_type_goes_in() -> None:
    japanese = translator("ja").gettext
    heading = group_heading(COMPANION, mode=Mode.SELF, registry="", type_text="AAAA", say=japanese)
    assert heading.label == "あわせて確認した AAAAレコード"
    assert heading.help.startswith("Let's Encrypt は IPv6 を先に試す")
    english = group_heading(COMPANION, mode=Mode.SELF, registry="", type_text="AAAA")
    assert english.label == "AAAA records, checked alongside"


def test_input_errors_are_in_the_readers_language(client: FlaskClient) -> None:
    query = {"hostnames": "a..b", "ns": "self", "nameservers": "x:0"}
    page = client.get("/", query_string={**query, "lang": "ja"}).get_data(as_text=True)
    assert "「a..b」にはドットが2つ続いている部分があります。" in page
    api = client.get("/api/v1/lookup", query_string=query, headers={"Accept-Language": "ja"})
    assert api.status_code == 400
    assert api.get_json()["fields"]["hostnames"] == [
        "「a..b」にはドットが2つ続いている部分があります。"
    ]
    english = client.get("/api/v1/lookup", query_string=query).get_json()
    assert english["fields"]["hostnames"] == ["“a..b” has an empty label (two dots in a row)."]
