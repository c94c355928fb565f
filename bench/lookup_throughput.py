"""One A look-up: webdig's JSON API vs a minimal Flask+dnspython endpoint vs spawning dig.

In one run, against one local BIND it starts itself:

1. throughput: webdig (``webdig:create_app()``) and the baseline
   (``bench.minimal_app``) under gunicorn with identical settings, loaded by
   the same generator (``wrk`` when installed) — target: webdig ≥ 70 % of
   the baseline;
2. single-look-up latency (median of ``--runs`` sequential runs): a bare
   ``dns.query.udp``, webdig's engine in-process, one JSON API request, and
   spawning ``dig`` — target: dig ≥ 10× slower than webdig.

    python bench/lookup_throughput.py [--seconds 10] [--clients 16] [--runs 200]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dns.message  # noqa: E402
import dns.query  # noqa: E402

from bench.httpload import pick_tool, run_load  # noqa: E402
from tests.bind import NamedServer, free_port, main_zones  # noqa: E402
from webdig.lookup import lookup  # noqa: E402
from webdig.params import LookupParams  # noqa: E402
from webdig.settings import Settings  # noqa: E402


@contextmanager
def gunicorn(app: str, env: dict[str, str]) -> Iterator[int]:
    """Run ``app`` under gunicorn.conf.py's settings (2 workers × 8 threads) on a free port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", app]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env, "PORT": ""},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                connection.request("GET", "/")
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def median_ms(work: Callable[[], object], runs: int) -> float:
    """Median wall time of ``work`` over ``runs`` sequential calls, in ms."""
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        work()
        times.append(time.perf_counter() - begin)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    named = NamedServer(zones=main_zones()).start()
    path = f"/api/v1/lookup?hostnames=www.webdig.test&type=A&nameservers=127.0.0.1:{named.port}"
    env = {
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_RATE_LIMIT_CLIENT": "100000000/minute",
        "WEBDIG_RATE_LIMIT_APP": "100000000/minute",
        "WEBDIG_RATE_LIMIT_TARGET": "100000000/minute",
    }
    tool = pick_tool("auto")
    try:
        with gunicorn("webdig:create_app()", env) as port:
            webdig = run_load(tool, port, path, args.seconds, args.clients)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)

            def api() -> None:
                connection.request("GET", path)
                connection.getresponse().read()

            api_ms = median_ms(api, args.runs)
            connection.close()
        with gunicorn("bench.minimal_app:create_app()", env) as port:
            baseline = run_load(tool, port, path, args.seconds, args.clients)
        query = dns.message.make_query("www.webdig.test", "A")
        bare_ms = median_ms(
            lambda: dns.query.udp(query, "127.0.0.1", port=named.port, timeout=2), args.runs
        )
        settings = Settings(allow_private=True)
        params = LookupParams(
            hostnames=("www.webdig.test",), ns="self", nameservers=(f"127.0.0.1:{named.port}",)
        )
        engine_ms = median_ms(lambda: lookup(params, settings), args.runs)
        dig = ["dig", "@127.0.0.1", "-p", str(named.port), "www.webdig.test", "A"]
        dig_ms = median_ms(
            lambda: subprocess.run(dig, capture_output=True, check=True), max(20, args.runs // 4)
        )
    finally:
        named.stop()
    ratio = webdig.rate / baseline.rate if baseline.rate else 0.0
    print(f"load generator: {tool}, {args.clients} connections, {args.seconds:.0f} s each")
    print("| measure | value |\n|---|---|")
    print(f"| webdig JSON API throughput | {webdig.rate:.0f} req/s ({webdig.errors} errors) |")
    minimal = f"{baseline.rate:.0f} req/s ({baseline.errors} errors)"
    print(f"| minimal Flask+dnspython throughput | {minimal} |")
    print(f"| webdig / minimal | {ratio:.2f} (target ≥ 0.70) |")
    print(f"| bare dnspython query | {bare_ms:.2f} ms |")
    print(f"| webdig engine, one look-up | {engine_ms:.2f} ms |")
    print(f"| webdig JSON API, one request | {api_ms:.2f} ms |")
    print(f"| spawning dig | {dig_ms:.2f} ms |")
    print(f"| dig / webdig API | {dig_ms / api_ms:.1f}× (target ≥ 10×) |")
    print(f"| dig / webdig engine | {dig_ms / engine_ms:.1f}× |")
    print(f"{'PASS' if ratio >= 0.7 else 'MISS'}: throughput ratio {ratio:.2f}")
    print(f"{'PASS' if dig_ms / api_ms >= 10 else 'MISS'}: dig / API {dig_ms / api_ms:.1f}×")
    return 1 if webdig.errors or baseline.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
