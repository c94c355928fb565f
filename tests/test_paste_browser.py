"""The paste box in a real browser: a long hosting mail pasted on /check, POSTed with the form
token, answered with a 303, and the shareable check shown with the mail's cause first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import serve
from tests.support.renewallab import RenewalLab
from tests.test_browser import new_page
from webdig import create_app

MAIL = (
    "件名：【Xserver】■重要■ SSLサーバー証明書更新未完了のお知らせ\n\n"
    "いつもXserverをご利用いただき、誠にありがとうございます。\n"
    "以下のドメインの無料独自SSLの更新ができませんでした。\n\n"
    "対象ドメイン：www.shop.lab\n"
    "エラー内容：Timeout during connect (likely firewall problem)\n\n"
    # The quoted history and signature that make mails too long for a URL.
    + "> 以前のお問い合わせ内容 <script>alert('x')</script>\n" * 200
    + "https://www.xserver.ne.jp/support/\n"
)


@pytest.fixture(scope="module")
def forwarding_url(renewal_lab: RenewalLab) -> Iterator[str]:
    """The lab's site whose challenge path is forwarded elsewhere, served over HTTP."""
    with serve(create_app(renewal_lab.config(http="redirect"))) as url:
        yield url


@pytest.mark.parametrize(
    ("lang", "button", "says"),
    [
        ("ja", "読み取ってチェックリストを実行", "メールの内容："),
        ("en", "Read it and run the checklist", "Your mail says:"),
    ],
)
def test_a_pasted_mail_opens_the_check_with_its_item_marked(
    browser: Any, forwarding_url: str, lang: str, button: str, says: str
) -> None:
    assert len(MAIL) > 2_000  # too long for error= in a link: the box POSTs it
    page = new_page(browser)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:  # an alert() from the pasted HTML would open one
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # A result page first: the paste box is folded there, and keeps the server given.
    page.goto(f"{forwarding_url}/check?domain=www.other.lab&expected=127.0.0.1&lang={lang}")
    page.locator("details.paste > summary").click()
    page.fill("#error", MAIL)
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    address = urlsplit(page.url)
    assert address.path == "/check"
    assert parse_qs(address.query) == {
        "domain": ["www.shop.lab"],  # the mail's domain, not the one on the page before
        "expected": ["127.0.0.1"],
        "cause": ["port-80"],
        "lang": [lang],
    }
    assert address.fragment == "results"
    decoded = page.locator("#decoded")
    assert decoded.inner_text().startswith(says)
    pointed = page.locator("li.item.pointed")
    assert pointed.count() == 1
    assert pointed.get_attribute("id") == "check-http-challenge"
    assert "fail" in (pointed.get_attribute("class") or "")
    # The cause comes before the summary on the page itself.
    above = page.evaluate(
        "() => document.querySelector('#decoded').compareDocumentPosition("
        "document.querySelector('.headline')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert above
    assert dialogs == []
    assert page.console_errors == []
