"""A block: one (hostname × server) result of a look-up, with its verdict, as every output shows it.

Its own module so that the cross-checks and the comparison table, which read blocks,
and :mod:`webdig.lookup.run`, which makes them, do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from webdig.engine.query import Query
from webdig.engine.result import QueryResult
from webdig.lookup.answers import Verdict
from webdig.lookup.modes import Role


@dataclass(frozen=True)
class Block:
    """One (hostname × server) result as the page shows it."""

    result: QueryResult
    verdict: Verdict | None
    mode: Role = Role.SELF
    """The role of the server that answered."""
    companion: bool = False
    """The other address family's query, sent to check AAAA next to A (or A next to AAAA)."""

    @property
    def query(self) -> Query:
        """The query this block answers."""
        return self.result.query
