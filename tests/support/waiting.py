"""Waiting for something to happen instead of sleeping for a guessed while."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], timeout: float, *, interval: float = 0.05) -> bool:
    """Whether ``condition()`` came true within ``timeout`` seconds (asked every ``interval``).

    The timeout is only how long a broken run may take to fail: a test passes as soon as the
    condition holds, however loaded the machine is."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= end:
            return False
        time.sleep(interval)
    return True
