"""What one app's (or one CLI run's) look-ups share while they run: not configuration.

:class:`~webdig.settings.Settings` are frozen and compared by value; the
objects here change as requests run, so the web app keeps one
:class:`LookupContext` in ``app.extensions`` and passes it next to the
settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from webdig.engine.session import LANES, QuerySession, Reporter, TargetGate
from webdig.engine.ttlcache import TtlCache
from webdig.lookup.modes import DelegationFacts
from webdig.settings import Settings

DelegationKey = tuple[str, str, int]
"""(hostname in ASCII, resolver address, resolver port)."""
Delegation = tuple[DelegationFacts | None, tuple[str, ...]]
"""The registry's delegation of a hostname (None if not found), and the problems met."""


@dataclass
class LookupContext:
    """Runtime objects shared by look-ups: the per-target gate and the caches."""

    target_gate: TargetGate | None = None
    """Asked before each query with the server address; False: over that target's rate limit."""
    delegations: TtlCache[DelegationKey, Delegation] = field(default_factory=TtlCache)
    """The delegation facts (and problems) found per hostname, reused for a while."""
    registry: TtlCache[str, object] = field(default_factory=TtlCache)
    """The renewal check's registry answers (RDAP, WHOIS) per registered domain, for a few
    minutes, and IANA's RDAP bootstrap file, for a day (:mod:`webdig.renewal.registry`), and
    the CA's status page, for a minute; checks needing one while another fetches it wait for
    that fetch (:meth:`TtlCache.get_or_make`)."""

    def session(
        self, settings: Settings, progress: Reporter | None = None, *, lanes: int = LANES
    ) -> QuerySession:
        """A query session for one request, held to this context's target gate; ``progress``
        is told which servers it still waits for; ``lanes``: tasks at most in the shared pool."""
        return QuerySession(settings, gate=self.target_gate, progress=progress, lanes=lanes)
