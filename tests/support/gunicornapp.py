"""webdig under a real gunicorn on loopback, started with the repository's gunicorn.conf.py.

The attack tests run against this, not the Flask test client: worker
threads, connection handling and per-process state only show under the
server webdig is deployed with.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tests.support.bind import free_port
from tests.support.childprocess import die_with_parent

ROOT = Path(__file__).resolve().parents[2]
_DROPPED = ("PORT", "WEB_CONCURRENCY", "WEBDIG_THREADS", "REDIS_URL", "FORWARDED_ALLOW_IPS")


@contextmanager
def serving(env: Mapping[str, str], *, address: str = "127.0.0.1") -> Iterator[int]:
    """Run gunicorn with ``env`` (over a clean environment) and yield its port."""
    port = free_port(address)
    command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
    command += ["--bind", f"{address}:{port}", "--access-logfile", "/dev/null"]
    # The log goes to a file: a pipe nobody reads would block gunicorn once full.
    with tempfile.TemporaryFile() as log:
        process = launch(command, {"PYTHONPATH": str(ROOT), **env}, log)
        try:
            wait_healthy(address, port, process, log)
            yield port
        finally:
            stop(process)


def launch(command: list[str], env: Mapping[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start gunicorn's ``command`` in the repository, logging to ``log``, with ``env`` over
    an environment cleaned of what would change what gunicorn.conf.py or the app decides.

    It runs in a session of its own: Ctrl-C reaches only its owner, which stops it
    (:func:`stop`) in order; and it ends when its owner ends, however.
    """
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in _DROPPED and not key.startswith("WEBDIG_")
    }
    environ.update(env)
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn gracefully (SIGTERM), then kill its process group if it hangs.

    The group is the session ``start_new_session=True`` gave it: the master and its workers.
    """
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_healthy(address: str, port: int, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    """Poll ``/healthz`` until it answers 200 (gunicorn exiting early is an error)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(f"gunicorn exited:\n{output[-3000:]}")
        try:
            if get(address, port, "/healthz", timeout=1)[0] == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def get(
    address: str,
    port: int,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10,
    source: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One GET on a new connection (``source``: the client's loopback address)."""
    connection = http.client.HTTPConnection(
        address, port, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        connection.request("GET", path, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()
