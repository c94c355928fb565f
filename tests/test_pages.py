"""The look-up page end to end: the Flask client against the real test BIND."""

from __future__ import annotations

import html
import re
import socket
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from tests.support.bind import NamedServer, free_port
from tests.support.pagehtml import field_errors
from webdig.lookup import run as lookup
from webdig.lookup.params import from_values
from webdig.web.appstate import current_settings


@pytest.fixture
def ns(named: NamedServer) -> str:
    """The test BIND as a user types it in the nameservers box."""
    return f"{named.address}:{named.port}"


def page(client: FlaskClient, status: int = 200, **params: str) -> str:
    response = client.get("/?" + urlencode(params))
    assert response.status_code == status, response.get_data(as_text=True)[-3000:]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def ask(client: FlaskClient, ns: str, hostnames: str, **params: str) -> str:
    """The page for ``hostnames`` asked of the nameservers ``ns`` (200 expected)."""
    return page(client, 200, hostnames=hostnames, ns="self", nameservers=ns, **params)


def blocks(body: str) -> list[str]:
    return re.findall(r'<article class="block.*?</article>', body, re.S)


def answer_lines(block: str) -> list[tuple[str, str]]:
    """(class, text) of every ANSWER SECTION line of a block."""
    pre = re.search(r"ANSWER SECTION</p>\s*<pre[^>]*>(.*?)</pre>", block, re.S)
    assert pre is not None, block
    lines = re.findall(r'<span class="line( ok| bad)?">(.*?)</span>\n', pre.group(1), re.S)
    return [(kind.strip(), re.sub(r"<[^>]+>", "", text)) for kind, text in lines]


def test_empty_form_is_shown_without_a_look_up(client: FlaskClient) -> None:
    body = page(client)
    # #results: after a look-up the browser opens at the answer, not at the form.
    assert '<form class="lookup" method="get" action="/#results"' in body
    assert "Your server's IP (from your hosting panel)" in body
    assert "Nameserver to ask" in body
    assert "ns1.xserver.jp" in body
    assert "Results" not in body
    assert not blocks(body)
    assert '<script src="/static/webdig.js" defer></script>' in body
    assert "/api/v1/openapi.json" in body


def test_match_marks_the_answer_and_says_so(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "www.webdig.test", expected="192.0.2.10")
    main = blocks(body)[0]
    assert "verdict-match" in main
    assert "✓</span> Matches:</strong>" in main
    assert "answers 192.0.2.10 for www.webdig.test: this matches your server." in main
    [(kind, text)] = answer_lines(main)
    assert kind == "ok"
    assert re.fullmatch(r"www\.webdig\.test\.\t+300\tIN\tA\t192\.0\.2\.10  ✓ your server", text)
    assert f"www.webdig.test@{ns.split(':')[0]} (port {ns.split(':')[1]})" in main


def test_mismatch_marks_each_line(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "dual.webdig.test", expected="192.0.2.10")
    main = blocks(body)[0]
    assert "✗</span> Does not match:</strong>" in main
    assert "but also 203.0.113.7, which is not" in main
    marks = {text.split("\t")[-1].split()[0]: kind for kind, text in answer_lines(main)}
    assert marks == {"192.0.2.10": "ok", "203.0.113.7": "bad"}
    assert "✗ not your server" in main


def test_cname_chain_marks_only_the_address_at_its_end(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "alias.webdig.test", expected="192.0.2.10")
    lines = answer_lines(blocks(body)[0])
    assert [kind for kind, _ in lines] == ["", "", "ok"]
    assert "\tCNAME\t" in lines[0][1]
    assert "\tA\t192.0.2.10" in lines[2][1]
    assert "alias.webdig.test is an alias of www.webdig.test" in body


def test_nxdomain(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "nope.webdig.test", expected="192.0.2.10")
    main = blocks(body)[0]
    assert "✗</span> No address:</strong>" in main
    assert "nope.webdig.test does not exist (NXDOMAIN)" in main
    assert "<code>NXDOMAIN</code>: this name does not exist" in main
    assert "The ANSWER SECTION is empty." in main


def test_refused_answer_is_explained(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "example.org")
    main = blocks(body)[0]
    assert "<code>REFUSED</code>: the server refused to answer this question" in main


def test_unreachable_port_is_a_row_not_an_error_page(client: FlaskClient) -> None:
    port = free_port()
    body = ask(client, f"127.0.0.1:{port}", "www.webdig.test")
    main = blocks(body)[0]
    assert "No reply:</strong>" in main
    assert f"no DNS server is listening at 127.0.0.1#{port}" in main


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A UDP port where something listens but never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def test_timeout_says_the_server_did_not_answer(client: FlaskClient, silent_port: int) -> None:
    body = ask(client, f"127.0.0.1:{silent_port}", "www.webdig.test", expected="192.0.2.10")
    main = blocks(body)[0]
    assert "verdict-error" in main
    assert "Server problem:</strong>" in main
    assert "did not answer within" in main


def test_several_blocks_get_a_summary(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "www.webdig.test\nwrong.webdig.test", expected="192.0.2.10 2001:db8::10")
    summary = re.search(
        r'<li class="finding fail">\s*<span class="mark" aria-hidden="true">✗</span>.*?'
        r"<strong>Problem</strong> · Answers compared with your server</p>\s*"
        r'<p class="finding-text">(.*?)</p>',
        body,
        re.S,
    )
    assert summary is not None
    assert summary.group(1) == "1 of 2 answers match your server."


def test_idn_hostname(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "bücher.webdig.test", expected="192.0.2.40")
    main = blocks(body)[0]
    assert "bücher.webdig.test (xn--bcher-kva.webdig.test)@" in main
    [(kind, text)] = answer_lines(main)
    assert kind == "ok"
    assert re.fullmatch(
        r"xn--bcher-kva\.webdig\.test\.\s+300\tIN\tA\t192\.0\.2\.40  ✓ your server", text
    )


def test_reverse_type(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "192.0.2.10", type="Reverse")
    main = blocks(body)[0]
    assert "10.2.0.192.in-addr.arpa@" in main
    assert answer_lines(main)[0][1].endswith("\tPTR\twww.webdig.test.")
    assert '<option selected value="Reverse">' in body


def test_form_stays_filled(client: FlaskClient, ns: str) -> None:
    body = ask(
        client,
        ns,
        "www.webdig.test\nwrong.webdig.test",
        type="AAAA",
        expected="2001:db8::10",
        tcp="on",
        showcommand="on",
    )
    assert "\nwww.webdig.test\nwrong.webdig.test</textarea>" in body
    assert f"\n{ns}</textarea>" in body
    assert '<option selected value="AAAA">' in body
    assert 'checked id="ns-1" name="ns" type="radio" value="self"' in body
    assert 'value="2001:db8::10"' in body
    assert 'checked id="tcp" name="tcp"' in body
    assert 'checked id="showcommand" name="showcommand"' in body
    assert 'id="short" name="short" type="checkbox"' in body  # not checked
    assert "$ dig " in body


def test_share_link_is_canonical_and_reruns_the_look_up(
    app: Flask, client: FlaskClient, ns: str
) -> None:
    # As a form submits it: every field, in form order, an unused resolver too.
    raw = (
        f"hostnames=www.webdig.test&type=a&ns=self&useresolver=system&nameservers={quote(ns)}"
        "&expected=192.0.2.10&short=on"
    )
    body = client.get(f"/?{raw}").get_data(as_text=True)
    with app.test_request_context(f"/?{raw}"):
        from flask import request

        canonical = from_values(request.args).query_string()
    assert "useresolver" not in canonical
    link = re.search(r'<input id="share-url" type="text" readonly value="([^"]+)">', body)
    assert link is not None
    # The link opens at the answer, not at the (folded) form.
    assert link.group(1) == str(escape(f"/?{canonical}#results"))
    again = client.get(f"/?{canonical}").get_data(as_text=True)
    assert len(blocks(again)) == len(blocks(body))
    assert "✓</span> Matches:" in again
    assert 'data-copy="share-url" data-copy-label="Copy link"' in body


def test_digwebinterface_links_work(client: FlaskClient, ns: str) -> None:
    body = page(
        client,
        hostnames="www.webdig.test\r\nwrong.webdig.test",
        type="A",
        ns="resolver",
        useresolver="8.8.8.8",
        nameservers="",
    )
    main = blocks(body)
    assert len(main) == 2
    assert "www.webdig.test@Google Public DNS (127.0.0.1 port" in main[0]
    assert "203.0.113.7" in main[1]
    # A link with only nameservers= asks them.
    body = page(client, hostnames="www.webdig.test", nameservers=ns)
    assert f"www.webdig.test@127.0.0.1 (port {ns.split(':')[1]})" in blocks(body)[0]


def test_typed_nameservers_with_resolver_chosen_get_a_hint(client: FlaskClient, ns: str) -> None:
    body = page(
        client, hostnames="www.webdig.test", ns="resolver", useresolver="8.8.8.8", nameservers=ns
    )
    assert f"You entered {ns}, but “A public resolver” is chosen" in body


@pytest.mark.parametrize(
    ("flags", "present", "absent"),
    [
        ({}, ["<summary>Full dig output</summary>"], ["Short answer</p>"]),
        ({"stats": "on"}, ['<p class="section-name">Full dig output</p>'], ["<summary>Full"]),
        ({"short": "on"}, ["Short answer</p>", "192.0.2.10\n</pre>"], ["ANSWER SECTION</p>"]),
        (
            {"colorize": "on"},
            ['<span class="c-type">A</span>', '<span class="c-data">192.0.2.10</span>'],
            [],
        ),
    ],
)
def test_output_options(
    client: FlaskClient, ns: str, flags: dict[str, str], present: list[str], absent: list[str]
) -> None:
    body = ask(client, ns, "www.webdig.test", **flags)
    for text in present:
        assert text in body
    for text in absent:
        assert text not in body


@pytest.mark.parametrize(
    ("query", "accept"),
    [("&format=text", None), ("", "text/plain"), ("", "text/plain, text/html;q=0.5")],
)
def test_text_format(client: FlaskClient, ns: str, query: str, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    url = f"/?hostnames=www.webdig.test&ns=self&nameservers={quote(ns)}&expected=192.0.2.10"
    response = client.get(url + query, headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = response.get_data(as_text=True)
    assert ";; webdig: ✓ " in text
    assert "\tA\t192.0.2.10" in text
    assert "<" not in text.replace("<<", "")
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept", ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*"])
def test_browsers_and_curl_defaults_get_html(client: FlaskClient, ns: str, accept: str) -> None:
    response = client.get(
        f"/?hostnames=www.webdig.test&nameservers={quote(ns)}", headers={"Accept": accept}
    )
    assert response.mimetype == "text/html"


def test_text_format_bad_input_is_400_with_reasons(client: FlaskClient) -> None:
    response = client.get("/?hostnames=a..b&type=AXFR&format=text")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = response.get_data(as_text=True)
    assert "hostnames: “a..b” has an empty label" in text
    assert "type: Zone transfers (AXFR) are not offered" in text


@pytest.mark.parametrize("hostnames", ["", "   ", "%0D%0A"])
def test_a_link_without_hostnames_opens_the_form_filled_in(
    client: FlaskClient, hostnames: str
) -> None:
    response = client.get(f"/?hostnames={hostnames}&type=MX&ns=auth&nameservers=")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<option selected value="MX">' in page
    assert 'checked id="ns-2" name="ns" type="radio" value="auth"' in page
    assert "Enter at least one hostname" not in page


BAD_INPUTS: list[tuple[str, dict[str, str]]] = [
    ("hostnames", {"hostnames": ".".join(["abcdefghi"] * 26)}),
    ("hostnames", {"hostnames": "a" * 64 + ".webdig.test"}),
    ("hostnames", {"hostnames": "bad_host!.webdig.test"}),
    ("hostnames", {"hostnames": "<script>alert(1)</script>"}),
    ("hostnames", {"hostnames": "xn--zz.webdig.test"}),
    ("hostnames", {"hostnames": "ab\u0301\u200d.webdig.test"}),
    ("hostnames", {"hostnames": "\n".join(f"h{i}.webdig.test" for i in range(21))}),
    ("hostnames", {"hostnames": "not-an-ip.example", "type": "Reverse"}),
    ("type", {"type": "NOTATYPE"}),
    ("type", {"type": "AXFR"}),
    ("type", {"type": "IXFR"}),
    ("nameservers", {"nameservers": "999.1.2.3"}),
    ("nameservers", {"nameservers": "[::1"}),
    ("nameservers", {"nameservers": "127.0.0.1:70000"}),
    ("nameservers", {"nameservers": ""}),
    ("nameservers", {"nameservers": "nosuch.webdig.test"}),
    ("nameservers", {"nameservers": "\n".join(f"127.0.0.{i}:{{port}}" for i in range(1, 12))}),
    ("expected", {"expected": "banana!"}),
    ("expected", {"expected": "300.1.1.1"}),
    ("useresolver", {"ns": "resolver", "useresolver": "bigdns"}),
    ("ns", {"ns": "bogus"}),
]
"""Every kind of bad input of issue 2 (part 7): the field it belongs to, and the input."""


@pytest.mark.parametrize(
    ("field", "given"), BAD_INPUTS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_INPUTS)]
)
def test_bad_input_is_400_with_the_message_next_to_the_field(
    app: Flask, client: FlaskClient, named: NamedServer, field: str, given: dict[str, str]
) -> None:
    params = {
        "hostnames": "www.webdig.test",
        "ns": "self",
        "nameservers": f"127.0.0.1:{named.port}",
        **{name: value.replace("{port}", str(named.port)) for name, value in given.items()},
    }
    body = page(client, 400, **params)
    with app.test_request_context("/"), pytest.raises(lookup.InvalidParams) as raised:
        lookup.plan(from_values(params), current_settings())
    assert raised.value.fields[field]
    shown = field_errors(body, field)
    for message in raised.value.fields[field]:
        assert str(escape(message)) in shown
    assert "The look-up was not run." in body
    assert not blocks(body)
    assert "<script>alert" not in body


def test_sort_orders_the_answer_on_the_page_and_in_text(client: FlaskClient, ns: str) -> None:
    body = ask(client, ns, "webdig.test", type="CAA", sort="on")
    shown = [html.unescape(text) for _, text in answer_lines(blocks(body)[0])]
    assert len(shown) == 3
    assert shown == sorted(shown)
    query = urlencode(
        {"hostnames": "webdig.test", "type": "CAA", "ns": "self", "nameservers": ns,
         "sort": "on", "format": "text"}
    )  # fmt: skip
    text = client.get("/?" + query).get_data(as_text=True)
    records = [line for line in text.splitlines() if "\tCAA\t" in line]
    assert len(records) == 3
    assert records == sorted(records)


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Page not found"), ("ja", "ページが見つかりません")]
)
def test_a_missing_page_is_said_in_the_readers_language(
    client: FlaskClient, language: str, title: str
) -> None:
    response = client.get(
        "/no/such/page", headers={"Accept": "text/html", "Accept-Language": language}
    )
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in text
    assert 'lang="' + language + '"' in text


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/api/v1/nothing", "application/json"),
        ("/static/nothing.css", "text/css,*/*;q=0.1"),
        ("/no/such/page?format=text", "*/*"),
        ("/no/such/page", "text/plain"),
    ],
)
def test_a_missing_api_file_or_text_keeps_the_short_answer(
    client: FlaskClient, path: str, accept: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 404
    assert "Page not found" not in response.get_data(as_text=True)
