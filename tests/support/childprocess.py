"""Servers the suite starts end with it, even when pytest itself is killed.

A pytest run stopped by ``timeout`` (SIGTERM) or SIGKILL runs no fixture's
teardown: every ``named``, gunicorn master and redis-server it had started
kept running, each in a network namespace that then lived on with it (over a
hundred of them after a day of interrupted runs on the development machine).
"""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> None:
    """A ``preexec_fn`` for :class:`subprocess.Popen`: the child gets SIGTERM when its parent ends.

    Linux sends it when the *thread* that started the child ends, so servers are started
    from a thread that outlives them (the suite's main thread).  A parent that already
    died before the call is seen as a new parent pid, and the child then ends at once.
    """
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)
