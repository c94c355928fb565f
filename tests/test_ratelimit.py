"""The rate counter: moving windows in this machine's store, and the fallback when Redis is down."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from tests.support.bind import free_port
from webdig.web.ratecounter import RateCounter, parse_limits
from webdig.web.windowstore import Slot, WindowStore

[PER_MINUTE] = parse_limits("30/minute")


def test_a_window_counts_up_to_the_amount_per_key() -> None:
    store = WindowStore()
    [limit] = parse_limits("3/hour")
    assert [store.admit([(limit, "a")], now=1000.0) for _ in range(4)][:3] == [None] * 3
    assert store.admit([(limit, "a")], now=1000.0) is not None
    assert store.admit([(limit, "b")], now=1000.0) is None


def test_the_window_moves_and_holds_over_any_period() -> None:
    store = WindowStore()
    # 30 hits at the very end of one second...
    assert all(store.admit([(PER_MINUTE, "c")], now=99.99) is None for _ in range(30))
    # ...keep the next 30 out for the whole 60 s after them, not just until a minute boundary.
    for now in (100.0, 120.0, 159.98):
        assert store.admit([(PER_MINUTE, "c")], now=now) is not None
    assert store.admit([(PER_MINUTE, "c")], now=161.0) is None


def test_retry_after_says_when_room_comes_back() -> None:
    store = WindowStore()
    store.admit([(PER_MINUTE, "c")], now=10.0)
    for second in range(11, 40):
        store.admit([(PER_MINUTE, "c")], now=float(second))
    wait = store.admit([(PER_MINUTE, "c")], now=40.0)
    assert wait is not None
    assert 30 <= wait <= 32  # the hit at 10 s leaves the window at about 71 s


def test_a_refused_hit_uses_up_none_of_its_limits() -> None:
    store = WindowStore()
    per_minute, per_hour = parse_limits("2/minute;3/hour")
    checks = [(per_minute, "m"), (per_hour, "h")]
    assert [store.admit(checks, now=5.0) is None for _ in range(3)] == [True, True, False]
    # The refused third did not count against the hour: one more fits after the minute.
    assert store.admit(checks, now=70.0) is None
    assert store.admit(checks, now=140.0) is not None


def test_in_flight_slots_per_client() -> None:
    store = WindowStore()
    tokens = [store.acquire("c", 2, hold=10, now=0.0) for _ in range(3)]
    first, second, third = tokens
    assert first is not None
    assert second is not None
    assert third is None
    assert store.acquire("other", 2, hold=10, now=0.0) is not None
    store.release(first)
    assert store.acquire("c", 2, hold=10, now=0.0) is not None
    # A slot nobody released (a killed worker) frees itself after its hold.
    assert store.acquire("c", 2, hold=10, now=11.0) is not None


def test_admit_and_acquire_is_admit_then_acquire_in_one_turn() -> None:
    store = WindowStore()
    [limit] = parse_limits("2/minute")
    slot = Slot("c", 1, hold=10)
    first = store.admit_and_acquire([(limit, "k")], slot, now=0.0)
    assert first[0] is None
    assert first[1] is not None
    # Admitted and counted, but the client's one slot is taken.
    assert store.admit_and_acquire([(limit, "k")], slot, now=0.0) == (None, None)
    # Over the window: refused, and neither a hit nor a slot is taken.
    wait, token = store.admit_and_acquire([(limit, "k")], Slot("d", 1, hold=10), now=0.0)
    assert wait is not None
    assert token is None
    assert store.acquire("d", 1, hold=10, now=0.0) is not None


def test_admit_and_acquire_asks_ready_only_when_admitted_and_takes_no_slot_without_it() -> None:
    store = WindowStore()
    [limit] = parse_limits("1/minute")
    asked: list[bool] = []

    def not_ready() -> bool:
        asked.append(False)
        return False

    # Not ready: the hit counts, no slot is taken.
    assert store.admit_and_acquire([(limit, "k")], Slot("c", 1, 10), ready=not_ready) == (
        None,
        None,
    )
    assert store.acquire("c", 1, hold=10) is not None
    refused, _ = store.admit_and_acquire([(limit, "k")], Slot("c", 1, 10), ready=not_ready)
    assert refused is not None
    assert asked == [False]


def test_a_counter_with_redis_down_still_admits_and_acquires_here() -> None:
    counter = RateCounter(f"redis://127.0.0.1:{free_port()}/0", on_error=lambda exc: None)
    [limit] = parse_limits("2/minute")
    slot = Slot("c", 1, hold=10)
    first = counter.admit_and_acquire([(limit, ("client", "c"))], slot)
    assert first[0] is None
    assert first[1] is not None
    assert counter.admit_and_acquire([(limit, ("client", "c"))], slot) == (None, None)
    assert counter.admit_and_acquire([(limit, ("client", "c"))], slot)[0] is not None


def _hammer(path: str, count: int, results: multiprocessing.Queue[int]) -> None:
    store = WindowStore(path)
    results.put(sum(store.admit([(PER_MINUTE, "shared")]) is None for _ in range(count)))


def test_processes_sharing_a_file_share_one_count(tmp_path: Path) -> None:
    path = str(tmp_path / "limits.sqlite")
    results: multiprocessing.Queue[int] = multiprocessing.Queue()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_hammer, args=(path, 40, results)) for _ in range(3)]
    for worker in workers:
        worker.start()
    admitted = sum(results.get(timeout=30) for _ in workers)
    for worker in workers:
        worker.join(timeout=10)
    assert admitted == 30


def test_unreachable_redis_falls_back_to_this_machine_and_says_so() -> None:
    errors: list[Exception] = []
    # Nothing listens on this loopback port.
    counter = RateCounter(f"redis://127.0.0.1:{free_port()}/0", on_error=errors.append)
    [limit] = parse_limits("2/minute")
    assert [counter.hit(limit, "c") for _ in range(3)] == [True, True, False]
    assert len(errors) == 1  # then the store is used without retrying Redis on every hit
