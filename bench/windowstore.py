"""The rate-limit store alone: microseconds per look-up's turn, alone and under contention.

A look-up's turn is what every limited request does: ``admit_and_acquire`` (the app's
limit and the client's two) then ``release``; a query adds one ``admit`` of its two
per-target windows.  Measured three ways: one thread on a file store, one thread in this
process's memory, and ``--processes`` × ``--threads`` (gunicorn's shape) on one file,
each thread its own client and targets.  Prints CPU µs per look-up (and look-ups/s under
contention); no target, it is for comparing commits.

    python bench/windowstore.py [--runs 5000] [--processes 2] [--threads 8]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webdig.web.ratecounter import parse_limits
from webdig.web.windowstore import Check, Slot, WindowStore

LOOK_UP = parse_limits("100000000/minute;100000000/minute;100000000/hour")
QUERY = parse_limits("100000000/minute;100000000/minute")


def look_ups(store: WindowStore, name: str, runs: int) -> None:
    """``runs`` look-ups of client ``name``, each with one query's per-target admit."""
    checks: list[Check] = [(item, f"look-up/{n}/{name}") for n, item in enumerate(LOOK_UP)]
    targets: list[Check] = [(item, f"target/{n}/{name}") for n, item in enumerate(QUERY)]
    slot = Slot(name, 1000, 26.0)
    for _ in range(runs):
        _, token = store.admit_and_acquire(checks, slot)
        if token is not None:
            store.release(token)
        store.admit(targets)


def alone(path: str | None, runs: int) -> float:
    """CPU µs per look-up, one thread (median of 5)."""
    store = WindowStore(path)
    look_ups(store, "warm-up", runs // 5)
    spent = []
    for _ in range(5):
        start = time.process_time()
        look_ups(store, "alone", runs)
        spent.append((time.process_time() - start) / runs * 1e6)
    return statistics.median(spent)


def _process(path: str, threads: int, runs: int, results: multiprocessing.Queue[float]) -> None:
    store = WindowStore(path)
    workers = [
        threading.Thread(target=look_ups, args=(store, f"{os.getpid()}-{n}", runs))
        for n in range(threads)
    ]
    start = time.process_time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put(time.process_time() - start)


def contended(path: str, processes: int, threads: int, runs: int) -> tuple[float, float]:
    """(look-ups/s, CPU µs per look-up) with every thread of every process at once."""
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[float] = context.Queue()
    children = [
        context.Process(target=_process, args=(path, threads, runs, results))
        for _ in range(processes)
    ]
    start = time.perf_counter()
    for child in children:
        child.start()
    cpu = sum(results.get(timeout=600) for _ in children)
    for child in children:
        child.join()
    total = processes * threads * runs
    return total / (time.perf_counter() - start), cpu / total * 1e6


def main() -> None:
    """Run the three measures and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "limits.store")
        print(f"one thread, file:   {alone(path, args.runs):6.1f} µs CPU per look-up")
        print(f"one thread, memory: {alone(None, args.runs):6.1f} µs CPU per look-up")
        rates = [
            contended(os.path.join(folder, f"{n}.store"), args.processes, args.threads, 300)
            for n in range(3)
        ]
        rate = statistics.median(r[0] for r in rates)
        cpu = statistics.median(r[1] for r in rates)
        print(
            f"{args.processes} processes × {args.threads} threads, one file: "
            f"{rate:,.0f} look-ups/s, {cpu:.1f} µs CPU per look-up"
        )


if __name__ == "__main__":
    main()
