"""The side-by-side table: per server, what it answered and who agrees with whom."""

from __future__ import annotations

import ipaddress
import string
from collections.abc import Sequence
from dataclasses import dataclass

from webdig.engine.policy import IPAddress
from webdig.lookup.block import Block
from webdig.lookup.crosschecks import signature


@dataclass(frozen=True)
class Row:
    """One server's answer for one hostname."""

    hostname: str
    server: str
    address: str
    port: int
    mode: str
    answer: str
    """The answered data (``192.0.2.10, 192.0.2.11``), ``NXDOMAIN``, or the error."""
    ttl: int | None
    matches: bool | None
    """Whether every answered address is an expected one (None: nothing to judge)."""
    group: str
    """A letter shared by servers that give the same answer ("" for no answer)."""
    odd: bool
    """True when this server disagrees with most (or with the expected answer)."""


def compare(blocks: Sequence[Block], expected: Sequence[IPAddress]) -> list[Row]:
    """One row per (hostname × server) of the look-up's main question."""
    wanted = {str(a) for a in expected}
    rows: list[Row] = []
    primary = [b for b in blocks if not b.companion]
    for host in dict.fromkeys(b.result.query.hostname.text for b in primary):
        mine = [b for b in primary if b.result.query.hostname.text == host]
        sigs = [signature(b.result) for b in mine]
        counts: dict[str, int] = {}
        for sig in sigs:
            if sig is not None:
                counts[sig] = counts.get(sig, 0) + 1
        letters = {sig: string.ascii_uppercase[i % 26] for i, sig in enumerate(counts)}
        majority = max(counts, key=lambda k: counts[k]) if counts else None
        for block, sig in zip(mine, sigs, strict=True):
            result = block.result
            matches = _matches(sig, wanted) if wanted and sig is not None else None
            if sig is None:
                answer = result.error.message if result.error else f"{result.rcode}"
                odd = True
            else:
                answer = sig
                odd = (matches is False) if wanted else (len(counts) > 1 and sig != majority)
            rows.append(
                Row(
                    hostname=host,
                    server=result.query.server.label,
                    address=result.query.server.address,
                    port=result.query.server.port,
                    mode=block.mode,
                    answer=answer,
                    ttl=min((r.ttl for r in result.answer), default=None),
                    matches=matches,
                    group=letters.get(sig, "") if sig is not None else "",
                    odd=odd,
                )
            )
    return rows


def _matches(sig: str, wanted: set[str]) -> bool | None:
    parts = [p for p in sig.split(", ") if p]
    try:
        addresses = [str(ipaddress.ip_address(p)) for p in parts]
    except ValueError:
        return None
    return bool(addresses) and all(a in wanted for a in addresses)
