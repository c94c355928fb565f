"""The rate counter: fixed windows in memory, and the fallback when Redis is down."""

from __future__ import annotations

from tests.support.bind import free_port
from webdig.web.ratecounter import MemoryWindows, RateCounter, parse_limits


def test_memory_windows_count_up_to_the_amount_per_key() -> None:
    windows = MemoryWindows()
    [limit] = parse_limits("3/hour")
    assert [windows.hit(limit, "client", "a") for _ in range(4)] == [True, True, True, False]
    assert windows.hit(limit, "client", "b")
    stats = windows.get_window_stats(limit, "client", "a")
    assert stats.remaining == 0


def test_retry_after_is_within_the_window() -> None:
    counter = RateCounter()
    [limit] = parse_limits("1/minute")
    assert counter.hit(limit, "x")
    assert not counter.hit(limit, "x")
    assert 1 <= counter.retry_after(limit, "x") <= 60


def test_each_limit_of_a_list_counts_on_its_own() -> None:
    counter = RateCounter()
    per_minute, per_hour = parse_limits("2/minute;3/hour")
    hits = [counter.hit(per_minute, "c") and counter.hit(per_hour, "c") for _ in range(3)]
    assert hits == [True, True, False]


def test_unreachable_redis_falls_back_to_memory_and_says_so() -> None:
    errors: list[Exception] = []
    # Nothing listens on this loopback port.
    counter = RateCounter(f"redis://127.0.0.1:{free_port()}/0", on_error=errors.append)
    [limit] = parse_limits("2/minute")
    assert [counter.hit(limit, "c") for _ in range(3)] == [True, True, False]
    assert len(errors) == 1  # then memory is used without retrying Redis on every hit
