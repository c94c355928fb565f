"""Text as people type it, made into what the parsers expect.

Japanese input methods often produce full-width characters: １９２．０．２．１０,
ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ, an ideographic space, or the ideographic full stop
「。」 between labels.  Every field is NFKC-normalised (full-width digits,
letters, dots, colons and spaces become ASCII) before any parser sees it, on
the page, in the API and in the CLI, so they all accept the same input.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_DOTS = str.maketrans({"\u3002": ".", "\uff61": "."})
"""The ideographic full stops that IDNA also reads as label separators (NFKC keeps 。)."""


def normalise(text: str) -> str:
    """``text`` NFKC-normalised, with ideographic full stops read as dots."""
    if text.isascii():
        return text  # what nearly every request holds, and NFKC leaves ASCII as it is
    return unicodedata.normalize("NFKC", text).translate(_DOTS)


def normalise_items(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every (name, value) pair with both normalised: a query string as the parsers want it."""
    return [(normalise(name), normalise(value)) for name, value in items]
