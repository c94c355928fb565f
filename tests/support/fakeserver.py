"""A scriptable DNS server on loopback for transport tests.

``udp`` and ``tcp`` are callables that get the query and return the raw
bytes to send back (a list of datagrams for UDP; for TCP, chunks written
with an optional pause between them).  Returning nothing means silence.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import dns.message

from tests.support.bind import free_port

UdpHandler = Callable[[dns.message.Message, bytes], list[bytes]]
TcpHandler = Callable[[dns.message.Message, bytes], list[bytes]]


def framed(wire: bytes) -> bytes:
    """Prefix a message with its two-byte TCP length."""
    return struct.pack("!H", len(wire)) + wire


@dataclass
class FakeServer:
    """A UDP and TCP listener on 127.0.0.1 that runs scripted handlers."""

    udp: UdpHandler | None = None
    tcp: TcpHandler | None = None
    tcp_pause: float = 0.0
    port: int = 0
    address: str = "127.0.0.1"
    packets: int = 0
    arrivals: list[float] = field(default_factory=list)
    """When each UDP query arrived (``time.monotonic()``), to tell concurrent from serial."""
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _sockets: list[socket.socket] = field(default_factory=list)

    def __enter__(self) -> FakeServer:
        self.port = self.port or free_port(self.address)
        family = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        udp = socket.socket(family, socket.SOCK_DGRAM)
        udp.bind((self.address, self.port))
        udp.settimeout(0.1)
        tcp = socket.socket(family, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        tcp.bind((self.address, self.port))
        tcp.listen(8)
        tcp.settimeout(0.1)
        self._sockets = [udp, tcp]
        for target, sock in ((self._serve_udp, udp), (self._serve_tcp, tcp)):
            thread = threading.Thread(target=target, args=(sock,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        for sock in self._sockets:
            sock.close()

    def _serve_udp(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                data, peer = sock.recvfrom(65535)
            except TimeoutError:
                continue
            self.arrivals.append(time.monotonic())
            self.packets += 1
            if self.udp is None:
                continue
            for datagram in self.udp(dns.message.from_wire(data), data):
                sock.sendto(datagram, peer)

    def _serve_tcp(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            self.packets += 1
            with conn:
                conn.settimeout(2)
                try:
                    # MSG_WAITALL: a client may write the length and the message apart.
                    (length,) = struct.unpack("!H", conn.recv(2, socket.MSG_WAITALL))
                    data = conn.recv(length, socket.MSG_WAITALL)
                    if self.tcp is None:
                        self._stop.wait(3)
                        continue
                    for chunk in self.tcp(dns.message.from_wire(data), data):
                        if self._stop.is_set():
                            break
                        conn.sendall(chunk)
                        self._stop.wait(self.tcp_pause)
                except (OSError, struct.error):  # the client hung up first
                    continue


def empty_reply(query: dns.message.Message, _: bytes) -> list[bytes]:
    """A ``udp`` handler: NOERROR with no records, so a look-up completes and is counted."""
    return [dns.message.make_response(query).to_wire()]
