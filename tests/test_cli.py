"""The ``webdig`` command against the test BIND: output and exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.bind import NamedServer, free_port
from tests.support.httpwait import get_when_up
from webdig.cli.commands import APP, gunicorn_argv, params_from_args
from webdig.cli.exitstatus import EXIT_USAGE
from webdig.cli.main import main, parse_args

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(named: NamedServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """WEBDIG_* variables that make the test BIND the resolver; also set for main()."""
    values = {
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_TIMEOUT": "1",
        "WEBDIG_TRIES": "1",
        "WEBDIG_DEADLINE": "4",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture
def at(named: NamedServer) -> str:
    """The test BIND as a dig-style @SERVER argument."""
    return f"@127.0.0.1#{named.port}"


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["www.webdig.test", "--expected", "192.0.2.10,2001:db8::10"], 0, ";; webdig: ✓ "),
        (["www.webdig.test"], 0, "192.0.2.10"),
        (["wrong.webdig.test", "--expected", "192.0.2.10"], 1, ";; webdig: ✗ "),
        (["www.webdig.test", "--expected", "192.0.2.10"], 1, "you gave no IPv6 address"),
        (["nope.webdig.test", "--expected", "192.0.2.10"], 1, "does not exist"),
        (["nope.webdig.test"], 0, "NXDOMAIN"),
        (["example.org", "--expected", "192.0.2.10"], 1, "refused to answer"),
    ],
)
def test_exit_status_follows_the_verdicts(
    env: dict[str, str],
    at: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    status: int,
    words: str,
) -> None:
    assert main(["lookup", at, *args]) == status
    assert words in capsys.readouterr().out


def test_v6only_name_with_ipv4_expected_has_only_its_missing_a(
    env: dict[str, str], at: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # AAAA is asked; the companion A query finds none, which is not a failure.
    assert main(["lookup", at, "v6only.webdig.test", "AAAA", "--expected", "2001:db8::10"]) == 0


def test_no_reply_from_any_server_exits_9(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", f"@127.0.0.1#{free_port()}", "www.webdig.test"]) == 9
    assert capsys.readouterr().out.strip()


def test_without_server_the_configured_resolver_is_asked(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", "www.webdig.test", "AAAA", "+short"]) == 0
    assert capsys.readouterr().out == "2001:db8::10\n"


def test_tokens_may_come_in_any_order_around_options(
    env: dict[str, str], at: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", "--json", "mx", at, "webdig.test", "+tcp", "+norecurse"]) == 0
    body = json.loads(capsys.readouterr().out)
    (result,) = body["results"]
    assert (result["hostname"], result["type"], result["transport"]) == ("webdig.test", "MX", "tcp")
    assert "rd" not in result["flags"]
    assert body["query"]["share_url"] is None


@pytest.mark.parametrize("args", [["-x", "192.0.2.10"], ["192.0.2.10", "Reverse"]])
def test_reverse_lookup_asks_ptr(
    env: dict[str, str], at: str, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main(["lookup", at, "+short", *args]) == 0
    assert capsys.readouterr().out == "www.webdig.test.\n"


@pytest.mark.parametrize(
    ("args", "ns", "nameservers", "flags"),
    [
        (["www.example.com"], "resolver", (), set()),
        (["www.example.com", "@ns1.example.jp", "@192.0.2.53#5353"], "self",
         ("ns1.example.jp", "192.0.2.53#5353"), set()),
        (["www.example.com", "--ns", "auth", "+trace", "+norec", "+vc"], "auth", (),
         {"trace", "norecursive", "tcp"}),
    ],
)  # fmt: skip
def test_dig_tokens_become_the_pages_parameters(
    args: list[str], ns: str, nameservers: tuple[str, ...], flags: set[str]
) -> None:
    params = params_from_args(parse_args(["lookup", *args]))
    assert (params.hostnames, params.ns, params.nameservers) == (
        ("www.example.com",),
        ns,
        nameservers,
    )
    assert params.flags == flags


def test_showcommand_prints_the_dig_command(
    env: dict[str, str], at: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", at, "www.webdig.test", "+showcommand"]) == 0
    first, second = capsys.readouterr().out.splitlines()[:2]
    assert first.startswith(";; webdig: ℹ www.webdig.test (A): ")  # the headline, then dig's
    assert second.startswith("$ dig ")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "at least one hostname"),
        (["www.webdig.test", "AXFR"], "Zone transfers"),
        (["www.webdig.test", "A", "MX"], "one record type"),
        (["www.webdig.test", "+bogus"], "unknown option +bogus"),
        (["www.webdig.test", "-4"], "unknown option -4"),
        (["www.webdig.test", "--expected", "not-an-ip"], "expected:"),
        (["bad!name.webdig.test"], "hostnames:"),
        (["www.webdig.test", "@300.1.2.3"], "nameservers:"),
        (["--nope"], "unknown option --nope"),
    ],
)
def test_bad_input_exits_2_with_a_message_on_stderr(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert main(["lookup", *args]) == 2
    captured = capsys.readouterr()
    assert words in captured.err
    assert captured.out == ""


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["serve", "--port", "eighty"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_module_runs_as_a_program(env: dict[str, str], at: str) -> None:
    command = [sys.executable, "-m", "webdig.cli.main", "lookup", at, "wrong.webdig.test"]
    done = subprocess.run(
        [*command, "--expected", "192.0.2.10"], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    assert done.returncode == 1, done.stderr
    assert ";; webdig: ✗ " in done.stdout
    bad = subprocess.run([*command, "AXFR"], capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert bad.returncode == 2
    assert "Zone transfers" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("host", "workers", "bind", "extra"),
    [
        ("127.0.0.1", None, "127.0.0.1:8000", []),
        ("::1", 3, "[::1]:8000", ["--workers", "3"]),
    ],
)
def test_serve_runs_gunicorn_on_the_factory_with_flags_over_the_config(
    host: str, workers: int | None, bind: str, extra: list[str]
) -> None:
    argv = gunicorn_argv(host, 8000, workers)
    assert argv[:3] == [sys.executable, "-m", "gunicorn"]
    assert argv[-1] == APP
    assert argv[argv.index("--bind") + 1] == bind
    if (ROOT / "gunicorn.conf.py").is_file():
        assert argv[argv.index("--config") + 1] == str(ROOT / "gunicorn.conf.py")
    for flag in extra:
        assert flag in argv


def test_serve_starts_a_server_that_answers(env: dict[str, str]) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "webdig.cli.main", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = get_when_up(f"http://127.0.0.1:{port}/healthz", server)
        assert json.loads(body) == {"status": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_full_width_arguments_read_as_ascii(
    env: dict[str, str], at: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = {ord(c): ord(c) + 0xFEE0 for c in "0123456789."}
    args = [
        "ｗｗｗ．ｗｅｂｄｉｇ．ｔｅｓｔ",
        at.translate(wide),
        "--expected",
        "192.0.2.10".translate(wide),
    ]
    assert main(["lookup", *args]) == 1  # the AAAA record is not judged: exit 1 as above
    out = capsys.readouterr().out
    assert "www.webdig.test." in out
    assert ";; webdig: ✓ " in out


@pytest.mark.parametrize(
    ("environ", "lang", "words"),
    [
        ({"LANG": "ja_JP.UTF-8"}, None, "はあなたのサーバーを指しています"),
        ({"LANG": "C"}, "ja", "はあなたのサーバーを指しています"),
        ({"LANG": "ja_JP.UTF-8"}, "en", "points at your server"),
    ],
)
def test_language_follows_lang_then_the_environment(
    env: dict[str, str],
    at: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    environ: dict[str, str],
    lang: str | None,
    words: str,
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    choice = ["--lang", lang] if lang else []
    args = ["lookup", at, "www.webdig.test", "--expected", "192.0.2.10,2001:db8::10", *choice]
    assert main(args) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(";; webdig: ✓ www.webdig.test")
    assert words in first


def test_short_output_is_exactly_digs(
    env: dict[str, str], at: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", at, "www.webdig.test", "+short", "--expected", "192.0.2.10"]) == 1
    assert capsys.readouterr().out == "192.0.2.10\n"


def test_input_errors_follow_the_language(
    env: dict[str, str], at: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", at, "a..b", "--lang", "ja"]) == EXIT_USAGE
    assert "「a..b」にはドットが2つ続いている部分があります。" in capsys.readouterr().err
