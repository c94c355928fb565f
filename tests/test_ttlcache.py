"""The expiring cache behind reused delegation facts and registry answers, and its merging
of fetches in flight (one fetch per key at a time, a waiter held to its own deadline)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

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


class Maker:
    """``make`` for :meth:`TtlCache.get_or_make`: counts its calls, and may hold them."""

    def __init__(self, value: str, *, held: bool = False) -> None:
        self.value = value
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        if not held:
            self.release.set()

    def __call__(self) -> tuple[str, float]:
        self.calls += 1
        self.started.set()
        assert self.release.wait(timeout=10)
        return self.value, 60


def in_thread(call: Callable[[], str]) -> tuple[threading.Thread, list[str]]:
    """Run ``call`` in a thread of its own; its result lands in the list."""
    got: list[str] = []
    thread = threading.Thread(target=lambda: got.append(call()))
    thread.start()
    return thread, got


def test_a_missing_value_is_made_once_and_kept() -> None:
    cache: TtlCache[str, str] = TtlCache()
    make = Maker("made")
    assert cache.get_or_make("a", make) == "made"
    assert cache.get_or_make("a", make) == "made"
    assert make.calls == 1
    assert cache.get("a") == "made"


def test_callers_meanwhile_wait_for_the_value_in_flight() -> None:
    cache: TtlCache[str, str] = TtlCache()
    first, second = Maker("first", held=True), Maker("second")
    leader, led = in_thread(lambda: cache.get_or_make("a", first))
    assert first.started.wait(timeout=10)
    waiter, waited = in_thread(lambda: cache.get_or_make("a", second))
    waiter.join(timeout=0.3)
    assert waiter.is_alive()  # waiting for the first fetch, not making its own
    first.release.set()
    for thread in (leader, waiter):
        thread.join(timeout=10)
    assert (led, waited, second.calls) == (["first"], ["first"], 0)


def test_a_waiter_never_waits_past_its_deadline_and_keeps_nothing() -> None:
    cache: TtlCache[str, str] = TtlCache()
    first, late = Maker("first", held=True), Maker("late")
    leader, _ = in_thread(lambda: cache.get_or_make("a", first))
    assert first.started.wait(timeout=10)
    begin = time.monotonic()
    assert cache.get_or_make("a", late, deadline=begin + 0.2) == "late"
    assert 0.2 <= time.monotonic() - begin < 3
    first.release.set()
    leader.join(timeout=10)
    assert cache.get("a") == "first"  # the waiter's own value never replaces the one in flight


def test_when_the_maker_fails_a_waiter_makes_it() -> None:
    cache: TtlCache[str, str] = TtlCache()
    started, release = threading.Event(), threading.Event()
    raised: list[BaseException] = []

    def failing() -> tuple[str, float]:
        started.set()
        release.wait(timeout=10)
        raise ConnectionResetError("the registry hung up")

    def fail() -> None:
        try:
            cache.get_or_make("a", failing)
        except ConnectionResetError as exc:
            raised.append(exc)

    leader = threading.Thread(target=fail)
    leader.start()
    assert started.wait(timeout=10)
    second = Maker("second")
    waiter, waited = in_thread(lambda: cache.get_or_make("a", second))
    release.set()
    for thread in (leader, waiter):
        thread.join(timeout=10)
    assert len(raised) == 1  # the maker's caller sees its failure
    assert (waited, second.calls, cache.get("a")) == (["second"], 1, "second")
