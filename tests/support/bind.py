"""Start and stop real BIND 9 (``named``) instances for the test suite.

Each instance listens on one loopback address and a free port, serves the
zone files it is given, and runs in the foreground (``-g``) so the suite
owns its lifetime.  Nothing here talks to anything but 127.0.0.0/8 and ::1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dns.message
import dns.query
import dns.rdatatype

from tests.support.childprocess import die_with_parent

ZONES_DIR = Path(__file__).parent.parent / "zones"


class NamedUnavailable(RuntimeError):
    """``named`` is not installed on this machine."""


def free_port(address: str = "127.0.0.1") -> int:
    """A port that is free for both UDP and TCP on ``address``."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    for _ in range(50):
        with socket.socket(family, socket.SOCK_STREAM) as tcp:
            tcp.bind((address, 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind((address, port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port found")


@dataclass
class Zone:
    """A zone to serve: its origin and master-file path (or text)."""

    origin: str
    path: Path | None = None
    text: str | None = None

    @classmethod
    def of_records(cls, origin: str, records: str, **soa: Any) -> Zone:
        """The zone ``origin`` served from :func:`master_file`'s text (``soa``: its keywords)."""
        return cls(origin, text=master_file(origin, records, **soa))


def master_file(
    origin: str,
    records: str,
    *,
    mname: str = "ns1.good.lab.",
    serial: int = 1,
    ttl: int = 3600,
    minimum: int = 300,
) -> str:
    """A master file for ``origin``: ``$TTL ttl``, an SOA record (mailbox hostmaster.lab.,
    refresh 3600, retry 900, expire 604800, negative TTL ``minimum``), then ``records``."""
    soa = f"{mname} hostmaster.lab. {serial} 3600 900 604800 {minimum}"
    return f"$TTL {ttl}\n{origin} IN SOA {soa}\n{records}"


@dataclass
class NamedServer:
    """A running ``named``."""

    address: str = "127.0.0.1"
    port: int = 0
    zones: list[Zone] = field(default_factory=list)
    recursion: bool = False
    also_ipv6: bool = True
    extra_options: str = ""
    forwarders: list[tuple[str, int]] = field(default_factory=list)
    hint_zone: bool = False
    """Serve the first zone as root hints (``type hint``) for a recursive server."""
    workdir: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> NamedServer:
        """Write the configuration, start named and wait until it answers."""
        named = shutil.which("named") or (
            "/usr/sbin/named" if os.path.exists("/usr/sbin/named") else None
        )
        if named is None:
            raise NamedUnavailable("named (Debian package bind9) is not installed")
        if not self.port:
            self.port = free_port(self.address)
        self.workdir = Path(tempfile.mkdtemp(prefix="webdig-named-"))
        zone_conf = []
        for zone in self.zones:
            zfile = self.workdir / f"{zone.origin.strip('.') or 'root'}.db"
            if zone.text is not None:
                zfile.write_text(zone.text)
            else:
                assert zone.path is not None
                shutil.copy(zone.path, zfile)
            kind = "hint" if self.hint_zone and zone.origin == "." else "primary"
            zone_conf.append(f'zone "{zone.origin}" {{ type {kind}; file "{zfile}"; }};')
        v6 = (
            f"listen-on-v6 port {self.port} {{ ::1; }};"
            if self.also_ipv6
            else "listen-on-v6 { none; };"
        )
        forwarders = ""
        if self.forwarders:
            fw = " ".join(f"{a} port {p};" for a, p in self.forwarders)
            forwarders = f"forwarders {{ {fw} }}; forward only;"
        conf = f"""
options {{
    directory "{self.workdir}";
    pid-file none;
    session-keyfile none;
    listen-on port {self.port} {{ {self.address}; }};
    {v6}
    recursion {"yes" if self.recursion else "no"};
    allow-query {{ any; }};
    {"allow-recursion { 127.0.0.0/8; ::1; };" if self.recursion else ""}
    dnssec-validation no;
    notify no;
    minimal-responses no-auth-recursive;
    {forwarders}
    {self.extra_options}
}};
controls {{ }};
{chr(10).join(zone_conf)}
"""
        conf_path = self.workdir / "named.conf"
        conf_path.write_text(conf)
        # The child keeps its own copy of the descriptor.
        with open(self.workdir / "named.log", "wb") as log:
            self.process = subprocess.Popen(
                [named, "-g", "-c", str(conf_path), "-n", "1"],
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 15.0) -> None:
        end = time.monotonic() + timeout
        probe_name = self.zones[0].origin if self.zones and not self.hint_zone else "."
        query = dns.message.make_query(probe_name, dns.rdatatype.SOA)
        while time.monotonic() < end:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"named exited early:\n{self.log()}")
            try:
                dns.query.udp(query, self.address, timeout=0.3, port=self.port)
                return
            except (OSError, dns.exception.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"named did not answer in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        """named's output so far."""
        if self.workdir is None:
            return ""
        path = self.workdir / "named.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop named and remove its files."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def running_or_skip(server: NamedServer) -> Iterator[NamedServer]:
    """Start ``server`` for a fixture; a missing named fails on CI and skips elsewhere."""
    from tests.support.prerequisites import missing  # pytest only where a fixture starts named

    try:
        server.start()
    except NamedUnavailable as exc:
        missing(str(exc), "bind9")
    yield server
    server.stop()


def main_zones() -> list[Zone]:
    """The zones of the main test server."""
    return [
        Zone("webdig.test.", ZONES_DIR / "webdig.test.db"),
        Zone("2.0.192.in-addr.arpa.", ZONES_DIR / "2.0.192.in-addr.arpa.db"),
    ]
