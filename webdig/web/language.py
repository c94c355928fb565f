"""The reader's language on the web: ``lang=ja|en``, else Accept-Language, else English.

Flask-Babel only picks the locale and gives the templates ``_()``; the
sentences themselves come from the core's :class:`~webdig.language.translator.Translator`.
A ``lang`` chosen with the switcher is carried in the links and forms of the
page; a shared link without it opens in the viewer's own language.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from babel import Locale
from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel
from markupsafe import Markup, escape

from webdig.language.message import Lines, Message, Quote
from webdig.language.translator import (
    CATALOGS,
    DEFAULT,
    LANGUAGES,
    Translator,
    parse_language,
    translator,
)

NAMES = {"en": "English", "ja": "日本語"}
"""Each language named in itself, for the switcher."""


def chosen_language() -> str | None:
    """The language the reader picked with the switcher (``lang`` in the query string), if any."""
    return parse_language(request.args.get("lang"))


def select_language() -> str:
    """``lang`` if given, else the browser's best Accept-Language match, else English."""
    chosen = chosen_language()
    if chosen is not None:
        return chosen
    if not request.environ.get("HTTP_ACCEPT_LANGUAGE"):
        return DEFAULT  # curl and API clients: nothing to parse
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def request_language() -> str:
    """This request's language (:func:`select_language`), chosen once per request."""
    language: str | None = g.get("webdig_language")
    if language is None:
        language = select_language()
        g.webdig_language = language
    return language


def current_translator() -> Translator:
    """The translator for this request's language (English outside a request)."""
    # Not through Flask-Babel's get_locale(), whose selector answers from the same
    # request_language(): its way there takes a dozen context-local look-ups
    # (~1% of an API look-up's instructions).
    return translator(request_language() if has_request_context() else DEFAULT)


_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def _selected_locale() -> Locale:
    # Flask-Babel parses a selector's string into a Locale on every request (~10 µs);
    # the few webdig speaks are parsed once here.
    return _LOCALES[request_language()]


def with_language(url: str) -> str:
    """``url`` with ``lang`` added when the reader chose one (a share link keeps their choice)."""
    chosen = chosen_language()
    if chosen is None:
        return url
    path, _, anchor = url.partition("#")
    joined = f"{path}{'&' if '?' in path else '?'}{urlencode({'lang': chosen})}"
    return f"{joined}#{anchor}" if anchor else joined


def switch_links() -> list[tuple[str, str, str, bool]]:
    """(code, name, URL, current) for each language: this page's URL with ``lang`` set."""
    current = current_translator().language
    links = []
    for code in LANGUAGES:
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        args.append(("lang", code))
        anchor = "#results" if _has_results() else ""
        links.append(
            (code, NAMES[code], f"{request.path}?{urlencode(args)}{anchor}", code == current)
        )
    return links


def _has_results() -> bool:
    return bool(request.args.get("hostnames") or request.args.get("domain"))


def quoted_apart(text: str) -> Markup:
    """Evidence for a page: webdig's own words in the reader's language, what another program
    wrote (a :class:`Quote`: dig's output, the HTTP exchange, a certificate's subject inside a
    note) as it is, in ``<samp>``."""
    lines = text.lines if isinstance(text, Lines) else (text,)
    return Markup("\n").join(_line_html(line) for line in lines)


def _line_html(line: str) -> Markup:
    if isinstance(line, Quote):
        return Markup("<samp>{}</samp>").format(line)
    said = current_translator().text
    if not isinstance(line, Message) or not any(isinstance(v, Quote) for v in line.params.values()):
        return escape(said(line))
    # The note is said with a mark where each quoted value goes, then the marks become
    # <samp> (a NUL never occurs in a catalog's sentence).
    marks = {f"\0{n}\0": v for n, v in enumerate(line.params.values()) if isinstance(v, Quote)}
    values = {k: next((m for m, q in marks.items() if q is v), v) for k, v in line.params.items()}
    html = escape(said(Message(line.template, **values)))
    for mark, quoted in marks.items():
        html = html.replace(mark, Markup("<samp>{}</samp>").format(quoted))
    return html


def shown_moment(when: datetime) -> Markup:
    """A moment for a page: in the reader's zone and words (2026年12月2日 17:17 JST), on one
    line (a phone broke 「2026年」 from 「12月2日」), with its ISO form for machines."""
    return Markup('<time class="moment" datetime="{}">{}</time>').format(
        when.astimezone(UTC).isoformat(), current_translator().moment(when)
    )


def space_after(label: str) -> str:
    """The space between a label and what it labels: one after "Problem:", none after a
    full-width colon ("問題あり："), which holds its own."""
    return "" if label.endswith("：") else " "


def install(app: Flask) -> None:
    """Pick each request's language with Flask-Babel; give templates the switcher and ``lang``."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(CATALOGS))
    Babel(app, locale_selector=_selected_locale)
    # Multi-line {% trans %} blocks become one catalog line, whatever the indentation.
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    # A core sentence (an input error, a finding's words) in the reader's language.
    app.jinja_env.filters["say"] = lambda sentence: current_translator().text(sentence)
    # A piece of evidence: its notes said, the output it quotes kept apart and as it is.
    app.jinja_env.filters["evidence"] = quoted_apart
    app.jinja_env.filters["space_after"] = space_after
    # A catalog entry held in a variable (a form label, web/wording.py's words), in the
    # reader's language.  Unlike Jinja's ``_``, the result is plain text, escaped when shown,
    # and a plain function that Python code the template calls can be handed.
    app.jinja_env.globals["translate"] = lambda entry: current_translator().gettext(entry)

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {
            "page_language": current_translator().language,
            "chosen_language": chosen_language(),
            "language_links": switch_links,
            "with_language": with_language,
        }

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        # Without lang, the same URL is English or Japanese by the browser's header.
        if any(name.lower() == "vary" for name, _ in response.headers):
            response.vary.add("Accept-Language")  # merged into the view's own Vary
        else:
            # The usual case, added as response.vary would add it, without parsing an
            # absent header into a set and writing it back (0.45% of an API look-up).
            response.headers.add("Vary", "Accept-Language")
        return response
