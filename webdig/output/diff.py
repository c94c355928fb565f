"""What changed between two results of the same question, compared as the API's JSON.

Per hostname, record type and server: the answers added and removed, the reply's
status, and the verdict on the expected address; over the whole result: the
findings that appeared or went away (compared by code and parameters, never by
sentence) and, for renewal checks, each item's status.  A record whose TTL alone
changed is the same answer (TTLs count down in every cache); ``ttl=True`` lists
those changes too.

Pure functions over the JSON bodies of :mod:`webdig.output.jsonbody`, so a stored
snapshot and a live run compare alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Body = Mapping[str, Any]


@dataclass(frozen=True)
class TtlChange:
    """One record whose TTL differs: the record (without TTL) and both TTLs."""

    record: str
    before: int
    after: int


@dataclass(frozen=True)
class BlockDiff:
    """The changes of one (hostname × type × server) between the two results."""

    hostname: str
    type: str
    server: str
    """As the page heads a block: ``ns1.example.net (192.0.2.53)``."""
    status_before: str | None
    """dig's status (``NOERROR``), ``no reply``, or None when not asked in that result."""
    status_after: str | None
    verdict_before: str | None
    """The verdict's code (``answer.match``), or None without a verdict."""
    verdict_after: str | None
    added: tuple[str, ...] = ()
    """Records in the second result only, as ``name class type data``."""
    removed: tuple[str, ...] = ()
    ttl: tuple[TtlChange, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything other than nothing changed."""
        return bool(
            self.added
            or self.removed
            or self.ttl
            or self.status_before != self.status_after
            or self.verdict_before != self.verdict_after
        )


@dataclass(frozen=True)
class ItemDiff:
    """A renewal checklist item whose status changed."""

    id: str
    before: str | None
    after: str | None
    name: str | None = None
    """The name (or zone) the item is about; None for the whole check's, or an old result's."""


@dataclass(frozen=True)
class ResultDiff:
    """Everything that changed from result ``a`` to result ``b``."""

    blocks: list[BlockDiff] = field(default_factory=list)
    findings_added: list[dict[str, Any]] = field(default_factory=list)
    findings_removed: list[dict[str, Any]] = field(default_factory=list)
    items: list[ItemDiff] = field(default_factory=list)
    status_before: str | None = None
    """A check's overall status (``pass``/``warn``/``fail``); None for a look-up."""
    status_after: str | None = None

    @property
    def same(self) -> bool:
        """Nothing changed."""
        return not (
            self.blocks
            or self.findings_added
            or self.findings_removed
            or self.items
            or self.status_before != self.status_after
        )


def diff_results(a: Body, b: Body, *, ttl: bool = False) -> ResultDiff:
    """What changed from ``a`` to ``b`` (two look-ups, or two checks)."""
    if "checks" in a or "checks" in b:
        return _diff_checks(a, b)
    before, after = _blocks(a), _blocks(b)
    blocks = []
    for key in dict.fromkeys([*before, *after]):
        change = _diff_block(before.get(key), after.get(key), ttl=ttl)
        if change.changed:
            blocks.append(change)
    names = _hostnames(a) | _hostnames(b)
    added, removed = _diff_findings(a.get("verdicts", ()), b.get("verdicts", ()), names)
    return ResultDiff(blocks, added, removed)


def _diff_checks(a: Body, b: Body) -> ResultDiff:
    # A check of several names has one item of each id per name (or zone).
    before = {_item_key(item): item for item in a.get("checks", ())}
    after = {_item_key(item): item for item in b.get("checks", ())}
    items = [
        ItemDiff(key[0], _get(before, key, "status"), _get(after, key, "status"), key[1])
        for key in dict.fromkeys([*before, *after])
        if _get(before, key, "status") != _get(after, key, "status")
    ]
    added, removed = _diff_findings(
        [item for item in a.get("checks", ()) if "code" in item],
        [item for item in b.get("checks", ()) if "code" in item],
    )
    return ResultDiff([], added, removed, items, a.get("status"), b.get("status"))


def _item_key(item: Mapping[str, Any]) -> tuple[str, str | None]:
    return item["id"], item.get("name") or item.get("zone")


def _get(items: Mapping[Any, Mapping[str, Any]], key: Any, name: str) -> Any:
    item = items.get(key)
    return None if item is None else item.get(name)


BlockKey = tuple[str, str, str, int, int]


def _blocks(body: Body) -> dict[BlockKey, Mapping[str, Any]]:
    """Blocks by (hostname, type, server address, port, n-th time asked)."""
    found: dict[BlockKey, Mapping[str, Any]] = {}
    for block in body.get("results", ()):
        server = block["server"]
        base = (block["hostname_ascii"].lower(), block["type"], server["address"], server["port"])
        seen = sum(1 for key in found if key[:4] == base)
        found[(*base, seen)] = block
    return found


def _diff_block(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, *, ttl: bool
) -> BlockDiff:
    either = after if after is not None else before
    assert either is not None
    server = either["server"]
    label = server["name"] or server["address"]
    if label != server["address"]:
        label += f" ({server['address']})"
    old, new = _records(before), _records(after)
    ttls = tuple(
        TtlChange(record, old[record], new[record])
        for record in old.keys() & new.keys()
        if old[record] != new[record]
    )
    return BlockDiff(
        hostname=either["hostname"],
        type=either["type"],
        server=label,
        status_before=_status(before),
        status_after=_status(after),
        verdict_before=_verdict(before),
        verdict_after=_verdict(after),
        added=tuple(record for record in new if record not in old),
        removed=tuple(record for record in old if record not in new),
        ttl=tuple(sorted(ttls, key=lambda change: change.record)) if ttl else (),
    )


def _records(block: Mapping[str, Any] | None) -> dict[str, int]:
    """The ANSWER records as ``name class type data`` (names in lower case) → TTL."""
    if block is None:
        return {}
    return {
        f"{r['name'].lower()} {r['class']} {r['type']} {r['data']}": int(r["ttl"])
        for r in block.get("answer", ())
    }


def _status(block: Mapping[str, Any] | None) -> str | None:
    if block is None:
        return None
    return block.get("status") or "no reply"


def _verdict(block: Mapping[str, Any] | None) -> str | None:
    verdict = block.get("verdict") if block is not None else None
    if not verdict:
        return None
    return str(verdict.get("code") or verdict.get("status"))


def _diff_findings(
    before: Iterable[Mapping[str, Any]],
    after: Iterable[Mapping[str, Any]],
    names: frozenset[str] = frozenset(),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Findings (``code``, ``level``, ``params``) only in ``after``, and only in ``before``.

    A parameter that is one of the hostnames asked (``names``, in lower case) compares
    without case, as DNS names do.
    """
    old = {_finding_key(f, names): dict(f) for f in before}
    new = {_finding_key(f, names): dict(f) for f in after}
    return [f for k, f in new.items() if k not in old], [f for k, f in old.items() if k not in new]


def _finding_key(finding: Mapping[str, Any], names: frozenset[str]) -> str:
    identity = {name: finding.get(name) for name in ("code", "level", "params", "id")}
    return json.dumps(_fold_names(identity, names), sort_keys=True, default=str)


def _hostnames(body: Body) -> frozenset[str]:
    """The hostnames a look-up asked about, as typed and in A-labels, in lower case.

    ``hostname_ascii`` keeps the case typed (``Example.com``), and findings carry the
    name as typed, so runs of ``Example.com`` and ``example.com`` would otherwise differ.
    """
    found = set()
    for item in (*body.get("results", ()), *body.get("traces", ())):
        for key in ("hostname", "hostname_ascii"):
            if isinstance(item.get(key), str):
                found.add(item[key].lower().rstrip("."))
    return frozenset(found)


def _fold_names(value: Any, names: frozenset[str]) -> Any:
    """``value`` with every string that is one of ``names`` (any case, any final dot) lowered."""
    if isinstance(value, str):
        return value.lower() if value.lower().rstrip(".") in names else value
    if isinstance(value, Mapping):
        return {key: _fold_names(item, names) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_fold_names(item, names) for item in value]
    return value


def diff_to_json(diff: ResultDiff) -> dict[str, Any]:
    """The diff as the API returns it."""
    return {
        "same": diff.same,
        "results": [
            {
                "hostname": block.hostname,
                "type": block.type,
                "server": block.server,
                "status": {"before": block.status_before, "after": block.status_after},
                "verdict": {"before": block.verdict_before, "after": block.verdict_after},
                "added": list(block.added),
                "removed": list(block.removed),
                "ttl": [
                    {"record": t.record, "before": t.before, "after": t.after} for t in block.ttl
                ],
            }
            for block in diff.blocks
        ],
        "findings": {"added": diff.findings_added, "removed": diff.findings_removed},
        "checks": [
            {"id": i.id, "before": i.before, "after": i.after, "name": i.name} for i in diff.items
        ],
        "status": {"before": diff.status_before, "after": diff.status_after},
    }
