"""The renewal checklist as plain text, for ``webdig check``: the summary, then each item
under the name it is about (as the page groups them), in the reader's language."""

from __future__ import annotations

import textwrap

from webdig.findings.catalog import sentence
from webdig.language.message import run_together
from webdig.language.translator import Translator
from webdig.renewal.failuretext import Decoded, pointed
from webdig.renewal.items import CHECK_WORDS
from webdig.renewal.report import RenewalReport


def render_check(
    report: RenewalReport,
    *,
    evidence: bool = False,
    translations: Translator | None = None,
    decoded: Decoded | None = None,
) -> str:
    """The checklist as text: the summary sentence, then each item with its detail and fix,
    under the name it is about (as the page groups them), in the reader's language.

    With ``evidence``, each item's raw material (dig output, HTTP exchanges,
    certificate fields) follows it, indented.  With ``decoded`` (``--error``), what the
    failure text says comes first, in ``words``' language, and its item is marked.
    """
    say = translations.gettext if translations is not None else (lambda text: text)
    indent = " " * 4
    lines = [say("Checklist for %(domain)s") % {"domain": ", ".join(report.domains)}]
    if report.expected:
        lines.append(run_together([say("Compared with your server:"), ", ".join(report.expected)]))
    lines.append("")
    if decoded is not None:
        said = sentence(decoded.finding, translations)
        if decoded.recognised:
            said = run_together([say("Your mail says:"), said])
        lines += [*_wrap(said), ""]
    lines += _wrap(f"{report.headline.level.mark} {report.summary_in(translations)}")
    lines += [
        line
        for note in report.notes
        for line in _wrap(f"{note.level.mark} {sentence(note, translations)}")
    ]
    marked = pointed(report.checks, decoded)
    shown_name: str | None = None
    for number, check in enumerate(report.checks, start=1):
        if check.name is not None and check.name != shown_name:
            lines += ["", "== " + say("Name: %(name)s") % {"name": check.name}]
        shown_name = check.name
        word = say("%(word)s:") % {"word": say(CHECK_WORDS[check.level])}
        mark = f"  ← {say('Your mail points here')}" if check in marked else ""
        title = run_together([word, say(check.title)])
        lines += ["", f"{number}. {check.level.mark} {title}{mark}"]
        lines += _wrap(check.detail_in(translations), indent)
        advice = check.fix_in(translations)
        lines += _wrap(run_together([say("What to do:"), advice]), indent) if advice else []
        for piece in check.evidence if evidence else ():
            title, text = (
                (translations.text(piece.title), translations.text(piece.text))
                if translations is not None
                else (piece.title, piece.text)
            )
            lines += ["", f"{indent}--- {title}"]
            lines += [f"{indent}{line}".rstrip() for line in text.strip("\n").split("\n")]
    return "\n".join([*lines, ""])


def _wrap(text: str, indent: str = "") -> list[str]:
    # URLs and host names stay whole, so they can be copied from the terminal.
    return textwrap.wrap(
        text, 88, initial_indent=indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    )  # fmt: skip
