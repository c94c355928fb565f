"""The expiring cache behind reused delegation facts."""

from __future__ import annotations

from webdig.engine.ttlcache import TtlCache


class Clock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_value_is_kept_for_its_seconds_only() -> None:
    clock = Clock()
    cache: TtlCache[str, int] = TtlCache(clock=clock)
    cache.put("a", 1, 300)
    clock.now += 299.9
    assert cache.get("a") == 1
    clock.now += 0.1
    assert cache.get("a") is None
    assert len(cache) == 0


def test_zero_seconds_keeps_nothing() -> None:
    cache: TtlCache[str, int] = TtlCache()
    cache.put("a", 1, 0)
    assert cache.get("a") is None


def test_least_recently_used_goes_first_when_full() -> None:
    cache: TtlCache[str, int] = TtlCache(max_entries=2)
    cache.put("a", 1, 60)
    cache.put("b", 2, 60)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3, 60)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
