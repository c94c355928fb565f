"""What saving costs, and how fast a saved result is served, on SQLite and on PostgreSQL.

For each database, against one BIND on loopback and webdig under gunicorn:

1. latency: ``--runs`` rounds of one ``GET /api/v1/lookup`` and one ``POST
   /api/v1/snapshots`` of the same question (one keep-alive connection each);
   saving's cost is the difference of the medians.  Target: ≤ 10 ms.
2. throughput: ``GET /api/v1/snapshots/<id>`` against a live ``GET
   /api/v1/lookup`` of the same question, loaded for ``--seconds`` by ``--clients``
   connections, ``--rounds`` times in alternating order; the ratio is the median
   of the rounds' ratios.  Target: ≥ 1.2×.

PostgreSQL is a throwaway cluster (initdb as ``nobody`` when run as root), SQLite a
file in a temporary instance folder.  Ends with a Markdown table for the README.

    python bench/snapshots.py [--runs 200] [--seconds 5] [--rounds 3] [--clients 8]
        [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import time
import urllib.parse
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.appserver import HOST, AppServer  # noqa: E402
from bench.httpload import pick_tool, run_load  # noqa: E402
from tests.support.bind import NamedServer, free_port, main_zones  # noqa: E402
from tests.support.postgres import PostgresCluster  # noqa: E402

SAVE_TARGET_MS = 10.0
THROUGHPUT_TARGET = 1.2


@dataclass
class Figures:
    """What one database measured."""

    database: str
    lookup_ms: float = 0.0
    save_ms: float = 0.0
    lookup_rate: list[float] = field(default_factory=list)
    snapshot_rate: list[float] = field(default_factory=list)

    @property
    def added_ms(self) -> float:
        """What saving adds to a look-up (difference of the medians)."""
        return self.save_ms - self.lookup_ms

    @property
    def ratio(self) -> float:
        """Saved-result throughput over live look-up throughput, median of the rounds."""
        return statistics.median(
            s / q for s, q in zip(self.snapshot_rate, self.lookup_rate, strict=True)
        )


def question(named: NamedServer) -> dict[str, str]:
    return {"hostnames": "www.webdig.test", "type": "A", "ns": "self",
            "nameservers": f"127.0.0.1#{named.port}"}  # fmt: skip


def timed(
    connection: http.client.HTTPConnection, method: str, path: str, body: str | None
) -> float:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    start = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    if response.status not in (200, 201):
        raise RuntimeError(f"{method} {path}: HTTP {response.status}")
    return elapsed


def measure(database: str, url: str | None, named: NamedServer, args: argparse.Namespace,
            workdir: Path) -> Figures:  # fmt: skip
    figures = Figures(database)
    env = {
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_RATE_LIMIT_DISABLED": "true",
        "WEBDIG_INSTANCE_PATH": str(workdir / database),
        "SECRET_KEY": "bench",
    }
    if url:
        env["DATABASE_URL"] = url
    server = AppServer("webdig:create_app()", free_port(), args.workers, args.threads,
                       workdir / f"{database}.log", env).start()  # fmt: skip
    try:
        lookup_path = "/api/v1/lookup?" + urllib.parse.urlencode(question(named))
        server.wait_ready(lookup_path, lambda body: None, 60)
        body = json.dumps(question(named))
        connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
        lookups, saves = [], []
        for _ in range(args.runs):
            lookups.append(timed(connection, "GET", lookup_path, None))
            saves.append(timed(connection, "POST", "/api/v1/snapshots", body))
        connection.request("POST", "/api/v1/snapshots", body=body,
                           headers={"Content-Type": "application/json"})  # fmt: skip
        snapshot_id = json.loads(connection.getresponse().read())["id"]
        connection.close()
        figures.lookup_ms = statistics.median(lookups) * 1000
        figures.save_ms = statistics.median(saves) * 1000
        snapshot_path = f"/api/v1/snapshots/{snapshot_id}"
        tool = pick_tool("auto")
        for round_number in range(args.rounds):
            order = [(lookup_path, figures.lookup_rate), (snapshot_path, figures.snapshot_rate)]
            for path, rates in order if round_number % 2 == 0 else reversed(order):
                result = run_load(tool, server.port, path, args.seconds, args.clients)
                if result.errors:
                    raise RuntimeError(f"{path}: {result.errors} errors under load")
                rates.append(result.rate)
    finally:
        server.stop()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    results = []
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="webdig-bench-")))
        named = NamedServer(zones=main_zones()).start()
        stack.callback(named.stop)
        for database in args.databases.split(","):
            url = None
            if database == "postgresql":
                cluster = PostgresCluster().init()
                stack.callback(cluster.remove)
                url = cluster.url(cluster.create_database())
            results.append(measure(database, url, named, args, workdir))
            print(f"{database}: done", file=sys.stderr)
    print("| database | look-up p50 | look-up + save p50 | saving adds (target ≤ 10 ms) "
          "| live look-ups/s | saved result/s | ratio (target ≥ 1.2×) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    ok = True
    for f in results:
        passed = f.added_ms <= SAVE_TARGET_MS and f.ratio >= THROUGHPUT_TARGET
        ok = ok and passed
        live, saved = statistics.median(f.lookup_rate), statistics.median(f.snapshot_rate)
        print(
            f"| {f.database} | {f.lookup_ms:.2f} ms | {f.save_ms:.2f} ms "
            f"| **{f.added_ms:.2f} ms** | {live:.0f} | {saved:.0f} | **{f.ratio:.2f}×** |"
        )
    print("PASS" if ok else "MISS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
