"""The finding model and its catalog: one mark per level, sentences from codes."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

from webdig.findings import catalog
from webdig.findings.catalog import codes, join, paragraph, sentence
from webdig.findings.model import MARKS, Finding, Level, Param, worst
from webdig.language.translator import ENGLISH_LOCALE, translator

FINDINGS = Path(__file__).parent.parent / "webdig" / "findings"


def test_every_level_has_one_mark() -> None:
    assert {level: level.mark for level in Level} == {
        Level.PASS: "✓",
        Level.WARN: "⚠",
        Level.FAIL: "✗",
        Level.UNKNOWN: "?",
        Level.INFO: "ℹ",
    }
    assert len(set(MARKS.values())) == len(Level)


def test_worst_puts_failures_first() -> None:
    assert worst([Level.PASS, Level.UNKNOWN, Level.WARN]) is Level.WARN
    assert worst([Level.INFO, Level.FAIL, Level.WARN]) is Level.FAIL
    assert worst([]) is Level.PASS


def test_params_are_frozen_and_json_plain() -> None:
    finding = Finding("answer.match", Level.PASS, {"matched": ["192.0.2.1"], "host": "a"})
    assert finding.params["matched"] == ("192.0.2.1",)
    with pytest.raises(TypeError):
        finding.params["host"] = "b"  # type: ignore[index]
    assert finding.json_params() == {"matched": ["192.0.2.1"], "host": "a"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"server": "ns1", "matched": ["192.0.2.1"], "host": "www.a.lab"},
            "ns1 answers 192.0.2.1 for www.a.lab: this matches your server.",
        ),
        (
            {"server": "ns1", "matched": ["192.0.2.1", "192.0.2.2"], "host": "w", "alias": "b.lab"},
            "ns1 answers 192.0.2.1, 192.0.2.2 for w (w is an alias of b.lab): "
            "this matches your server.",
        ),
    ],
)
def test_a_variant_is_chosen_by_its_parameters(params: dict[str, object], expected: str) -> None:
    assert sentence(Finding("answer.match", Level.PASS, params)) == expected  # type: ignore[arg-type]


def test_lists_join_in_the_readers_language() -> None:
    formatter = catalog._Formatter(None, ENGLISH_LOCALE)
    assert formatter.format("{x}", x=["a", "b", "c"]) == "a, b and c"
    assert formatter.format("{x:unit}", x=["a", "b", "c"]) == "a, b, c"
    assert formatter.format("{x:semicolon}", x=["a", "b"]) == "a; b"
    assert catalog._Formatter(None, "ja").format("{x}", x=["a", "b"]) == "a、b"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (89, "89 seconds"), (90, "2 minutes"), (3600, "60 minutes"),
     (5400, "2 hours"), (48 * 3600, "2 days")],
)  # fmt: skip
def test_durations_read_as_today(seconds: int, words: str) -> None:
    assert catalog._Formatter(None, "en_GB").format("{t:duration}", t=seconds) == words


def test_translations_are_used() -> None:
    class Upper(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return message.replace("answered", "ANSWERED")

    finding = Finding("answer.rcode", Level.FAIL, {"server": "ns1", "rcode": "NOTIMP", "host": "a"})
    assert sentence(finding, Upper()) == "ns1 ANSWERED NOTIMP for a."


def test_paragraph_says_each_sentence_once() -> None:
    one = Finding("answer.rcode", Level.FAIL, {"server": "ns1", "rcode": "NOTIMP", "host": "a"})
    assert paragraph([one, one]) == sentence(one)


def test_unknown_code_is_an_error() -> None:
    with pytest.raises(KeyError):
        sentence(Finding("no.such-code", Level.INFO))


def test_codes_are_sorted_and_dotted() -> None:
    assert codes() == sorted(codes())
    assert all("." in code and code == code.lower() for code in codes())


def test_every_template_is_marked_for_extraction() -> None:
    """pybabel extract -k N_ -k NP_:1,2 finds every wording: none is a bare string."""
    tables = sorted(FINDINGS.glob("*sentences.py"))
    assert len(tables) == 4
    trees = [ast.parse(path.read_text()) for path in tables]
    calls = [n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.Call)]
    wordings = [c for c in calls if isinstance(c.func, ast.Name) and c.func.id == "v"]
    assert wordings
    for call in wordings:
        first = call.args[0]
        assert isinstance(first, ast.Call)
        assert isinstance(first.func, ast.Name)
        assert first.func.id in ("N_", "NP_")


def test_findings_import_nothing_from_other_areas() -> None:
    for path in FINDINGS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("webdig")
            ):
                # webdig.language: a parameter may be a core Message, said in the reader's words.
                assert node.module.startswith(("webdig.findings", "webdig.language")), (
                    path.name,
                    node.module,
                )


def test_the_readme_table_names_every_finding_code() -> None:
    """The README's finding table stays true: every code in it, and no code that is gone."""
    readme = (FINDINGS.parent.parent / "README.md").read_text()
    table = readme[readme.index("### Findings") :]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    named = {
        code
        for row in rows
        for code in re.findall(r"`([a-z0-9-]+\.[a-z0-9.-]+)`", row.split(" | ")[0])
    }
    fixes = {code for code in codes() if code.startswith("fix.")}
    assert named - set(codes()) == set()
    assert set(codes()) - named - fixes == set()


def test_japanese_lists_addresses_with_the_ideographic_comma() -> None:
    # CLDR's Japanese "unit" list runs them together with spaces: 192.0.2.10 2001:db8::10.
    japanese = translator("ja").translations
    assert join(["192.0.2.10", "2001:db8::10"], "unit", japanese) == "192.0.2.10、2001:db8::10"
    assert join(["192.0.2.10", "2001:db8::10"], "unit") == "192.0.2.10, 2001:db8::10"


def test_a_moment_s_date_is_its_day_in_the_reader_s_zone() -> None:
    # 20:00 UTC on 17 December is 05:00 on 18 December in Japan.
    params: dict[str, Param] = {
        "addresses": ["192.0.2.1"],
        "issuer": "R11",
        "days": 15,
        "name": "example.com",
    }
    valid = Finding(
        "certificate.valid", Level.PASS, {**params, "expiry": "2026-12-17T20:00:00+00:00"}
    )
    assert "valid until 2026-12-17 (15 days left)" in sentence(valid)
    # A Japanese reader gets the day as the manuals write it, with the days left after it.
    assert "2026年12月18日（残り15日）" in sentence(valid, translator("ja"))
    naive = Finding("certificate.valid", Level.PASS, {**params, "expiry": "2026-12-17T20:00:00"})
    assert "valid until 2026-12-17 " in sentence(naive)
