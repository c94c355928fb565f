"""The window store's table: places of windows and slots, eviction, expiry and stale files."""

from __future__ import annotations

import mmap
import os
import sqlite3
from pathlib import Path

from webdig.web.windowtable import RUN, SETS, SLOTS, WAYS, WindowTable, open_memory

NOW = 1_000_000.0
WIDTH = 1.0  # "60 per minute": one-second buckets


def table() -> WindowTable:
    return WindowTable(open_memory(None))


def count(
    store: WindowTable, key: int, now: float = NOW, hits: int = 1, width: float = WIDTH
) -> None:
    for _ in range(hits):
        store.hit(store.read(key, now), int(now // width), width, now)


def held(store: WindowTable, key: int, now: float = NOW) -> int:
    return sum(store.read(key, now).counts)


def same_set(n: int) -> list[int]:
    """``n`` keys that all live in the same set."""
    return [7 + SETS * i for i in range(1, n + 1)]


def test_a_window_counts_its_hits_per_bucket() -> None:
    store = table()
    count(store, 5, hits=3)
    count(store, 5, now=NOW + 1)
    window = store.read(5, NOW + 1)
    assert window.newest == NOW + 1
    assert sorted(window.counts)[-2:] == [1, 3]
    assert held(store, 6) == 0


def test_a_full_set_forgets_the_window_with_the_fewest_hits() -> None:
    store = table()
    lightest, *heavier, new = same_set(WAYS + 1)
    for hits, key in enumerate(heavier, start=3):
        count(store, key, hits=hits)
    count(store, lightest, hits=2, now=NOW + 30)  # being the most recent does not save it
    count(store, new)
    assert held(store, new) == 1
    assert held(store, lightest) == 0
    assert [held(store, key) for key in heavier] == list(range(3, WAYS + 2))


def test_spraying_keys_never_forgets_the_busiest_window() -> None:
    # The whole app's limit (per minute) takes every request's hit; each sprayed key (per
    # hour: its window outlives the app's) takes one.
    store = table()
    app, *sprayed = same_set(200)
    for key in sprayed:
        count(store, app)
        count(store, key, width=60.0)
    assert held(store, app) == len(sprayed)


def test_an_expired_window_frees_its_place_before_a_live_one_is_forgotten() -> None:
    store = table()
    expired, *live, new = same_set(WAYS + 1)
    count(store, expired, hits=50)
    later = NOW + 61 * WIDTH  # the first window's period has passed
    for key in live:
        count(store, key, now=later)
    count(store, new, now=later)
    assert [held(store, key, later) for key in [*live, new]] == [1] * WAYS


def test_two_new_keys_counted_at_once_take_two_places() -> None:
    store = table()
    *full, first, second = same_set(WAYS)  # two places free
    for key in full:
        count(store, key, hits=5)
    # Both read while one place is free, then both hit: the second finds another place.
    windows = [store.read(first, NOW), store.read(second, NOW)]
    for window in windows:
        store.hit(window, int(NOW), WIDTH, NOW)
    assert held(store, first) == 1
    assert held(store, second) == 1


def test_in_flight_slots_are_counted_per_client_and_expire() -> None:
    store = table()
    tokens = [store.claim(3, 2, NOW + 10, NOW) for _ in range(3)]
    assert tokens[2] is None
    assert store.claim(4, 2, NOW + 10, NOW) is not None
    # Never released (a killed worker): free again after the hold.
    assert store.claim(3, 2, NOW + 30, NOW + 10) is not None
    assert store.claim(3, 2, NOW + 30, NOW + 10) is not None
    assert store.claim(3, 2, NOW + 30, NOW + 10) is None


def test_a_stale_token_frees_nothing() -> None:
    store = table()
    old = store.claim(3, 1, NOW + 10, NOW)
    assert old is not None
    new = store.claim(3, 1, NOW + 30, NOW + 20)  # the old slot expired: its place again
    assert new is not None
    store.release(old)
    assert store.claim(3, 1, NOW + 30, NOW + 20) is None
    store.release(new)
    assert store.claim(3, 1, NOW + 30, NOW + 20) is not None


def test_a_client_whose_run_of_places_is_full_is_refused() -> None:
    store = table()
    neighbours = [5 + SLOTS * i for i in range(1, RUN + 1)]  # all start at place 5
    assert all(store.claim(n, 1, NOW + 10, NOW) is not None for n in neighbours)
    assert store.claim(5 + SLOTS * (RUN + 1), 4, NOW + 10, NOW) is None


def open_file(path: Path) -> WindowTable:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        return WindowTable(open_memory(descriptor))
    finally:
        os.close(descriptor)


def test_a_file_of_this_layout_keeps_its_counts(tmp_path: Path) -> None:
    count(open_file(tmp_path / "limits.store"), 5, hits=3)
    assert held(open_file(tmp_path / "limits.store"), 5) == 3


def test_a_file_of_another_layout_is_laid_out_anew(tmp_path: Path) -> None:
    path = tmp_path / "limits.store"
    count(open_file(path), 5, hits=3)
    with open(path, "r+b") as file, mmap.mmap(file.fileno(), 0) as memory:
        memory[8:12] = (99).to_bytes(4, "little")  # another version's header
    assert held(open_file(path), 5) == 0
    # An SQLite file, as earlier versions kept: wiped too.
    other = tmp_path / "old.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE hits (key TEXT)")
    db.close()
    store = open_file(other)
    count(store, 5)
    assert held(store, 5) == 1
    assert not other.read_bytes().startswith(b"SQLite format")
