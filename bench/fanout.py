"""Fan-out benchmark: 20 hostnames × 3 nameservers that each answer after 50 ms.

Three delaying forwarders on loopback sit in front of one test BIND; each
holds every query for ``--delay`` ms before passing it on.  The script
times one webdig look-up of 20 hostnames against the three of them (60
queries) and the same 60 queries sent one after another (what a tool that
shells out to dig per query does), and counts the queries webdig sent.

Target: the whole request within 1.5 × one round trip + 20 ms, and exactly
the 60 queries the question needs.

    python bench/fanout.py [--delay 50] [--runs 10]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dns.rdatatype

from tests.support.bind import NamedServer, free_port, main_zones
from webdig.engine.names import parse_hostname
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.transport import exchange
from webdig.lookup.params import LookupParams
from webdig.lookup.run import lookup
from webdig.settings import Settings

HOSTS = tuple("www.webdig.test" if i == 0 else f"h{i}.webdig.test" for i in range(20))


class DelayingForwarder(asyncio.DatagramProtocol):
    """Forward each datagram to ``upstream`` after ``delay`` seconds; relay the reply."""

    def __init__(self, upstream: tuple[str, int], delay: float) -> None:
        self.upstream, self.delay = upstream, delay
        self.transport: asyncio.DatagramTransport | None = None
        self.seen = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.seen += 1
        asyncio.get_running_loop().create_task(self._relay(data, addr))

    async def _relay(self, data: bytes, addr: tuple[str, int]) -> None:
        await asyncio.sleep(self.delay)
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[bytes] = loop.create_future()

        class Once(asyncio.DatagramProtocol):
            def datagram_received(self, answer: bytes, _: tuple[str, int]) -> None:
                if not reply.done():
                    reply.set_result(answer)

        transport, _ = await loop.create_datagram_endpoint(Once, remote_addr=self.upstream)
        try:
            transport.sendto(data)
            answer = await asyncio.wait_for(reply, 2)
        except TimeoutError:
            return
        finally:
            transport.close()
        assert self.transport is not None
        self.transport.sendto(answer, addr)


def start_forwarders(
    upstream: tuple[str, int], delay: float, count: int
) -> tuple[list[int], list[DelayingForwarder], Callable[[], None]]:
    """Run ``count`` forwarders in a background event loop; return (ports, protocols, stop)."""
    loop = asyncio.new_event_loop()
    ports = [free_port() for _ in range(count)]
    protocols: list[DelayingForwarder] = []

    async def setup() -> None:
        for port in ports:
            _, protocol = await loop.create_datagram_endpoint(
                lambda: DelayingForwarder(upstream, delay), local_addr=("127.0.0.1", port)
            )
            protocols.append(protocol)

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(setup(), loop).result(5)

    def stop() -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)

    return ports, protocols, stop


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--delay", type=float, default=50.0, help="ms each forwarder waits")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    delay = args.delay / 1000
    named = NamedServer(zones=main_zones()).start()
    ports, _protocols, stop = start_forwarders(("127.0.0.1", named.port), delay, 3)
    try:
        settings = Settings(allow_private=True, timeout=2, tries=1, deadline=8)
        params = LookupParams(
            hostnames=HOSTS, ns="self", nameservers=tuple(f"127.0.0.1:{p}" for p in ports)
        )
        lookup(params, settings)  # warm-up (imports, thread start-up)
        times, sent = [], []
        for _ in range(args.runs):
            begin = time.perf_counter()
            outcome = lookup(params, settings)
            times.append(time.perf_counter() - begin)
            sent.append(outcome.queries_sent)
            errors = [b for b in outcome.blocks if b.result.error is not None]
            if errors:
                print(f"error: {errors[0].result.error}", file=sys.stderr)
                return 1
        begin = time.perf_counter()
        for host in HOSTS:
            for port in ports:
                query = Query(
                    parse_hostname(host), dns.rdatatype.A, Server("127.0.0.1", port), QueryOptions()
                )
                exchange(query, timeout=2, tries=1)
        serial = time.perf_counter() - begin
    finally:
        stop()
        named.stop()
    median = statistics.median(times)
    budget = 1.5 * delay + 0.020
    print(f"one round trip (forwarder delay): {delay * 1000:.0f} ms")
    print(
        f"webdig, 20 hostnames × 3 nameservers: median {median * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms over {args.runs} runs"
    )
    print(f"one query after another (60 round trips): {serial * 1000:.0f} ms")
    print(f"speed-up vs one-after-another: {serial / median:.1f}×")
    print(f"queries sent per request: {statistics.mode(sent)} (minimum for this question: 60)")
    verdict = "PASS" if median <= budget else "MISS"
    print(
        f"{verdict}: median {median * 1000:.1f} ms vs target {budget * 1000:.0f} ms "
        "(1.5 × round trip + 20 ms)"
    )
    print(f"{'PASS' if set(sent) == {60} else 'MISS'}: queries sent {sorted(set(sent))} vs 60")
    print()
    print("| measure | value |\n|---|---|")
    print(f"| round trip per query | {delay * 1000:.0f} ms |")
    print(f"| webdig, 60 queries (median of {args.runs}) | {median * 1000:.1f} ms |")
    print(f"| one after another | {serial * 1000:.0f} ms |")
    print(f"| ratio | {serial / median:.1f}× |")
    print(f"| queries sent | {statistics.mode(sent)} (minimum 60) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
