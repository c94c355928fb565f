"""A WSGI app under gunicorn on a loopback port, owned (started and stopped) by a benchmark.

Every app runs with the repository's ``gunicorn.conf.py`` and only the
bind address, worker count and thread count overridden on the command
line, so two apps started here differ in nothing but the app itself.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.gunicornapp import launch, stop

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """The app did not start, or did not answer as expected."""


@dataclass
class AppServer:
    """One gunicorn master (and its workers) serving ``app`` on ``HOST:port``."""

    app: str
    """A gunicorn app URI such as ``webdig:create_app()``."""
    port: int
    workers: int
    threads: int
    log: Path
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> AppServer:
        """Start gunicorn; it logs (access log included) to ``log``."""
        command = [
            sys.executable, "-m", "gunicorn",
            "--config", str(ROOT / "gunicorn.conf.py"),
            "--chdir", str(ROOT),
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            self.app,
        ]  # fmt: skip
        with open(self.log, "wb") as log:
            self.process = launch(command, self.env, log)
        return self

    def wait_ready(self, target: str, check: Callable[[bytes], None], timeout: float) -> None:
        """Poll ``GET target`` until it answers 200 and ``check(body)`` passes."""
        end = time.monotonic() + timeout
        problem = "no answer"
        while time.monotonic() < end:
            if self.process is None or self.process.poll() is not None:
                raise ServerError(f"gunicorn {self.app} exited:\n{self.log_tail()}")
            connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                body = response.read()
                if response.status == 200:
                    check(body)
                    return
                problem = f"HTTP {response.status}: {body[:300]!r}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            except ValueError as exc:
                problem = f"unexpected answer: {exc}"
            finally:
                connection.close()
            time.sleep(0.25)
        raise ServerError(f"{self.app} not ready after {timeout:.0f} s ({problem})")

    def worker_cpu(self) -> dict[int, float]:
        """CPU seconds (user + system) each worker of this master has used so far, by pid.

        Read from ``/proc`` (Linux); empty where there is none, or before the start.
        """
        if self.process is None or not os.path.isdir("/proc"):
            return {}
        tick = os.sysconf("SC_CLK_TCK")
        used: dict[int, float] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    # The command name in parentheses may hold spaces: split after it.
                    fields = stat.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            if int(fields[1]) == self.process.pid:  # fields: state, ppid, … utime (11), stime (12)
                used[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
        return used

    def log_tail(self, lines: int = 20) -> str:
        """The last lines gunicorn wrote."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then kill this server's process group if it hangs."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        stop(process)
