"""Slow clients cannot take webdig down: the documented self-host stack under slowloris.

The stack is the README's recipe: nginx with deploy/nginx-webdig.conf in front
of gunicorn with gunicorn.conf.py and WEBDIG_TRUSTED_PROXIES=1.  300
connections send a request's headers one line at a time and never finish;
``/healthz`` through nginx must keep answering within 1 s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.bind import free_port
from tests.support.gunicornapp import ROOT, get, serving
from tests.support.prerequisites import missing

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx-webdig.conf"
SLOW_CONNECTIONS = 300


@pytest.fixture(scope="module")
def stack() -> Iterator[int]:
    """gunicorn behind nginx, as documented; yields nginx's port."""
    if not os.path.exists(NGINX):
        missing("nginx is not installed", "nginx")
    with serving({"WEBDIG_TRUSTED_PROXIES": "1"}) as app_port, tempfile.TemporaryDirectory() as d:
        port = free_port()
        site = SITE.read_text()
        site = site.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
            "listen [::]:80;", ""
        )
        folder = Path(d)
        (folder / "webdig.conf").write_text(site)
        (folder / "nginx.conf").write_text(
            "worker_processes 1;\n"
            f"pid {folder}/nginx.pid;\n"
            f"error_log {folder}/error.log;\n"
            "events { worker_connections 2048; }\n"
            "http {\n"
            f"  access_log off;\n  client_body_temp_path {folder}/body;\n"
            f"  proxy_temp_path {folder}/proxy;\n"
            f"  include {folder}/webdig.conf;\n"
            "}\n"
        )
        nginx = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    if get("127.0.0.1", port, "/healthz", timeout=1)[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            yield port
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def test_healthz_answers_at_once_while_300_slow_clients_hang_on(stack: int) -> None:
    slow: list[socket.socket] = []
    stop = threading.Event()

    def dribble() -> None:
        # One more header line every 2 s on every connection: never a whole request.
        line = 0
        while not stop.wait(2):
            line += 1
            for sock in slow:
                with contextlib.suppress(OSError):  # nginx closed it: fine
                    sock.send(f"X-Slow-{line}: 1\r\n".encode())

    try:
        for index in range(SLOW_CONNECTIONS):
            sock = socket.create_connection(("127.0.0.1", stack), timeout=5)
            sock.send(f"GET /?hostnames=slow{index}.example HTTP/1.1\r\nHost: x\r\n".encode())
            slow.append(sock)
        dribbler = threading.Thread(target=dribble)
        dribbler.start()
        latencies = []
        for _ in range(10):
            begin = time.monotonic()
            status = get("127.0.0.1", stack, "/healthz", timeout=5)[0]
            latencies.append(time.monotonic() - begin)
            assert status == 200
            time.sleep(0.5)
        # Some 10 ms each when the machine is idle; slowloris holding the workers would make
        # them wait until the client's 5 s timeout.
        assert max(latencies) < 3.0, latencies
    finally:
        stop.set()
        for sock in slow:
            sock.close()


def test_each_visitor_is_counted_by_the_address_nginx_saw(stack: int) -> None:
    # With WEBDIG_TRUSTED_PROXIES=1 the client limit (30/minute) is per visitor, not per proxy.
    # 61: even if a window boundary falls in between, 30 + 30 leave one to refuse.
    first = [get("127.0.0.1", stack, "/", source="127.0.0.7")[0] for _ in range(61)]
    assert first.count(429) >= 1
    assert get("127.0.0.1", stack, "/", source="127.0.0.8")[0] == 200
