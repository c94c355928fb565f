"""Many clients at the same moment: calls made side by side in threads, each one timed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def at_once(call: Callable[[], int], count: int) -> Iterator[list[tuple[int, float]]]:
    """``count`` calls of ``call`` (which returns an HTTP status), started together in threads
    of their own; yields their (status, seconds) list, complete once the block has ended."""
    results: list[tuple[int, float]] = []

    def one() -> None:
        begin = time.monotonic()
        status = call()
        results.append((status, time.monotonic() - begin))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        yield results
    finally:
        for thread in threads:
            thread.join(timeout=30)
