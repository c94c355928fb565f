"""The catalogs: complete, compiled, and faithful to their placeholders."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from webdig.findings import catalog
from webdig.language.translator import CATALOGS

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "Message": None,
    "N_": None,
    "NP_": (1, 2),
}
JA_PO = CATALOGS / "ja" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[a-z]+)?\}|%\([a-z_]+\)s|<[^>]+>")


def extracted() -> set[str]:
    """Every message id ``pybabel extract`` (with webdig's mapping) finds in the package."""
    with open(CATALOGS / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def ja_catalog() -> Catalog:
    with open(JA_PO, "rb") as po:
        return read_po(po)


def translated(message: Message) -> list[str]:
    string = message.string
    return [string] if isinstance(string, str) else list(string or ())


def test_extraction_finds_the_templates_and_the_core() -> None:
    ids = extracted()
    assert "Skip to the main content" in ids  # a template
    assert "{count} day left" in ids  # the core, singular and plural as one entry
    assert "{count} days left" not in ids


def test_every_extracted_message_is_translated_into_japanese() -> None:
    catalog = ja_catalog()
    missing = sorted(i for i in extracted() if catalog.get(i) is None)
    assert not missing


def test_no_fuzzy_or_empty_japanese_translation() -> None:
    bad = [m.id for m in ja_catalog() if m.id and (m.fuzzy or not all(translated(m)))]
    assert not bad


def test_translations_keep_their_placeholders_and_markup() -> None:
    for message in ja_catalog():
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        wanted = sorted(PLACEHOLDER.findall(source))
        for text in translated(message):
            assert sorted(PLACEHOLDER.findall(text)) == wanted, source


def test_committed_mo_is_the_compiled_po() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, ja_catalog())
    assert (JA_PO.with_suffix(".mo")).read_bytes() == compiled.getvalue(), (
        "recompile: pybabel compile -d webdig/translations"
    )


@pytest.mark.parametrize("word", ["ネームサーバ", "です", "ます"])
def test_japanese_uses_the_hosting_manuals_words(word: str) -> None:
    assert any(word in "".join(translated(m)) for m in ja_catalog() if m.id)


@pytest.mark.parametrize("code", catalog.codes())
def test_every_finding_code_has_a_sentence_in_both_languages(code: str) -> None:
    japanese = ja_catalog()
    for wording in catalog.SENTENCES[code]:
        english = wording.template if isinstance(wording.template, str) else wording.template[0]
        assert english.strip()
        entry = japanese.get(english)
        assert entry is not None, english
        assert all(translated(entry)), english


def test_every_japanese_entry_is_still_extracted() -> None:
    # The other direction: an entry no code or template uses any more is dead weight that
    # translators keep paying for (and hides what the catalog really says).
    ids = extracted()
    unused = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in ja_catalog() if m.id)
    assert [i for i in unused if i not in ids] == []
    assert not ja_catalog().obsolete  # nor kept as "#~" lines


def test_japanese_dates_sit_in_the_sentence_without_spaces() -> None:
    # 「有効期限は2026年12月17日（残り15日）です」: a Japanese date is Japanese text, so no
    # space parts it from the words around it (a hostname or an address keeps its spaces).
    japanese = r"[\u3040-\u30ff\u3400-\u9fff]"
    date = r"\{\w+:(?:day|date|time)\}"
    spaced = re.compile(rf"{japanese} {date}|{date} {japanese}")
    found = [
        text for message in ja_catalog() for text in translated(message) if spaced.search(text)
    ]
    assert found == []
