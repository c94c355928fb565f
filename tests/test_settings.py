"""The settings table: one place for every default, the README and gunicorn read from it."""

from __future__ import annotations

import os
import runpy
from dataclasses import fields
from pathlib import Path

import pytest

from webdig import create_app
from webdig.settings import DEFAULTS, OPTIONS, Settings, from_environ, markdown_table

ROOT = Path(__file__).resolve().parent.parent


def test_readme_table_is_the_options_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # On failure, paste the output of
    # python -c "from webdig.settings import markdown_table; print(markdown_table())"
    assert markdown_table() in readme


def test_every_engine_setting_is_an_option_with_the_same_default() -> None:
    for item in fields(Settings):
        assert item.default == DEFAULTS[item.name.upper()], item.name


def test_settings_hold_configuration_only() -> None:
    # Runtime objects (caches, gates) hide from equality; configuration never needs to.
    assert all(item.compare for item in fields(Settings))
    assert Settings() == from_environ({})


def test_app_config_starts_from_the_options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for option in OPTIONS:
        monkeypatch.delenv(option.env, raising=False)
    config = create_app({"INSTANCE_PATH": str(tmp_path)}).config
    for option in OPTIONS:
        # The development key is replaced by one kept in the instance folder
        # (tests/test_snapshot_pages.py); INSTANCE_PATH is this test's own.
        if option.key in ("SECRET_KEY", "INSTANCE_PATH"):
            continue
        if option.app_config:
            assert config[option.key] == option.default, option.key
        else:
            assert option.key not in config, option.key


def test_gunicorn_reads_its_defaults_from_the_options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in (
        "PORT",
        "WEB_CONCURRENCY",
        "WEBDIG_THREADS",
        "WEBDIG_DEADLINE",
        "FORWARDED_ALLOW_IPS",
    ):
        monkeypatch.delenv(name, raising=False)
    # Named: the config makes no store folder of its own (see the next test).
    monkeypatch.setenv("WEBDIG_RATE_LIMIT_STORE", str(tmp_path / "limits.store"))
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["workers"] == DEFAULTS["WEB_CONCURRENCY"]
    assert conf["threads"] == DEFAULTS["THREADS"]
    assert conf["forwarded_allow_ips"] == DEFAULTS["FORWARDED_ALLOW_IPS"]
    assert conf["timeout"] >= DEFAULTS["DEADLINE"]
    monkeypatch.setenv("WEBDIG_DEADLINE", "20")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"] == 60


def test_gunicorn_keeps_the_rate_limit_store_in_memory_and_removes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WEBDIG_RATE_LIMIT_STORE", "")  # unset, and unset again afterwards
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    store = Path(os.environ["WEBDIG_RATE_LIMIT_STORE"])
    assert store.parent.parent == Path("/dev/shm")
    conf["on_exit"](None)
    assert not store.parent.exists()
