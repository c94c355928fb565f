"""Load under a silent nameserver: does one dead server slow everyone else down?

Starts a test BIND, a nameserver that never answers, and webdig under
gunicorn (2 threaded workers) on loopback.  64 closed-loop clients (8
processes × 8 threads, keep-alive) send look-ups for ``--seconds`` twice:
first all to the BIND (baseline), then with every tenth request aimed at the
silent server.  It prints errors and the p50/p99 latency of the normal
look-ups in both phases; the target is 0 errors and a p99 at most 2× the
baseline's.  Every loop is bounded by its phase's deadline.

    python bench/load.py [--seconds 30] [--clients 64]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.bind import NamedServer, free_port, main_zones  # noqa: E402
from tests.support.fakeserver import FakeServer  # noqa: E402

THREADS_PER_PROCESS = 8
Sample = tuple[bool, float, bool]
"""(silent-target request, seconds, ok)."""


def _client_process(
    port: int, paths: tuple[str, str], silent_every: int, end_at: float, queue: object
) -> None:
    samples: list[Sample] = []
    lock = threading.Lock()

    def loop(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        count = offset
        while time.monotonic() < end_at:
            count += 1
            silent = silent_every > 0 and count % silent_every == 0
            begin = time.monotonic()
            try:
                connection.request("GET", paths[1] if silent else paths[0])
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            with lock:
                samples.append((silent, time.monotonic() - begin, ok))
        connection.close()

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(THREADS_PER_PROCESS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(samples)  # type: ignore[attr-defined]


def run_phase(
    port: int, paths: tuple[str, str], clients: int, seconds: float, silent_every: int
) -> list[Sample]:
    """Run the closed-loop clients for one phase and collect every sample."""
    queue: multiprocessing.Queue[list[Sample]] = multiprocessing.Queue()
    end_at = time.monotonic() + seconds
    processes = [
        multiprocessing.Process(
            target=_client_process, args=(port, paths, silent_every, end_at, queue)
        )
        for _ in range(max(1, clients // THREADS_PER_PROCESS))
    ]
    for process in processes:
        process.start()
    samples = [sample for _ in processes for sample in queue.get(timeout=seconds + 60)]
    for process in processes:
        process.join(timeout=10)
    return samples


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=64)
    args = parser.parse_args()
    named = NamedServer(zones=main_zones()).start()
    silent = FakeServer().__enter__()
    port = free_port()
    env = {
        **os.environ,
        "PORT": "",
        "WEB_CONCURRENCY": "2",
        "WEBDIG_THREADS": "48",
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_TIMEOUT": "1",
        "WEBDIG_TRIES": "1",
        "WEBDIG_RATE_LIMIT_CLIENT": "1000000/minute",
        "WEBDIG_RATE_LIMIT_APP": "1000000/minute",
        "WEBDIG_RATE_LIMIT_TARGET": "1000000/minute",
    }
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    lookup = "/api/v1/lookup?hostnames=www.webdig.test&ns=self&nameservers=127.0.0.1:"
    normal = f"{lookup}{named.port}&expected=192.0.2.10"
    dead = f"{lookup}{silent.port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            except OSError:
                time.sleep(0.2)
        baseline = run_phase(port, (normal, dead), args.clients, args.seconds, 0)
        mixed = run_phase(port, (normal, dead), args.clients, args.seconds, 10)
    finally:
        server.terminate()
        server.wait(timeout=20)
        silent.__exit__(None, None, None)
        named.stop()
    rows = []
    for name, samples in (("baseline", baseline), ("10% to a silent nameserver", mixed)):
        normal_times = [t for s, t, ok in samples if not s and ok]
        errors = sum(1 for _, _, ok in samples if not ok)
        silent_count = sum(1 for s, _, _ in samples if s)
        rows.append(
            (
                name,
                len(samples),
                silent_count,
                errors,
                statistics.median(normal_times),
                percentile(normal_times, 0.99),
            )
        )
    print(
        f"{args.clients} clients, {args.seconds:.0f} s per phase, gunicorn 2 workers × 48 threads"
    )
    print("| phase | requests | to silent server | errors | p50 normal | p99 normal |")
    print("|---|---|---|---|---|---|")
    for name, total, silent_count, errors, p50, p99 in rows:
        timing = f"{p50 * 1000:.1f} ms | {p99 * 1000:.1f} ms"
        print(f"| {name} | {total} | {silent_count} | {errors} | {timing} |")
    ratio = rows[1][5] / rows[0][5]
    errors = rows[0][3] + rows[1][3]
    print(f"p99 ratio (mixed / baseline): {ratio:.2f}")
    print(f"{'PASS' if errors == 0 else 'MISS'}: {errors} errors (target 0)")
    print(f"{'PASS' if ratio <= 2 else 'MISS'}: p99 ratio {ratio:.2f} (target ≤ 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
