"""A built wheel, installed without ``-e`` and run from outside the repository, serves every
page and static file: templates/ and static/ travel inside the package.

.ci/test builds the wheel before the suite enters its network namespace and passes its
path in ``WEBDIG_WHEEL``; without it this module builds one from a copy of the source with
the setuptools already installed (no network needed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.bind import NamedServer, free_port
from tests.support.httpwait import get_when_up

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ("pyproject.toml", "README.md", "webdig", "templates", "static")
"""What the wheel is built from."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel under test: .ci/test's, or one built here."""
    given = os.environ.get("WEBDIG_WHEEL")
    if given:
        return Path(given)
    if os.environ.get("CI"):
        pytest.fail("WEBDIG_WHEEL is not set: .ci/test must build the wheel")
    source = tmp_path_factory.mktemp("source")
    skip = shutil.ignore_patterns("__pycache__")
    for name in SOURCE:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip, "--no-index", "-w", str(out), str(source)], check=True, timeout=300)
    (built,) = out.glob("webdig-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed with ``pip install --no-deps --target``; the target folder."""
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
    subprocess.run([*pip, "--target", str(target), str(wheel)], check=True, timeout=300)
    return target


def outside_env(installed: Path, **extra: str) -> dict[str, str]:
    """The environment of a process that must import the installed copy: the target first
    on PYTHONPATH (dependencies come from the test venv), no path into the repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEBDIG_")}
    return {**env, "PYTHONPATH": str(installed), **extra}


def test_the_wheel_holds_every_package_template_and_static_file(installed: Path) -> None:
    packages = {p.parent.relative_to(ROOT) for p in (ROOT / "webdig").rglob("__init__.py")}
    for package in packages:
        assert (installed / package / "__init__.py").is_file(), f"{package} is not in the wheel"
    for folder in ("templates", "static", "webdig/translations"):
        files = {p.relative_to(ROOT / folder) for p in (ROOT / folder).rglob("*") if p.is_file()}
        shipped = installed / "webdig" / folder.removeprefix("webdig/")
        missing = sorted(str(f) for f in files if not (shipped / f).is_file())
        assert not missing, f"pyproject.toml does not ship {folder}/{missing}"
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert {str(p).replace("/", ".") for p in packages} <= set(listed["packages"])


def test_the_installed_copy_is_the_one_imported(installed: Path, tmp_path: Path) -> None:
    code = "import webdig.web.app as a; print(a.__file__); print(a.asset_folder('templates'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=outside_env(installed),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert out == [
        str(installed / "webdig" / "web" / "app.py"),
        str(installed / "webdig" / "templates"),
    ]


@pytest.fixture
def served(installed: Path, named: NamedServer, tmp_path: Path) -> Iterator[str]:
    """``webdig serve`` (gunicorn) from the installed copy, run from an empty folder."""
    port = free_port()
    config = {
        "WEBDIG_RESOLVER": f"127.0.0.1#{named.port}",
        "WEBDIG_ALLOW_PRIVATE": "true",
        "WEBDIG_TIMEOUT": "1",
        "WEBDIG_TRIES": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "webdig.cli.main", "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=outside_env(installed, **config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        get_when_up(f"{base}/healthz", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=15)


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return response.status, response.headers["Content-Type"], bytes(response.read())


def test_the_installed_app_serves_pages_and_static_files(served: str) -> None:
    status, kind, body = fetch(f"{served}/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert b'name="hostnames"' in body
    status, kind, body = fetch(f"{served}/?hostnames=www.webdig.test&expected=192.0.2.10")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert b"192.0.2.10" in body
    assert b"this matches your server" in body
    status, kind, body = fetch(f"{served}/static/webdig.css")
    assert (status, kind.split(";")[0]) == (200, "text/css")
    assert body == (ROOT / "static" / "webdig.css").read_bytes()
    status, kind, body = fetch(f"{served}/check")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert b'name="domain"' in body
    status, kind, body = fetch(f"{served}/check?lang=ja")  # the compiled catalog shipped
    assert "本文へ移動".encode() in body
