"""Closed-loop HTTP load: C keep-alive clients, each sending one request at a time.

Two generators give the same :class:`LoadResult`: ``wrk`` (Debian package
``wrk``) when it is installed, and otherwise a pool of Python client
*processes*, so the client's GIL never caps the server's throughput.  Both
count any response other than 200 (or a broken connection) as an error.
Every loop here is bounded by a deadline and by a request count.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from typing import BinaryIO, Literal

Tool = Literal["wrk", "python"]

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 10.0
MAX_REQUESTS_PER_SECOND = 100_000
"""Per client: far above what a 2-core machine serves, so only a safety bound."""


class LoadError(RuntimeError):
    """The load generator itself failed (not the server under test)."""


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured."""

    tool: Tool
    requests: int
    """Responses with status 200 completed inside the measuring window."""
    errors: int
    """Non-200 responses and broken connections."""
    seconds: float

    @property
    def rate(self) -> float:
        """Successful requests per second."""
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def pick_tool(wanted: str) -> Tool:
    """``wrk`` or ``python``; ``auto`` prefers wrk when it is installed."""
    if wanted == "python":
        return "python"
    if shutil.which("wrk"):
        return "wrk"
    if wanted == "wrk":
        raise LoadError("wrk is not installed (apt-get install wrk), use --client python")
    return "python"


def run_load(tool: Tool, port: int, target: str, seconds: float, clients: int) -> LoadResult:
    """Load ``http://127.0.0.1:PORT/TARGET`` with ``clients`` connections for ``seconds``."""
    if tool == "wrk":
        return _run_wrk(port, target, seconds, clients)
    return _run_python(port, target, seconds, clients)


# -- wrk ---------------------------------------------------------------------

_WRK_REQUESTS = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)\b", re.MULTILINE)
_WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")
_WRK_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _run_wrk(port: int, target: str, seconds: float, clients: int) -> LoadResult:
    # wrk's threads multiplex connections; more threads than cores only adds contention.
    threads = max(1, min(clients, multiprocessing.cpu_count()))
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={clients}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={int(REQUEST_TIMEOUT)}s",
        f"http://{HOST}:{port}{target}",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise LoadError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> LoadResult:
    """Read requests, elapsed time and errors from wrk's summary."""
    found = _WRK_REQUESTS.search(output)
    if found is None:
        raise LoadError(f"cannot read wrk's output:\n{output}")
    total = int(found.group(1))
    elapsed = float(found.group(2)) * _UNIT[found.group(3)]
    non_2xx = _WRK_NON_2XX.search(output)
    # wrk counts only 4xx/5xx here; webdig's API never redirects.
    status_errors = int(non_2xx.group(1)) if non_2xx else 0
    sockets = _WRK_SOCKET.search(output)
    socket_errors = sum(int(n) for n in sockets.groups()) if sockets else 0
    return LoadResult("wrk", total - status_errors, status_errors + socket_errors, elapsed)


# -- Python client processes -------------------------------------------------


def _run_python(port: int, target: str, seconds: float, clients: int) -> LoadResult:
    # fork: the clients need nothing but this module, and start in milliseconds.
    context = multiprocessing.get_context("fork")
    start_at = time.monotonic() + 1.0  # every client is connected before the window opens
    end_at = start_at + seconds
    jobs = [(port, target, start_at, end_at)] * clients
    # Leaving the with-block terminates the pool, also on Ctrl-C or a timeout.
    with context.Pool(clients, initializer=_client_signals) as pool:
        pending = pool.starmap_async(_client, jobs)
        counts = pending.get(timeout=seconds + 2 * REQUEST_TIMEOUT + 30)
    return LoadResult("python", sum(ok for ok, _ in counts), sum(err for _, err in counts), seconds)


def _client_signals() -> None:
    # Ctrl-C reaches the whole process group; the parent cleans up the pool,
    # whose terminate() sends SIGTERM: die of it quietly, whatever handler the
    # parent had installed before forking.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _client(port: int, target: str, start_at: float, end_at: float) -> tuple[int, int]:
    """One keep-alive client: (200 responses, errors) completed inside the window."""
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n\r\n"
    ).encode("ascii")
    ok = errors = 0
    connection: tuple[socket.socket, BinaryIO] | None = None
    try:
        connection = _connect(port)
        time.sleep(max(0.0, start_at - time.monotonic()))
        limit = int(MAX_REQUESTS_PER_SECOND * (end_at - start_at)) + 1
        for _ in range(limit):
            if time.monotonic() >= end_at:
                break
            try:
                if connection is None:
                    connection = _connect(port)
                sock, reader = connection
                sock.sendall(request)
                status, keep_alive = read_response(reader)
            except (OSError, ValueError):
                _close(connection)
                connection = None
                if time.monotonic() < end_at:
                    errors += 1
                    time.sleep(0.01)  # a refusing server must not make this spin
                continue
            if time.monotonic() > end_at:
                break  # finished after the window closed: not part of the rate
            if status == 200:
                ok += 1
            else:
                errors += 1
            if not keep_alive:
                _close(connection)
                connection = None
    except OSError:
        errors += 1
    finally:
        _close(connection)
    return ok, errors


def _connect(port: int) -> tuple[socket.socket, BinaryIO]:
    sock = socket.create_connection((HOST, port), timeout=REQUEST_TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock, sock.makefile("rb")


def _close(connection: tuple[socket.socket, BinaryIO] | None) -> None:
    if connection is not None:
        connection[1].close()
        connection[0].close()


def read_response(reader: BinaryIO) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; return its status and whether the connection stays open."""
    status_line = reader.readline(65536)
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise ValueError(f"bad status line {status_line!r}")
    status = int(parts[1])
    length: int | None = None
    chunked = False
    keep_alive = parts[0] == b"HTTP/1.1"
    for _ in range(100):
        line = reader.readline(65536)
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        key, value = name.strip().lower(), value.strip().lower()
        if key == b"content-length":
            length = int(value)
        elif key == b"transfer-encoding":
            chunked = b"chunked" in value
        elif key == b"connection":
            keep_alive = value == b"keep-alive"
    if chunked:
        _skip_chunks(reader)
    elif length is not None:
        if len(reader.read(length)) != length:
            raise ValueError("response body cut short")
    else:
        reader.read()  # no length: the body runs to the end of the connection
        keep_alive = False
    return status, keep_alive


def _skip_chunks(reader: BinaryIO) -> None:
    for _ in range(1_000_000):
        size = int(reader.readline(65536).split(b";")[0], 16)
        reader.read(size + 2)
        if size == 0:
            return
    raise ValueError("too many chunks")
