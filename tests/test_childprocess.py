"""Servers the suite starts end with the process that started them (tests/support/childprocess)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A stand-in for pytest: starts a long sleep as the suite starts its servers, says its pid.
OWNER = """
import subprocess, sys
from tests.support.childprocess import die_with_parent
child = subprocess.Popen(["sleep", "300"], preexec_fn=die_with_parent, start_new_session=True)
print(child.pid, flush=True)
sys.stdin.read()
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_server_ends_when_its_owner_is_killed() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", OWNER], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as owner:
        assert owner.stdout is not None
        child = int(owner.stdout.readline())
        try:
            assert alive(child)
            owner.send_signal(signal.SIGKILL)  # no clean-up runs, as for a pytest run killed
            owner.wait(timeout=30)
            deadline = time.monotonic() + 30
            while alive(child) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not alive(child)
        finally:
            if alive(child):
                os.kill(child, signal.SIGKILL)
