"""The access log (webdig.web.accesslog): the lines gunicorn's own logger writes, atom by atom."""

from __future__ import annotations

import ast
import datetime
import http.client
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from tests.support.bind import free_port
from tests.support.gunicornapp import ROOT, launch, stop, wait_healthy
from webdig.web.accesslog import AccessLogger

EVERY_ATOM = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(m)s %(U)s %(q)s %(H)s %(b)s %(B)s "%(f)s" '
    '"%(a)s" %(T)s %(D)s %(M)s %(L)s %(p)s'
)
BRACED = (
    "%({user-agent}i)s %({X-Quoted}i)s %({CONTENT-TYPE}o)s %({content-security-policy}O)s "
    "%({REMOTE_ADDR}e)s %({wsgi.multithread}e)s %({absent}i)s %({absent}o)s %({absent}e)s "
    "%({x-twice}o)s %(nope)s %({broken)s %({}i)s"
)
FORMATS = [Config().access_log_format, EVERY_ATOM, BRACED]


class _Response:
    def __init__(self, status: Any, sent: int | None, headers: list[tuple[str, str]]) -> None:
        self.status = status
        self.sent = sent
        self.headers = headers


class _Request:
    def __init__(self, headers: list[tuple[str, str]]) -> None:
        self.headers = headers


def _environ(**extra: Any) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": '/api/v1/lookup?hostnames=www.example.com&x="quoted"',
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/api/v1/lookup",
        "QUERY_STRING": 'hostnames=www.example.com&x="quoted"',
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": "https://example.com/page",
        "HTTP_USER_AGENT": 'curl/8 "quoted"',
        "HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz",  # user:pass
        "wsgi.multithread": True,
    }
    environ.update(extra)
    return environ


CASES = [
    (
        _Response(
            "200 OK",
            2645,
            [
                ("Content-Type", "application/json"),
                ("Content-Security-Policy", "default-src 'self'"),
                ("X-Twice", "first"),
                ("X-Twice", "second"),
            ],
        ),
        _Request([("USER-AGENT", 'curl/8 "quoted"'), ("X-QUOTED", 'say "hi"')]),
        _environ(),
    ),
    (_Response(404, None, []), _Request([]), _environ(HTTP_AUTHORIZATION="Bearer x")),
    (
        _Response("503 SERVICE UNAVAILABLE", 0, [("Retry-After", "2")]),
        [("HOST", "webdig.example")],
        {"REQUEST_METHOD": "POST", "RAW_URI": "/", "SERVER_PROTOCOL": "HTTP/1.0"},
    ),
]


def _line(logger_class: type[Logger], log_format: str, case: Any, path: Path) -> str:
    config = Config()
    config.set("accesslog", str(path))
    config.set("access_log_format", log_format)
    logger = logger_class(config)
    logger.now = lambda: "[02/Dec/2026:15:04:05 +0000]"
    response, request, environ = case
    logger.access(response, request, environ, datetime.timedelta(seconds=1, microseconds=234567))
    for handler in logger.access_log.handlers:
        handler.flush()
        handler.close()
    logger.access_log.handlers.clear()
    return path.read_text()


@pytest.mark.parametrize("log_format", FORMATS, ids=["default", "every-atom", "braced"])
@pytest.mark.parametrize("case", CASES, ids=["json", "bare-404", "list-headers"])
def test_the_same_line_as_gunicorns_logger(log_format: str, case: Any, tmp_path: Path) -> None:
    theirs = _line(Logger, log_format, case, tmp_path / "gunicorn.log")
    ours = _line(AccessLogger, log_format, case, tmp_path / "webdig.log")
    assert theirs.count("\n") == 1
    assert ours == theirs


def test_atoms_the_format_does_not_read_are_not_worked_out(tmp_path: Path) -> None:
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = AccessLogger(config)

    def no_time() -> str:
        raise AssertionError("only %(t)s reads the time")

    class Headers(list[tuple[str, str]]):
        def __iter__(self) -> Any:
            raise AssertionError("only %({name}o)s reads the response headers")

    logger.now = no_time
    response = _Response("200 OK", 10, Headers([("X", "y")]))
    atoms = logger.atoms(response, [], _environ(), datetime.timedelta(microseconds=5))
    assert atoms["h"] == "192.0.2.7"
    assert atoms["a"] == 'curl/8 \\"quoted\\"'
    assert atoms["nothing"] == "-"
    for handler in logger.access_log.handlers:
        handler.close()


def test_gunicorn_writes_its_access_log_through_it() -> None:
    """The repository's gunicorn.conf.py names the logger, and real requests are logged."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        access = Path(folder) / "access.log"
        command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(access)]
        command += ["--workers", "1"]
        with tempfile.TemporaryFile() as log:
            process = launch(command, {"PYTHONPATH": str(ROOT)}, log)
            try:
                wait_healthy("127.0.0.1", port, process, log)
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", '/healthz?x="q"', headers={"User-Agent": "probe/1"})
                response = connection.getresponse()
                response.read()
                connection.close()
            finally:
                stop(process)
        lines = access.read_text().splitlines()
    logged = [line for line in lines if 'GET /healthz?x=\\"q\\" HTTP/1.1"' in line]
    assert len(logged) == 1, lines
    pattern = (
        r"127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "
        r'"GET /healthz\?x=\\"q\\" HTTP/1\.1" 200 \d+ "-" "probe/1"'
    )
    assert re.fullmatch(pattern, logged[0]), logged[0]


def test_gunicorn_conf_names_it() -> None:
    tree = ast.parse((ROOT / "gunicorn.conf.py").read_text())
    assigned = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    name = ast.literal_eval(assigned["logger_class"])
    config = Config()
    config.set("logger_class", name)
    assert config.logger_class is AccessLogger
