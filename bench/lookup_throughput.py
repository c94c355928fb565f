"""One A look-up: webdig's JSON API vs a minimal Flask+dnspython endpoint vs spawning dig.

In one run, against one BIND it starts on loopback:

1. throughput: webdig (``webdig:create_app()``) and the baseline
   (``bench/minimal_app.py``) under gunicorn with identical settings, each
   loaded for ``--seconds`` by ``--clients`` keep-alive connections (``wrk``
   when installed, else Python client processes).  Target: webdig ≥ 0.70 ×
   the baseline's requests/s.  It also reports the CPU time the workers
   spent per request (read from ``/proc``), which a busy machine disturbs
   far less than requests/s.
2. single-look-up latency (median and p95 of ``--runs`` sequential runs): a
   bare ``dns.query.udp``, webdig's engine in-process (``lookup()``), one
   JSON API request (keep-alive) and spawning ``dig``.  Target: dig ≥ 10×
   slower than the JSON API and than the engine.

It ends with a Markdown table (for the README) and PASS/MISS per target.
Exit status: 0 when everything ran cleanly (targets missed or not), 1 on
errors (a server that did not start, non-200 answers, a failed look-up),
130 on Ctrl-C.  Everything started is stopped in every case.

    python bench/lookup_throughput.py [--seconds 10] [--clients 8] [--runs 200]
        [--workers 2] [--threads 8] [--rounds 5] [--client auto|wrk|python] [--expected]

The request is one A look-up, ``/api/v1/lookup?hostnames=www.webdig.test&type=A&ns=self
&nameservers=…``, for both apps.  ``--expected`` adds ``expected=192.0.2.10``: webdig
then also asks AAAA (A and AAAA are judged together), judges both and checks the
delegation, and the baseline also asks AAAA and compares, so both do the same DNS work.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dns.exception  # noqa: E402
import dns.message  # noqa: E402
import dns.query  # noqa: E402
import dns.rdatatype  # noqa: E402

from bench.appserver import HOST, AppServer, ServerError  # noqa: E402
from bench.httpload import LoadError, LoadResult, Tool, pick_tool, run_load  # noqa: E402
from tests.support.bind import NamedServer, NamedUnavailable, free_port, main_zones  # noqa: E402
from webdig.lookup.params import LookupParams  # noqa: E402
from webdig.lookup.run import lookup  # noqa: E402
from webdig.settings import Settings  # noqa: E402

HOSTNAME = "www.webdig.test"
EXPECTED = "192.0.2.10"
THROUGHPUT_TARGET = 0.70
DIG_TARGET = 10.0
WARMUP_RUNS = 10
READY_TIMEOUT = 60.0
BALANCE_LIMIT = 0.75
"""A load counts only when no worker used more than this share of its app's CPU.

gunicorn's workers accept from one shared socket, and the load generator opens
its connections all at once: now and then the worker that wakes first takes
every one of them, and one process (one core, one GIL) serves the whole load
while the other waits.  Such a load measures half the machine (the system then
sits ~40 % idle), in either app, and decided whole runs before: it is run again.
"""
LOAD_TRIES = 4
"""Loads at most per app and round before an unbalanced one is kept (and counted)."""
METHOD_TIME_LIMIT = 120.0
"""Seconds at most for one latency method, whatever ``--runs`` says."""
MAX_FAILURES_IN_A_ROW = 10
BARE = "bare `dns.query.udp`"
ENGINE = "webdig engine in-process (`lookup()`)"
API = "webdig JSON API, one request (keep-alive)"
DIG = "spawning `dig` per look-up"


class BenchError(RuntimeError):
    """The benchmark could not measure what it set out to."""


@dataclass
class Samples:
    """Wall times of one latency method, in seconds, and how many runs failed."""

    label: str
    times: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def median_ms(self) -> float:
        """The median, in milliseconds."""
        return statistics.median(self.times) * 1000 if self.times else float("nan")

    @property
    def p95_ms(self) -> float:
        """The 95th percentile, in milliseconds."""
        if len(self.times) < 2:
            return self.median_ms
        return statistics.quantiles(self.times, n=20)[18] * 1000


@dataclass(frozen=True)
class Load:
    """One load of one app: what the generator counted and what the workers spent."""

    result: LoadResult
    cpu_seconds: float
    """User + system CPU of all workers during the load (NaN without ``/proc``)."""
    top_share: float
    """The busiest worker's share of that CPU (NaN without ``/proc``)."""

    @property
    def cpu_per_request_ms(self) -> float:
        """Worker CPU milliseconds per successful request."""
        requests = self.result.requests
        return self.cpu_seconds / requests * 1000 if requests else float("nan")

    def balanced(self, workers: int) -> bool:
        """Every worker took part (see :data:`BALANCE_LIMIT`); unknown counts as balanced."""
        return workers < 2 or not self.top_share > BALANCE_LIMIT


@dataclass
class Figures:
    """Everything one run measured."""

    tool: Tool
    webdig: LoadResult
    baseline: LoadResult
    latencies: list[Samples]
    round_ratios: list[float] = field(default_factory=list)
    """webdig / baseline within each round (the two loads of a round run back to back)."""
    cpu_ms: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    """Worker CPU ms per request in each round: webdig's, the baseline's."""
    reruns: int = 0
    """Loads run again because one worker had taken every connection."""
    unbalanced: int = 0
    """Loads kept although still unbalanced after :data:`LOAD_TRIES` tries."""

    @property
    def ratio(self) -> float:
        """webdig's throughput as a fraction of the baseline's: the median over rounds.

        A shared or virtual machine now and then runs a whole load several
        times slower; comparing within rounds and taking the median keeps one
        such stall, in either app, from deciding the result.
        """
        if self.round_ratios:
            return statistics.median(self.round_ratios)
        return self.webdig.rate / self.baseline.rate if self.baseline.rate else 0.0

    def cpu_median_ms(self, index: int) -> float:
        """Median worker CPU ms per request over rounds: 0 webdig, 1 the baseline."""
        values = [v for v in self.cpu_ms[index] if v == v]  # NaN without /proc
        return statistics.median(values) if values else float("nan")

    def latency(self, label: str) -> Samples:
        """The samples of one method."""
        return next(s for s in self.latencies if s.label == label)

    @property
    def errors(self) -> int:
        """Failed requests and failed look-ups, all phases together."""
        return self.webdig.errors + self.baseline.errors + sum(s.errors for s in self.latencies)


# -- what each server must answer -------------------------------------------


def lookup_target(dns_port: int, *, with_expected: bool) -> str:
    """The request both servers get (same path, same query string)."""
    target = f"/api/v1/lookup?hostnames={HOSTNAME}&type=A&ns=self&nameservers={HOST}:{dns_port}"
    return f"{target}&expected={EXPECTED}" if with_expected else target


def check_webdig(body: bytes, *, with_expected: bool) -> None:
    """webdig answered the address from the BIND (and, asked to judge it, a match)."""
    result = json.loads(body)["results"][0]
    answered = any(record["data"] == EXPECTED for record in result["answer"])
    matched = (result.get("verdict") or {}).get("status") == "match"
    if result.get("error") or not answered or (with_expected and not matched):
        raise ValueError(f"not the expected answer: {json.dumps(result)[:300]}")


def check_baseline(body: bytes, *, with_expected: bool) -> None:
    """The baseline answered the expected address (and, asked to compare, said it matches)."""
    first = json.loads(body)["results"][0]
    if not any(record["data"] == EXPECTED for record in first["answer"]):
        raise ValueError(f"{EXPECTED} not in {first['answer']}")
    if with_expected and first.get("match") is not True:
        raise ValueError(f"the baseline did not compare: {first}")


# -- latency ----------------------------------------------------------------


def measure(label: str, once: Callable[[], bool], runs: int) -> Samples:
    """Time ``once`` (True = a correct answer) over ``runs`` sequential calls.

    A failed call counts as an error; after ``MAX_FAILURES_IN_A_ROW`` the
    method is given up rather than waited out one timeout at a time.
    """
    samples = Samples(label)
    end = time.monotonic() + METHOD_TIME_LIMIT
    failures_in_a_row = 0
    for count in range(-WARMUP_RUNS, runs):
        if time.monotonic() >= end or failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
            break
        begin = time.perf_counter()
        try:
            ok = once()
        except (OSError, dns.exception.DNSException, http.client.HTTPException,
                subprocess.SubprocessError):  # fmt: skip
            ok = False
        elapsed = time.perf_counter() - begin
        failures_in_a_row = 0 if ok else failures_in_a_row + 1
        if count < 0:
            continue  # warm-up
        if ok:
            samples.times.append(elapsed)
        else:
            samples.errors += 1
    return samples


def measure_latencies(
    dns_port: int, api_port: int, runs: int, *, with_expected: bool
) -> list[Samples]:
    """Median/p95 of one A look-up by each of the four routes."""

    def bare() -> bool:
        query = dns.message.make_query(HOSTNAME, dns.rdatatype.A)
        reply = dns.query.udp(query, HOST, port=dns_port, timeout=2.0)
        return any(rrset.rdtype == dns.rdatatype.A for rrset in reply.answer)

    params = LookupParams(
        hostnames=(HOSTNAME,),
        type="A",
        ns="self",
        nameservers=(f"{HOST}:{dns_port}",),
        expected=(EXPECTED,) if with_expected else (),
    )
    settings = Settings(resolver=f"{HOST}#{dns_port}", allow_private=True)

    def engine() -> bool:
        block = lookup(params, settings).blocks[0]
        answered = any(
            rdata.to_text() == EXPECTED for rrset in block.result.answer for rdata in rrset
        )
        matched = block.verdict is not None and block.verdict.status == "match"
        return answered and (matched or not with_expected)

    connection = http.client.HTTPConnection(HOST, api_port, timeout=10)
    target = lookup_target(dns_port, with_expected=with_expected)

    def api() -> bool:
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()  # the next request opens a fresh connection
            raise
        return response.status == 200

    command = ["dig", f"@{HOST}", "-p", str(dns_port), HOSTNAME, "A"]

    def dig() -> bool:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
        return done.returncode == 0 and EXPECTED in done.stdout

    try:
        return [
            measure(BARE, bare, runs),
            measure(ENGINE, engine, runs),
            measure(API, api, runs),
            measure(DIG, dig, runs),
        ]
    finally:
        connection.close()


# -- the run ----------------------------------------------------------------


def load_once(tool: Tool, server: AppServer, target: str, args: argparse.Namespace) -> Load:
    """Load ``server`` once for ``--seconds``, with its workers' CPU before and after."""
    before = server.worker_cpu()
    result = run_load(tool, server.port, target, args.seconds, args.clients)
    after = server.worker_cpu()
    spent = [after[pid] - before[pid] for pid in after if pid in before]
    if not spent:
        return Load(result, float("nan"), float("nan"))
    total = sum(spent)
    return Load(result, total, max(spent) / total if total > 0 else float("nan"))


def load_balanced(
    tool: Tool, server: AppServer, target: str, args: argparse.Namespace
) -> tuple[Load, int]:
    """One load in which every worker took part (:data:`BALANCE_LIMIT`), and the re-runs."""
    for tries in range(1, LOAD_TRIES + 1):
        load = load_once(tool, server, target, args)
        if load.balanced(args.workers) or tries == LOAD_TRIES:
            return load, tries - 1
        print(
            f"{server.app}: {load.result.rate:.0f} req/s with one worker using "
            f"{load.top_share:.0%} of the CPU: again",
            flush=True,
        )
    raise AssertionError("LOAD_TRIES is at least 1")


def load_both(
    tool: Tool, servers: tuple[AppServer, AppServer], target: str, args: argparse.Namespace
) -> Figures:
    """Warm both servers up, then load them in turn (``--rounds`` times, order alternating).

    The figures' latencies are left empty for :func:`measure_latencies`.
    """
    loads: list[list[Load]] = [[], []]
    for server in servers:
        run_load(tool, server.port, target, args.warmup, args.clients)
        print(f"warmed up {server.app}", flush=True)
    ratios: list[float] = []
    reruns = 0
    for round_number in range(args.rounds):
        order = (0, 1) if round_number % 2 == 0 else (1, 0)
        for index in order:
            load, again = load_balanced(tool, servers[index], target, args)
            reruns += again
            loads[index].append(load)
            print(
                f"{servers[index].app}: {load.result.rate:.0f} req/s, {load.result.errors} "
                f"errors, {load.cpu_per_request_ms:.2f} ms CPU per request",
                flush=True,
            )
        webdig_rate, baseline_rate = loads[0][-1].result.rate, loads[1][-1].result.rate
        ratios.append(webdig_rate / baseline_rate if baseline_rate else 0.0)
        print(f"round {round_number + 1}: webdig / minimal = {ratios[-1]:.2f}", flush=True)
    webdig, baseline = (
        LoadResult(
            tool,
            sum(load.result.requests for load in app_loads),
            sum(load.result.errors for load in app_loads),
            sum(load.result.seconds for load in app_loads),
        )
        for app_loads in loads
    )
    return Figures(
        tool,
        webdig,
        baseline,
        [],
        ratios,
        cpu_ms=(_cpu_ms(loads[0]), _cpu_ms(loads[1])),
        reruns=reruns,
        unbalanced=sum(not load.balanced(args.workers) for app in loads for load in app),
    )


def _cpu_ms(loads: list[Load]) -> list[float]:
    return [load.cpu_per_request_ms for load in loads]


def run(args: argparse.Namespace) -> Figures:
    """Start BIND and both apps, measure, and stop everything again, even on Ctrl-C."""
    tool = pick_tool(args.client)
    if shutil.which("dig") is None:
        raise BenchError("dig is not installed (Debian package bind9-dnsutils)")
    previous = signal.getsignal(signal.SIGINT)
    stack = ExitStack()
    try:
        return _measure(stack, tool, args)
    finally:
        # A second Ctrl-C must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            stack.close()
        finally:
            signal.signal(signal.SIGINT, previous)


def _measure(stack: ExitStack, tool: Tool, args: argparse.Namespace) -> Figures:
    logs = Path(tempfile.mkdtemp(prefix="webdig-bench-"))
    stack.callback(shutil.rmtree, logs, ignore_errors=True)
    named = NamedServer(zones=main_zones())
    stack.callback(named.stop)
    named.start()
    env = {
        "WEBDIG_ALLOW_PRIVATE": "1",
        "WEBDIG_RESOLVER": f"{HOST}#{named.port}",
        # The limits guard the public site; here they would answer 429s.
        "WEBDIG_RATE_LIMIT_CLIENT": "100000000/minute",
        "WEBDIG_RATE_LIMIT_APP": "100000000/minute",
        "WEBDIG_RATE_LIMIT_TARGET": "100000000/minute",
        "WEBDIG_RATE_LIMIT_TARGET_CLIENT": "100000000/minute",
        "WEBDIG_RATE_LIMIT_PRESET": "100000000/minute",
        # Every wrk connection comes from one address: more than one client's share.
        "WEBDIG_CONCURRENT_CLIENT": "1000",
        # gunicorn spreads the connections unevenly: one worker may hold more of them
        # than its look-up slots (threads - 2) and answer 503 to the rest.
        "WEBDIG_LOOKUPS_PER_WORKER": str(args.threads),
    }
    common = {"workers": args.workers, "threads": args.threads}
    webdig = AppServer(
        "webdig:create_app()", free_port(), log=logs / "webdig.log", env=env, **common
    )
    baseline = AppServer(
        "bench.minimal_app:create_app()", free_port(), log=logs / "minimal.log", **common
    )
    for server in (webdig, baseline):
        stack.callback(server.stop)
        server.start()
    target = lookup_target(named.port, with_expected=args.expected)
    try:
        webdig.wait_ready(target, partial(check_webdig, with_expected=args.expected), READY_TIMEOUT)
        baseline.wait_ready(
            target, partial(check_baseline, with_expected=args.expected), READY_TIMEOUT
        )
    except ServerError as exc:
        raise BenchError(f"{exc}\n{webdig.log_tail()}\n{baseline.log_tail()}") from exc
    print(
        f"BIND on {HOST}#{named.port}; webdig on :{webdig.port}, "
        f"minimal on :{baseline.port}; load by {tool}",
        flush=True,
    )
    figures = load_both(tool, (webdig, baseline), target, args)
    print(f"timing {args.runs} sequential look-ups per method…", flush=True)
    figures.latencies = measure_latencies(
        named.port, webdig.port, args.runs, with_expected=args.expected
    )
    return figures


# -- the report -------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    """PASS or MISS against a lower bound."""
    return "PASS" if value >= target else "MISS"


def report(figures: Figures, args: argparse.Namespace) -> str:
    """The Markdown table and the PASS/MISS lines."""
    api = figures.latency(API)
    engine = figures.latency(ENGINE)
    dig = figures.latency(DIG)
    dig_api, dig_engine = dig.median_ms / api.median_ms, dig.median_ms / engine.median_ms
    webdig_cpu, baseline_cpu = figures.cpu_median_ms(0), figures.cpu_median_ms(1)
    setup = (
        f"BIND 9 on loopback; gunicorn {args.workers} workers × {args.threads} threads for both "
        f"apps; {figures.tool}, {args.clients} keep-alive connections, "
        f"{args.rounds} × {args.seconds:g} s per app; {args.runs} sequential runs per latency; "
        f"request {'with' if args.expected else 'without'} expected={EXPECTED}; "
        f"{multiprocessing.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    rows = [
        ("webdig JSON API throughput", _rate(figures.webdig), "", ""),
        ("minimal Flask+dnspython throughput", _rate(figures.baseline), "", ""),
        (
            "webdig / minimal (median of rounds)",
            f"{figures.ratio:.2f} ({', '.join(f'{r:.2f}' for r in figures.round_ratios)})",
            f"≥ {THROUGHPUT_TARGET:.2f}",
            verdict(figures.ratio, THROUGHPUT_TARGET),
        ),
        ("worker CPU per request, webdig (median of rounds)", f"{webdig_cpu:.2f} ms", "", ""),
        ("worker CPU per request, minimal (median of rounds)", f"{baseline_cpu:.2f} ms", "", ""),
        ("CPU per request, minimal / webdig", f"{baseline_cpu / webdig_cpu:.2f}", "", ""),
        ("loads run again (one worker had every connection)",
         f"{figures.reruns}" + (f", {figures.unbalanced} kept unbalanced"
                                if figures.unbalanced else ""), "", ""),
        *(
            (
                f"one look-up: {s.label}",
                f"{s.median_ms:.2f} ms median, {s.p95_ms:.2f} ms p95"
                + (f" ({s.errors} failed)" if s.errors else ""),
                "",
                "",
            )
            for s in figures.latencies
        ),
        ("dig / webdig JSON API (medians)", f"{dig_api:.1f}×", f"≥ {DIG_TARGET:g}×",
         verdict(dig_api, DIG_TARGET)),
        ("dig / webdig engine (medians)", f"{dig_engine:.1f}×", f"≥ {DIG_TARGET:g}×",
         verdict(dig_engine, DIG_TARGET)),
    ]  # fmt: skip
    lines = [setup, "", "| measure | value | target | result |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    lines += [
        "",
        f"{verdict(figures.ratio, THROUGHPUT_TARGET)}: throughput ratio {figures.ratio:.2f} "
        f"(target ≥ {THROUGHPUT_TARGET:.2f})",
        f"{verdict(dig_api, DIG_TARGET)}: dig / webdig JSON API {dig_api:.1f}× "
        f"(target ≥ {DIG_TARGET:g}×)",
        f"{verdict(dig_engine, DIG_TARGET)}: dig / webdig engine {dig_engine:.1f}× "
        f"(target ≥ {DIG_TARGET:g}×)",
    ]
    return "\n".join(lines)


def _rate(result: LoadResult) -> str:
    return f"{result.rate:.0f} req/s ({result.requests} requests, {result.errors} errors)"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="load per app and round")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--runs", type=int, default=200, help="sequential runs per latency")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (both apps)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (both apps)")
    parser.add_argument("--rounds", type=int, default=5, help="load rounds, order alternating")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of load before")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--expected",
        action="store_true",
        help=f"add expected={EXPECTED}: A and AAAA, verdicts, delegation check",
    )
    args = parser.parse_args(argv)
    for name in ("seconds", "clients", "runs", "workers", "threads", "rounds", "warmup"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    if args.seconds > 600 or args.rounds > 10:
        parser.error("keep it bounded: --seconds ≤ 600 and --rounds ≤ 10")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 = measured cleanly, 1 = errors, 130 = interrupted."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        figures = run(args)
    except KeyboardInterrupt:
        print("interrupted; everything started was stopped", file=sys.stderr)
        return 130
    except (BenchError, LoadError, NamedUnavailable, ServerError, subprocess.SubprocessError,
            multiprocessing.TimeoutError) as exc:  # fmt: skip
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print()
    print(report(figures, args))
    if figures.errors:
        print(f"error: {figures.errors} failed requests or look-ups", file=sys.stderr)
        return 1
    return 0


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM takes the same clean-up path as Ctrl-C.
    raise KeyboardInterrupt


if __name__ == "__main__":
    raise SystemExit(main())
