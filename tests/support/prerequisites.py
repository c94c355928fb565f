"""Programs the suite needs installed (BIND, dig, Chromium, nginx, Redis, PostgreSQL)."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(what: str, package: str) -> NoReturn:
    """Stop the test for want of ``what``: on CI a missing program is a broken setup, never a
    reason to skip (fail, naming the ``package`` .ci/test must install); elsewhere, skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{what}: .ci/test must install {package}")
    pytest.skip(what)
