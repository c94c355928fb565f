"""Load with a hostile visitor: can one client take webdig away from everyone else?

Starts a test BIND (somebody else's nameserver, as webdig sees it), a
resolver for webdig and a nameserver that never answers, then webdig under
gunicorn with its documented defaults: ``gunicorn.conf.py``, every budget and
rate limit at its default value.  Normal visitors come from distinct
loopback addresses (127.0.1.x), each looking up a name with ``expected`` at
the BIND every few seconds, as people do.  Two phases of ``--seconds`` each:

1. quiet: the normal visitors alone;
2. hostile: the same, plus one client (127.0.2.1) running finding 1 of
   issue 10 (look-ups of 20 hostnames at the same nameserver, as fast as it
   is let) and slow targets (look-ups at the silent nameserver, many at once).

A normal visitor's request counts as an error unless it answers 200 with
every query sent and answered.  The target: 0 errors, and a p99 latency
in the hostile phase at most 2x the quiet one.

    python bench/load.py [--seconds 60] [--clients 30] [--interval 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.bind import NamedServer, free_port, main_zones  # noqa: E402
from tests.support.fakeserver import FakeServer, empty_reply  # noqa: E402

HOSTILE = "127.0.2.1"
HOSTILE_THREADS = 6
"""Threads of the attacker that send look-ups at a nameserver that never answers."""


@dataclass
class Tally:
    """What one phase's normal visitors saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if problem is not None:
                self.errors.append(problem)


def request(port: int, path: str, source: str, timeout: float = 30) -> tuple[int, bytes]:
    """One GET on a new connection from ``source``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                            source_address=(source, 0))  # fmt: skip
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def visitor(port: int, path: str, source: str, interval: float, end: float, tally: Tally) -> None:
    """A person: one look-up every ``interval`` seconds until ``end``."""
    next_at = time.monotonic() + interval * (int(source.rsplit(".", 1)[1]) % 10) / 10
    while True:
        time.sleep(max(0.0, next_at - time.monotonic()))
        if time.monotonic() >= end:
            return
        begin = time.monotonic()
        problem = None
        try:
            status, body = request(port, path, source)
            if status != 200:
                problem = f"HTTP {status}"
            else:
                errors = [r["error"] for r in json.loads(body)["results"] if r["error"]]
                problem = errors[0] if errors else None
        except (OSError, http.client.HTTPException) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        tally.add(time.monotonic() - begin, problem)
        next_at += interval


@dataclass(frozen=True)
class Attack:
    """One thread of the hostile client: ``path`` again and again."""

    path: str
    pace: float = 0.0
    """Seconds at least between two requests."""
    delay: float = 0.0
    """Seconds to wait before the first."""
    count: int = 1_000_000
    """Requests at most."""


def hostile(port: int, attack: Attack, end: float, seen: dict[str, int]) -> None:
    """Run one thread of the attack until ``end``; count what came back in ``seen``."""
    time.sleep(attack.delay)
    for _ in range(attack.count):
        if time.monotonic() >= end:
            return
        begin = time.monotonic()
        try:
            status, body = request(port, attack.path, HOSTILE)
        except (OSError, http.client.HTTPException):
            status, body = 0, b""
        if status == 200:
            held = sum(1 for r in json.loads(body)["results"] if r["error"])
            seen["queries held back"] = seen.get("queries held back", 0) + held
        seen[str(status)] = seen.get(str(status), 0) + 1
        time.sleep(max(0.05, attack.pace - (time.monotonic() - begin)))


def phase(
    port: int, normal: str, attack: list[Attack] | None, args: argparse.Namespace
) -> tuple[Tally, dict[str, int]]:
    """Run the visitors (and the attacker, if ``attack``) for ``args.seconds``."""
    end = time.monotonic() + args.seconds
    tally, seen = Tally(), dict[str, int]()
    threads = [
        threading.Thread(target=visitor, args=(port, normal, f"127.0.1.{i + 1}", args.interval,
                                                end, tally))
        for i in range(args.clients)
    ]  # fmt: skip
    if attack:
        threads += [
            threading.Thread(target=hostile, args=(port, each, end, seen)) for each in attack
        ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 60)
    return tally, seen


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--interval", type=float, default=5.0)
    args = parser.parse_args()
    named = NamedServer(zones=main_zones()).start()
    resolver = FakeServer(udp=empty_reply).__enter__()
    silent = FakeServer().__enter__()
    port = free_port()
    # The documented defaults: nothing but the resolver and the loopback targets changes.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WEBDIG_") and key not in ("PORT", "WEB_CONCURRENCY", "REDIS_URL")
    }
    env.update(
        {"PYTHONPATH": str(ROOT), "WEBDIG_ALLOW_PRIVATE": "true",
         "WEBDIG_RESOLVER": f"127.0.0.1#{resolver.port}"}
    )  # fmt: skip
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    target = f"127.0.0.1:{named.port}"
    normal = "/api/v1/lookup?" + urlencode(
        {"hostnames": "www.webdig.test", "nameservers": target, "expected": "192.0.2.10"}
    )
    wide = "\n".join(f"h{i}.webdig.test" for i in range(20))
    # Finding 1 first: 14 look-ups of 20 hostnames at the nameserver everyone uses, within
    # the client's own limit; then slow targets from several threads at once, back to back.
    slow = "/api/v1/lookup?" + urlencode(
        {"hostnames": "slow.webdig.test", "nameservers": f"127.0.0.1:{silent.port}"}
    )
    wide_path = "/api/v1/lookup?" + urlencode({"hostnames": wide, "nameservers": target})
    attack = [Attack(wide_path, count=14)]
    attack += [Attack(slow, delay=5.0)] * HOSTILE_THREADS
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(port, "/healthz", "127.0.0.1", timeout=1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        quiet, _ = phase(port, normal, None, args)
        attacked, seen = phase(port, normal, attack, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
        silent.__exit__(None, None, None)
        resolver.__exit__(None, None, None)
        named.stop()
    print(
        f"{args.clients} visitors (127.0.1.x), one look-up each every {args.interval:g} s, "
        f"{args.seconds:g} s per phase; gunicorn.conf.py and every default budget"
    )
    print("| phase | normal requests | errors | error rate | p50 | p99 |")
    print("|---|---|---|---|---|---|")
    rows = []
    for name, tally in (("quiet", quiet), ("one hostile client", attacked)):
        p50 = statistics.median(tally.latencies)
        p99 = percentile(tally.latencies, 0.99)
        rate = len(tally.errors) / len(tally.latencies)
        rows.append((len(tally.errors), p99))
        print(f"| {name} | {len(tally.latencies)} | {len(tally.errors)} | {rate:.1%} | "
              f"{p50 * 1000:.1f} ms | {p99 * 1000:.1f} ms |")  # fmt: skip
    print(f"the hostile client's answers (HTTP status: count): {dict(sorted(seen.items()))}")
    for problem in sorted(set(attacked.errors + quiet.errors))[:5]:
        print(f"  error seen: {problem}")
    ratio = rows[1][1] / rows[0][1]
    errors = rows[0][0] + rows[1][0]
    print(f"{'PASS' if errors == 0 else 'MISS'}: {errors} errors for normal visitors (target 0)")
    print(f"{'PASS' if ratio <= 2 else 'MISS'}: p99 ratio {ratio:.2f} (target ≤ 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
