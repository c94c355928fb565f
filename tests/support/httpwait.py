"""Wait for a server the test started to answer HTTP."""

from __future__ import annotations

import subprocess
import time
import urllib.request


def get_when_up(url: str, server: subprocess.Popen[bytes], timeout: float = 20) -> bytes:
    """GET ``url`` once ``server`` (a process this test started) answers; fail if it exits
    or does not answer within ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return bytes(response.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer (exit status {server.poll()})")
