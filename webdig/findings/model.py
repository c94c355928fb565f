"""The finding model: a stable code, one status vocabulary, and the facts behind the sentence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias

Param: TypeAlias = (
    "str | int | float | bool | Sequence[str] | Mapping[str, object]"
    " | Sequence[Mapping[str, object]] | None"
)
"""A parameter value: JSON-able; a mapping is a sub-phrase with its own ``code``, and a list
holds strings (names, addresses) or sub-phrases."""


class Level(StrEnum):
    """How bad a finding is: the one status vocabulary of webdig."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    """Checked, and right."""
    WARN = "warn"
    """Probably works, or webdig cannot be sure: worth a look."""
    FAIL = "fail"
    """Checked, and wrong: this breaks what the user is doing."""
    UNKNOWN = "unknown"
    """webdig could not tell: no replies, or the query was not sent."""
    INFO = "info"
    """A fact, with no judgement."""

    @property
    def mark(self) -> str:
        """The level's mark, the same on the page, in the text report and in the CLI."""
        return MARKS[self]

    @property
    def rank(self) -> int:
        """Worst first: fail, warn, unknown, info, pass (an OK is never listed above a problem)."""
        return _RANK[self]


MARKS: Mapping[Level, str] = MappingProxyType(
    {
        Level.PASS: "✓",
        Level.WARN: "⚠",
        Level.FAIL: "✗",
        Level.UNKNOWN: "?",
        Level.INFO: "ℹ",
    }
)
"""The one mark table.  A colour always comes with a mark and a word, never alone."""

# A fact (info) may still need reading; an OK needs nothing, so it comes last.
_RANK = {Level.FAIL: 0, Level.WARN: 1, Level.UNKNOWN: 2, Level.INFO: 3, Level.PASS: 4}


@dataclass(frozen=True)
class Finding:
    """One judgement (or fact): what it is, how bad, and the values its sentence names.

    The sentence itself is made by :func:`webdig.findings.catalog.sentence`; nothing
    else words a finding, and nothing compares sentences.
    """

    code: str
    """Stable and machine-readable, e.g. ``answer.mismatch``: listed in the catalog."""
    level: Level
    params: Mapping[str, Param] = field(default_factory=dict)
    """Names, addresses, counts: JSON-able, in the keys the catalog's sentence uses."""

    def __post_init__(self) -> None:
        # Lists become tuples and the mapping read-only: a finding cannot change once made.
        frozen = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in self.params.items()
        }
        object.__setattr__(self, "params", MappingProxyType(frozen))

    def __hash__(self) -> int:
        # Equal findings (the same note from two hostnames of one zone) are said once, and
        # the catalog caches sentences by finding: work the hash out once per finding.
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.code, self.level, _frozen(self.params)))
            object.__setattr__(self, "_hash", cached)
        return cached

    def json_params(self) -> dict[str, object]:
        """The parameters as plain JSON values (lists and dicts)."""
        return {key: _plain(value) for key, value in self.params.items()}


# Most parameters are names, addresses and counts: testing their exact type first skips
# the ABC checks (isinstance against Mapping), which cost more than the rest of the walk.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _frozen(value: object) -> object:
    """``value`` as something hashable: equal parameters give equal results, whatever the
    order of a mapping's keys and whether a list is a list or a tuple."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return frozenset((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


def _plain(value: object) -> object:
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def worst(levels: Sequence[Level], default: Level = Level.PASS) -> Level:
    """The worst of ``levels`` (fail, warn, unknown, info, pass), or ``default`` if none."""
    return min(levels, key=lambda level: level.rank, default=default)


def worst_first(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` ordered fail, warn, unknown, info, pass; equal levels keep their order.

    Every list of findings a person reads (the page, ``format=text``, the CLI) is in this
    order, so a problem is never below an OK.
    """
    return sorted(findings, key=lambda finding: finding.level.rank)
