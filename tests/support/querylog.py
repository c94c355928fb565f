"""Who webdig asked: a record of every query it sends, and relays standing in for public resolvers.

:func:`recording_queries` wraps the one place every query of a look-up
goes through (:func:`webdig.engine.session.exchange_all`), so a test can
count the queries each server received without reading server logs.
:class:`Relays` are loopback UDP listeners, one per port, that pass each
datagram to a real resolver of the test hierarchy and send its reply back:
configured as presets, they let a look-up "ask 8.8.4.4" on loopback and
let the test tell 8.8.4.4 from 8.8.8.8 by port.
"""

from __future__ import annotations

import selectors
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

from webdig.engine.query import Query
from webdig.engine.transport import exchange_all as real_exchange_all


@contextmanager
def recording_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Query]]:
    """Every query webdig sends inside the block, in order (retries not repeated)."""
    sent: list[Query] = []
    lock = threading.Lock()

    def exchange_all(queries: Sequence[Query], **kwargs: Any) -> Any:
        with lock:
            sent.extend(queries)
        return real_exchange_all(queries, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr("webdig.engine.session.exchange_all", exchange_all)
        yield sent


class Relays:
    """``count`` UDP listeners on 127.0.0.1 that relay every datagram to ``upstream``."""

    def __init__(self, count: int, upstream: tuple[str, int], *, timeout: float = 2.0) -> None:
        self.upstream = upstream
        self.timeout = timeout
        self._sockets = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(count)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def ports(self) -> list[int]:
        """The listening ports, one per relay."""
        return [int(sock.getsockname()[1]) for sock in self._sockets]

    def __enter__(self) -> Relays:
        for sock in self._sockets:
            sock.bind(("127.0.0.1", 0))
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for sock in self._sockets:
            sock.close()

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            for sock in self._sockets:
                selector.register(sock, selectors.EVENT_READ)
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.1):
                    listener: socket.socket = key.fileobj  # type: ignore[assignment]
                    data, peer = listener.recvfrom(65535)
                    reply = self._ask_upstream(data)
                    if reply:
                        listener.sendto(reply, peer)

    def _ask_upstream(self, data: bytes) -> bytes:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as out:
            out.settimeout(self.timeout)
            out.sendto(data, self.upstream)
            try:
                return out.recv(65535)
            except TimeoutError:
                return b""
