"""The rate counter: moving windows in this machine's store, and the fallback when Redis is down."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.bind import free_port
from webdig.web import windowstore
from webdig.web.ratecounter import RateCounter, parse_limits
from webdig.web.windowstore import Slot, WindowStore
from webdig.web.windowtable import SETS

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


def _hammer_with(
    store: WindowStore, limit: str, count: int, results: multiprocessing.Queue[int]
) -> None:
    [item] = parse_limits(limit)
    results.put(sum(store.admit([(item, "shared")]) is None for _ in range(count)))


def _run_all(
    context: multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext,
    target: Any,
    args: tuple[Any, ...],
) -> int:
    results: multiprocessing.Queue[int] = context.Queue()
    workers = [context.Process(target=target, args=(*args, results)) for _ in range(3)]
    for worker in workers:
        worker.start()
    admitted = sum(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=10)
    return admitted


def test_separate_processes_opening_one_file_count_exactly(tmp_path: Path) -> None:
    # Spawned: nothing inherited, each process maps the file on its own.
    context = multiprocessing.get_context("spawn")
    assert _run_all(context, _hammer, (str(tmp_path / "limits.store"), 40)) == 30


def test_children_forked_after_the_store_opened_take_turns(tmp_path: Path) -> None:
    # As gunicorn's workers with a preloaded app: each child locks with a file of its own
    # (sharing the parent's, they would not exclude each other and lose hits).
    store = WindowStore(str(tmp_path / "limits.store"))
    context = multiprocessing.get_context("fork")
    assert _run_all(context, _hammer_with, (store, "3000/minute", 2000)) == 3000


def _hold_slots(path: str, results: multiprocessing.Queue[int]) -> None:
    store = WindowStore(path)
    results.put(sum(store.acquire("c", 4, hold=60) is not None for _ in range(3)))


def test_in_flight_slots_are_shared_between_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "limits.store")
    context = multiprocessing.get_context("spawn")
    assert _run_all(context, _hold_slots, (path,)) == 4
    store = WindowStore(path)
    assert store.acquire("c", 4, hold=60) is None
    assert store.acquire("c", 4, hold=60, now=time.time() + 61) is not None


def test_spraying_keys_leaves_the_app_limit_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every key in one set of the table, so each new one forgets another.
    monkeypatch.setattr(windowstore, "_hash", lambda key: SETS * int.from_bytes(key.encode()))
    store = WindowStore()
    [app] = parse_limits("100/minute")
    [sprayed] = parse_limits("1/hour")
    admitted = [store.admit([(app, "app"), (sprayed, f"k{n}")], now=0.0) for n in range(150)]
    assert admitted.count(None) == 100


def test_unreachable_redis_falls_back_to_this_machine_and_says_so() -> None:
    errors: list[Exception] = []
    # Nothing listens on this loopback port.
    counter = RateCounter(f"redis://127.0.0.1:{free_port()}/0", on_error=errors.append)
    [limit] = parse_limits("2/minute")
    assert [counter.hit(limit, "c") for _ in range(3)] == [True, True, False]
    assert len(errors) == 1  # then the store is used without retrying Redis on every hit


@pytest.mark.parametrize("shared", [False, True])
def test_a_cost_counts_as_that_many_hits(shared: bool, request: pytest.FixtureRequest) -> None:
    # Saved kilobytes are counted so (WEBDIG_RATE_LIMIT_SAVE_KB): a 150 KB save is 150 hits.
    url = request.getfixturevalue("redis_url") if shared else None
    counter = RateCounter(url, prefix=f"cost-{time.monotonic_ns()}")
    (item,) = parse_limits("400/day")
    limits = [(item, ("rate_limit_save_kb", "192.0.2.1"))]
    assert [counter.admit(limits, cost=150) for _ in range(2)] == [None, None]
    if shared:  # Redis refuses hits that would go over
        assert counter.admit(limits, cost=150) is not None
    else:  # this machine's store refuses once the window is used up
        assert counter.admit(limits, cost=150) is None
        assert counter.admit(limits, cost=1) is not None
    # A cost larger than the whole limit still gets through on an empty window.
    assert counter.admit([(item, ("rate_limit_save_kb", "192.0.2.2"))], cost=1000) is None
